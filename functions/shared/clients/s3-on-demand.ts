/** The read API's S3 client, for snapshot links only: the package loads on the first link, not at cold start (see `onDemandClient`, lazy-client.ts). */
import { onDemandClient } from './lazy-client.ts';

export const s3ClientOnDemand = onDemandClient(async () => new (await import('@aws-sdk/client-s3')).S3Client({}));
