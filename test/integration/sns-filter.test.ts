/**
 * Subscription filter policies on the alert attributes, against moto's SNS delivering to SQS queues:
 * the notifier handler publishes formatted alerts through the real SNS client, and each queue
 * receives exactly the alerts its policy selects.
 */
import { readFileSync } from 'node:fs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED, type PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import { createSnsAlertTopic } from '../../functions/adapters/sns/alert-publisher.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import { createHandler } from '../../functions/handlers/notify-alert.ts';
import { snsMessage } from '../../functions/notify/format-alert.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../support/dynalite.ts';
import { MOTO_COMMAND, isMotoAvailable, startMoto, type MotoServer } from '../support/moto.ts';
import { createQueue, receiveAll, type MotoQueue } from '../support/moto-sqs.ts';
import { sqsBatchOf } from '../../support/sqs-events.ts';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as T;

const registry = buildRegistry(loadSeedRegistryUpdates());

const russiaOnTroops = fixture<PositionsDivergedV1>('positions-diverged.russia-vs-allies');
const germanyBackInLine = fixture<PositionsDivergedV1>('positions-converged.germany-split-from-allies');
const usReversal = fixture<PositionsDivergedV1>('positions-diverged.united-states-reversal');
/** The same watch on another issue: must not reach a subscriber who only wants the troops question. */
const russiaOnCeasefire: PositionsDivergedV1 = {
  ...russiaOnTroops,
  alertId: 'al-77aa0e2b9c1d3f4a5b6c-opened',
  episodeId: 'ep-77aa0e2b9c1d3f4a5b6c',
  divergenceId: 'actor-vs-bloc:ceasefire-before-peace-deal:russia:allies',
  issue: 'ceasefire-before-peace-deal',
  evidence: {
    actor: russiaOnTroops.evidence.actor.map((e) => ({ ...e, issue: 'ceasefire-before-peace-deal' })),
    other: russiaOnTroops.evidence.other.map((e) => ({ ...e, issue: 'ceasefire-before-peace-deal' })),
  },
};

/** The README's example: an editor who only wants Russia on Western troops. */
const ONLY_RUSSIA_ON_WESTERN_TROOPS = { issue: ['western-troops-in-ukraine'], actor: ['russia'] };

const SUBSCRIPTIONS = {
  onlyRussiaOnTroops: ONLY_RUSSIA_ON_WESTERN_TROOPS,
  blocSplits: { kind: ['bloc-split'] },
  convergencesOnTroops: { issue: ['western-troops-in-ukraine'], event: ['converged'] },
  everythingButReversals: { bloc: [{ 'anything-but': ['none'] }] },
  everything: undefined,
} as const;

type SubscriptionName = keyof typeof SUBSCRIPTIONS;

interface SnsEnvelope {
  Type: string;
  Subject?: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}

describe.skipIf(!isMotoAvailable())('SNS filter policies on alert attributes (moto)', () => {
  let moto: MotoServer;
  let sns: SNSClient;
  let topicArn: string;
  const queues = {} as Record<SubscriptionName, MotoQueue>;
  const received = {} as Record<SubscriptionName, SnsEnvelope[]>;

  beforeAll(async () => {
    moto = await startMoto();
    sns = new SNSClient({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    ({ TopicArn: topicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'tracker-alerts' })));
    for (const [name, policy] of Object.entries(SUBSCRIPTIONS) as Array<[SubscriptionName, object | undefined]>) {
      queues[name] = await createQueue(moto.endpoint, `alerts-${name}`);
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queues[name].arn,
          ...(policy === undefined ? {} : { Attributes: { FilterPolicy: JSON.stringify(policy) } }),
        }),
      );
    }

    // Act (shared by the assertions below): the notifier handles one batch of four alerts.
    const notify = createHandler({ registry: async () => registry, topic: createSnsAlertTopic(sns, topicArn) });
    const response = await notify(
      sqsBatchOf([
        { source: TRACKER_SOURCE, 'detail-type': POSITIONS_DIVERGED, detail: russiaOnTroops },
        { source: TRACKER_SOURCE, 'detail-type': POSITIONS_CONVERGED, detail: germanyBackInLine },
        { source: TRACKER_SOURCE, 'detail-type': POSITIONS_DIVERGED, detail: usReversal },
        { source: TRACKER_SOURCE, 'detail-type': POSITIONS_DIVERGED, detail: russiaOnCeasefire },
      ]),
    );
    expect(response.batchItemFailures).toEqual([]);
    for (const name of Object.keys(SUBSCRIPTIONS) as SubscriptionName[]) {
      received[name] = (await receiveAll(moto.endpoint, queues[name])).map((m) => JSON.parse(m.Body) as SnsEnvelope);
    }
  });

  afterAll(async () => {
    sns?.destroy();
    await moto?.stop();
  });

  const alertIdsOf = (name: SubscriptionName): string[] =>
    received[name].map((envelope) => /Alert (al-[\w-]+),/.exec(envelope.Message)?.[1] ?? '?').sort();

  it('delivers to "only russia on western troops" just the Russia alert on Western troops', () => {
    expect(alertIdsOf('onlyRussiaOnTroops')).toEqual([russiaOnTroops.alertId]);
  });

  it('delivers by kind, by event and issue, and with anything-but on the bloc', () => {
    expect(alertIdsOf('blocSplits')).toEqual([germanyBackInLine.alertId]);
    expect(alertIdsOf('convergencesOnTroops')).toEqual([germanyBackInLine.alertId]);
    expect(alertIdsOf('everythingButReversals')).toEqual(
      [russiaOnTroops.alertId, germanyBackInLine.alertId, russiaOnCeasefire.alertId].sort(),
    );
    expect(alertIdsOf('everything')).toEqual(
      [russiaOnTroops.alertId, germanyBackInLine.alertId, usReversal.alertId, russiaOnCeasefire.alertId].sort(),
    );
  });

  it('carries the subject, the bilingual body byte-exact, and the attributes (the alert id among them) to the subscriber', () => {
    // Prepare
    const expected = snsMessage(russiaOnTroops, POSITIONS_DIVERGED, registry);

    // Assess
    const [envelope] = received.onlyRussiaOnTroops;
    expect(envelope?.Type).toBe('Notification');
    expect(envelope?.Subject).toBe(expected.subject);
    expect(Buffer.from(envelope?.Message ?? '', 'utf8').equals(Buffer.from(expected.message, 'utf8'))).toBe(true);
    expect(envelope?.MessageAttributes).toEqual({
      issue: { Type: 'String', Value: 'western-troops-in-ukraine' },
      actor: { Type: 'String', Value: 'russia' },
      bloc: { Type: 'String', Value: 'allies' },
      kind: { Type: 'String', Value: 'actor-vs-bloc' },
      event: { Type: 'String', Value: 'diverged' },
      alertId: { Type: 'String', Value: russiaOnTroops.alertId },
    });
  });
});

if (!isMotoAvailable()) {
  describe('SNS filter policies on alert attributes (moto)', () => {
    it.skip(`moto_server not found (tried '${MOTO_COMMAND}'; pip install "moto[server]" or set MOTO_SERVER): filter policies not tested`, () => undefined);
  });
}
