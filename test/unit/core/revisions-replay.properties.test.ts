/**
 * The record a set of statements and revisions leaves, whatever the delivery order and copies:
 * what the processor keeps is each statement once and each revision once (its claims), and what it
 * derives is each statement's effective form (core/corrections.ts) and the replay of the standing
 * ones (core/tracker.ts). The oracle is the statements as they would have been recorded correctly:
 * each correction's fields set by hand, latest correctedAt last, the retracted ones left out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Revision } from '../../../functions/core/corrections.ts';
import { replayIssue } from '../../../functions/core/tracker.ts';
import type { Registry, StatementRecord } from '../../../functions/core/types.ts';
import { at } from './helpers.ts';
import { byTimeThenId, deriveRecord, recordScenarioArb, registryUpdates, type Delivery, type DerivedRecord } from './record-arbitraries.ts';
import { RUNS, registryArb, stanceArb, statementsArb } from './timeline-arbitraries.ts';

/** Revisions that do not move a statement (stance, hedge, quote), and retractions, of some of the statements. */
const revisionsArb = (statements: readonly StatementRecord[]): fc.Arbitrary<Revision[]> =>
  fc.array(
    fc.record({
      target: fc.nat({ max: statements.length - 1 }),
      retract: fc.boolean(),
      stance: stanceArb,
      hedged: fc.option(fc.boolean(), { nil: undefined }),
      minute: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 6 },
  ).map((specs) => specs.map(({ target, retract, stance, hedged, minute }, index): Revision => {
    const statementId = statements[target]!.statementId;
    const common = { statementId, reason: `revision ${index}`, recordedBy: 'desk' };
    return retract
      ? { kind: 'retraction', retractionId: `r${index}`, retractedAt: at(100 + minute), redact: index % 2 === 0, ...common }
      : { kind: 'correction', correctionId: `c${index}`, correctedAt: at(100 + minute), changes: { stance, ...(hedged === undefined ? {} : { hedged }) }, ...common };
  }));


/** The statements as they would have been recorded correctly, built without core/corrections.ts. */
const recordedCorrectly = (statements: readonly StatementRecord[], revisions: readonly Revision[]): StatementRecord[] =>
  statements.flatMap((statement) => {
    const own = revisions.filter((r) => r.statementId === statement.statementId).sort(byTimeThenId);
    const firstRetraction = own.findIndex((r) => r.kind === 'retraction');
    if (firstRetraction >= 0) return [];
    return [own.reduce<StatementRecord>((record, r) => (r.kind === 'correction' ? { ...record, ...r.changes } : record), statement)];
  });

/** What the processor keeps of the deliveries (each id once), and what it derives from that, under one registry. */
const derive = (deliveries: readonly Delivery[], registry: Registry, issues: readonly string[]) => {
  const { trails, replays } = deriveRecord(
    [...registryUpdates(registry).map((update): Delivery => ({ kind: 'registry', update })), ...deliveries], issues,
  );
  return { trails, issues: issues.map((issue) => summary(replays.get(issue)!)) };
};

const summary = (replay: ReturnType<typeof replayIssue>) => ({
  positions: [...replay.state.positions.values()].sort((a, b) => (a.actor < b.actor ? -1 : 1)),
  open: [...replay.state.open.keys()].sort(),
  episodes: replay.episodes,
});

const scenarioArb = registryArb.chain(({ registry, issues }) =>
  statementsArb(issues).chain((statements) =>
    revisionsArb(statements).chain((revisions) => {
      const once: Delivery[] = [
        ...statements.map((statement): Delivery => ({ kind: 'statement', statement })),
        ...[...revisions].sort(byTimeThenId).map((revision): Delivery => ({ kind: 'revision', revision })),
      ];
      return fc.array(fc.nat({ max: once.length - 1 }), { maxLength: 12 }).chain((repeats) => {
        const copies = [...once, ...repeats.map((i) => structuredClone(once[i]!))];
        return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length })
          .map((delivered) => ({ registry, issues, statements, revisions, once, delivered }));
      });
    }),
  ),
);

describe('statements, corrections and retractions in any order, with copies', () => {
  it('leave the positions, open divergences, episodes and trails of the in-order once-each sequence', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, issues, once, delivered }) => {
        expect(derive(delivered, registry, issues)).toEqual(derive(once, registry, issues));
      }),
      RUNS,
    );
  });

  it('leave what the statements recorded correctly (or never) would have left', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, issues, statements, revisions, delivered }) => {
        const correct = recordedCorrectly(statements, revisions);
        const expected = issues.map((issue) => summary(replayIssue(issue, correct.filter((s) => s.issue === issue), registry)));
        expect(derive(delivered, registry, issues).issues).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('statements, corrections that move them, retractions and registry changes in any order, with copies', () => {
  const summarise = ({ trails, replays }: DerivedRecord) => ({ trails, issues: [...replays].map(([issue, replay]) => [issue, summary(replay)]) });

  it('leave the positions, history with its trails, open divergences and episodes of the in-order once-each sequence', () => {
    fc.assert(
      fc.property(recordScenarioArb, ({ issues, once, delivered }) => {
        expect(summarise(deriveRecord(delivered, issues))).toEqual(summarise(deriveRecord(once, issues)));
      }),
      RUNS,
    );
  });

  it('leave what the statements recorded correctly (or never), under the registry as it stands last, would have left', () => {
    fc.assert(
      fc.property(recordScenarioArb, ({ issues, statements, revisions, delivered }) => {
        const derived = deriveRecord(delivered, issues);
        const correct = recordedCorrectly(statements, revisions);
        for (const issue of issues) {
          expect(summary(derived.replays.get(issue)!), issue).toEqual(summary(replayIssue(issue, correct.filter((s) => s.issue === issue), derived.registry)));
        }
      }),
      RUNS,
    );
  });
});
