/**
 * What every SQS consumer of EventBridge events shares: reading a message body as an event of the
 * contracts (events/validation.ts `parseEvent`, the same validation the processor applies), and
 * reporting the messages that failed so that SQS retries those alone (`ReportBatchItemFailures`
 * on the event source mapping).
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { parseEvent, type DetailType, type FieldProblem, type ParsedEvent } from '../../events/validation.ts';

/** A body as a consumer of `accepted` detail-types sees it. */
export type ReceivedEvent<K extends DetailType> =
  | { kind: 'accepted'; event: Extract<ParsedEvent, { detailType: K }> }
  /** An event of another detail-type: some consumers skip it, others reject it. */
  | { kind: 'other'; detailType: string }
  | { kind: 'invalid'; problems: FieldProblem[] };

/**
 * The detail-type a body names, for a body that failed validation: a consumer that does not take
 * that detail-type has no business judging the rest of it.
 */
const namedDetailType = (body: string): string | undefined => {
  try {
    const detailType: unknown = (JSON.parse(body) as { 'detail-type'?: unknown } | null)?.['detail-type'];
    return typeof detailType === 'string' ? detailType : undefined;
  } catch {
    return undefined;
  }
};

export const receiveEvent = <K extends DetailType>(body: string, accepted: readonly K[]): ReceivedEvent<K> => {
  const isAccepted = (detailType: string): detailType is K => (accepted as readonly string[]).includes(detailType);
  const parsed = parseEvent(body);
  if (parsed.ok) {
    return isAccepted(parsed.event.detailType)
      ? { kind: 'accepted', event: parsed.event as Extract<ParsedEvent, { detailType: K }> }
      : { kind: 'other', detailType: parsed.event.detailType };
  }
  const detailType = namedDetailType(body);
  return detailType !== undefined && !isAccepted(detailType) ? { kind: 'other', detailType } : { kind: 'invalid', problems: parsed.problems };
};

/** The partial batch response: the given messages go back to the queue, the rest are deleted. */
export const batchResponse = (failedMessageIds: Iterable<string>): SQSBatchResponse => ({
  batchItemFailures: [...failedMessageIds].map((itemIdentifier) => ({ itemIdentifier })),
});
