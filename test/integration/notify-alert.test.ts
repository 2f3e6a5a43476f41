/**
 * The notifier handler end to end on its outbound side: SQS batches of alert events in, SNS
 * publications and Slack posts out. Slack is a real HTTP server on loopback; the webhook secret is
 * read from moto's Secrets Manager where moto is installed.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { POSITIONS_DIVERGED, type PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import { createSlackWebhook, parseWebhookSecret, webhookUrlFromSecret } from '../../functions/adapters/slack/webhook.ts';
import { SlackConfigError, type AlertTopic } from '../../functions/application/notify-alert.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import { createHandler } from '../../functions/handlers/notify-alert.ts';
import type { SlackPayload, SnsAlertMessage } from '../../functions/notify/format-alert.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../support/dynalite.ts';
import { isMotoAvailable, startMoto, type MotoServer } from '../support/moto.ts';
import { countingMetrics } from '../../support/counting-metrics.ts';
import { sqsBatch, sqsRecord, sqsRecordFromBody } from '../../support/sqs-events.ts';

const registry = buildRegistry(loadSeedRegistryUpdates());
const russiaOnTroops = JSON.parse(
  readFileSync(new URL('../fixtures/alerts/positions-diverged.russia-vs-allies.json', import.meta.url), 'utf8'),
) as PositionsDivergedV1;
const alertEvent = (detail: unknown) => ({ source: TRACKER_SOURCE, 'detail-type': POSITIONS_DIVERGED, detail });

/** The topic port, keeping what it is asked to publish (the SNS adapter itself is covered by sns-filter.test.ts). */
class KeptTopic implements AlertTopic {
  readonly messages: SnsAlertMessage[] = [];
  async publish(message: SnsAlertMessage) {
    this.messages.push(message);
    return { messageId: `m-${this.messages.length}` };
  }
}

class KeptLog {
  readonly lines: string[] = [];
  info = (message: string, ...extra: unknown[]) => void this.lines.push(JSON.stringify([message, ...extra]));
  warn = this.info;
  error = (message: string, ...extra: unknown[]) => void this.lines.push(JSON.stringify([message, ...extra], (_k, v: unknown) => (v instanceof Error ? v.message : v)));
}

interface FakeSlack {
  url: string;
  posts: Array<{ contentType: string | undefined; body: Buffer }>;
  answer: { status: number; body: string };
  close(): Promise<void>;
}

const startFakeSlack = async (): Promise<FakeSlack> => {
  const fake = { posts: [], answer: { status: 200, body: 'ok' } } as unknown as FakeSlack;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      fake.posts.push({ contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(fake.answer.status, { 'content-type': 'text/plain' }).end(fake.answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret-token`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
};

describe('notify-alert handler', () => {
  let slack: FakeSlack;

  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => {
    slack.posts.length = 0;
    slack.answer = { status: 200, body: 'ok' };
  });
  afterAll(async () => {
    await slack.close();
  });

  it('publishes each alert to SNS and posts it to Slack as Block Kit, Arabic byte-exact', async () => {
    // Prepare
    const topic = new KeptTopic();
    const notify = createHandler({ registry: async () => registry, topic, slack: createSlackWebhook(async () => slack.url) });

    // Act
    const response = await notify(sqsBatch([sqsRecord(alertEvent(russiaOnTroops))]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(topic.messages).toHaveLength(1);
    expect(topic.messages[0]?.attributes.actor.StringValue).toBe('russia');
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.contentType).toBe('application/json; charset=utf-8');
    const payload = JSON.parse(slack.posts[0]!.body.toString('utf8')) as SlackPayload;
    expect(payload.blocks.map((b) => b.type).slice(0, 4)).toEqual(['header', 'section', 'section', 'divider']);
    expect(payload).toMatchObject({ parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false, mrkdwn: false });
    const quote = russiaOnTroops.evidence.actor[0]!.quote!.text;
    expect(slack.posts[0]!.body.includes(Buffer.from(JSON.stringify(quote).slice(1, -1), 'utf8'))).toBe(true);
  });

  it('posts any message with mention parsing and link previews off, whatever the message asks for', async () => {
    // Prepare
    const message = { text: '&lt;!channel&gt;', blocks: [], parse: 'full', link_names: true, unfurl_links: true };

    // Act
    await createSlackWebhook(async () => slack.url).post(message);

    // Assess
    const posted = JSON.parse(slack.posts[0]!.body.toString('utf8')) as Record<string, unknown>;
    expect(posted).toEqual({ text: '&lt;!channel&gt;', blocks: [], parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false, mrkdwn: false });
  });

  it('fails only the record that is not a valid alert, and keeps the reason in the log', async () => {
    // Prepare
    const topic = new KeptTopic();
    const log = new KeptLog();
    const notify = createHandler({ registry: async () => registry, topic, logger: log });
    const { evidence: _dropped, ...withoutEvidence } = russiaOnTroops;
    const good = sqsRecord(alertEvent(russiaOnTroops));
    const invalid = sqsRecord(alertEvent(withoutEvidence));
    const notJson = sqsRecordFromBody('{not json');
    const notAnAlert = sqsRecord({ source: TRACKER_SOURCE, 'detail-type': 'Position Changed', detail: { schemaVersion: '1' } });

    // Act
    const response = await notify(sqsBatch([good, invalid, notJson, notAnAlert]));

    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([invalid, notJson, notAnAlert].map((r) => r.messageId).sort());
    expect(topic.messages).toHaveLength(1);
    const rejections = log.lines.filter((line) => line.includes('rejected alert event'));
    expect(rejections.find((line) => line.includes(invalid.messageId))).toContain('detail.evidence');
    expect(rejections.find((line) => line.includes(notJson.messageId))).toContain('is a string that is not valid JSON');
    expect(rejections.find((line) => line.includes(notAnAlert.messageId))).toContain('is not an alert detail-type');
  });

  it('counts the alerts notified, the records failed and the Slack posts that did not go out', async () => {
    // Prepare
    slack.answer = { status: 500, body: 'rollup_error' };
    const metrics = new Map<string, number>();
    const notify = createHandler({
      registry: async () => registry,
      topic: new KeptTopic(),
      slack: createSlackWebhook(async () => slack.url, { sleep: async () => undefined }),
      metrics: countingMetrics(metrics),
    });
    const { evidence: _dropped, ...withoutEvidence } = russiaOnTroops;

    // Act
    await notify(sqsBatch([sqsRecord(alertEvent(russiaOnTroops)), sqsRecord(alertEvent(russiaOnTroops)), sqsRecord(alertEvent(withoutEvidence))]));

    // Assess
    expect(Object.fromEntries(metrics)).toEqual({ AlertsNotified: 2, AlertsFailed: 1, SlackFailed: 2 });
  });

  it('keeps the alert delivered on SNS when Slack refuses it, logging why without the webhook URL', async () => {
    // Prepare
    slack.answer = { status: 500, body: 'rollup_error' };
    const topic = new KeptTopic();
    const log = new KeptLog();
    const notify = createHandler({
      registry: async () => registry,
      topic,
      slack: createSlackWebhook(async () => slack.url, { sleep: async () => undefined }),
      logger: log,
    });

    // Act
    const response = await notify(sqsBatch([sqsRecord(alertEvent(russiaOnTroops))]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(topic.messages).toHaveLength(1);
    expect(slack.posts).toHaveLength(3);
    expect(log.lines.join('\n')).toContain('Slack delivery failed; alert sent to SNS only');
    expect(log.lines.join('\n')).toContain('the Slack webhook answered 500: rollup_error');
    expect(log.lines.join('\n')).not.toContain('secret-token');
  });

  it('retries Slack throttling within the call, waiting as long as Slack asks', async () => {
    // Prepare
    const waits: number[] = [];
    let calls = 0;
    const flaky = createServer((request, response) => {
      request.resume();
      calls += 1;
      if (calls === 1) response.writeHead(429, { 'retry-after': '1' }).end('rate_limited');
      else response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/hook`;

    // Act
    await createSlackWebhook(async () => url, { sleep: async (ms) => void waits.push(ms) }).post({ text: 'x', blocks: [] });
    await new Promise((resolve) => flaky.close(resolve));

    // Assess
    expect(calls).toBe(2);
    expect(waits).toEqual([1_000]);
  });

  it('fails the record, and posts nothing to Slack, when SNS refuses the alert', async () => {
    // Prepare
    const log = new KeptLog();
    const failingTopic: AlertTopic = { publish: async () => Promise.reject(new Error('AuthorizationError: not allowed to publish')) };
    const notify = createHandler({ registry: async () => registry, topic: failingTopic, slack: createSlackWebhook(async () => slack.url), logger: log });
    const record = sqsRecord(alertEvent(russiaOnTroops));

    // Act
    const response = await notify(sqsBatch([record]));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(slack.posts).toHaveLength(0);
    expect(log.lines.join('\n')).toContain('alert notification failed; SQS will retry');
  });

  it('sends to SNS only while the Slack secret still holds the deployment placeholder', async () => {
    // Prepare
    const topic = new KeptTopic();
    const log = new KeptLog();
    const placeholder = async () => parseWebhookSecret('not-configured: put the Slack incoming-webhook URL here');
    const notify = createHandler({ registry: async () => registry, topic, slack: createSlackWebhook(placeholder), logger: log });

    // Act
    const response = await notify(sqsBatch([sqsRecord(alertEvent(russiaOnTroops))]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(topic.messages).toHaveLength(1);
    expect(log.lines.join('\n')).toContain('webhook secret is not usable');
  });

  it('says nothing of the URL when the webhook cannot be reached', async () => {
    // Prepare
    const unreachable = 'http://127.0.0.1:9/services/T000/B000/secret-token';

    // Act
    const posting = createSlackWebhook(async () => unreachable, { timeoutMs: 2_000, sleep: async () => undefined }).post({ text: 'x', blocks: [] });

    // Assess
    await expect(posting).rejects.toThrow(/^posting to the Slack webhook failed \(\w+\)$/);
  });
});

describe('the Slack webhook secret', () => {
  it('is the URL itself or JSON with a url, and must be https', () => {
    expect(parseWebhookSecret('https://hooks.slack.com/services/T/B/X\n')).toBe('https://hooks.slack.com/services/T/B/X');
    expect(parseWebhookSecret('{"url":"https://hooks.slack.com/services/T/B/X"}')).toBe('https://hooks.slack.com/services/T/B/X');
    expect(() => parseWebhookSecret('http://hooks.slack.com/services/T/B/X')).toThrow(SlackConfigError);
    expect(() => parseWebhookSecret('not-configured: put the Slack incoming-webhook URL here')).toThrow('is not an https URL');
    expect(() => parseWebhookSecret('{"hook":"x"}')).toThrow('without a "url" string');
  });

  describe.skipIf(!isMotoAvailable())('read from Secrets Manager (moto)', () => {
    let moto: MotoServer;
    let secrets: SecretsManagerClient;

    beforeAll(async () => {
      moto = await startMoto();
      secrets = new SecretsManagerClient({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    });
    afterAll(async () => {
      secrets?.destroy();
      await moto?.stop();
    });

    it('is read once and then served from memory', async () => {
      // Prepare
      const { ARN } = await secrets.send(
        new CreateSecretCommand({ Name: 'tracker/slack-webhook', SecretString: '{"url":"https://hooks.slack.com/services/T1/B1/abc"}' }),
      );
      let reads = 0;
      secrets.middlewareStack.add(
        (next) => async (args) => {
          reads += 1;
          return next(args);
        },
        { step: 'initialize', name: 'countReads' },
      );
      const url = webhookUrlFromSecret(secrets, ARN!);

      // Act
      const first = await url();
      const second = await url();

      // Assess
      expect(first).toBe('https://hooks.slack.com/services/T1/B1/abc');
      expect(second).toBe(first);
      expect(reads).toBe(1);
    });
  });
});
