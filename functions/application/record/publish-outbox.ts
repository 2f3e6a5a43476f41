/**
 * The last step of recording a statement: its Position Changed event and the issue's whole outbox
 * (this call's alerts and any leftovers) in one publication, then the outbox cleared. Publishing
 * before clearing makes a crash in between a republication under the same ids, never a loss.
 */
import type { StatementRecord } from '../../core/types.ts';
import type { EventPublisher, IssueSnapshot, OutboundEvent, TrackerRepository } from '../ports.ts';
import type { AlertLedger } from './alert-ledger.ts';
import { outboundAlert, positionChangedEvent } from './alert-records.ts';

export interface PublishContext {
  tracker: Pick<TrackerRepository, 'clearOutbox'>;
  publisher: EventPublisher;
  ledger: AlertLedger;
  statement: StatementRecord;
}

/** Publishes from the settled snapshot; returns how many events went on the bus. */
export const publishOutbox = async ({ tracker, publisher, ledger, statement }: PublishContext, snapshot: IssueSnapshot): Promise<number> => {
  const events: OutboundEvent[] = [];
  const change = positionChangedEvent(statement, snapshot.positions.get(statement.actor));
  if (change !== undefined) events.push(change);
  events.push(...(await ledger.pending(snapshot.outbox)).map(outboundAlert));
  if (events.length > 0) await publisher.publish(events);
  if (snapshot.outbox.length > 0) await tracker.clearOutbox(statement.issue, snapshot.outbox);
  return events.length;
};
