/**
 * Alert notifier: the AlertsToNotifier rule puts the tracker's Positions Diverged / Converged events
 * on a queue; this function reads each against its contract and hands it to the notify-alert use
 * case (application/notify-alert.ts: SNS, then Slack when configured).
 *
 * Partial batch failures: a record that fails (a bad event, an SNS error) is reported alone and
 * retried by SQS, then kept in the queue's DLQ with its reason in the logs.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import { DynamoRegistryRepository } from '../adapters/dynamodb/registry.repository.ts';
import { createSnsAlertTopic } from '../adapters/sns/alert-publisher.ts';
import { createSlackWebhook, webhookUrlFromSecret } from '../adapters/slack/webhook.ts';
import { silentLogger } from '../application/logger.ts';
import { notifyAlert, type Alert, type AlertNotified, type NotifyAlertDeps } from '../application/notify-alert.ts';
import { RegistryCache } from '../application/registry-cache.ts';
import { describeProblems } from '../core/errors.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { secretsManagerClient } from '../shared/clients/secrets-manager.ts';
import { snsClient } from '../shared/clients/sns.ts';
import { readConfig } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';
import { addCounts, powertoolsLogger, type MetricsSink, type Observability } from '../shared/observability.ts';
import { batchResponse, receiveEvent } from '../shared/sqs-batch.ts';

export interface NotifyDeps extends NotifyAlertDeps {
  metrics?: MetricsSink;
}

const ALERT_DETAIL_TYPES = [POSITIONS_DIVERGED, POSITIONS_CONVERGED] as const;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The record's alert as its contract reads it; what is not a valid alert is rejected with why. */
const alertOf = (record: SQSRecord): { alert: Alert } | { rejected: string } => {
  const received = receiveEvent(record.body, ALERT_DETAIL_TYPES);
  switch (received.kind) {
    case 'accepted':
      return { alert: { detailType: received.event.detailType, detail: received.event.detail } };
    case 'other':
      return { rejected: `detail-type: ${JSON.stringify(received.detailType)} is not an alert detail-type (${ALERT_DETAIL_TYPES.join(' or ')})` };
    case 'invalid':
      return { rejected: describeProblems(received.problems) };
  }
};

export const createHandler = (deps: NotifyDeps): LambdaFunction<SQSEvent, SQSBatchResponse> => {
  const logger = deps.logger ?? silentLogger;

  const notify = async (record: SQSRecord): Promise<AlertNotified | undefined> => {
    const read = alertOf(record);
    if ('rejected' in read) {
      // Retrying cannot fix a malformed event; the reason is logged and the record goes to the DLQ.
      logger.error('rejected alert event', { messageId: record.messageId, reason: read.rejected });
      return undefined;
    }
    try {
      return await notifyAlert(deps, read.alert);
    } catch (error) {
      logger.error('alert notification failed; SQS will retry', { messageId: record.messageId, alertId: read.alert.detail.alertId, reason: reasonOf(error) });
      return undefined;
    }
  };

  return async (event) => {
    const outcomes = await Promise.all(event.Records.map(notify));
    const failed = event.Records.filter((_record, index) => outcomes[index] === undefined).map((record) => record.messageId);
    const notified = outcomes.filter((outcome) => outcome !== undefined);
    addCounts(deps.metrics, {
      AlertsNotified: notified.length,
      AlertsFailed: failed.length,
      SlackFailed: notified.filter((outcome) => outcome.slack === 'failed' || outcome.slack === 'misconfigured').length,
    });
    return batchResponse(failed);
  };
};

/**
 * The deployed function's deps: the registry from the table (read only, cached), the alert topic,
 * and Slack when SLACK_WEBHOOK_SECRET_ARN is set.
 */
export const liveDeps = ({ logger, metrics, tracer }: Observability): NotifyDeps => {
  const { tableName, alertTopicArn } = readConfig(['tableName', 'alertTopicArn']);
  const secretArn = process.env[ENV.slackWebhookSecretArn]?.trim();
  const registry = new RegistryCache(new DynamoRegistryRepository({ tableName, client: dynamoDbClient(tracer) }));
  return {
    registry: () => registry.get(),
    topic: createSnsAlertTopic(snsClient(tracer), alertTopicArn),
    ...(secretArn ? { slack: createSlackWebhook(webhookUrlFromSecret(secretsManagerClient(tracer), secretArn)) } : {}),
    logger: powertoolsLogger(logger),
    metrics,
  };
};

export const handler = lambdaHandler(createHandler, liveDeps);
