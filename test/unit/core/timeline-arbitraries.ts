/**
 * Random registries and statement sets for property tests of the timeline and of what is built on
 * it: few actors, issues and minutes, so ties, repeats and late statements are common.
 */
import fc from 'fast-check';
import type { Registry, Stance, StatementRecord, Tenure } from '../../../functions/core/types.ts';
import { at, makeRegistry, said, type WatchSpec } from './helpers.ts';

export const RUNS = { numRuns: 1000 };
const ACTORS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const ISSUES = ['i0', 'i1', 'i2'];

export const stanceArb = fc.constantFrom<Stance>(-2, -1, 0, 1, 2);

const quorumArb = fc.integer({ min: 1, max: 4 });

/** A period of membership within the scenario's minutes, or none (a member at every time). */
const tenureArb: fc.Arbitrary<Tenure | undefined> = fc.option(
  fc
    .record({ since: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }), length: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }) })
    .map(({ since, length }): Tenure => ({
      ...(since === undefined ? {} : { since: at(since) }),
      ...(length === undefined ? {} : { until: at((since ?? 0) + length) }),
    })),
  { nil: undefined, freq: 3 },
);

/**
 * What the registry says on top of the watches: quorums, members joining and leaving, retired
 * watches and an issue closed at some minute, so every property also holds under those rules.
 */
const registryRulesArb = fc.record({
  splitQuorum: quorumArb,
  tenures: fc.array(tenureArb, { minLength: 6, maxLength: 6 }),
  closedAt: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined, freq: 3 }),
});

type RegistryRules = typeof registryRulesArb extends fc.Arbitrary<infer T> ? T : never;

export const registryArb: fc.Arbitrary<{ registry: Registry; issues: string[] }> = fc
  .record({
    issues: fc.shuffledSubarray(ISSUES, { minLength: 1, maxLength: 3 }),
    members: fc.shuffledSubarray(ACTORS, { minLength: 3, maxLength: 6 }),
    splitThreshold: fc.integer({ min: 1, max: 4 }),
    watched: fc.array(
      fc.record({
        actor: fc.constantFrom(...ACTORS), threshold: fc.integer({ min: 1, max: 4 }), everyIssue: fc.boolean(), quorum: quorumArb, retired: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    rules: registryRulesArb,
  })
  .map(({ issues, members, splitThreshold, watched, rules }) => {
    const watches: WatchSpec[] = [
      { id: 'split', kind: 'bloc-split', bloc: 'bloc', threshold: splitThreshold, quorum: rules.splitQuorum },
      ...watched.map((w, index): WatchSpec => ({
        id: `against-${index}`,
        actor: w.actor,
        bloc: 'bloc',
        threshold: w.threshold,
        quorum: w.quorum,
        ...(w.retired && index > 0 ? { status: 'retired' as const } : {}),
        issues: w.everyIssue ? '*' : issues.slice(0, 1),
      })),
    ];
    return { registry: withRules(makeRegistry({ actors: ACTORS, issues, blocs: { bloc: members }, watches }), members, rules), issues };
  });

/** Dated members of the bloc and, maybe, the first issue closed at a minute. */
const withRules = (registry: Registry, members: readonly string[], rules: RegistryRules): Registry => {
  const bloc = registry.blocs.get('bloc')!;
  const dated = members.flatMap((actor, index) => {
    const tenure = rules.tenures[index];
    return tenure === undefined ? [] : [[actor, [tenure]] as const];
  });
  const blocs = new Map([['bloc', { ...bloc, ...(dated.length === 0 ? {} : { tenure: Object.fromEntries(dated) }) }]]);
  if (rules.closedAt === undefined) return { ...registry, blocs };
  const [first] = [...registry.issues.values()];
  const issues = new Map(registry.issues);
  if (first !== undefined) issues.set(first.id, { ...first, status: 'closed', updatedAt: at(rules.closedAt) });
  return { ...registry, blocs, issues };
};

/** Few distinct minutes, so equal said times (and the id tie-break) are common. */
export const statementsArb = (issues: string[], stances: fc.Arbitrary<Stance> = stanceArb): fc.Arbitrary<StatementRecord[]> =>
  fc
    .uniqueArray(
      fc.record({
        id: fc.string({ unit: fc.constantFrom(...'abcxyz019'), minLength: 1, maxLength: 3 }),
        actor: fc.constantFrom(...ACTORS),
        issue: fc.constantFrom(...issues),
        stance: stances,
        minute: fc.integer({ min: 0, max: 8 }),
      }),
      { selector: (s) => s.id, minLength: 1, maxLength: 30, size: 'max' },
    )
    .map((specs) => specs.map((s) => said({ id: s.id, actor: s.actor, issue: s.issue, stance: s.stance, at: s.minute })));

/** The same statements delivered in any order, some of them more than once. */
export const deliveryArb = (statements: StatementRecord[]): fc.Arbitrary<StatementRecord[]> =>
  fc
    .array(fc.nat({ max: Math.max(0, statements.length - 1) }), { maxLength: statements.length === 0 ? 0 : 12 })
    .chain((repeats) => {
      const copies = [...statements, ...repeats.map((i) => structuredClone(statements[i]!))];
      return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length });
    });

/**
 * A newsroom-like scenario for the replay's restatement path: blocs without dated members (the
 * path's precondition) and stances drawn mostly from one value, so most statements restate their
 * actor's position while episodes stay open, with an occasional flip that opens or closes one.
 */
export const restatingScenarioArb = registryArb
  .map(({ registry, issues }) => ({
    registry: { ...registry, blocs: new Map([...registry.blocs].map(([id, { tenure: _dated, ...bloc }]) => [id, bloc] as const)) },
    issues,
  }))
  .chain(({ registry, issues }) =>
    statementsArb(issues, fc.constantFrom<Stance>(1, 1, 1, 1, -2, 2)).chain((statements) =>
      deliveryArb(statements).map((delivered) => ({ registry, statements, delivered })),
    ),
  );

export const scenarioArb = registryArb.chain(({ registry, issues }) =>
  statementsArb(issues).chain((statements) =>
    deliveryArb(statements).map((delivered) => ({ registry, statements, delivered })),
  ),
);
