/**
 * Short-lived signed URLs to snapshots in the private S3 bucket (the read API's side): graphics
 * fetch a snapshot through one of these, or through CloudFront; the bucket itself is never public.
 *
 * The presigner is bundled into the read API rather than left to the Lambda runtime: no source we
 * can cite says the Node.js runtime ships @aws-sdk/s3-request-presigner, as it ships the clients.
 * The S3 package's commands are imported on the first link, not with this module: the read API
 * imports this module when a request first asks for a link (functions/handlers/read-api.ts), and
 * esbuild would hoist a static import of the external package to the top of the bundle, loading it
 * at cold start for every request.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { snapshotKey, type SnapshotStore } from '../../application/snapshots.ts';

export interface S3SnapshotLinkOptions {
  /** Lifetime of a signed URL. */
  linkTtlSeconds?: number;
  now?: () => Date;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'NotFound' || error.name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

export const createS3SnapshotLinks = (client: S3Client, bucket: string, options: S3SnapshotLinkOptions = {}): Pick<SnapshotStore, 'link'> => {
  const { linkTtlSeconds = 300, now = () => new Date() } = options;
  return {
    async link(issue) {
      const { GetObjectCommand, HeadObjectCommand } = await import('@aws-sdk/client-s3');
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
