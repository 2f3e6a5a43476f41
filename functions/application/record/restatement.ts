/**
 * The quiet path: a restatement that cannot change any divergence (core/restatement.ts) is
 * recorded without reading the issue. Its position write is the last write that could matter to a
 * divergence, so nothing is evaluated; what is left is its change-feed entry and its Position
 * Changed, both from the position the write returned (the statement current, the replaced one
 * previous). Leftovers in the outbox wait for the next statement that reads the issue, or for the
 * redelivery of the message whose run left them: a run that fails hands its message back.
 */
import { applyToPosition } from '../../core/positions.ts';
import { changesNoDivergence } from '../../core/restatement.ts';
import type { Position, Registry, StatementRecord } from '../../core/types.ts';
import type { Clock, EventPublisher, PositionAdvance, TrackerRepository } from '../ports.ts';
import { positionChangedEvent } from './alert-records.ts';
import { recordStatementChanges, statementChangeOf } from './statement-change.ts';

/** The actor's position once the restatement is current, when it is a quiet one. */
export const quietPosition = (statement: StatementRecord, advance: PositionAdvance, registry: Registry): Position | undefined => {
  if (advance.write !== 'current' || !changesNoDivergence(statement, advance.replaced, registry)) return undefined;
  return applyToPosition(advance.replaced, statement).position;
};

/** A quiet restatement, written, with its actor's position once it is current. */
export interface Restatement {
  statement: StatementRecord;
  current: Position;
  /** Its claim was first: no entry of it is listed yet, so its entry needs no condition. */
  first?: true;
}

/**
 * Lists each change and publishes the Position Changed events, in said order, in one publication
 * side by side with the entries (independent of each other: one round trip). The entries of first
 * claims go in one write together; any other is conditional (a redelivery keeps the first
 * recording). Returns, for each, how many events it put on the bus.
 */
export const recordRestatements = async (
  { tracker, publisher, clock }: { tracker: Pick<TrackerRepository, 'recordStatementChange' | 'recordNewStatementChanges'>; publisher: EventPublisher; clock: Clock },
  restatements: readonly Restatement[],
): Promise<number[]> => {
  const changes = restatements.map(({ statement, current }) => positionChangedEvent(statement, current));
  const events = changes.flatMap((change) => change ?? []);
  const entries = restatements.map(({ statement, current, first }) => ({ first, statementId: statement.statementId, change: statementChangeOf(statement, current, clock.now()) }));
  await Promise.all([recordStatementChanges(tracker, entries), events.length === 0 ? undefined : publisher.publish(events)]);
  return changes.map((change) => (change === undefined ? 0 : 1));
};
