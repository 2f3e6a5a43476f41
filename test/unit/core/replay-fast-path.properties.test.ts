/**
 * The replay's fast path against the straightforward one: `replayIssue` moves one state in place and
 * measures each bloc once per step, listing a pair's other side only when an episode opens on it.
 * Here the timeline is folded the plain way (fresh maps at every statement, every member measured
 * against the rest of its bloc with its own evidence list, as a watch reads) and both must give the
 * same positions, episodes, transitions (evidence and ids included) and position changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blocStance, hasQuorum, membersAt } from '../../../functions/core/blocs.ts';
import { REVERSAL_THRESHOLD, closedBefore, evaluateAll, reconcile, type DivergenceEvaluation } from '../../../functions/core/divergence.ts';
import { divergenceId } from '../../../functions/core/ids.ts';
import { applyToPosition, compareSaid, positionChangeOf } from '../../../functions/core/positions.ts';
import { watchesFor } from '../../../functions/core/registry.ts';
import { replayIssue } from '../../../functions/core/tracker.ts';
import type { ActorId, Bloc, Episode, IssueId, Position, PositionChange, Registry, StatementRecord, Transition } from '../../../functions/core/types.ts';
import { changesNoDivergence } from '../../../functions/core/restatement.ts';
import { RUNS, restatingScenarioArb, scenarioArb } from './timeline-arbitraries.ts';

const saidIds = (positions: readonly Position[]): string[] => [...positions].sort(compareSaid).map((p) => p.statementId);

/** One pair, the actor against the rest of the bloc, measured from scratch. */
const againstRest = (
  kind: 'actor-vs-bloc' | 'bloc-split', issue: IssueId, actor: Position, bloc: Bloc, threshold: number, quorum: number,
  positions: ReadonlyMap<ActorId, Position>, at: string | undefined,
): DivergenceEvaluation | undefined => {
  const others = blocStance(bloc, positions, actor.actor, at);
  if (others.stance === null || !hasQuorum(others.members.length, quorum)) return undefined;
  return {
    divergenceId: divergenceId(kind, issue, actor.actor, bloc.id), kind, issue, actor: actor.actor, bloc: bloc.id, threshold,
    actorStance: actor.stance, otherStance: others.stance, gap: Math.abs(actor.stance - others.stance),
    actorEvidence: [actor.statementId], otherEvidence: saidIds(others.members),
  };
};

const plainEvaluateAll = (issue: IssueId, positions: ReadonlyMap<ActorId, Position>, registry: Registry, at: string | undefined): DivergenceEvaluation[] => {
  if (closedBefore(registry, issue, at)) return [];
  const byId = new Map<string, DivergenceEvaluation>();
  const keep = (e: DivergenceEvaluation | undefined) => {
    if (e !== undefined && (byId.get(e.divergenceId)?.threshold ?? Infinity) > e.threshold) byId.set(e.divergenceId, e);
  };
  for (const watch of watchesFor(registry, issue)) {
    const bloc = registry.blocs.get(watch.bloc);
    if (bloc === undefined) continue;
    if (watch.kind === 'actor-vs-bloc') {
      const actor = watch.actor === undefined ? undefined : positions.get(watch.actor);
      if (actor !== undefined) keep(againstRest('actor-vs-bloc', issue, actor, bloc, watch.threshold, watch.quorum, positions, at));
      continue;
    }
    const speaking = membersAt(bloc, at).flatMap((member) => positions.get(member) ?? []);
    if (speaking.length === 0 || !hasQuorum(speaking.length, watch.quorum)) continue;
    for (const member of speaking) keep(againstRest('bloc-split', issue, member, bloc, watch.threshold, 0, positions, at));
  }
  for (const position of positions.values()) {
    if (position.previous === undefined) continue;
    keep({
      divergenceId: divergenceId('reversal', issue, position.actor, null), kind: 'reversal', issue, actor: position.actor, bloc: null,
      threshold: REVERSAL_THRESHOLD, actorStance: position.stance, otherStance: position.previous.stance,
      gap: Math.abs(position.stance - position.previous.stance), actorEvidence: [position.statementId], otherEvidence: [position.previous.statementId],
    });
  }
  return [...byId.values()].sort((a, b) => (a.divergenceId < b.divergenceId ? -1 : a.divergenceId > b.divergenceId ? 1 : 0));
};

/** The fold in said order with fresh maps at every statement: what `replayIssue` must equal. */
const plainReplay = (issue: IssueId, statements: readonly StatementRecord[], registry: Registry) => {
  const history = [...new Map(statements.map((s) => [s.statementId, s] as const)).values()].sort(compareSaid);
  let positions = new Map<ActorId, Position>();
  let open = new Map<string, Episode>();
  const episodes = new Map<string, Episode>();
  const transitions: Transition[] = [];
  const positionChanges: PositionChange[] = [];
  for (const statement of history) {
    const before = positions.get(statement.actor);
    const { position } = applyToPosition(before, statement);
    positions = new Map(positions).set(statement.actor, position!);
    const now = reconcile({ open, evaluations: plainEvaluateAll(issue, positions, registry, statement.saidAt), cause: statement });
    open = new Map(open);
    for (const transition of now) {
      if (transition.type === 'closed') open.delete(transition.episode.divergenceId);
      else open.set(transition.episode.divergenceId, transition.episode);
      episodes.set(transition.episode.episodeId, transition.episode);
    }
    transitions.push(...now);
    positionChanges.push(positionChangeOf(statement, before));
  }
  return { positions, open, episodes: [...episodes.values()], transitions, positionChanges, history };
};

describe('the replay fast path', () => {
  it('gives what the plain fold gives: positions, episodes, every transition with its evidence, and position changes', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry, statements, delivered }) => {
        for (const issue of new Set(statements.map((s) => s.issue))) {
          // Act
          const fast = replayIssue(issue, delivered.filter((s) => s.issue === issue), registry);
          const plain = plainReplay(issue, statements.filter((s) => s.issue === issue), registry);

          // Assess
          expect(fast.history).toEqual(plain.history);
          expect(fast.state.positions).toEqual(plain.positions);
          expect(fast.state.open).toEqual(plain.open);
          expect(fast.transitions).toEqual(plain.transitions);
          expect(fast.episodes).toEqual(plain.episodes);
          expect(fast.positionChanges).toEqual(plain.positionChanges);
        }
      }),
      RUNS,
    );
  });

  it('gives what the plain fold gives when most statements restate a position while episodes are open', () => {
    let restatementsWhileOpen = 0;
    fc.assert(
      fc.property(restatingScenarioArb, ({ registry, statements, delivered }) => {
        for (const issue of new Set(statements.map((s) => s.issue))) {
          // Act
          const fast = replayIssue(issue, delivered.filter((s) => s.issue === issue), registry);
          const plain = plainReplay(issue, statements.filter((s) => s.issue === issue), registry);

          // Assess
          expect(fast.state.positions).toEqual(plain.positions);
          expect(fast.state.open).toEqual(plain.open);
          expect(fast.transitions).toEqual(plain.transitions);
          expect(fast.episodes).toEqual(plain.episodes);
          expect(fast.positionChanges).toEqual(plain.positionChanges);
          restatementsWhileOpen += countRestatementsWhileOpen(plain.history, plain.transitions, registry);
        }
      }),
      RUNS,
    );
    // The scenario does reach the restatement path, and often with an episode open to take evidence.
    expect(restatementsWhileOpen).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('measures every pair as the plain evaluation does, at any said time, evidence lists included', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ registry, statements }, pick) => {
        for (const issue of new Set(statements.map((s) => s.issue))) {
          // Prepare
          const { positions } = plainReplay(issue, statements.filter((s) => s.issue === issue), registry);
          const at = statements[pick % statements.length]!.saidAt;

          // Act
          const fast = evaluateAll(issue, positions, registry, at);

          // Assess
          expect(fast).toEqual(plainEvaluateAll(issue, positions, registry, at));
        }
      }),
      RUNS,
    );
  });
});

/** Statements of a said-order history that restate their actor's position (`changesNoDivergence`) and become evidence of an open episode. */
const countRestatementsWhileOpen = (history: readonly StatementRecord[], transitions: readonly Transition[], registry: Registry): number => {
  const evidence = new Set(transitions.filter((t) => t.type === 'evidence').map((t) => t.statementId));
  let positions = new Map<ActorId, Position>();
  let count = 0;
  for (const statement of history) {
    const before = positions.get(statement.actor);
    if (changesNoDivergence(statement, before, registry) && evidence.has(statement.statementId)) count += 1;
    positions = new Map(positions).set(statement.actor, applyToPosition(before, statement).position!);
  }
  return count;
};
