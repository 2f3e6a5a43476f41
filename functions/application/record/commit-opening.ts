/**
 * The incremental path's write of an opening: the episode as it opened and its alert, then the open
 * pointer, which is what commits the transition.
 */
import type { StatusTransition } from '../../core/tracker.ts';
import type { StatementRecord } from '../../core/types.ts';
import { pointerOf, storedEpisode } from '../episode-plan.ts';
import type { StatementRef } from '../ports.ts';
import { divergedAlert } from './alert-records.ts';
import type { RecordContext } from './context.ts';

/**
 * `positionRefs` locate the statements the positions rest on (the opening's evidence) and
 * `statements` holds those the alert quotes. `false` when the divergence is already open: another
 * writer got there first, and only a replay can say which episode stands.
 */
export const commitOpening = async (
  { tracker, clock, ledger }: Pick<RecordContext, 'tracker' | 'clock' | 'ledger'>,
  transition: Extract<StatusTransition, { type: 'opened' }>,
  positionRefs: ReadonlyMap<string, StatementRef>,
  statements: ReadonlyMap<string, StatementRecord>,
): Promise<boolean> => {
  const stored = storedEpisode(transition.episode, positionRefs);
  // The episode item is not what commits the transition (the pointer is), so it is written while
  // the alert is recorded; already there means an earlier attempt of this very transition (same
  // deterministic id). The alert and its outbox entry are both in before the pointer.
  await Promise.all([
    ledger.record(divergedAlert(transition.episode, 'opened', { alertId: transition.alertId, statements, recordedAt: clock.now() })),
    tracker.createEpisode(stored),
  ]);
  return tracker.openPointer(pointerOf(stored.episode));
};
