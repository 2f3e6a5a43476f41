/**
 * Snapshot writer: Position Changed events arrive on a queue; for every issue named in the batch the
 * issue's current matrix is written once as JSON (S3 in AWS, a folder locally). Writing the whole
 * current matrix, rather than patching the previous snapshot, makes a late, duplicated or reordered
 * event harmless: each write reflects the store as it is.
 *
 * Other events on the queue (the TrackerOutbound rule also carries alerts) are acknowledged and
 * skipped. A failed write fails only the records of that issue, which SQS retries.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from '../../events/zod.ts';
import { slug } from '../../events/common.ts';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import { DynamoReadRepository } from '../adapters/dynamodb/read.repository.ts';
import { createS3SnapshotWriter } from '../adapters/s3/snapshot-writer.ts';
import { createPositionReader, type PositionReader } from '../application/read-model.ts';
import { writeIssueSnapshot, type SnapshotStore } from '../application/snapshots.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { s3Client } from '../shared/clients/s3.ts';
import { readConfig } from '../shared/config.ts';
import { createObservability, portLogger, type Observability, tracingMiddleware } from '../shared/observability.ts';

export interface SnapshotLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface WriteSnapshotDeps {
  reader: PositionReader;
  store: Pick<SnapshotStore, 'put'>;
  now?: () => Date;
  logger?: SnapshotLogger;
}

const positionChangedEnvelope = z.object({
  'detail-type': z.string(),
  detail: z.looseObject({ issue: slug }),
});

type Parsed = { kind: 'issue'; issue: string } | { kind: 'skip' } | { kind: 'invalid'; reason: string };

const parseRecord = (body: string): Parsed => {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { kind: 'invalid', reason: 'body is not JSON' };
  }
  const event = positionChangedEnvelope.safeParse(raw);
  if (!event.success) {
    const detailType = (raw as { 'detail-type'?: unknown } | null)?.['detail-type'];
    if (typeof detailType === 'string' && detailType !== POSITION_CHANGED) return { kind: 'skip' };
    return { kind: 'invalid', reason: event.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return event.data['detail-type'] === POSITION_CHANGED ? { kind: 'issue', issue: event.data.detail.issue } : { kind: 'skip' };
};

/** The SQS handler; deps given as a function are built on the first batch (live deps read the environment then). */
export const createHandler = (depsOrFactory: WriteSnapshotDeps | (() => WriteSnapshotDeps)) => {
  let built: WriteSnapshotDeps | undefined;

  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const deps = (built ??= typeof depsOrFactory === 'function' ? depsOrFactory() : depsOrFactory);
    const now = deps.now ?? (() => new Date());
    const failures: SQSBatchItemFailure[] = [];
    const recordsByIssue = new Map<string, string[]>();
    for (const record of event.Records) {
      const parsed = parseRecord(record.body);
      if (parsed.kind === 'invalid') {
        deps.logger?.error('rejected snapshot trigger', { messageId: record.messageId, reason: parsed.reason });
        failures.push({ itemIdentifier: record.messageId });
      } else if (parsed.kind === 'issue') {
        recordsByIssue.set(parsed.issue, [...(recordsByIssue.get(parsed.issue) ?? []), record.messageId]);
      }
    }

    await Promise.all(
      [...recordsByIssue].map(async ([issue, messageIds]) => {
        try {
          const snapshot = await writeIssueSnapshot({ reader: deps.reader, store: deps.store, now }, issue);
          deps.logger?.info('snapshot written', { issue, positions: snapshot.positions.length, triggeredBy: messageIds.length });
        } catch (error) {
          deps.logger?.error('snapshot write failed; SQS will retry', { issue, reason: error instanceof Error ? error.message : String(error) });
          failures.push(...messageIds.map((itemIdentifier) => ({ itemIdentifier })));
        }
      }),
    );
    return { batchItemFailures: failures };
  };
};

/** The deployed function's deps: the table (read only) and the snapshot bucket (write). */
export const liveDeps =
  ({ logger, tracer }: Observability = createObservability()) =>
  (): WriteSnapshotDeps => {
    const { tableName, snapshotBucket } = readConfig(['tableName', 'snapshotBucket']);
    return {
      reader: createPositionReader({ store: new DynamoReadRepository({ tableName, client: dynamoDbClient(tracer) }) }),
      store: createS3SnapshotWriter(s3Client(tracer), snapshotBucket),
      logger: portLogger(logger),
    };
  };

const observability = createObservability();

export const handler = middy(createHandler(liveDeps(observability)))
  .use(tracingMiddleware(observability.tracer))
  .use(injectLambdaContext(observability.logger, { clearState: true }));
