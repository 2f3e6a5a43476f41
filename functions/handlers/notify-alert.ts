/**
 * Alert notifier: the AlertsToNotifier rule puts the tracker's Positions Diverged / Converged events
 * on a queue; this function formats each for people and publishes it to the SNS topic (with the
 * attributes filter policies match on) and, when configured, to Slack.
 *
 * Partial batch failures: a record that fails (a bad event, an SNS error) is reported alone and
 * retried by SQS, then kept in the queue's DLQ with its reason in the logs. SNS is the channel of
 * record and is at least once (every message carries the alert id to deduplicate on); Slack is
 * posted after SNS succeeded, and a Slack failure is logged but does not fail the record.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../../events/zod.ts';
import { findContract } from '../../events/catalog.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import { DynamoRegistryRepository } from '../adapters/dynamodb/registry.repository.ts';
import { createSnsAlertTopic, type AlertTopic } from '../adapters/sns/alert-publisher.ts';
import { SlackConfigError, createSlackWebhook, webhookUrlFromSecret, type SlackChannel } from '../adapters/slack/webhook.ts';
import { RegistryCache } from '../application/registry-cache.ts';
import { ValidationError } from '../core/errors.ts';
import type { Registry } from '../core/types.ts';
import { slackBlocks, snsMessage, type AlertDetail, type AlertDetailType } from '../notify/format-alert.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { secretsManagerClient } from '../shared/clients/secrets-manager.ts';
import { snsClient } from '../shared/clients/sns.ts';
import { readConfig } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';
import { createObservability, portLogger, type Observability, tracingMiddleware } from '../shared/observability.ts';

export interface NotifyLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface NotifyDeps {
  /** The registry, for names in English and Arabic; expected to be cached by the caller. */
  registry: () => Promise<Registry>;
  topic: AlertTopic;
  /** Absent when no Slack webhook is configured. */
  slack?: SlackChannel;
  logger?: NotifyLogger;
}

const envelope = z.object({
  'detail-type': z.enum([POSITIONS_DIVERGED, POSITIONS_CONVERGED], { error: 'is not an alert detail-type (Positions Diverged or Converged)' }),
  detail: z.looseObject({ schemaVersion: z.string({ error: 'is missing' }) }),
});

/** The EventBridge event in an SQS body, validated against its contract. */
export const parseAlertRecord = (body: string): { detailType: AlertDetailType; detail: AlertDetail } => {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new ValidationError([{ field: 'body', reason: 'is not JSON' }]);
  }
  const outer = envelope.safeParse(raw);
  if (!outer.success) {
    throw new ValidationError(outer.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), reason: i.message })));
  }
  const detailType = outer.data['detail-type'];
  const contract = findContract(detailType, outer.data.detail.schemaVersion);
  if (contract === undefined) {
    throw new ValidationError([{ field: 'body.detail.schemaVersion', reason: `no contract for ${detailType} v${outer.data.detail.schemaVersion}` }]);
  }
  const detail = contract.schema.safeParse(outer.data.detail);
  if (!detail.success) {
    throw new ValidationError(detail.error.issues.map((i) => ({ field: ['detail', ...i.path].join('.'), reason: i.message })));
  }
  return { detailType, detail: detail.data as AlertDetail };
};

/**
 * Slack is best effort once SNS has the alert: failing the record would make SQS publish it to SNS
 * again, and every e-mail subscriber would get it twice. Throttling and server errors are retried
 * inside the call; what still fails is logged as an error (a metric filter can alarm on it).
 */
const postToSlack = async (deps: NotifyDeps, detail: AlertDetail, detailType: AlertDetailType, registry: Registry): Promise<string> => {
  try {
    await deps.slack?.post(slackBlocks(detail, detailType, registry));
    return 'posted';
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof SlackConfigError) {
      deps.logger?.error('Slack is configured but its webhook secret is not usable; alert sent to SNS only', { alertId: detail.alertId, reason });
      return 'misconfigured';
    }
    deps.logger?.error('Slack delivery failed; alert sent to SNS only', { alertId: detail.alertId, reason });
    return 'failed';
  }
};

/** The SQS handler; deps given as a function are built on the first batch (live deps read the environment then). */
export const createHandler = (depsOrFactory: NotifyDeps | (() => NotifyDeps)) => {
  const processor = new BatchProcessor(EventType.SQS);
  let built: NotifyDeps | undefined;
  const depsOf = (): NotifyDeps => (built ??= typeof depsOrFactory === 'function' ? depsOrFactory() : depsOrFactory);

  const notify = async (record: SQSRecord): Promise<void> => {
    const deps = depsOf();
    let alert: ReturnType<typeof parseAlertRecord>;
    try {
      alert = parseAlertRecord(record.body);
    } catch (error) {
      // Retrying cannot fix a malformed event; the reason is logged and the record goes to the DLQ.
      deps.logger?.error('rejected alert event', { messageId: record.messageId, reason: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    const { detail, detailType } = alert;
    let registry: Registry;
    let published: Awaited<ReturnType<AlertTopic['publish']>>;
    try {
      registry = await deps.registry();
      published = await deps.topic.publish(snsMessage(detail, detailType, registry));
    } catch (error) {
      deps.logger?.error('alert notification failed; SQS will retry', {
        messageId: record.messageId,
        alertId: detail.alertId,
        reason: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    const slack = deps.slack === undefined ? 'not configured' : await postToSlack(deps, detail, detailType, registry);
    deps.logger?.info('alert notified', { alertId: detail.alertId, detailType, snsMessageId: published.messageId, slack });
  };

  return async (event: SQSEvent): Promise<SQSBatchResponse> =>
    processPartialResponse(event, notify, processor, { throwOnFullBatchFailure: false });
};

/**
 * The deployed function's deps: the registry from the table (read only, cached), the alert topic,
 * and Slack when SLACK_WEBHOOK_SECRET_ARN is set.
 */
export const liveDeps =
  ({ logger, tracer }: Observability = createObservability()) =>
  (): NotifyDeps => {
    const { tableName, alertTopicArn } = readConfig(['tableName', 'alertTopicArn']);
    const secretArn = process.env[ENV.slackWebhookSecretArn]?.trim();
    const registry = new RegistryCache(new DynamoRegistryRepository({ tableName, client: dynamoDbClient(tracer) }));
    return {
      registry: () => registry.get(),
      topic: createSnsAlertTopic(snsClient(tracer), alertTopicArn),
      ...(secretArn ? { slack: createSlackWebhook(webhookUrlFromSecret(secretsManagerClient(tracer), secretArn)) } : {}),
      logger: portLogger(logger),
    };
  };

const observability = createObservability();

export const handler = middy(createHandler(liveDeps(observability)))
  .use(tracingMiddleware(observability.tracer))
  .use(injectLambdaContext(observability.logger, { clearState: true }));
