/**
 * Snapshots in a private S3 bucket. Graphics read them through CloudFront (origin access control) or
 * through a short-lived signed URL handed out by the read API; the bucket itself is never public.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { snapshotKey, type SnapshotStore } from '../../application/snapshots.ts';

export const SNAPSHOT_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Positions move by the minute: caches (CloudFront, browsers) may keep a snapshot this long, no longer. */
export const SNAPSHOT_CACHE_CONTROL = 'max-age=30';

export interface S3SnapshotStoreOptions {
  /** Lifetime of a signed URL. */
  linkTtlSeconds?: number;
  now?: () => Date;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'NotFound' || error.name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

export const createS3SnapshotStore = (client: S3Client, bucket: string, options: S3SnapshotStoreOptions = {}): SnapshotStore => {
  const { linkTtlSeconds = 300, now = () => new Date() } = options;
  return {
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

    async link(issue) {
      const key = snapshotKey(issue);
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      const issuedAt = now();
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: linkTtlSeconds,
        signingDate: issuedAt,
      });
      return { issue, url, expiresAt: new Date(issuedAt.getTime() + linkTtlSeconds * 1_000).toISOString() };
    },
  };
};
