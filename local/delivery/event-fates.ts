/**
 * What became of each inbound event the local runtime was given, by its EventBridge event id (the
 * `EventId` PutEvents answered): applied, a duplicate, quarantined with its problems, or dead-
 * lettered; `retrying` while the processor's failures are being retried. The processor's own batch
 * report says it, so a publisher (`tracker publish --wait`) learns each event's fate rather than
 * guessing it from an empty queue. Kept in memory, for the most recent events only.
 */
import type { BatchReport } from '../../functions/application/process-batch.ts';
import type { FieldProblem } from '../../functions/core/errors.ts';
import type { DeadLetter } from './dead-letter-queue.ts';

export type EventFate =
  | { status: 'applied' | 'duplicate'; detailType: string; id: string }
  | { status: 'quarantined'; detailType: string | null; reason: string; problems: FieldProblem[] }
  | { status: 'retrying'; reason: string }
  | { status: 'dead-lettered'; queue: string; reason: string };

/** Fates that will not change without someone acting (a redrive, a corrected event). */
export const isSettled = (fate: EventFate | undefined): boolean => fate !== undefined && fate.status !== 'retrying';

/** Plenty for a developer's session; the oldest are forgotten first. */
export const DEFAULT_REMEMBERED_EVENTS = 20_000;

export interface EventFates {
  /** A message the processor's queue was sent: which event it carries. */
  received(messageId: string, body: string): void;
  /** The processor's report on a batch. */
  reported(report: BatchReport): void;
  /** A message of the processor's queue moved to its dead-letter queue. */
  deadLettered(letter: DeadLetter): void;
  fateOf(eventId: string): EventFate | undefined;
}

interface Carried {
  eventId: string;
  detailType: string | null;
}

const carriedBy = (body: string): Carried | undefined => {
  try {
    const event = JSON.parse(body) as { id?: unknown; 'detail-type'?: unknown };
    if (typeof event.id !== 'string') return undefined;
    return { eventId: event.id, detailType: typeof event['detail-type'] === 'string' ? event['detail-type'] : null };
  } catch {
    return undefined;
  }
};

/** A Map that forgets its oldest entries beyond `limit`. */
const remember = <K, V>(map: Map<K, V>, key: K, value: V, limit: number): void => {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
};

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export const createEventFates = (limit = DEFAULT_REMEMBERED_EVENTS): EventFates => {
  const messages = new Map<string, Carried>();
  const fates = new Map<string, EventFate>();

  return {
    received(messageId, body) {
      const carried = carriedBy(body);
      if (carried !== undefined) remember(messages, messageId, carried, limit);
    },

    reported(report) {
      for (const outcome of report.outcomes) {
        const carried = messages.get(outcome.messageId);
        if (carried === undefined) continue;
        const detailType = carried.detailType ?? '?';
        let fate: EventFate;
        switch (outcome.status) {
          case 'statement':
            fate = { status: outcome.result.history === 'recorded' ? 'applied' : 'duplicate', detailType, id: outcome.result.statementId };
            break;
          case 'registry':
            fate = { status: outcome.result === 'applied' ? 'applied' : 'duplicate', detailType, id: outcome.id };
            break;
          case 'revision':
            // Kept until its statement arrives is applied as far as the publisher is concerned: nothing to send again.
            fate = { status: outcome.result.status === 'duplicate' ? 'duplicate' : 'applied', detailType, id: outcome.result.revisionId };
            break;
          case 'quarantined':
            fate = { status: 'quarantined', detailType: carried.detailType, reason: outcome.reason, problems: outcome.problems };
            break;
          case 'failed':
            fate = { status: 'retrying', reason: errorText(outcome.error) };
            break;
        }
        remember(fates, carried.eventId, fate, limit);
      }
    },

    deadLettered(letter) {
      const carried = messages.get(letter.messageId) ?? carriedBy(letter.body);
      if (carried !== undefined) remember(fates, carried.eventId, { status: 'dead-lettered', queue: letter.queue, reason: letter.reason }, limit);
    },

    fateOf: (eventId) => fates.get(eventId),
  };
};
