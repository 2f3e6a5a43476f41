/**
 * `createReadApi` over the route table, with a scripted reader: what each kind of request and each
 * kind of failure becomes on the wire. The answers themselves are tested on dynalite
 * (test/integration/read-api.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createReadApi } from '../../../functions/api/read-api.ts';
import type { ReadApiRequest } from '../../../functions/api/http.ts';
import type { PositionReader } from '../../../functions/application/read-model.ts';
import { InvalidCursorError, NotFoundError } from '../../../functions/application/read-store.ts';
import type { Registry } from '../../../functions/core/types.ts';

const emptyRegistry = { issues: new Map(), actors: new Map(), speakers: new Map(), blocs: new Map() } as unknown as Registry;

/** A reader whose every use case answers `answer` (or fails with it), recording what it was asked. */
const scriptedReader = (answer: (method: string) => unknown) => {
  const calls: Array<[string, unknown[]]> = [];
  const reader = new Proxy({} as PositionReader, {
    get: (_target, method: string) => async (...args: unknown[]) => {
      calls.push([method, args]);
      const result = answer(method);
      if (result instanceof Error) throw result;
      return result;
    },
  });
  return { reader, calls };
};

const get = (path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}): ReadApiRequest => ({
  method: 'GET',
  path,
  query,
  headers,
});

describe('the read API over its route table', () => {
  it('answers a route with JSON, no-store, and passes the validated parameters on', async () => {
    // Prepare
    const { reader, calls } = scriptedReader(() => ({ alerts: [], nextCursor: null }));
    const api = createReadApi({ reader });

    // Act
    const response = await api(get('/alerts', { actor: 'russia', open: 'true' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    expect(response.headers).not.toHaveProperty('vary');
    expect(JSON.parse(response.body)).toEqual({ alerts: [], nextCursor: null });
    expect(calls).toEqual([['alerts', [{ actor: 'russia', open: true, limit: 25 }]]]);
  });

  it('decodes percent-encoded path parameters before validating them', async () => {
    // Prepare
    const { reader, calls } = scriptedReader(() => ({ actor: 'russia', names: { en: 'Russia', ar: 'روسيا' }, positions: [] }));
    const api = createReadApi({ reader });

    // Act
    const ok = await api(get('/actors/%72ussia/positions'));
    const bad = await api(get('/actors/%E0%A4%A/positions'));

    // Assess
    expect(ok.statusCode).toBe(200);
    expect(calls[0]).toEqual(['actorPositions', ['russia']]);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: 'BadRequest', parameter: 'actor', message: 'is not valid percent-encoding' });
  });

  it('negotiates CSV only where the route serves it, and says so in Vary', async () => {
    // Prepare
    const matrix = { issue: 'x', title: { en: 'X', ar: 'س' }, proposition: { en: 'X', ar: 'س' }, asOf: null, positions: [], blocs: [] };
    const { reader } = scriptedReader((method) => (method === 'registry' ? emptyRegistry : matrix));
    const api = createReadApi({ reader });

    // Act
    const csv = await api(get('/issues/x/positions', {}, { Accept: 'text/csv' }));
    const json = await api(get('/issues/x/positions'));
    const refused = await api(get('/issues', {}, { accept: 'text/csv' }));

    // Assess
    expect(csv.headers).toMatchObject({ 'content-type': 'text/csv; charset=utf-8; header=present', vary: 'Accept', 'content-disposition': 'attachment; filename="x-positions.csv"' });
    expect(json.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', vary: 'Accept' });
    expect(refused.statusCode).toBe(406);
    expect(JSON.parse(refused.body)).toEqual({ error: 'NotAcceptable', message: '/issues serves application/json' });
  });

  it('answers 404 and 405 from the router in the error shape', async () => {
    const api = createReadApi({ reader: scriptedReader(() => undefined).reader });

    const missing = await api(get('/nowhere'));
    const wrongMethod = await api({ ...get('/issues'), method: 'DELETE' });

    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: 'NotFound', message: 'no route /nowhere' });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('GET');
  });

  it('turns the read model\'s errors into 404 and 400 naming the parameter', async () => {
    // Prepare
    const unknown = createReadApi({ reader: scriptedReader(() => new NotFoundError('issue', 'issue', 'nowhere')).reader });
    const badCursor = createReadApi({ reader: scriptedReader(() => new InvalidCursorError('it does not decode')).reader });

    // Act
    const notFound = await unknown(get('/alerts', { issue: 'nowhere' }));
    const invalid = await badCursor(get('/quarantine', { cursor: 'abc' }));

    // Assess
    expect(notFound.statusCode).toBe(404);
    expect(JSON.parse(notFound.body)).toEqual({ error: 'NotFound', parameter: 'issue', message: "unknown issue 'nowhere'" });
    expect(invalid.statusCode).toBe(400);
    expect(JSON.parse(invalid.body)).toEqual({ error: 'BadRequest', parameter: 'cursor', message: 'not a cursor issued by this API: it does not decode' });
  });

  it('answers an unexpected failure with a bare 500 and logs what happened', async () => {
    // Prepare
    const logged: Array<[string, Record<string, unknown> | undefined]> = [];
    const api = createReadApi({
      reader: scriptedReader(() => new Error('table tracker-prod is gone')).reader,
      logger: { error: (message, extra) => logged.push([message, extra]) },
    });

    // Act
    const response = await api(get('/issues'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: 'InternalError', message: 'unexpected error; see the function logs' });
    expect(response.body).not.toContain('tracker-prod');
    expect(logged).toEqual([['read API request failed', { method: 'GET', path: '/issues', error: expect.objectContaining({ message: 'table tracker-prod is gone' }) }]]);
  });

  it('answers 501 for snapshots without a snapshot store, and needs no credentials of its own', async () => {
    const api = createReadApi({ reader: scriptedReader(() => emptyRegistry).reader });

    const response = await api(get('/issues/x/snapshot'));

    expect(response.statusCode).toBe(501);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'NotImplemented' });
  });
});
