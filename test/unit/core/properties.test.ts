/**
 * Properties of the said-time timeline: positions, history, open divergences and episodes are a
 * function of the set of statements, whatever the delivery order and however many redeliveries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAll } from '../../../functions/core/divergence.ts';
import { OutOfOrderError } from '../../../functions/core/errors.ts';
import { compareSaid, positionAsOf } from '../../../functions/core/positions.ts';
import {
  diffReplay, emptyIssueState, openDivergences, replayAll, replayIssue, step, type IssueState,
} from '../../../functions/core/tracker.ts';
import type { Episode, Registry, StatementRecord, Transition } from '../../../functions/core/types.ts';
import { divergedNow } from './helpers.ts';
import { RUNS, scenarioArb } from './timeline-arbitraries.ts';

const inSaidOrder = (statements: readonly StatementRecord[]): StatementRecord[] => [...statements].sort(compareSaid);

const alertIds = (transitions: readonly Transition[]): string[] =>
  transitions.flatMap((t) => (t.type === 'evidence' ? [] : [t.alertId]));

describe('the said-time timeline', () => {
  it('gives the same positions, history, open divergences and episodes for any delivery order and duplicates', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, statements, delivered }) => {
        // Act
        const reference = replayAll(inSaidOrder(statements), registry);
        const replayed = replayAll(delivered, registry);

        // Assess
        expect([...replayed.keys()]).toEqual([...reference.keys()]);
        for (const [issue, expected] of reference) {
          const actual = replayed.get(issue)!;
          expect(actual.state.positions).toEqual(expected.state.positions);
          expect(actual.history).toEqual(expected.history);
          expect(openDivergences(actual)).toEqual(openDivergences(expected));
          expect(actual.episodes).toEqual(expected.episodes);
          expect(actual).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  it('equals the replay when statements are stepped one by one in said order', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, statements }) => {
        for (const [issue, replay] of replayAll(statements, registry)) {
          // Prepare
          const ofIssue = inSaidOrder(statements.filter((s) => s.issue === issue));

          // Act
          let state: IssueState = emptyIssueState(issue);
          const transitions: Transition[] = [];
          for (const statement of ofIssue) {
            const result = step(state, statement, registry);
            state = result.state;
            transitions.push(...result.transitions);
          }

          // Assess
          expect(state).toEqual(replay.state);
          expect(transitions).toEqual(replay.transitions);
        }
      }),
      RUNS,
    );
  });

  it('reaches the replayed state, missing no alert, when a processor steps in delivery order and replays only late statements', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, statements, delivered }) => {
        // Prepare
        const states = new Map<string, IssueState>();
        const stored = new Map<string, StatementRecord[]>();
        const episodes = new Map<string, Episode[]>();
        const published = new Set<string>();

        // Act
        for (const statement of delivered) {
          const { issue } = statement;
          const history = stored.get(issue) ?? [];
          try {
            const result = step(states.get(issue) ?? emptyIssueState(issue), statement, registry);
            states.set(issue, result.state);
            alertIds(result.transitions).forEach((id) => published.add(id));
            const updated = new Map((episodes.get(issue) ?? []).map((e) => [e.episodeId, e] as const));
            result.transitions.forEach((t) => updated.set(t.episode.episodeId, t.episode));
            episodes.set(issue, [...updated.values()]);
          } catch (error) {
            if (!(error instanceof OutOfOrderError)) throw error;
            const replay = replayIssue(issue, [...history, statement], registry);
            alertIds(diffReplay(episodes.get(issue) ?? [], replay).alerts).forEach((id) => published.add(id));
            states.set(issue, replay.state);
            episodes.set(issue, replay.episodes);
          }
          if (!history.some((h) => h.statementId === statement.statementId)) stored.set(issue, [...history, statement]);
        }

        // Assess
        const reference = replayAll(statements, registry);
        expect(new Map([...states].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(
          new Map([...reference].map(([issue, replay]) => [issue, replay.state])),
        );
        for (const [issue, replay] of reference) {
          expect(episodes.get(issue)).toEqual(replay.episodes);
          for (const id of alertIds(replay.transitions)) expect(published).toContain(id);
        }
      }),
      RUNS,
    );
  });

  it('finds, by diffing a replay, the same alerts as stepping the next statement in said order', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, statements }) => {
        for (const [issue, replay] of replayAll(statements, registry)) {
          // Prepare
          const last = replay.history.at(-1)!;
          const before = replayIssue(issue, replay.history.slice(0, -1), registry);

          // Act
          const { alerts, retracted, reopened } = diffReplay(before.episodes, replay);
          const stepped = step(before.state, last, registry).transitions;

          // Assess
          expect(alerts).toEqual(stepped.filter((t) => t.type !== 'evidence'));
          expect(retracted).toEqual([]);
          expect(reopened).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('keeps open what is diverged now and what cannot be measured now, one episode open at a time', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, delivered }) => {
        for (const [issue, replay] of replayAll(delivered, registry)) {
          // Act
          const measurable = new Set(evaluateAll(issue, replay.state.positions, registry).map((d) => d.divergenceId));
          const diverged = divergedNow(issue, replay.state.positions, registry).map((d) => d.divergenceId);
          const open = openDivergences(replay).map((e) => e.divergenceId).sort();

          // Assess: an unknown gap (a bloc below its quorum, a closed issue) is no proof of convergence.
          expect(open.filter((id) => measurable.has(id))).toEqual(diverged);
          expect(diverged.every((id) => open.includes(id))).toBe(true);
          for (const divergence of new Set(replay.episodes.map((e) => e.divergenceId))) {
            const episodes = replay.episodes.filter((e) => e.divergenceId === divergence);
            expect(episodes.slice(0, -1).every((e) => e.status === 'closed')).toBe(true);
            for (const episode of episodes) {
              if (episode.closedAt !== undefined) expect(episode.closedAt >= episode.openedAt).toBe(true);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('leaves a closed issue with the divergences it had when it closed, whatever was said after', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, delivered }) => {
        for (const [issue, replay] of replayAll(delivered, registry)) {
          const found = registry.issues.get(issue);
          if (found?.status !== 'closed') continue;
          // Prepare
          const reopened: Registry = { ...registry, issues: new Map(registry.issues).set(issue, { ...found, status: 'open' }) };
          const untilClosing = delivered.filter((s) => s.issue === issue && s.saidAt <= found.updatedAt);

          // Act
          const atClosing = replayIssue(issue, untilClosing, reopened);

          // Assess
          expect(openDivergences(replay)).toEqual(openDivergences(atClosing));
          expect(replay.episodes).toEqual(atClosing.episodes);
        }
      }),
      RUNS,
    );
  });

  it('makes each position the latest statement said, the same as an as-of query at the end of time', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, delivered }) => {
        for (const [issue, replay] of replayAll(delivered, registry)) {
          for (const [actor, position] of replay.state.positions) {
            // Act
            const asOf = positionAsOf(replay.history, actor, issue, '9999-12-31T23:59:59.999Z');
            const said = replay.history.filter((s) => s.actor === actor);

            // Assess
            expect(asOf).toEqual({ stance: position.stance, hedged: position.hedged, statementId: position.statementId, saidAt: position.saidAt });
            expect(position.previous?.statementId).toBe(said.at(-2)?.statementId);
          }
        }
      }),
      RUNS,
    );
  });

  it('derives the same alert ids on every run, each id naming one alert', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, statements, delivered }) => {
        // Act
        const first = [...replayAll(statements, registry).values()].flatMap((r) => alertIds(r.transitions));
        const second = [...replayAll(delivered, registry).values()].flatMap((r) => alertIds(r.transitions));

        // Assess
        expect(second).toEqual(first);
        expect(new Set(first).size).toBe(first.length);
      }),
      RUNS,
    );
  });
});
