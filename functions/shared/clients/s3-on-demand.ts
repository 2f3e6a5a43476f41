/**
 * The S3 client for a function that calls S3 on few of its invocations: the read API, which reads
 * the table for every route and S3 only for a snapshot link. The SDK package is imported when the
 * first link is asked for, not at cold start (a dynamic import stays one in the bundle, where a
 * static one is hoisted and loaded with it), and the client is then kept like any other
 * (lazy-client.ts). Functions that call S3 on every invocation import `s3.ts` instead: loading the
 * package during the first invocation rather than before it would only move the cost.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { S3Client } from '@aws-sdk/client-s3';
import { memoise } from '../memoise.ts';

export const s3ClientOnDemand = memoise(async (tracer?: Tracer): Promise<S3Client> => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({});
  tracer?.captureAWSv3Client(client);
  return client;
});
