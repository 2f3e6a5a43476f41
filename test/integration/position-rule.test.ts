/**
 * The position rule, written twice by necessity: once as the core's fold (`applyToPosition`, what
 * every replay computes) and once as the store's conditional UpdateItem (what the processor
 * writes). For any set of statements, delivered in any order and with repeats, the store must end
 * in the positions (current and previous per actor) the fold gives, and report each write as the
 * fold would; otherwise the replay and the store would disagree and never settle.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTrackerRepository } from '../../functions/adapters/dynamodb/tracker.repository.ts';
import type { PositionWrite } from '../../functions/application/ports.ts';
import { applyToPosition, type PositionEffect } from '../../functions/core/positions.ts';
import { replayIssue } from '../../functions/core/tracker.ts';
import type { ActorId, Position, Stance, StatementRecord } from '../../functions/core/types.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { makeRegistry, said } from '../unit/core/helpers.ts';

const RUNS = { numRuns: 1000 };
const ACTORS = ['a0', 'a1', 'a2'];
const EMPTY_REGISTRY = makeRegistry({});

let store: EmbeddedDynamo;
let tracker: DynamoTrackerRepository;

beforeAll(async () => {
  store = await startDynalite();
  tracker = new DynamoTrackerRepository({ tableName: await store.createTable(), client: store.client });
});

afterAll(async () => {
  await store?.stop();
});

/** 2 to 6 statements by 1 to 3 actors over few minutes, so equal said times (and the id tie-break) are common. */
const statementsArb: fc.Arbitrary<StatementRecord[]> =
  fc
    .uniqueArray(
      fc.record({
        id: fc.string({ unit: fc.constantFrom(...'abxy01'), minLength: 1, maxLength: 2 }),
        actor: fc.constantFrom(...ACTORS),
        stance: fc.constantFrom<Stance>(-2, -1, 0, 1, 2),
        hedged: fc.boolean(),
        minute: fc.integer({ min: 0, max: 3 }),
      }),
      { selector: (s) => s.id, minLength: 2, maxLength: 6 },
    )
    .map((specs) => specs.map((s) => said({ id: s.id, actor: s.actor, stance: s.stance, hedged: s.hedged, at: s.minute })));

/** The statements in any order, some of them delivered more than once. */
const deliveryArb = (statements: StatementRecord[]): fc.Arbitrary<StatementRecord[]> =>
  fc
    .array(fc.nat({ max: statements.length - 1 }), { maxLength: 4 })
    .chain((repeats) => {
      const copies = [...statements, ...repeats.map((i) => structuredClone(statements[i]!))];
      return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length });
    });

const scenarioArb = statementsArb.chain((statements) => deliveryArb(statements).map((delivered) => ({ statements, delivered })));

let issues = 0;
/**
 * The scenario on an issue of its own, fresh for every execution (shrinking included), so runs on
 * one table never see each other's positions.
 */
const onFreshIssue = ({ statements, delivered }: { statements: StatementRecord[]; delivered: StatementRecord[] }) => {
  issues += 1;
  const issue = `position-rule-${issues}`;
  const move = (s: StatementRecord): StatementRecord => ({ ...s, issue });
  return { issue, statements: statements.map(move), delivered: delivered.map(move) };
};

/** The store reports an older statement and a copy alike: neither changes the item. */
const asWrite = (effect: PositionEffect): PositionWrite => (effect === 'older' || effect === 'duplicate' ? 'unchanged' : effect);

const foldInDeliveryOrder = (delivered: readonly StatementRecord[]): { positions: Map<ActorId, Position>; writes: PositionWrite[] } => {
  const positions = new Map<ActorId, Position>();
  const writes: PositionWrite[] = [];
  for (const statement of delivered) {
    const { position, effect } = applyToPosition(positions.get(statement.actor), statement);
    if (position !== undefined) positions.set(statement.actor, position);
    writes.push(asWrite(effect));
  }
  return { positions, writes };
};

describe("the store's conditional position write", () => {
  it('ends in the positions of the core fold and of the replay, and reports each write as the fold does, for any order and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        // Prepare
        const { issue, statements, delivered } = onFreshIssue(scenario);

        // Act: one write at a time, in delivery order.
        const writes: PositionWrite[] = [];
        for (const statement of delivered) writes.push(await tracker.applyPosition(statement));
        const stored = (await tracker.loadIssueState(issue)).positions;

        // Assess
        const fold = foldInDeliveryOrder(delivered);
        expect(writes).toEqual(fold.writes);
        expect(stored).toEqual(fold.positions);
        expect(stored).toEqual(replayIssue(issue, statements, EMPTY_REGISTRY).state.positions);
      }),
      RUNS,
    );
  });

  it('ends in the positions of the replay when the writes race each other', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        // Prepare
        const { issue, statements, delivered } = onFreshIssue(scenario);

        // Act: every write at once, as concurrent invocations would send them.
        await Promise.all(delivered.map((statement) => tracker.applyPosition(statement)));
        const stored = (await tracker.loadIssueState(issue)).positions;

        // Assess
        expect(stored).toEqual(replayIssue(issue, statements, EMPTY_REGISTRY).state.positions);
      }),
      RUNS,
    );
  });
});
