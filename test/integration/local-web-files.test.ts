/**
 * The web app's static files on the local API server: public (no key), served with the content
 * security policy and `nosniff`, UTF-8 content types, `/config.json` for the app, and nothing
 * outside the built folder, however the path is spelt.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../local/http/api-server.ts';

const INDEX = '<!doctype html><html lang="ar" dir="rtl"><title>متتبع المواقف</title></html>';

/** fetch normalises `..` out of a URL; a raw request sends the path as written. */
const rawGet = (url: string, path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });

describe('the web app on the local API server', () => {
  let dir: string;
  let server: ApiServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tracker-web-test-'));
    await mkdir(join(dir, 'web', 'app', 'assets'), { recursive: true });
    await writeFile(join(dir, 'web', 'index.html'), INDEX, 'utf8');
    await writeFile(join(dir, 'web', 'app', 'assets', 'app.js'), 'console.log("app")', 'utf8');
    await writeFile(join(dir, 'secret.txt'), 'not for the browser', 'utf8');
    const api = async () => ({ statusCode: 200, headers: {}, body: '{}' });
    const admin = { listDeadLetters: async () => ({}), redrive: async () => ({}), status: async () => ({}), eventFates: async () => ({}) };
    server = await startApiServer({ api, admin, apiKey: 'editor-key', readerKey: 'reader-key', webDir: join(dir, 'web'), port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without a key, with the CSP, nosniff and a UTF-8 type, Arabic intact', async () => {
    const response = await fetch(`${server.url}/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "connect-src 'self'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(await response.text()).toBe(INDEX);
  });

  it('serves the app under /app/ with its type', async () => {
    const response = await fetch(`${server.url}/app/assets/app.js`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers /config.json with the same origin and key sign-in', async () => {
    const response = await fetch(`${server.url}/config.json`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ apiUrl: '', auth: { type: 'api-key' } });
  });

  it.each([
    '/app/../secret.txt',
    '/app/..%2Fsecret.txt',
    '/app/%2e%2e/secret.txt',
    '/app/assets/..%2F..%2F..%2Fsecret.txt',
    '/app/%00index.html',
    '/app/..\\secret.txt',
  ])('refuses the traversal %s and leaks nothing', async (path) => {
    const response = await rawGet(server.url, path);

    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('not for the browser');
  });

  it('answers 404 for a file the app does not have, and keeps the API behind the key', async () => {
    const missing = await fetch(`${server.url}/app/nothing.js`);
    const api = await fetch(`${server.url}/issues`);

    expect(missing.status).toBe(404);
    expect(api.status).toBe(401);
  });

  it('lets the reader key read but not use the admin routes', async () => {
    const read = await fetch(`${server.url}/issues`, { headers: { 'x-api-key': 'reader-key' } });
    const admin = await fetch(`${server.url}/_local/status`, { headers: { 'x-api-key': 'reader-key' } });

    expect(read.status).toBe(200);
    expect(admin.status).toBe(403);
  });
});
