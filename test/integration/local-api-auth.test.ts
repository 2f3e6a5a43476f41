/**
 * The local API server authenticates every request the way API Gateway's authorizer does in AWS:
 * before anything is routed, on every route of the read API's table and every admin route, and on
 * paths no route has. No route is public in AWS, so none is here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadApiRequest } from '../../functions/api/http.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { startApiServer, type AdminRoutes, type ApiServer } from '../../local/http/api-server.ts';

const API_KEY = 'local-auth-test-key';

const READ_PATHS = ROUTES.map((route) => ({ method: route.method, path: route.path.replace(/\{(\w+)\}/g, 'some-id') }));
const ADMIN_PATHS = [
  { method: 'GET', path: '/_local/dlq' },
  { method: 'POST', path: '/_local/dlq/redrive' },
  { method: 'GET', path: '/_local/status' },
  { method: 'GET', path: '/_local/events?id=e-1' },
  { method: 'GET', path: '/_local/nowhere' },
];
const EVERY_PATH = [...READ_PATHS, ...ADMIN_PATHS, { method: 'GET', path: '/nowhere' }];

describe('the local API server', () => {
  const reached: string[] = [];
  let server: ApiServer;

  beforeAll(async () => {
    const admin: AdminRoutes = {
      listDeadLetters: async () => (reached.push('admin:dlq'), { deadLetters: [] }),
      redrive: async () => (reached.push('admin:redrive'), { moved: 0 }),
      status: async () => (reached.push('admin:status'), {}),
      eventFates: async () => (reached.push('admin:events'), { events: [] }),
    };
    const api = async (request: ReadApiRequest) => {
      reached.push(`api:${request.path}`);
      return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' };
    };
    server = await startApiServer({ api, admin, apiKey: API_KEY, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
  });

  const call = (method: string, path: string, headers: Record<string, string>) => fetch(`${server.url}${path}`, { method, headers });

  it.each([
    ['no credentials', {}],
    ['a wrong bearer token', { authorization: 'Bearer wrong' }],
    ['a wrong x-api-key', { 'x-api-key': `${API_KEY}x` }],
    ['the key under another scheme', { authorization: `Basic ${API_KEY}` }],
  ])('answers 401 to %s on every route, before anything behind it runs', async (_case, headers: Record<string, string>) => {
    // Prepare
    reached.length = 0;

    for (const { method, path } of EVERY_PATH) {
      // Act
      const response = await call(method, path, headers);

      // Assess
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="position-tracker"');
      expect(await response.json()).toMatchObject({ error: 'Unauthorized' });
    }
    expect(reached).toEqual([]);
  });

  it('lets the key through on every route, as a bearer token or in x-api-key', async () => {
    // Prepare
    reached.length = 0;

    // Act
    const statuses = [];
    for (const { method, path } of [...READ_PATHS, ...ADMIN_PATHS.slice(0, 4)]) {
      statuses.push((await call(method, path, { authorization: `Bearer ${API_KEY}` })).status);
      statuses.push((await call(method, path, { 'x-api-key': API_KEY })).status);
    }

    // Assess
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(reached.filter((entry) => entry.startsWith('api:'))).toHaveLength(READ_PATHS.length * 2);
    expect(new Set(reached.filter((entry) => entry.startsWith('admin:')))).toEqual(new Set(['admin:dlq', 'admin:redrive', 'admin:status', 'admin:events']));
  });
});
