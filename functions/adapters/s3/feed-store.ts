/**
 * The feeds in their own S3 bucket, under `feeds/<token>/`: CloudFront serves that prefix as the
 * distribution's root, so the token is the first segment of every public URL.
 */
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FeedStore } from '../../application/feeds.ts';
import { FEED_CACHE_CONTROL } from '../../application/feed-files.ts';

/** Every object of the feeds is under this prefix; the writer's grant is on it alone. */
export const FEEDS_PREFIX = 'feeds';

/** Long enough not to be guessed, URL-safe so it needs no encoding in a path. */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

export const feedObjectPrefix = (token: string): string => `${FEEDS_PREFIX}/${token}`;

export const createS3FeedStore = (client: S3Client, bucket: string, token: string): FeedStore => {
  if (!FEED_TOKEN_PATTERN.test(token)) {
    throw new Error('the feeds token must be 22 to 128 characters of A-Z a-z 0-9 _ - (e.g. openssl rand -hex 16)');
  }
  const keyOf = (key: string): string => `${feedObjectPrefix(token)}/${key}`;
  return {
    async put({ key, body, contentType }) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: keyOf(key), Body: Buffer.from(body, 'utf8'), ContentType: contentType, CacheControl: FEED_CACHE_CONTROL }),
      );
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
    },
  };
};
