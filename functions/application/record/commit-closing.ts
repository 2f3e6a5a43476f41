/**
 * The incremental path's write of a closing: the episode as it closed (its evidence completed from
 * history) and its alert, then the removal of the open pointer, which is what commits the transition.
 */
import type { StatusTransition } from '../../core/tracker.ts';
import { compareSaid, type SaidKey } from '../../core/positions.ts';
import type { ActorId, Episode, Registry, StatementRecord } from '../../core/types.ts';
import { evidenceAtClose, otherSideActors, storedEpisode } from '../episode-plan.ts';
import type { StoredIssueState, OpenPointer, StatementRef, StoredEpisode } from '../ports.ts';
import { convergedAlert, evidenceIdsOf } from './alert-records.ts';
import { statementsFor, type RecordContext } from './context.ts';

type Closing = Extract<StatusTransition, { type: 'closed' }>;

const openingOf = (pointer: OpenPointer): SaidKey => ({ saidAt: pointer.openedAt, statementId: pointer.openedBy });

/** Only actors whose latest statement is after the opening can have said anything since. */
const speakersSince = (pointer: OpenPointer, snapshot: StoredIssueState, registry: Registry): ActorId[] => {
  const after = openingOf(pointer);
  return [pointer.actor, ...otherSideActors(pointer, registry)].filter((actor) => {
    const position = snapshot.positions.get(actor);
    return position !== undefined && compareSaid(position, after) > 0;
  });
};

/** An actor's statements said after `after`, up to the statement being recorded (references). */
export type HistoryWindows = (actor: ActorId, after: SaidKey) => Promise<StatementRef[]>;

/**
 * The history windows of one statement's closings, read once per actor: from the earliest opening
 * among the closings that need that actor, each closing keeping what was said after its own. A
 * statement that closes five episodes of a bloc read the same members' history five times.
 */
export const sharedHistoryWindows = (
  { tracker, registry, statement }: Pick<RecordContext, 'tracker' | 'registry' | 'statement'>,
  closings: readonly Closing[],
  snapshot: StoredIssueState,
): HistoryWindows => {
  const earliest = new Map<ActorId, SaidKey>();
  for (const closing of closings) {
    const pointer = snapshot.open.get(closing.episode.divergenceId);
    if (pointer === undefined) continue;
    const after = openingOf(pointer);
    for (const actor of speakersSince(pointer, snapshot, registry)) {
      const known = earliest.get(actor);
      if (known === undefined || compareSaid(after, known) < 0) earliest.set(actor, after);
    }
  }
  const loads = new Map<ActorId, Promise<StatementRef[]>>();
  return async (actor, after) => {
    const from = earliest.get(actor);
    if (from === undefined || compareSaid(from, after) > 0) return tracker.loadHistoryWindow(statement.issue, actor, after, statement);
    let load = loads.get(actor);
    if (load === undefined) {
      load = tracker.loadHistoryWindow(statement.issue, actor, from, statement);
      loads.set(actor, load);
    }
    return (await load).filter((ref) => compareSaid(ref, after) > 0);
  };
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
  windowOf: HistoryWindows,
): Promise<{ opened: StoredEpisode; window: StatementRef[] } | undefined> => {
  const after = openingOf(pointer);
  const [opened, windows] = await Promise.all([
    tracker.loadEpisode(statement.issue, pointer),
    Promise.all(speakersSince(pointer, snapshot, registry).map((actor) => windowOf(actor, after))),
  ]);
  const resumable = opened?.status === 'open' || (opened?.status === 'closed' && opened.episode.closedBy === statement.statementId);
  return opened === undefined || !resumable ? undefined : { opened, window: windows.flat() };
};

/**
 * `known` holds statements already in hand (the one being recorded); `windows` the history reads
 * shared with the statement's other closings. `false` as soon as a condition shows another writer
 * got there first: the pointer is gone or moved, or the episode was revised.
 */
export const commitClosing = async (
  ctx: RecordContext,
  transition: Closing,
  snapshot: StoredIssueState,
  known: ReadonlyMap<string, StatementRecord>,
  windows: HistoryWindows = sharedHistoryWindows(ctx, [transition], snapshot),
): Promise<boolean> => {
  const { tracker, clock, registry, ledger, statement } = ctx;
  const pointer = snapshot.open.get(transition.episode.divergenceId);
  if (pointer === undefined) return false;
  const found = await loadResumable(ctx, pointer, snapshot, windows);
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
