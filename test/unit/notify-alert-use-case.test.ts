/**
 * The notify-alert use case over its ports: the topic of record first, Slack after it and only
 * after it, Slack failures kept from failing the alert. (The handler around it, with the real Slack
 * webhook adapter on loopback, is test/integration/notify-alert.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POSITIONS_DIVERGED, type PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import { SlackConfigError, notifyAlert, type AlertTopic, type NotifyAlertDeps, type SlackChannel } from '../../functions/application/notify-alert.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import type { SlackMessage, SnsAlertMessage } from '../../functions/notify/format-alert.ts';

const registry = buildRegistry(loadSeedRegistryUpdates());
const detail = JSON.parse(
  readFileSync(new URL('../fixtures/alerts/positions-diverged.russia-vs-allies.json', import.meta.url), 'utf8'),
) as PositionsDivergedV1;
const alert = { detailType: POSITIONS_DIVERGED, detail } as const;

/** Topic and Slack channel that record, in one list, what was asked of them and in which order. */
const recordingPorts = (options: { topicFails?: boolean; slackFails?: Error } = {}) => {
  const calls: string[] = [];
  const topic: AlertTopic = {
    async publish(message: SnsAlertMessage) {
      calls.push(`sns ${message.alertId}`);
      if (options.topicFails) throw new Error('AuthorizationError: not allowed to publish');
      return { messageId: 'sns-1' };
    },
  };
  const slack: SlackChannel = {
    async post(message: SlackMessage) {
      calls.push(`slack ${message.blocks.length} blocks`);
      if (options.slackFails) throw options.slackFails;
    },
  };
  const errors: string[] = [];
  const deps: NotifyAlertDeps = {
    registry: async () => registry,
    topic,
    slack,
    logger: { info: () => undefined, warn: () => undefined, error: (message) => void errors.push(message) },
  };
  return { deps, calls, errors };
};

describe('notifyAlert', () => {
  it('publishes to the topic, then posts to Slack, and says what each did', async () => {
    // Prepare
    const { deps, calls } = recordingPorts();

    // Act
    const notified = await notifyAlert(deps, alert);

    // Assess
    expect(notified).toEqual({ snsMessageId: 'sns-1', slack: 'posted' });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(`sns ${detail.alertId}`);
    expect(calls[1]).toMatch(/^slack \d+ blocks$/);
  });

  it('throws when the topic refuses the alert, and posts nothing to Slack', async () => {
    // Prepare
    const { deps, calls } = recordingPorts({ topicFails: true });

    // Act
    const notifying = notifyAlert(deps, alert);

    // Assess
    await expect(notifying).rejects.toThrow('AuthorizationError');
    expect(calls).toEqual([`sns ${detail.alertId}`]);
  });

  it.each([
    ['failed', new Error('the Slack webhook answered 500: rollup_error'), 'Slack delivery failed; alert sent to SNS only'],
    ['misconfigured', new SlackConfigError('the Slack webhook secret is not an https URL'), 'Slack is configured but its webhook secret is not usable; alert sent to SNS only'],
  ])('keeps the alert notified when Slack %s, logging why', async (slack, error, logged) => {
    // Prepare
    const { deps, errors } = recordingPorts({ slackFails: error });

    // Act
    const notified = await notifyAlert(deps, alert);

    // Assess
    expect(notified).toEqual({ snsMessageId: 'sns-1', slack });
    expect(errors).toEqual([logged]);
  });

  it('publishes to the topic alone where no Slack channel is configured', async () => {
    // Prepare
    const { deps, calls } = recordingPorts();
    const { slack: _none, ...withoutSlack } = deps;

    // Act
    const notified = await notifyAlert(withoutSlack, alert);

    // Assess
    expect(notified).toEqual({ snsMessageId: 'sns-1', slack: 'not configured' });
    expect(calls).toEqual([`sns ${detail.alertId}`]);
  });
});
