/**
 * The ledger of one batch: where each step settles a message, so that every message ends with
 * exactly one outcome. Quarantining is itself a write: when it fails, the message fails back to
 * the queue instead, so nothing is acknowledged without its reason being kept.
 */
import { ValidationError, type FieldProblem } from '../../core/errors.ts';
import type { LoggerPort } from '../logger.ts';
import type { Clock, QuarantineReason, QuarantineRepository } from '../ports.ts';
import { countOutcomes, type BatchReport, type InboundMessage, type MessageOutcome } from './outcomes.ts';

/** A problem names the field as the event spelt it: a hostile name of any length is cut, so the record of it stays small. */
const MAX_FIELD_CHARS = 256;
const MAX_REASON_CHARS = 1_024;

const cut = (text: string, max: number): string => {
  if (text.length <= max) return text;
  // Never split a surrogate pair: the cut text stays well-formed.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
};

export const bounded = (problem: FieldProblem): FieldProblem => ({
  field: cut(problem.field, MAX_FIELD_CHARS),
  reason: cut(problem.reason, MAX_REASON_CHARS),
});

const describeError = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Translation and resolution are pure: an error they throw comes from the event, never from the moment. */
export const attempt = <T>(work: () => T): Attempt<T> => {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    return { ok: false, error };
  }
};

export class BatchLedger {
  private readonly outcomes = new Map<string, MessageOutcome>();

  constructor(
    private readonly store: QuarantineRepository,
    private readonly clock: Clock,
    private readonly log: LoggerPort,
  ) {}

  settle(outcome: MessageOutcome): void {
    this.outcomes.set(outcome.messageId, outcome);
  }

  /** Not the event's fault (throttling, network, a bug in a write): the message goes back to the queue, alone. */
  fail(messageId: string, error: unknown, context: Record<string, unknown> = {}): void {
    this.log.error('message failed; it goes back to the queue', { messageId, ...context, ...describeError(error) });
    this.settle({ messageId, status: 'failed', error });
  }

  async quarantine(message: InboundMessage, reason: QuarantineReason, found: readonly FieldProblem[], detailType?: string): Promise<void> {
    const problems = found.map(bounded);
    try {
      await this.store.quarantine({
        body: message.body,
        messageId: message.messageId,
        reason,
        problems,
        receivedAt: this.clock.now(),
        ...(detailType === undefined ? {} : { detailType }),
      });
      this.log.warn('event quarantined', { messageId: message.messageId, reason, problems });
      this.settle({ messageId: message.messageId, status: 'quarantined', reason, problems });
    } catch (error) {
      this.fail(message.messageId, error, { while: 'quarantining' });
    }
  }

  /** A field that could not be translated or resolved: the event is kept with the field, and a bug in resolution is still shouted about. */
  async quarantineUnresolved(message: InboundMessage, detailType: string, error: unknown): Promise<void> {
    if (error instanceof ValidationError) {
      await this.quarantine(message, 'invalid-event', error.problems, detailType);
      return;
    }
    this.log.error('event could not be resolved; quarantined', { messageId: message.messageId, detailType, ...describeError(error) });
    const reason = `could not be resolved (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`;
    await this.quarantine(message, 'invalid-event', [{ field: 'detail', reason: reason.toWellFormed() }], detailType);
  }

  /** The outcomes in the order the messages came, and the ones to hand back to the queue. */
  report(messages: readonly InboundMessage[]): BatchReport {
    const ordered = messages.flatMap((m) => this.outcomes.get(m.messageId) ?? []);
    return {
      outcomes: ordered,
      failedMessageIds: ordered.filter((o) => o.status === 'failed').map((o) => o.messageId),
      counts: countOutcomes(ordered),
    };
  }
}
