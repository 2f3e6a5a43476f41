/**
 * The deployed desk API through its live deps (`handler`): the table is dynalite, the bus moto's
 * EventBridge, both reached through the standard endpoint variables as a deployed function reaches
 * AWS. The EventBridge client loads on the first event recorded, not at cold start
 * (functions/handlers/desk-api.ts): GET /me answers without it, and recording then puts the event.
 */
import { readFileSync } from 'node:fs';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry } from '../../support/processor-rig.ts';
import { lambdaContext } from '../../support/sqs-events.ts';
import { apiGatewayEvent, liveEnvironment } from '../support/live-handler.ts';
import { isMotoAvailable, startMoto, type MotoServer } from '../support/moto.ts';

const BUS = 'position-tracker-test';
const SAMPLE = JSON.parse(readFileSync(new URL('../../events/samples/01-trump-us-security-backstop.json', import.meta.url), 'utf8')) as {
  'detail-type': string;
  detail: Record<string, unknown>;
};

/** A request as the IAM authorizer lets it through: no JWT, so the caller is an editor. */
const request = (method: 'GET' | 'POST', rawPath: string, body?: unknown): APIGatewayProxyEventV2WithJWTAuthorizer =>
  apiGatewayEvent(rawPath, { method, body }) as APIGatewayProxyEventV2WithJWTAuthorizer;

describe.skipIf(!isMotoAvailable())('desk-api handler (Lambda): EventBridge loaded on the first event recorded', () => {
  let store: EmbeddedDynamo;
  let moto: MotoServer;
  let handler: (typeof import('../../functions/handlers/desk-api.ts'))['handler'];
  const saved = { ...process.env };

  beforeAll(async () => {
    [store, moto] = await Promise.all([startDynalite(), startMoto()]);
    const events = new EventBridgeClient({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await events.send(new CreateEventBusCommand({ Name: BUS }));
    events.destroy();
    const rig = createProcessorRig({ client: store.client, tableName: await store.createTable() });
    await loadSeedRegistry(rig);
    Object.assign(
      process.env,
      liveEnvironment({ [ENV.tableName]: rig.tableName, [ENV.eventBusName]: BUS, AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, AWS_ENDPOINT_URL_EVENTBRIDGE: moto.endpoint }),
    );
    delete process.env[ENV.apiScopes];
    ({ handler } = await import('../../functions/handlers/desk-api.ts'));
  });

  afterAll(async () => {
    process.env = saved;
    await Promise.all([store?.stop(), moto?.stop()]);
  });

  it('answers GET /me for the IAM-authorized caller', async () => {
    const result = await handler(request('GET', '/me'), lambdaContext('desk-api'));

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ role: 'editor', scopes: ['read', 'quarantine', 'write'] });
  });

  it('puts a recorded statement on the bus and answers 202 with the id the bus gave it', async () => {
    // Act
    const result = await handler(request('POST', '/desk/events', { detailType: SAMPLE['detail-type'], detail: SAMPLE.detail }), lambdaContext('desk-api'));

    // Assess
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body ?? '')).toEqual({ eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), detailType: 'Statement Recorded', source: 'newsroom.desk' });
  });
});
