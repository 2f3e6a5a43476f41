/**
 * SQS-shaped batches as the processor receives them from the queue the inbound EventBridge rule
 * feeds: each body is the EventBridge event as JSON (with the envelope fields EventBridge adds).
 */
import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** What a publisher puts on the bus (as in PutEvents); EventBridge adds the rest of the envelope. */
export interface PublishedEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
}

export interface EnvelopeOptions {
  id?: string;
  time?: string;
  account?: string;
  region?: string;
}

/** The event as EventBridge delivers it to a target. */
export const toEventBridgeEvent = (event: PublishedEvent, options: EnvelopeOptions = {}): Record<string, unknown> => ({
  version: '0',
  id: options.id ?? randomUUID(),
  'detail-type': event['detail-type'],
  source: event.source,
  account: options.account ?? '123456789012',
  time: options.time ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: options.region ?? 'us-east-1',
  resources: [],
  detail: event.detail,
});

export interface RecordOptions {
  messageId?: string;
  /** How many times SQS has handed this message out (1 on first delivery). */
  receiveCount?: number;
  queueArn?: string;
}

export const DEFAULT_QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:tracker-inbound';

/** One SQS record whose body is given verbatim (for malformed or hand-written bodies). */
export const sqsRecordFromBody = (body: string, options: RecordOptions = {}): SQSRecord => {
  const messageId = options.messageId ?? randomUUID();
  return {
    messageId,
    receiptHandle: `rh-${messageId}-${options.receiveCount ?? 1}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEVENTBRIDGE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn ?? DEFAULT_QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
};

/** One SQS record carrying a published event wrapped in its EventBridge envelope. */
export const sqsRecord = (event: PublishedEvent, options: RecordOptions & EnvelopeOptions = {}): SQSRecord =>
  sqsRecordFromBody(JSON.stringify(toEventBridgeEvent(event, options)), options);

export const sqsBatch = (records: readonly SQSRecord[]): SQSEvent => ({ Records: [...records] });

/** A batch of published events, one record each. */
export const sqsBatchOf = (events: readonly PublishedEvent[]): SQSEvent => sqsBatch(events.map((event) => sqsRecord(event)));

/** The same message handed out again (same messageId and body, a higher receive count), as SQS redelivers. */
export const redeliver = (record: SQSRecord): SQSRecord => {
  const count = Number(record.attributes.ApproximateReceiveCount) + 1;
  return {
    ...record,
    receiptHandle: `rh-${record.messageId}-${count}`,
    attributes: { ...record.attributes, ApproximateReceiveCount: String(count) },
  };
};

/** Splits records into batches of at most `size` (SQS hands a Lambda up to 10 by default). */
export const inBatches = (records: readonly SQSRecord[], size = 10): SQSEvent[] => {
  const batches: SQSEvent[] = [];
  for (let i = 0; i < records.length; i += size) batches.push(sqsBatch(records.slice(i, i + size)));
  return batches;
};

/** A minimal Lambda context for invoking handlers directly. */
export const lambdaContext = (functionName = 'process-statements') => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '256',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
