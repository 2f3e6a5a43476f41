/** The local feed route reaches the feed writer's files and nothing else, and answers as CloudFront would. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFeed } from '../../../local/http/feed-route.ts';

describe('serveFeed', () => {
  let parent: string;
  let root: string;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'feed-route-'));
    root = join(parent, 'feeds');
    await mkdir(join(root, 'western-troops-in-ukraine'), { recursive: true });
    await writeFile(join(root, 'western-troops-in-ukraine', 'timeline.csv'), '\uFEFFdate\r\n', 'utf8');
    // Beside the feeds, as the API key file sits beside them in a data directory.
    await writeFile(join(parent, 'api-key'), 'secret', 'utf8');
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('serves a feed file with CORS, the short cache and its media type', async () => {
    const response = await serveFeed('GET', '/feeds/western-troops-in-ukraine/timeline.csv', root);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('\uFEFFdate\r\n');
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'cache-control': 'public, max-age=5',
      'content-type': 'text/csv; charset=utf-8; header=present',
    });
  });

  it.each(['/feeds/../api-key', '/feeds/%2e%2e/api-key', '/feeds/western-troops-in-ukraine/../../api-key', '/feeds/', '/feeds/x/y/z.csv', '/feeds/README.md'])(
    'answers 404 for %s, which is no feed',
    async (path) => {
      const response = await serveFeed('GET', path, root);
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('secret');
    },
  );

  it('answers a preflight, and refuses writes naming the methods it takes', async () => {
    expect((await serveFeed('OPTIONS', '/feeds/index.json', root)).statusCode).toBe(204);
    const put = await serveFeed('PUT', '/feeds/index.json', root);
    expect(put.statusCode).toBe(405);
    expect(put.headers['allow']).toBe('GET, HEAD, OPTIONS');
  });
});
