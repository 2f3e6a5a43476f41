/** The snapshot bucket's client (snapshot writer, read API); AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3 points it elsewhere (see lazy-client.ts). */
import { S3Client } from '@aws-sdk/client-s3';
import { lazyClient } from './lazy-client.ts';

export const s3Client = lazyClient(() => new S3Client({}));
