/**
 * The in-order path: the core's incremental `reconcile` on the positions of one Query, its
 * transitions written directly. Three round trips in all when nothing transitions.
 */
import { hasDatedMembership } from '../../core/blocs.ts';
import { evaluateAll, reconcile } from '../../core/divergence.ts';
import { compareSaid } from '../../core/positions.ts';
import { isStatusTransition, type StatusTransition } from '../../core/tracker.ts';
import { episodeOfPointer, refsOfPositions } from '../episode-plan.ts';
import type { StoredIssueState } from '../ports.ts';
import { evidenceIdsOf } from './alert-records.ts';
import { commitClosing, sharedHistoryWindows } from './commit-closing.ts';
import { commitOpening } from './commit-opening.ts';
import { statementsFor, type RecordContext, type RoundResult } from './context.ts';

/** The openings and closings the snapshot's positions call for, with this statement as their cause. */
export const pendingTransitions = ({ registry, statement }: Pick<RecordContext, 'registry' | 'statement'>, snapshot: StoredIssueState): StatusTransition[] => {
  const open = new Map([...snapshot.open].map(([id, pointer]) => [id, episodeOfPointer(pointer)] as const));
  const evaluations = evaluateAll(statement.issue, snapshot.positions, registry, statement.saidAt);
  return reconcile({ open, evaluations, cause: statement }).filter(isStatusTransition);
};

/**
 * A closing against a bloc whose membership has dates: the bloc may have fallen below its quorum
 * for a while during the episode, when the replay added no evidence, which the incremental
 * evidence (every statement said since the opening) cannot tell; the replay can.
 */
const againstDatedBloc = ({ registry }: Pick<RecordContext, 'registry'>, transition: StatusTransition): boolean => {
  const bloc = transition.episode.bloc === null ? undefined : registry.blocs.get(transition.episode.bloc);
  return bloc !== undefined && hasDatedMembership(bloc);
};

/** Writes the transitions; `false` as soon as a condition shows another writer got there first. */
export const commitTransitions = async (
  ctx: RecordContext,
  transitions: readonly StatusTransition[],
  snapshot: StoredIssueState,
): Promise<boolean> => {
  const positionRefs = refsOfPositions(snapshot.positions.values());
  const known = new Map([[ctx.statement.statementId, ctx.statement]]);
  // The statements behind every opening, read in one batch: an opening's evidence is the
  // positions it was measured on, all known now (a read that a lost race wastes, nothing more).
  const openings = transitions.filter((t) => t.type === 'opened');
  // Every alert's outbox entry names only its id, known now: written side by side with the reads
  // the alerts need (the openings' statements, each closing's episode and history), and each alert
  // recorded only once its entry is in (AlertLedger.record waits for it).
  const entries = Promise.all(transitions.map((t) => ctx.ledger.queue(t.alertId)));
  const windows = sharedHistoryWindows(ctx, transitions.filter((t) => t.type === 'closed'), snapshot);
  const commits = (async () => {
    const forOpenings = openings.length === 0
      ? known
      : await statementsFor(ctx.tracker, openings.flatMap((t) => evidenceIdsOf(t.episode)), positionRefs, known);
    // Transitions of different divergences touch disjoint items, so they commit side by side;
    // each keeps its own order (outbox entry, then the alert, then the pointer that commits it).
    return Promise.all(transitions.map((transition) =>
      transition.type === 'opened'
        ? commitOpening(ctx, transition, positionRefs, forOpenings)
        : commitClosing(ctx, transition, snapshot, known, windows),
    ));
  })();
  const [committed] = await Promise.all([commits, entries]);
  return committed.every(Boolean);
};

/**
 * One round of the in-order path. Only the first round may write: a statement that is not the
 * issue's latest, or transitions left after our own writes, mean another writer is at work, and
 * only the replay knows the causes then. So do leftovers in the outbox after the writes.
 */
export const incrementalRound = async (ctx: RecordContext, snapshot: StoredIssueState, round: number): Promise<RoundResult> => {
  const transitions = pendingTransitions(ctx, snapshot);
  if (transitions.length === 0) return { snapshot, next: 'settled' };
  const atWatermark = snapshot.watermark !== undefined && compareSaid(ctx.statement, snapshot.watermark) === 0;
  if (!atWatermark || round > 1 || transitions.some((t) => t.type === 'closed' && againstDatedBloc(ctx, t))) return { snapshot, next: 'replay' };
  const committed = await commitTransitions(ctx, transitions, snapshot);
  const after = await ctx.tracker.loadIssueState(ctx.statement.issue);
  return { snapshot: after, next: !committed || ctx.ledger.hasForeignOutbox(after.outbox) ? 'replay' : 'incremental' };
};
