/**
 * The deployed entry point (`handler`, with its live deps read from the environment) invoked with
 * API Gateway HTTP API payload v2 events, against dynalite through the standard endpoint variable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents } from '../../support/processor-rig.ts';
import { inBatches, lambdaContext, sqsRecord } from '../../support/sqs-events.ts';
import { apiGatewayEvent, liveEnvironment } from '../support/live-handler.ts';

describe('read-api handler (Lambda, API Gateway payload v2)', () => {
  let store: EmbeddedDynamo;
  let handler: (typeof import('../../functions/handlers/read-api.ts'))['handler'];
  const saved = { ...process.env };

  beforeAll(async () => {
    store = await startDynalite();
    const rig = createProcessorRig({ client: store.client, tableName: await store.createTable() });
    await loadSeedRegistry(rig);
    for (const batch of inBatches(seedSampleEvents().map((e) => sqsRecord(e)))) await rig.deliver(batch);
    Object.assign(process.env, liveEnvironment({ [ENV.tableName]: rig.tableName, AWS_ENDPOINT_URL_DYNAMODB: store.endpoint }));
    delete process.env[ENV.snapshotBucket];
    ({ handler } = await import('../../functions/handlers/read-api.ts'));
  });

  afterAll(async () => {
    process.env = saved;
    await store?.stop();
  });

  it('answers a $default-stage request from the table named in the environment', async () => {
    // Act
    const result = await handler(apiGatewayEvent('/issues/western-troops-in-ukraine/positions'), lambdaContext('read-api'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    const matrix = JSON.parse(result.body ?? '');
    expect(matrix.positions.map((p: { actor: string }) => p.actor)).toEqual(['france', 'germany', 'nato', 'russia', 'ukraine']);
  });

  it('strips a named stage from the path and negotiates CSV from the lower-cased headers', async () => {
    // Act
    const result = await handler(
      apiGatewayEvent('/prod/actors/germany/history', { stage: 'prod', headers: { accept: 'text/csv' } }),
      lambdaContext('read-api'),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(result.body?.startsWith('\uFEFFissue,actor,')).toBe(true);
  });

  it('takes validated query parameters and needs no API key behind the gateway', async () => {
    // Act
    const bad = await handler(apiGatewayEvent('/alerts', { query: { limit: '0' } }), lambdaContext('read-api'));
    const good = await handler(apiGatewayEvent('/alerts', { query: { actor: 'germany' } }), lambdaContext('read-api'));

    // Assess
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body ?? '')).toMatchObject({ error: 'BadRequest', parameter: 'limit' });
    expect(good.statusCode).toBe(200);
    expect(JSON.parse(good.body ?? '').alerts).toHaveLength(1);
  });

  it('answers 501 for snapshots when no bucket is configured', async () => {
    const result = await handler(apiGatewayEvent('/issues/western-troops-in-ukraine/snapshot'), lambdaContext('read-api'));
    expect(result.statusCode).toBe(501);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: 'NotImplemented' });
  });
});
