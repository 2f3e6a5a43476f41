/**
 * After a revision, the issue is settled by replay only: the revised statement is no longer the
 * cause of an in-order transition, and only the whole history says what stands. Then the issue's
 * outbox is published (withdrawals, new openings), with no Position Changed: a statement's
 * `changeId` names one change forever, so a corrected stance is announced by the revision event.
 */
import type { EventPublisher, StoredIssueState, OutboundEvent, TrackerRepository } from '../ports.ts';
import type { AlertLedger } from '../record/alert-ledger.ts';
import { outboundAlert } from '../record/alert-records.ts';
import type { RecordContext } from '../record/context.ts';
import { replayRound } from '../record/replay-round.ts';
import { NotConvergedError } from '../record/settle.ts';

export const settleByReplay = async (ctx: RecordContext, maxRounds: number): Promise<StoredIssueState> => {
  for (let round = 1; round <= maxRounds; round += 1) {
    const { snapshot, next } = await replayRound(ctx);
    if (next === 'settled') return snapshot;
  }
  throw new NotConvergedError(ctx.statement.issue, maxRounds);
};

export interface RevisionPublication {
  tracker: Pick<TrackerRepository, 'clearOutbox'>;
  publisher: EventPublisher;
  ledger: AlertLedger;
}

/** The issue's outbox and `own` events in one publication, then the outbox cleared (a crash in between republishes under the same ids). */
export const publishAfterRevision = async (
  { tracker, publisher, ledger }: RevisionPublication,
  snapshot: StoredIssueState,
  own: readonly OutboundEvent[],
): Promise<number> => {
  const events = [...(await ledger.pending(snapshot.outbox)).map(outboundAlert), ...own];
  if (events.length > 0) await publisher.publish(events);
  if (snapshot.outbox.length > 0) await tracker.clearOutbox(snapshot.issue, snapshot.outbox);
  return events.length;
};
