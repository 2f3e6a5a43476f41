/**
 * Whole records for property tests: statements, corrections (moving ones included: another actor,
 * issue or said time), retractions and registry changes (a bloc's dated membership, a watch added,
 * retired or given another quorum, an issue closed), each delivered in any order, some more than
 * once. `deriveRecord` is what the processor keeps of a delivery sequence (each statement, revision
 * and registry version once, the latest registry version of each id standing) and what it derives
 * from that: each statement's effective form, and the replay of the standing ones on each issue.
 */
import fc from 'fast-check';
import { effectiveStatement, revisionIdOf, type Correction, type Retraction, type Revision } from '../../../functions/core/corrections.ts';
import { buildRegistry, type RegistryUpdate } from '../../../functions/core/registry.ts';
import { replayIssue, type IssueReplay } from '../../../functions/core/tracker.ts';
import type { Registry, StatementRecord } from '../../../functions/core/types.ts';
import { at } from './helpers.ts';
import { registryArb, stanceArb, statementsArb } from './timeline-arbitraries.ts';

export type Delivery =
  | { kind: 'statement'; statement: StatementRecord }
  | { kind: 'revision'; revision: Revision }
  | { kind: 'registry'; update: RegistryUpdate };

const COLLECTIONS = { actors: 'actor', speakers: 'speaker', issues: 'issue', blocs: 'bloc', watches: 'watch' } as const;

/** The registry as the updates that register it. */
export const registryUpdates = (registry: Registry): RegistryUpdate[] =>
  (Object.keys(COLLECTIONS) as Array<keyof typeof COLLECTIONS>).flatMap((collection) =>
    [...registry[collection].values()].map((record) => ({ type: COLLECTIONS[collection], record }) as RegistryUpdate),
  );

/** Later versions of some registry records: what changes while statements arrive. */
const registryChangesArb = (registry: Registry): fc.Arbitrary<RegistryUpdate[]> => {
  const later = (minute: number) => at(1_000 + minute);
  const bloc = registry.blocs.get('bloc')!;
  const watches = [...registry.watches.values()];
  const issues = [...registry.issues.values()];
  const change = fc.oneof(
    fc.record({ minute: fc.nat(5), keep: fc.subarray(bloc.members, { minLength: 1 }) }).map(({ minute, keep }): RegistryUpdate => {
      const tenure = bloc.tenure === undefined ? undefined : Object.fromEntries(Object.entries(bloc.tenure).filter(([actor]) => keep.includes(actor)));
      return { type: 'bloc', record: { ...bloc, members: [...keep].sort(), ...(tenure === undefined ? {} : { tenure }), updatedAt: later(minute) } };
    }),
    fc.record({ minute: fc.nat(5), watch: fc.constantFrom(...watches), quorum: fc.integer({ min: 1, max: 4 }), retire: fc.boolean() }).map(
      ({ minute, watch, quorum, retire }): RegistryUpdate => ({
        type: 'watch', record: { ...watch, quorum, status: retire ? 'retired' : 'active', updatedAt: later(minute) },
      }),
    ),
    fc.record({ minute: fc.nat(5), issue: fc.constantFrom(...issues), closed: fc.boolean() }).map(({ minute, issue, closed }): RegistryUpdate => ({
      type: 'issue', record: { ...issue, status: closed ? 'closed' : 'open', updatedAt: later(minute) },
    })),
    fc.record({ minute: fc.nat(5), actor: fc.constantFrom(...registry.actors.keys()), threshold: fc.integer({ min: 1, max: 3 }) }).map(
      ({ minute, actor, threshold }): RegistryUpdate => ({
        type: 'watch', record: { id: 'added', kind: 'actor-vs-bloc', actor, bloc: 'bloc', issues: '*', threshold, quorum: 1, status: 'active', updatedAt: later(minute) },
      }),
    ),
  );
  return fc.array(change, { maxLength: 4 });
};

/** Corrections of any correctable field that moves or re-dates a statement or its stance, and retractions, of some of the statements. */
const revisionsArb = (statements: readonly StatementRecord[], registry: Registry, issues: readonly string[]): fc.Arbitrary<Revision[]> =>
  fc.array(
    fc.record({
      target: fc.nat({ max: statements.length - 1 }),
      retract: fc.boolean(),
      redact: fc.boolean(),
      changes: fc.record(
        {
          stance: stanceArb,
          hedged: fc.boolean(),
          actor: fc.constantFrom(...registry.actors.keys()),
          issue: fc.constantFrom(...issues),
          saidAt: fc.integer({ min: 0, max: 8 }).map(at),
        },
        { requiredKeys: [] },
      ).filter((changes) => Object.keys(changes).length > 0),
      minute: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 6 },
  ).map((specs) => specs.map(({ target, retract, redact, changes, minute }, index): Revision => {
    const common = { statementId: statements[target]!.statementId, reason: `revision ${index}`, recordedBy: 'desk' };
    return retract
      ? { kind: 'retraction', retractionId: `r${index}`, retractedAt: at(100 + minute), redact, ...common }
      : { kind: 'correction', correctionId: `c${index}`, correctedAt: at(100 + minute), changes, ...common };
  }));

const revisionTime = (r: Revision): string => (r.kind === 'correction' ? r.correctedAt : r.retractedAt);
export const byTimeThenId = (a: Revision, b: Revision): number =>
  revisionTime(a) < revisionTime(b) ? -1 : revisionTime(a) > revisionTime(b) ? 1 : revisionIdOf(a) < revisionIdOf(b) ? -1 : 1;

export interface RecordScenario {
  issues: string[];
  statements: StatementRecord[];
  revisions: Revision[];
  registry: RegistryUpdate[];
  /** Registry first, then the statements in said order, then the revisions in the order they apply: each once. */
  once: Delivery[];
  /** The same deliveries in any order, some of them more than once. */
  delivered: Delivery[];
}

export const recordScenarioArb: fc.Arbitrary<RecordScenario> = registryArb.chain(({ registry, issues }) =>
  fc.tuple(statementsArb(issues), registryChangesArb(registry)).chain(([statements, changes]) =>
    revisionsArb(statements, registry, issues).chain((revisions) => {
      const updates = [...registryUpdates(registry), ...changes];
      const once: Delivery[] = [
        ...updates.map((update): Delivery => ({ kind: 'registry', update })),
        ...[...statements].sort((a, b) => (a.saidAt < b.saidAt ? -1 : a.saidAt > b.saidAt ? 1 : a.statementId < b.statementId ? -1 : 1))
          .map((statement): Delivery => ({ kind: 'statement', statement })),
        ...[...revisions].sort(byTimeThenId).map((revision): Delivery => ({ kind: 'revision', revision })),
      ];
      return fc.array(fc.nat({ max: once.length - 1 }), { maxLength: 12 }).chain((repeats) => {
        const copies = [...once, ...repeats.map((i) => structuredClone(once[i]!))];
        return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length })
          .map((delivered) => ({ issues, statements, revisions, registry: updates, once, delivered }));
      });
    }),
  ),
);

export interface DerivedRecord {
  registry: Registry;
  /** Each statement as it now reads, with its status and trail, by id. */
  trails: Record<string, { status: string; trail: unknown; record: StatementRecord }>;
  /** Per issue, the replay of the statements standing on it. */
  replays: Map<string, IssueReplay>;
}

/** What the processor keeps of the deliveries (each id once, the latest registry version), and what it derives from that. */
export const deriveRecord = (deliveries: readonly Delivery[], issues: readonly string[]): DerivedRecord => {
  const statements = new Map<string, StatementRecord>();
  const revisions = new Map<string, Revision>();
  const updates: RegistryUpdate[] = [];
  for (const delivery of deliveries) {
    if (delivery.kind === 'statement') statements.set(delivery.statement.statementId, delivery.statement);
    else if (delivery.kind === 'revision') revisions.set(revisionIdOf(delivery.revision), delivery.revision);
    else updates.push(delivery.update);
  }
  const registry = buildRegistry(updates);
  const effective = [...statements.values()].map((statement) => {
    const own = [...revisions.values()].filter((r) => r.statementId === statement.statementId);
    return effectiveStatement(
      statement,
      own.filter((r): r is Correction => r.kind === 'correction'),
      own.filter((r): r is Retraction => r.kind === 'retraction'),
    );
  });
  const standing = effective.filter((e) => e.status === 'standing').map((e) => e.record);
  return {
    registry,
    trails: Object.fromEntries(effective.map((e) => [e.record.statementId, { status: e.status, trail: e.trail, record: e.record }])),
    replays: new Map(issues.map((issue) => [issue, replayIssue(issue, standing.filter((s) => s.issue === issue), registry)])),
  };
};
