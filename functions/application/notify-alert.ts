/**
 * Telling people about an alert: a Positions Diverged or Converged event, formatted for people
 * (functions/notify/format-alert.ts), is published to the alert topic and then, where a Slack
 * channel is configured, posted there.
 *
 * The topic (SNS) is the channel of record and at least once: when publishing fails the use case
 * throws and the caller's retry publishes again; every message carries the alert id to deduplicate
 * on. Slack is posted only after the topic has the alert, and is best effort from then on: failing
 * would have the retry publish to the topic again, and every e-mail subscriber would get it twice.
 */
import type { Registry } from '../core/types.ts';
import { slackBlocks, snsMessage, type AlertDetail, type AlertDetailType, type SlackMessage, type SnsAlertMessage } from '../notify/format-alert.ts';
import { silentLogger, type LoggerPort } from './logger.ts';

/** The topic people subscribe to (SNS, with the attributes their filter policies match on). */
export interface AlertTopic {
  publish(message: SnsAlertMessage): Promise<{ messageId: string | undefined }>;
}

export interface SlackChannel {
  /** Posts the message with Slack's parsing of mentions, channel names and link previews switched off, whatever it carries. */
  post(message: SlackMessage): Promise<void>;
}

/** The Slack channel is configured but cannot be used (its webhook secret still holds a placeholder, say). Retrying will not help. */
export class SlackConfigError extends Error {
  override readonly name = 'SlackConfigError';
}

export interface NotifyAlertDeps {
  /** The registry, for names in English and Arabic; expected to be cached by the caller. */
  registry: () => Promise<Registry>;
  topic: AlertTopic;
  /** Absent when no Slack channel is configured. */
  slack?: SlackChannel;
  logger?: LoggerPort;
}

export interface Alert {
  detailType: AlertDetailType;
  detail: AlertDetail;
}

export type SlackDelivery = 'posted' | 'failed' | 'misconfigured' | 'not configured';

export interface AlertNotified {
  snsMessageId: string | undefined;
  slack: SlackDelivery;
}

/**
 * Throttling and server errors are retried inside the channel; what still fails is logged as an
 * error (and counted by the handler), never thrown.
 */
const postToSlack = async (slack: SlackChannel, logger: LoggerPort, { detail, detailType }: Alert, registry: Registry): Promise<SlackDelivery> => {
  try {
    await slack.post(slackBlocks(detail, detailType, registry));
    return 'posted';
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof SlackConfigError) {
      logger.error('Slack is configured but its webhook secret is not usable; alert sent to SNS only', { alertId: detail.alertId, reason });
      return 'misconfigured';
    }
    logger.error('Slack delivery failed; alert sent to SNS only', { alertId: detail.alertId, reason });
    return 'failed';
  }
};

/** Publishes the alert to the topic, then posts it to Slack; throws only when the topic did not take it. */
export const notifyAlert = async (deps: NotifyAlertDeps, alert: Alert): Promise<AlertNotified> => {
  const logger = deps.logger ?? silentLogger;
  const registry = await deps.registry();
  const published = await deps.topic.publish(snsMessage(alert.detail, alert.detailType, registry));
  const slack = deps.slack === undefined ? 'not configured' : await postToSlack(deps.slack, logger, alert, registry);
  logger.info('alert notified', { alertId: alert.detail.alertId, detailType: alert.detailType, snsMessageId: published.messageId, slack });
  return { snsMessageId: published.messageId, slack };
};
