/**
 * The deployed read API's snapshot links, through its live deps: the S3 client and the presigner
 * are loaded on the first link asked for (functions/handlers/read-api.ts), not at cold start, and
 * the route answers as before. The table is dynalite, the bucket moto, both reached through the
 * standard endpoint variables as a deployed function reaches AWS.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents } from '../../support/processor-rig.ts';
import { inBatches, lambdaContext, sqsRecord } from '../../support/sqs-events.ts';
import { apiGatewayEvent, liveEnvironment } from '../support/live-handler.ts';
import { isMotoAvailable, startMoto, type MotoServer } from '../support/moto.ts';

const ISSUE = 'western-troops-in-ukraine';
const BUCKET = 'tracker-snapshots';
const SNAPSHOT = `${JSON.stringify({ issue: ISSUE, positions: [{ actor: 'germany', quote: 'اعتبرت ألمانيا أن الوقت ما زال مبكراً' }] }, null, 2)}\n`;

const get = (rawPath: string) => apiGatewayEvent(rawPath);

describe.skipIf(!isMotoAvailable())('read-api handler: snapshot links from the bucket, S3 loaded on the first link', () => {
  let store: EmbeddedDynamo;
  let moto: MotoServer;
  let s3: S3Client;
  let handler: (typeof import('../../functions/handlers/read-api.ts'))['handler'];
  const saved = { ...process.env };

  beforeAll(async () => {
    [store, moto] = await Promise.all([startDynalite(), startMoto()]);
    s3 = new S3Client({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const rig = createProcessorRig({ client: store.client, tableName: await store.createTable() });
    await loadSeedRegistry(rig);
    for (const batch of inBatches(seedSampleEvents().map((e) => sqsRecord(e)))) await rig.deliver(batch);
    Object.assign(
      process.env,
      liveEnvironment({ [ENV.tableName]: rig.tableName, [ENV.snapshotBucket]: BUCKET, AWS_ENDPOINT_URL_DYNAMODB: store.endpoint, AWS_ENDPOINT_URL_S3: moto.endpoint }),
    );
    ({ handler } = await import('../../functions/handlers/read-api.ts'));
  });

  afterAll(async () => {
    process.env = saved;
    s3?.destroy();
    await Promise.all([store?.stop(), moto?.stop()]);
  });

  it('answers the table routes with a bucket configured, then 404 for an issue with no snapshot yet', async () => {
    // Act
    const positions = await handler(get(`/issues/${ISSUE}/positions`), lambdaContext('read-api'));
    const missing = await handler(get(`/issues/${ISSUE}/snapshot`), lambdaContext('read-api'));

    // Assess
    expect(positions.statusCode).toBe(200);
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body ?? '')).toMatchObject({ error: 'NotFound', parameter: 'issue' });
  });

  it('hands out a signed link once the snapshot is in the bucket, which serves it byte-exact', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `snapshots/${ISSUE}.json`, Body: SNAPSHOT, ContentType: 'application/json; charset=utf-8' }));

    // Act
    const result = await handler(get(`/issues/${ISSUE}/snapshot`), lambdaContext('read-api'));

    // Assess
    expect(result.statusCode).toBe(200);
    const link = JSON.parse(result.body ?? '') as { issue: string; url: string; expiresAt: string };
    expect(link.issue).toBe(ISSUE);
    const url = new URL(link.url);
    expect(url.pathname).toBe(`/${BUCKET}/snapshots/${ISSUE}.json`);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(SNAPSHOT, 'utf8'))).toBe(true);
  });
});
