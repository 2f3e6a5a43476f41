/**
 * The read API on node:http, as API Gateway would put it in front of the same function, plus the
 * runtime's small admin surface under `/_local/` (dead-letter queues). Like the authorizer in AWS,
 * which stands in front of every route, the server authenticates every request (the API key, see
 * functions/api/auth.ts) before it routes it anywhere:
 *
 *   GET  /_local/dlq                      every dead letter (optional ?queue=processor)
 *   POST /_local/dlq/redrive              moves dead letters back to their queues; JSON body
 *                                         { "queue"?: string, "messageIds"?: string[] } (all by default)
 *   GET  /_local/status                   endpoints, queue counters, processor outcomes, dead-letter count
 *   GET  /_local/events?id=EVENT_ID&id=…  what became of each inbound event (PutEvents' EventId):
 *                                         applied, duplicate, quarantined (with its problems),
 *                                         retrying or dead-lettered; null while not yet processed
 *
 * Two keys: the editor's (the API key: everything) and the reader's (the read routes with the
 * `read` scope only; 403 elsewhere). The desk API (GET /me, POST /desk/events, POST /desk/preview,
 * functions/api/desk-api.ts) is served here too, on the same origin as the web app.
 *
 * The exceptions are public by design, as in AWS: /feeds/ (feed-route.ts) and the web app's static
 * files, `/`, `/app/*` and `/config.json` (web-files.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_DESK_BODY_BYTES } from '../../functions/application/desk/desk-request.ts';
import { forbidden, identify, type Caller } from '../../functions/api/auth.ts';
import { isDeskPath, type DeskApi } from '../../functions/api/desk-api.ts';
import { errorResponse } from '../../functions/api/errors.ts';
import { jsonResponse as json, type ReadApi, type ReadApiRequest, type ReadApiResponse } from '../../functions/api/http.ts';
import { routeScope } from '../../functions/api/read-api.ts';
import { isFeedPath, serveFeed } from './feed-route.ts';
import { isWebPath, serveWebFile } from './web-files.ts';

export const DEFAULT_API_PORT = 3000;
export const ADMIN_PREFIX = '/_local/';

export interface AdminRoutes {
  listDeadLetters(queue?: string): Promise<unknown>;
  redrive(filter: { queue?: string; messageIds?: string[] }): Promise<unknown>;
  status(): Promise<unknown>;
  eventFates(eventIds: string[]): Promise<unknown>;
}

export interface ApiServerOptions {
  api: ReadApi;
  admin: AdminRoutes;
  /** The editor's key: required on every request, read API, desk and admin alike (not for the feeds or the web app's files). */
  apiKey: string;
  /** The reader's key: the read routes with the `read` scope, GET /me; 403 on the rest. */
  readerKey?: string;
  /** The desk API (GET /me, POST /desk/*); without it those paths are the read API's 404. */
  desk?: DeskApi;
  /** The built web app, served publicly at / and /app/*, with /config.json. */
  webDir?: string;
  /** The folder the feed writer writes to, served under /feeds/ without the key. */
  feedsDir?: string;
  port?: number;
  host?: string;
  onError?: (error: unknown) => void;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Admin requests are tiny; anything bigger is a mistake. */
const MAX_ADMIN_BODY_BYTES = 64 * 1024;
/** Event ids per GET /_local/events: a PutEvents request's worth, ten times over. */
export const MAX_EVENT_IDS_PER_REQUEST = 100;

class AdminError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { api, admin, apiKey, port = DEFAULT_API_PORT, host = '127.0.0.1' } = options;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) send(response, json(500, { error: 'InternalError', message: 'unexpected error in the local API server' }));
      else response.destroy();
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    const headers = flattenHeaders(request);
    // Before authentication, deliberately: charting tools send no credentials (feed-route.ts).
    if (options.feedsDir !== undefined && isFeedPath(rawPath)) {
      request.resume();
      send(response, await serveFeed(request.method ?? 'GET', rawPath, options.feedsDir), request.method === 'HEAD');
      return;
    }
    if (options.webDir !== undefined && isWebPath(rawPath)) {
      request.resume();
      const file = await serveWebFile(request.method ?? 'GET', rawPath, options.webDir);
      response.writeHead(file.statusCode, { ...file.headers, 'content-length': String(file.body.length) });
      response.end(request.method === 'HEAD' ? undefined : file.body);
      return;
    }
    const caller = identify(headers, { editor: apiKey, reader: options.readerKey });
    if (!('role' in caller)) {
      request.resume();
      send(response, errorResponse(caller));
      return;
    }
    if (rawPath.startsWith(ADMIN_PREFIX)) {
      if (caller.role !== 'editor') {
        request.resume();
        send(response, errorResponse(forbidden(caller, 'write')));
        return;
      }
      send(response, await handleAdmin(request, url));
      return;
    }
    if (options.desk !== undefined && isDeskPath(rawPath)) {
      send(response, await options.desk({ method: request.method ?? 'GET', path: rawPath, body: await readBody(request, MAX_DESK_BODY_BYTES), caller }));
      return;
    }
    const refused = readRefusal(caller, request.method ?? 'GET', rawPath);
    if (refused !== undefined) {
      request.resume();
      send(response, refused);
      return;
    }
    // The body of a GET is never read; drain it so the connection can be reused.
    request.resume();
    const query: Record<string, string | undefined> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const readRequest: ReadApiRequest = { method: request.method ?? 'GET', path: rawPath, query, headers };
    send(response, await api(readRequest));
  };

  const handleAdmin = async (request: IncomingMessage, url: URL): Promise<ReadApiResponse> => {
    try {
      const route = `${request.method ?? 'GET'} ${url.pathname}`;
      const queue = url.searchParams.get('queue') ?? undefined;
      switch (route) {
        case 'GET /_local/dlq':
          request.resume();
          return json(200, await admin.listDeadLetters(queue));
        case 'POST /_local/dlq/redrive': {
          const body = await readJsonBody(request);
          return json(200, await admin.redrive(body));
        }
        case 'GET /_local/status':
          request.resume();
          return json(200, await admin.status());
        case 'GET /_local/events': {
          request.resume();
          const ids = url.searchParams.getAll('id');
          if (ids.length === 0) throw new AdminError(400, 'BadRequest', 'give at least one event id: ?id=EVENT_ID (repeatable)');
          if (ids.length > MAX_EVENT_IDS_PER_REQUEST) {
            throw new AdminError(400, 'BadRequest', `at most ${MAX_EVENT_IDS_PER_REQUEST} event ids per request, not ${ids.length}`);
          }
          return json(200, await admin.eventFates(ids));
        }
        default:
          request.resume();
          throw new AdminError(404, 'NotFound', `no admin route ${route}`);
      }
    } catch (error) {
      if (error instanceof AdminError) return json(error.statusCode, { error: error.code, message: error.message });
      throw error;
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`the read API cannot listen on ${host}:${port}: the port is in use (choose another with --api-port, or 0 for any)`);
    }
    throw error;
  });

  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A reader holds only some scopes; the read API itself never checks them (API Gateway does in AWS). */
function readRefusal(caller: Caller, method: string, path: string): ReadApiResponse | undefined {
  const scope = routeScope(method, path);
  return scope === undefined || caller.scopes.includes(scope) ? undefined : errorResponse(forbidden(caller, scope));
}

/** The body, cut after `limit` + 1 bytes (enough to tell it is too large); the rest is drained. */
async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    if (size > limit) continue;
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const body = Buffer.concat(chunks);
  return body.length > limit ? body.subarray(0, limit + 1) : body;
}

function flattenHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readJsonBody(request: IncomingMessage): Promise<{ queue?: string; messageIds?: string[] }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY_BYTES) throw new AdminError(413, 'PayloadTooLarge', `admin requests are limited to ${MAX_ADMIN_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AdminError(400, 'BadRequest', 'the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AdminError(400, 'BadRequest', 'the body must be a JSON object');
  const { queue, messageIds } = parsed as Record<string, unknown>;
  if (queue !== undefined && typeof queue !== 'string') throw new AdminError(400, 'BadRequest', '"queue" must be a string');
  if (messageIds !== undefined && (!Array.isArray(messageIds) || messageIds.some((id) => typeof id !== 'string'))) {
    throw new AdminError(400, 'BadRequest', '"messageIds" must be a list of strings');
  }
  return { ...(queue === undefined ? {} : { queue }), ...(messageIds === undefined ? {} : { messageIds: messageIds as string[] }) };
}

function send(response: ServerResponse, result: ReadApiResponse, headOnly = false): void {
  const payload = Buffer.from(result.body, 'utf8');
  response.writeHead(result.statusCode, { ...result.headers, 'content-length': String(payload.length) });
  response.end(headOnly ? undefined : payload);
}
