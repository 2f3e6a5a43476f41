/**
 * The snapshot stores: a folder locally, a private S3 bucket (moto) in AWS, with the signed URL the
 * read API hands out.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsSnapshotStore } from '../../functions/adapters/fs/snapshot-store.ts';
import { SNAPSHOT_CACHE_CONTROL, SNAPSHOT_CONTENT_TYPE, createS3SnapshotStore } from '../../functions/adapters/s3/snapshot-store.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../support/dynalite.ts';
import { isMotoAvailable, startMoto, type MotoServer } from '../support/moto.ts';

const ISSUE = 'western-troops-in-ukraine';
const SNAPSHOT = `${JSON.stringify({ issue: ISSUE, positions: [{ actor: 'germany', quote: 'اعتبرت ألمانيا أن الوقت ما زال مبكراً' }] }, null, 2)}\n`;

describe('the folder snapshot store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapshots-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has no link before the first snapshot, then writes <dir>/<issue>.json byte-exact and links to it', async () => {
    // Prepare
    const store = createFsSnapshotStore(join(dir, 'nested'));
    expect(await store.link(ISSUE)).toBeNull();

    // Act
    await store.put(ISSUE, SNAPSHOT);
    await store.put(ISSUE, SNAPSHOT);

    // Assess
    const file = join(dir, 'nested', `${ISSUE}.json`);
    expect((await readFile(file)).equals(Buffer.from(SNAPSHOT, 'utf8'))).toBe(true);
    expect(await readdir(join(dir, 'nested'))).toEqual([`${ISSUE}.json`]);
    const link = await store.link(ISSUE);
    expect(link).toEqual({ issue: ISSUE, url: expect.stringMatching(/^file:\/\//), expiresAt: null });
    expect(fileURLToPath(link!.url)).toBe(file);
  });
});

describe.skipIf(!isMotoAvailable())('the S3 snapshot store (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  const bucket = 'tracker-snapshots';

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ endpoint: moto.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it('writes snapshots/<issue>.json as UTF-8 JSON with a short cache lifetime', async () => {
    // Act
    await createS3SnapshotStore(s3, bucket).put(ISSUE, SNAPSHOT);

    // Assess
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `snapshots/${ISSUE}.json` }));
    expect(head.ContentType).toBe(SNAPSHOT_CONTENT_TYPE);
    expect(head.CacheControl).toBe(SNAPSHOT_CACHE_CONTROL);
    expect(head.ContentLength).toBe(Buffer.byteLength(SNAPSHOT, 'utf8'));
  });

  it('hands out a signed URL that expires, and serves the snapshot byte-exact through it', async () => {
    // Prepare
    const issuedAt = new Date('2026-01-06T14:30:00.000Z');
    const store = createS3SnapshotStore(s3, bucket, { linkTtlSeconds: 120, now: () => new Date() });
    await store.put(ISSUE, SNAPSHOT);

    // Act
    const link = await store.link(ISSUE);
    const fixed = await createS3SnapshotStore(s3, bucket, { linkTtlSeconds: 120, now: () => issuedAt }).link(ISSUE);

    // Assess
    expect(fixed?.expiresAt).toBe('2026-01-06T14:32:00.000Z');
    const url = new URL(link!.url);
    expect(url.pathname).toBe(`/${bucket}/snapshots/${ISSUE}.json`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const response = await fetch(link!.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(SNAPSHOT, 'utf8'))).toBe(true);
  });

  it('has no link for an issue without a snapshot', async () => {
    expect(await createS3SnapshotStore(s3, bucket).link('russia-as-guarantor')).toBeNull();
  });
});
