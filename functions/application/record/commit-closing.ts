/**
 * The incremental path's write of a closing: the episode as it closed (its evidence completed from
 * history) and its alert, then the removal of the open pointer, which is what commits the transition.
 */
import type { StatusTransition } from '../../core/tracker.ts';
import { compareSaid } from '../../core/positions.ts';
import type { ActorId, Episode, Registry, StatementRecord } from '../../core/types.ts';
import { evidenceAtClose, otherSideActors, storedEpisode } from '../episode-plan.ts';
import type { StoredIssueState, OpenPointer, StatementRef, StoredEpisode } from '../ports.ts';
import { convergedAlert, evidenceIdsOf } from './alert-records.ts';
import { statementsFor, type RecordContext } from './context.ts';

/** Only actors whose latest statement is after the opening can have said anything since. */
const speakersSince = (pointer: OpenPointer, snapshot: StoredIssueState, registry: Registry): ActorId[] => {
  const after = { saidAt: pointer.openedAt, statementId: pointer.openedBy };
  return [pointer.actor, ...otherSideActors(pointer, registry)].filter((actor) => {
    const position = snapshot.positions.get(actor);
    return position !== undefined && compareSaid(position, after) > 0;
  });
};

/**
 * The opened episode and the history said since its opening, read side by side (the windows depend
 * on the pointer only). `undefined` unless the episode is still open, or closed by this very
 * statement (an earlier attempt crashed after the episode write, before the alert).
 */
const loadResumable = async (
  { tracker, registry, statement }: RecordContext,
  pointer: OpenPointer,
  snapshot: StoredIssueState,
): Promise<{ opened: StoredEpisode; window: StatementRef[] } | undefined> => {
  const after = { saidAt: pointer.openedAt, statementId: pointer.openedBy };
  const [opened, windows] = await Promise.all([
    tracker.loadEpisode(statement.issue, pointer),
    Promise.all(speakersSince(pointer, snapshot, registry).map((actor) => tracker.loadHistoryWindow(statement.issue, actor, after, statement))),
  ]);
  const resumable = opened?.status === 'open' || (opened?.status === 'closed' && opened.episode.closedBy === statement.statementId);
  return opened === undefined || !resumable ? undefined : { opened, window: windows.flat() };
};

/**
 * `known` holds statements already in hand (the one being recorded). `false` as soon as a condition
 * shows another writer got there first: the pointer is gone or moved, or the episode was revised.
 */
export const commitClosing = async (
  ctx: RecordContext,
  transition: Extract<StatusTransition, { type: 'closed' }>,
  snapshot: StoredIssueState,
  known: ReadonlyMap<string, StatementRecord>,
): Promise<boolean> => {
  const { tracker, clock, registry, ledger, statement } = ctx;
  const pointer = snapshot.open.get(transition.episode.divergenceId);
  if (pointer === undefined) return false;
  const found = await loadResumable(ctx, pointer, snapshot);
  if (found === undefined) return false;
  const evidence = evidenceAtClose(found.opened, found.window, registry);
  const closed: Episode = { ...transition.episode, evidence: evidence.ids };
  // The alert (read, then recorded) and the closed episode are written side by side: both were
  // always attempted, and neither commits the transition; the pointer, removed only after both,
  // does. A crash after the episode but before the alert is the resumable case above.
  const [, replaced] = await Promise.all([
    (async () => {
      const statements = await statementsFor(tracker, evidenceIdsOf(closed), evidence.refs, known);
      await ledger.record(convergedAlert(closed, 'closed', { alertId: transition.alertId, statements, recordedAt: clock.now() }));
    })(),
    tracker.replaceEpisode(storedEpisode(closed, evidence.refs, found.opened.revision), found.opened.revision),
  ]);
  if (!replaced) return false;
  return tracker.closePointer(statement.issue, pointer.divergenceId, pointer.episodeId);
};
