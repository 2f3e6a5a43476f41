/**
 * Snapshot writer: Position Changed and Statement Revised events arrive on a queue; for every issue named in the batch the
 * issue's current matrix is written once as JSON (S3 in AWS, a folder locally). Writing the whole
 * current matrix, rather than patching the previous snapshot, makes a late, duplicated or reordered
 * event harmless: each write reflects the store as it is.
 *
 * Events of other detail-types are acknowledged and skipped. A record that is not a valid Position
 * Changed event fails alone; a failed write fails only the records of that issue, which SQS retries.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import { STATEMENT_REVISED } from '../../events/outbound/statement-revised.v1.ts';
import { DynamoReadRepository } from '../adapters/dynamodb/read.repository.ts';
import { createS3SnapshotWriter } from '../adapters/s3/snapshot-writer.ts';
import { silentLogger, type LoggerPort } from '../application/logger.ts';
import { createPositionReader, type PositionReader } from '../application/read-model.ts';
import { writeIssueSnapshot, type SnapshotStore } from '../application/snapshots.ts';
import { describeProblems } from '../core/errors.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { s3Client } from '../shared/clients/s3.ts';
import { readConfig } from '../shared/config.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';
import { addCounts, powertoolsLogger, type MetricsSink, type Observability } from '../shared/observability.ts';
import { batchResponse, receiveEvent } from '../shared/sqs-batch.ts';

export interface WriteSnapshotDeps {
  reader: PositionReader;
  store: Pick<SnapshotStore, 'put'>;
  now?: () => Date;
  logger?: LoggerPort;
  metrics?: MetricsSink;
}

/** The batch's records by the issue their Position Changed names, and the records that are no valid trigger. */
const triggersOf = (records: readonly SQSRecord[], logger: LoggerPort): { byIssue: Map<string, string[]>; rejected: string[] } => {
  const byIssue = new Map<string, string[]>();
  const rejected: string[] = [];
  for (const record of records) {
    // A revision can change a matrix with no Position Changed (a corrected quote) and must reach the
    // snapshot when it removes text (a redaction), so it triggers a rewrite too.
    const received = receiveEvent(record.body, [POSITION_CHANGED, STATEMENT_REVISED]);
    if (received.kind === 'invalid') {
      logger.error('rejected snapshot trigger', { messageId: record.messageId, reason: describeProblems(received.problems) });
      rejected.push(record.messageId);
    } else if (received.kind === 'accepted') {
      const { issue } = received.event.detail;
      byIssue.set(issue, [...(byIssue.get(issue) ?? []), record.messageId]);
    }
  }
  return { byIssue, rejected };
};

export const createHandler = (deps: WriteSnapshotDeps): LambdaFunction<SQSEvent, SQSBatchResponse> => {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());

  /** Writes the issue's snapshot; the records that asked for it when it failed. */
  const write = async ([issue, messageIds]: [string, string[]]): Promise<string[]> => {
    try {
      const snapshot = await writeIssueSnapshot({ reader: deps.reader, store: deps.store, now }, issue);
      logger.info('snapshot written', { issue, positions: snapshot.positions.length, triggeredBy: messageIds.length });
      return [];
    } catch (error) {
      logger.error('snapshot write failed; SQS will retry', { issue, reason: error instanceof Error ? error.message : String(error) });
      return messageIds;
    }
  };

  return async (event) => {
    const { byIssue, rejected } = triggersOf(event.Records, logger);
    const failedWrites = await Promise.all([...byIssue].map(write));
    addCounts(deps.metrics, {
      SnapshotsWritten: failedWrites.filter((failed) => failed.length === 0).length,
      SnapshotsFailed: failedWrites.filter((failed) => failed.length > 0).length,
      SnapshotTriggersRejected: rejected.length,
    });
    return batchResponse([...rejected, ...failedWrites.flat()]);
  };
};

/** The deployed function's deps: the table (read only) and the snapshot bucket (write). */
export const liveDeps = ({ logger, metrics, tracer }: Observability): WriteSnapshotDeps => {
  const { tableName, snapshotBucket } = readConfig(['tableName', 'snapshotBucket']);
  return {
    reader: createPositionReader({ store: new DynamoReadRepository({ tableName, client: dynamoDbClient(tracer) }) }),
    store: createS3SnapshotWriter(s3Client(tracer), snapshotBucket),
    logger: powertoolsLogger(logger),
    metrics,
  };
};

export const handler = lambdaHandler(createHandler, liveDeps);
