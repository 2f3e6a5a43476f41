/**
 * Snapshots in a private S3 bucket, both sides in one store: writing (snapshot-writer.ts) and
 * signed links (snapshot-links.ts). The Lambda handlers each import only the side they use.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SnapshotStore } from '../../application/snapshots.ts';
import { createS3SnapshotLinks, type S3SnapshotLinkOptions } from './snapshot-links.ts';
import { createS3SnapshotWriter } from './snapshot-writer.ts';

export { SNAPSHOT_CACHE_CONTROL, SNAPSHOT_CONTENT_TYPE } from './snapshot-writer.ts';

export const createS3SnapshotStore = (client: S3Client, bucket: string, options: S3SnapshotLinkOptions = {}): SnapshotStore => ({
  ...createS3SnapshotWriter(client, bucket),
  ...createS3SnapshotLinks(client, bucket, options),
});
