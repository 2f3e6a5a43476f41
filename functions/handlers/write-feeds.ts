/**
 * Feed writer: the tracker's outbound events (Position Changed, Positions Diverged, Positions
 * Converged, Statement Revised) arrive on a queue whose batching window is the debounce; for every issue named in a
 * batch the issue's feeds are rebuilt once, then the index (functions/application/feeds.ts).
 *
 * Events of other detail-types are acknowledged and skipped. A record that is not a valid event
 * fails alone; a failed issue write fails only the records of that issue, a failed index write
 * every record of the batch, which SQS retries. A message whose body is exactly FEEDS_REBUILD_BODY
 * rebuilds every published issue (after a token rotation).
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import { STATEMENT_REVISED } from '../../events/outbound/statement-revised.v1.ts';
import { DynamoReadRepository } from '../adapters/dynamodb/read.repository.ts';
import { createS3FeedStore } from '../adapters/s3/feed-store.ts';
import { refreshFeeds, type FeedDeps, type FeedRefresh } from '../application/feeds.ts';
import { silentLogger, type LoggerPort } from '../application/logger.ts';
import { createPositionReader } from '../application/read-model.ts';
import { describeProblems } from '../core/errors.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { s3Client } from '../shared/clients/s3.ts';
import { readConfig } from '../shared/config.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';
import { addCounts, powertoolsLogger, type MetricsSink, type Observability } from '../shared/observability.ts';
import { batchResponse, receiveEvent } from '../shared/sqs-batch.ts';

/** What an operator sends to the feed queue to have every feed written again. */
export const FEEDS_REBUILD_BODY = '{"rebuild":"all"}';

/** A correction or retraction rewrites the timeline (and, through the position, the matrix) of its issue. */
const TRIGGERS = [POSITION_CHANGED, POSITIONS_DIVERGED, POSITIONS_CONVERGED, STATEMENT_REVISED] as const;

export interface WriteFeedsDeps extends Omit<FeedDeps, 'now'> {
  now?: () => Date;
  logger?: LoggerPort;
  metrics?: MetricsSink;
}

interface Triggers {
  byIssue: Map<string, string[]>;
  rebuild: string[];
  rejected: string[];
}

const triggersOf = (records: readonly SQSRecord[], logger: LoggerPort): Triggers => {
  const triggers: Triggers = { byIssue: new Map(), rebuild: [], rejected: [] };
  for (const record of records) {
    if (record.body.trim() === FEEDS_REBUILD_BODY) {
      triggers.rebuild.push(record.messageId);
      continue;
    }
    const received = receiveEvent(record.body, TRIGGERS);
    if (received.kind === 'invalid') {
      logger.error('rejected feed trigger', { messageId: record.messageId, reason: describeProblems(received.problems) });
      triggers.rejected.push(record.messageId);
    } else if (received.kind === 'accepted') {
      const { issue } = received.event.detail;
      triggers.byIssue.set(issue, [...(triggers.byIssue.get(issue) ?? []), record.messageId]);
    }
  }
  return triggers;
};

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The records to retry: those of each issue that failed, and all of them when the index did (or a rebuild did not finish). */
const failedRecords = (refresh: FeedRefresh, triggers: Triggers, logger: LoggerPort): string[] => {
  const everyRecord = [...triggers.byIssue.values()].flat().concat(triggers.rebuild);
  if (!refresh.index.ok) {
    logger.error('feed index write failed; SQS will retry', { reason: reasonOf(refresh.index.error) });
    return everyRecord;
  }
  const failed = refresh.issues.filter(({ outcome }) => !outcome.ok);
  for (const { issue, outcome } of failed) logger.error('feed write failed; SQS will retry', { issue, reason: outcome.ok ? '' : reasonOf(outcome.error) });
  if (failed.length > 0 && triggers.rebuild.length > 0) return everyRecord;
  return failed.flatMap(({ issue }) => triggers.byIssue.get(issue) ?? []);
};

export const createHandler = (deps: WriteFeedsDeps): LambdaFunction<SQSEvent, SQSBatchResponse> => {
  const logger = deps.logger ?? silentLogger;
  const feedDeps: FeedDeps = { reader: deps.reader, store: deps.store, baseUrl: deps.baseUrl, now: deps.now ?? (() => new Date()) };

  return async (event) => {
    const triggers = triggersOf(event.Records, logger);
    if (triggers.byIssue.size === 0 && triggers.rebuild.length === 0) return batchResponse(triggers.rejected);
    const refresh = await refreshFeeds(feedDeps, [...triggers.byIssue.keys()], { everyPublished: triggers.rebuild.length > 0 });
    const failed = failedRecords(refresh, triggers, logger);
    const written = refresh.issues.filter(({ outcome }) => outcome.ok && outcome.value === 'written').length;
    logger.info('feeds refreshed', { issues: refresh.issues.length, written, index: refresh.index.ok, triggeredBy: event.Records.length });
    addCounts(deps.metrics, {
      FeedIssuesWritten: written,
      FeedWritesFailed: refresh.issues.filter(({ outcome }) => !outcome.ok).length + (refresh.index.ok ? 0 : 1),
      FeedTriggersRejected: triggers.rejected.length,
    });
    return batchResponse([...triggers.rejected, ...failed]);
  };
};

/** The deployed function's deps: the table (read only) and the feeds bucket (write, under the token). */
export const liveDeps = ({ logger, metrics, tracer }: Observability): WriteFeedsDeps => {
  const { tableName, feedsBucket, feedsToken, feedsBaseUrl } = readConfig(['tableName', 'feedsBucket', 'feedsToken', 'feedsBaseUrl']);
  return {
    reader: createPositionReader({ store: new DynamoReadRepository({ tableName, client: dynamoDbClient(tracer) }) }),
    store: createS3FeedStore(s3Client(tracer), feedsBucket, feedsToken),
    baseUrl: feedsBaseUrl,
    logger: powertoolsLogger(logger),
    metrics,
  };
};

export const handler = lambdaHandler(createHandler, liveDeps);
