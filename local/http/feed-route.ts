/**
 * The feeds for graphics desks, served from their folder under /feeds/ as CloudFront serves them
 * in AWS: GET and HEAD, `Access-Control-Allow-Origin: *`, the same short cache, and no
 * credentials. The one deliberate exception to the API key the server asks on every other route:
 * Datawrapper and Flourish fetch a feed URL without any header of ours, so a feed that needed the
 * key could not be charted. Only files the feed writer wrote are reachable (nothing outside the
 * folder, no listing). In AWS the unguessable token in the path stands in for the key; locally
 * the server listens on loopback, for one developer's machine, and the path has no token.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { feedPath } from '../../functions/adapters/fs/feed-store.ts';
import { FEED_CACHE_CONTROL, FEED_CSV_CONTENT_TYPE, FEED_JSON_CONTENT_TYPE } from '../../functions/application/feed-files.ts';
import type { ReadApiResponse } from '../../functions/api/http.ts';

export const FEEDS_PATH_PREFIX = '/feeds/';

/** What CloudFront's response headers policy adds (infra/constructs/feeds.ts). */
export const FEED_CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-max-age': '600',
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.csv': FEED_CSV_CONTENT_TYPE, '.json': FEED_JSON_CONTENT_TYPE };
/** Registry ids are slugs and feed files have fixed names: anything else is no feed. */
const FEED_KEY = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*\/)?[a-z0-9.]+\.(?:csv|json)$/;

const plain = (statusCode: number, message: string, extra: Record<string, string> = {}): ReadApiResponse => ({
  statusCode,
  headers: { ...FEED_CORS_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
  body: JSON.stringify({ error: statusCode === 404 ? 'NotFound' : 'MethodNotAllowed', message }),
});

export const isFeedPath = (rawPath: string): boolean => rawPath.startsWith(FEEDS_PATH_PREFIX);

/** The response to a request under /feeds/; a HEAD's body is dropped by the caller. */
export const serveFeed = async (method: string, rawPath: string, root: string): Promise<ReadApiResponse> => {
  if (method === 'OPTIONS') return { statusCode: 204, headers: { ...FEED_CORS_HEADERS }, body: '' };
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'feeds are read with GET or HEAD', { allow: 'GET, HEAD, OPTIONS' });
  const key = rawPath.slice(FEEDS_PATH_PREFIX.length);
  if (!FEED_KEY.test(key)) return plain(404, `no feed at ${rawPath}`);
  try {
    const body = await readFile(feedPath(root, key), 'utf8');
    return {
      statusCode: 200,
      headers: { ...FEED_CORS_HEADERS, 'content-type': CONTENT_TYPES[extname(key)] ?? 'application/octet-stream', 'cache-control': FEED_CACHE_CONTROL },
      body,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return plain(404, `no feed at ${rawPath} (not published, or not written yet)`);
    throw error;
  }
};
