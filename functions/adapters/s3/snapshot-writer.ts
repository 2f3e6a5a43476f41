/**
 * Writing snapshots to the private S3 bucket (the snapshot writer's side). Signed links are in
 * snapshot-links.ts, so the writer's bundle carries no presigner.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { snapshotKey, type SnapshotStore } from '../../application/snapshots.ts';

export const SNAPSHOT_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Positions move by the minute: caches (CloudFront, browsers) may keep a snapshot this long, no longer. */
export const SNAPSHOT_CACHE_CONTROL = 'max-age=30';

export const createS3SnapshotWriter = (client: S3Client, bucket: string): Pick<SnapshotStore, 'put'> => ({
  async put(issue, json) {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: snapshotKey(issue),
        Body: Buffer.from(json, 'utf8'),
        ContentType: SNAPSHOT_CONTENT_TYPE,
        CacheControl: SNAPSHOT_CACHE_CONTROL,
      }),
    );
  },
});
