/**
 * What a batch reports: one outcome per message (applied, a duplicate, quarantined with its
 * reason, or failed back to the queue) and the counts the handler logs and the local runtime shows.
 */
import type { FieldProblem } from '../../core/errors.ts';
import type { QuarantineReason, RegistryWrite } from '../ports.ts';
import type { RevisionOutcome } from '../apply-revision.ts';
import type { RecordOutcome } from '../record-statement.ts';

export interface InboundMessage {
  messageId: string;
  /** The message body exactly as received: the EventBridge event as JSON. */
  body: string;
}

export type MessageOutcome =
  | { messageId: string; status: 'statement'; result: RecordOutcome }
  | { messageId: string; status: 'registry'; result: RegistryWrite; kind: string; id: string }
  | { messageId: string; status: 'revision'; result: RevisionOutcome }
  | { messageId: string; status: 'quarantined'; reason: QuarantineReason; problems: FieldProblem[] }
  | { messageId: string; status: 'failed'; error: unknown };

export interface BatchCounts {
  received: number;
  /** New statements recorded, registry records that took effect, and new revisions (applied or kept for their statement). */
  applied: number;
  /** Statements already recorded and registry records already superseded. */
  duplicates: number;
  /** New statements said before their issue's latest one (a subset of applied). */
  late: number;
  quarantined: number;
  /** Registry events among applied and duplicates. */
  registry: number;
  failed: number;
  alertsOpened: number;
  alertsClosed: number;
  alertsWithdrawn: number;
  alertsReinstated: number;
  published: number;
}

export interface BatchReport {
  outcomes: MessageOutcome[];
  /** The messages to hand back to the queue (`batchItemFailures`). */
  failedMessageIds: string[];
  counts: BatchCounts;
}

/** What one call recorded and published, added to the batch's counts. */
const addAlerts = (counts: BatchCounts, result: { alerts: Record<'opened' | 'closed' | 'withdrawn' | 'reinstated', number>; published: number }): void => {
  counts.alertsOpened += result.alerts.opened;
  counts.alertsClosed += result.alerts.closed;
  counts.alertsWithdrawn += result.alerts.withdrawn;
  counts.alertsReinstated += result.alerts.reinstated;
  counts.published += result.published;
};

export const countOutcomes = (outcomes: readonly MessageOutcome[]): BatchCounts => {
  const counts: BatchCounts = {
    received: outcomes.length, applied: 0, duplicates: 0, late: 0, quarantined: 0, registry: 0, failed: 0,
    alertsOpened: 0, alertsClosed: 0, alertsWithdrawn: 0, alertsReinstated: 0, published: 0,
  };
  for (const outcome of outcomes) {
    switch (outcome.status) {
      case 'statement': {
        const { result } = outcome;
        if (result.history === 'recorded') counts.applied += 1;
        else counts.duplicates += 1;
        if (result.late && result.history === 'recorded') counts.late += 1;
        addAlerts(counts, result);
        break;
      }
      case 'revision': {
        const { result } = outcome;
        if (result.status === 'duplicate') counts.duplicates += 1;
        else counts.applied += 1;
        addAlerts(counts, result);
        break;
      }
      case 'registry':
        counts.registry += 1;
        if (outcome.result === 'applied') counts.applied += 1;
        else counts.duplicates += 1;
        break;
      case 'quarantined':
        counts.quarantined += 1;
        break;
      case 'failed':
        counts.failed += 1;
        break;
    }
  }
  return counts;
};
