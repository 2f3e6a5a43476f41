/**
 * The last step of recording a statement: its Position Changed event and the issue's whole outbox
 * (this call's alerts and any leftovers) in one publication, then the outbox cleared. Publishing
 * before clearing makes a crash in between a republication under the same ids, never a loss.
 */
import type { IssueId, StatementRecord } from '../../core/types.ts';
import type { EventPublisher, StoredIssueState, OutboundEvent, TrackerRepository } from '../ports.ts';
import type { AlertLedger } from './alert-ledger.ts';
import { outboundAlert, positionChangedEvent } from './alert-records.ts';

export interface PublishContext {
  tracker: Pick<TrackerRepository, 'clearOutbox'>;
  publisher: EventPublisher;
  ledger: AlertLedger;
  statement: StatementRecord;
}

/** Publishes from the settled snapshot; returns how many events went on the bus. */
export const publishOutbox = async ({ statement, ...ctx }: PublishContext, snapshot: StoredIssueState): Promise<number> => {
  const change = positionChangedEvent(statement, snapshot.positions.get(statement.actor));
  return publishAlerts({ ...ctx, issue: statement.issue }, snapshot, change === undefined ? [] : [change]);
};

/** The issue's outbox after `first` (events of the call's own), in one publication, then cleared. */
export const publishAlerts = async (
  { tracker, publisher, ledger, issue }: Omit<PublishContext, 'statement'> & { issue: IssueId },
  snapshot: StoredIssueState,
  first: readonly OutboundEvent[] = [],
): Promise<number> => {
  const events: OutboundEvent[] = [...first, ...(await ledger.pending(snapshot.outbox)).map(outboundAlert)];
  if (events.length > 0) await publisher.publish(events);
  if (snapshot.outbox.length > 0) await tracker.clearOutbox(issue, snapshot.outbox);
  return events.length;
};
