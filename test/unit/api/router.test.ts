/**
 * The router: a request's method and path to a route of a table, by path template; 404 for a path
 * no route has, 405 with Allow for a path some route has under another method.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../functions/api/errors.ts';
import { createRouter } from '../../../functions/api/router.ts';
import { ROUTES } from '../../../functions/api/routes.ts';

const table = [
  { id: 'issues', method: 'GET', path: '/issues' },
  { id: 'matrix', method: 'GET', path: '/issues/{issue}/positions' },
  { id: 'history', method: 'GET', path: '/actors/{actor}/history' },
  { id: 'redrive', method: 'POST', path: '/dlq/redrive' },
  { id: 'dlq', method: 'GET', path: '/dlq/redrive' },
  { id: 'dotted', method: 'GET', path: '/openapi.json' },
] as const;

const route = createRouter(table);

const refusal = (method: string, path: string): HttpError => {
  try {
    route(method, path);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error(`${method} ${path} matched`);
};

describe('the router', () => {
  it('matches a literal path, with or without a trailing slash', () => {
    expect(route('GET', '/issues').route.id).toBe('issues');
    expect(route('GET', '/issues/').route.id).toBe('issues');
    expect(route('GET', '/issues').params).toEqual({});
  });

  it('captures each parameter segment as received, still percent-encoded', () => {
    // Act
    const matrix = route('GET', '/issues/western-troops-in-ukraine/positions');
    const encoded = route('GET', '/actors/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7/history');

    // Assess
    expect(matrix).toEqual({ route: table[1], params: { issue: 'western-troops-in-ukraine' } });
    expect(encoded.params).toEqual({ actor: '%D8%B1%D9%88%D8%B3%D9%8A%D8%A7' });
  });

  it('takes the method in any case and picks the route of that method on a shared path', () => {
    expect(route('get', '/dlq/redrive').route.id).toBe('dlq');
    expect(route('POST', '/dlq/redrive').route.id).toBe('redrive');
  });

  it('matches a dot in a template literally, not as any character', () => {
    expect(route('GET', '/openapi.json').route.id).toBe('dotted');
    expect(refusal('GET', '/openapiXjson').code).toBe('NotFound');
  });

  it.each([
    ['/nowhere'],
    ['/'],
    ['/issues/western-troops-in-ukraine'],
    ['/issues/western-troops-in-ukraine/positions/extra'],
    ['/issues//positions'],
    ['/issues/a/b/positions'],
    ['/ISSUES'],
  ])('answers 404 for %s, which no route has', (path) => {
    // Act
    const error = refusal('GET', path);

    // Assess
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('NotFound');
    expect(error.message).toBe(`no route ${path}`);
  });

  it('answers 405 with Allow for a known path under another method', () => {
    // Act
    const post = refusal('POST', '/issues/x/positions');
    const del = refusal('delete', '/dlq/redrive');

    // Assess
    expect(post.statusCode).toBe(405);
    expect(post.code).toBe('MethodNotAllowed');
    expect(post.headers).toEqual({ allow: 'GET' });
    expect(post.message).toBe('POST is not allowed on /issues/{issue}/positions; use GET');
    expect(del.headers).toEqual({ allow: 'POST, GET' });
  });

  it('refuses a template whose parameter is not a whole segment', () => {
    expect(() => createRouter([{ method: 'GET', path: '/issues/x{issue}' }])).toThrow(/whole segment/);
  });

  it('routes every path template of the read API to its own route', () => {
    const routeTable = createRouter(ROUTES);
    for (const spec of ROUTES) {
      const path = spec.path.replace(/\{(\w+)\}/g, 'some-id');
      expect(routeTable(spec.method, path).route, spec.path).toBe(spec);
    }
  });
});
