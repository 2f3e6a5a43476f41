/**
 * The local bus behind an HTTP endpoint that speaks EventBridge's wire protocol (AWS JSON 1.1), so
 * the real AWS SDK (`new EventBridgeClient({ endpoint })`) and the AWS CLI
 * (`aws events put-events --endpoint-url ...`) publish to it unchanged.
 *
 * Only PutEvents is served. Requests are signed with SigV4 by the clients; the signature is not
 * checked because this endpoint is for a developer's own machine. For the same reason it answers
 * only requests addressed to a loopback name (`Host: 127.0.0.1:<port>`, `localhost:<port>`,
 * `[::1]:<port>`): a web page the developer visits can make the browser post to 127.0.0.1 under a
 * name of its own that resolves there (DNS rebinding), and that request names the page's host.
 * What arrives over HTTP is never the tracker itself, so it may not use the bus's reserved
 * sources (see LocalEventBusOptions.reservedSources).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeServiceError, type LocalEventBus, type PutEventsEntry } from './local-event-bus.ts';

export interface PutEventsServerOptions {
  bus: LocalEventBus;
  /** 0 picks a free port; the one chosen is in the returned `port` and `url`. */
  port?: number;
  /** The address to listen on. Besides the loopback names, requests may name it in `Host` when it is a specific address. */
  host?: string;
}

export interface PutEventsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PUT_EVENTS_PORT = 4010;

const JSON_1_1 = 'application/x-amz-json-1.1';
const PUT_EVENTS_TARGET = 'AWSEvents.PutEvents';
/** Far above any valid request (10 entries within 1 MB); only guards the process's memory. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Throws on invalid UTF-8, and keeps a byte order mark (the JSON parse then refuses it) rather than dropping it silently. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** An error in the AWS JSON 1.1 shape: HTTP status, `__type` (also in x-amzn-ErrorType), message. */
class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startPutEventsServer(options: PutEventsServerOptions): Promise<PutEventsServer> {
  const { bus, port = DEFAULT_PUT_EVENTS_PORT, host = '127.0.0.1' } = options;

  let served: ReadonlySet<string> = new Set();
  const server = createServer((request, response) => {
    handle(bus, served, request, response).catch((error: unknown) => {
      // handle() answers every failure itself; reaching here means the socket broke mid-answer.
      if (!response.headersSent) sendError(response, new WireError(500, 'InternalException', String(error)));
      else response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  served = servedHosts(urlHost, actualPort);
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '[::]']);

/** The `Host` values served: each loopback name, and the address listened on, with the port (alone too on port 80). */
function servedHosts(listenHost: string, port: number): ReadonlySet<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (!WILDCARD_HOSTS.has(listenHost)) names.add(listenHost.toLowerCase());
  return new Set([...names].flatMap((name) => (port === 80 ? [`${name}:${port}`, name] : [`${name}:${port}`])));
}

async function handle(bus: LocalEventBus, served: ReadonlySet<string>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const host = request.headers.host;
  if (host === undefined || !served.has(host.toLowerCase())) {
    const named = host === undefined ? 'no Host header' : `Host ${JSON.stringify(host.slice(0, 100))}`;
    sendError(
      response,
      new WireError(421, 'MisdirectedRequestException', `The local bus does not answer ${named}; address it as ${[...served][0] ?? '127.0.0.1'} (loopback names only)`),
    );
    return;
  }
  if (request.method === 'GET' && path === '/health') {
    sendJson(response, 200, { status: 'ok' }, { 'Content-Type': 'application/json' });
    return;
  }
  if (request.method !== 'POST') {
    sendError(response, new WireError(404, 'UnknownOperationException', `No route for ${request.method ?? '?'} ${path ?? '/'}`));
    return;
  }

  try {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    if (target !== PUT_EVENTS_TARGET) {
      throw new WireError(400, 'UnknownOperationException', `Operation ${String(target ?? '(no X-Amz-Target)')} is not supported by the local bus`);
    }
    const entries = parsePutEventsRequest(body);
    const result = await bus.putEvents(entries);
    sendJson(response, 200, result);
  } catch (error) {
    if (error instanceof WireError) sendError(response, error);
    else if (error instanceof EventBridgeServiceError) sendError(response, new WireError(400, error.name, error.message));
    else sendError(response, new WireError(500, 'InternalException', error instanceof Error ? error.message : String(error)));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new WireError(413, 'RequestEntityTooLargeException', 'Request body is too large');
    chunks.push(buffer);
  }
  // Decode once, after concatenation: a multi-byte character may straddle two chunks. Strictly:
  // a lenient decoder turns invalid bytes into U+FFFD, which would then be delivered as if sent.
  try {
    return STRICT_UTF8.decode(Buffer.concat(chunks));
  } catch {
    throw serialization('Request body is not valid UTF-8');
  }
}


function serialization(message: string): WireError {
  return new WireError(400, 'SerializationException', message);
}

/** Reads the PutEvents input the way the service's JSON deserializer does: types are enforced, null is absent. */
function parsePutEventsRequest(body: string): PutEventsEntry[] {
  let input: unknown;
  try {
    input = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw serialization('Request body is not valid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw serialization('Request body must be a JSON object');
  }
  const entries = (input as Record<string, unknown>)['Entries'];
  if (entries === undefined || entries === null) {
    throw new WireError(
      400,
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(entries)) throw serialization('Entries must be a list');
  return entries.map((entry: unknown, index) => parseEntry(entry, index));
}

function parseEntry(raw: unknown, index: number): PutEventsEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw serialization(`Entries[${index}] must be an object`);
  }
  const record = raw as Record<string, unknown>;
  const string = (name: string): string | undefined => {
    const value = record[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(`Entries[${index}].${name} must be a string`);
    return value;
  };
  const resources = record['Resources'];
  if (resources !== undefined && resources !== null && (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string'))) {
    throw serialization(`Entries[${index}].Resources must be a list of strings`);
  }
  return {
    Source: string('Source'),
    DetailType: string('DetailType'),
    Detail: string('Detail'),
    Time: parseTimestamp(record['Time'], index),
    Resources: resources === undefined || resources === null ? undefined : (resources as string[]),
    EventBusName: string('EventBusName'),
    TraceHeader: string('TraceHeader'),
  };
}

/** AWS JSON 1.1 sends timestamps as epoch seconds (possibly fractional). */
function parseTimestamp(value: unknown, index: number): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const time = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? parseTimestampString(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) throw serialization(`Entries[${index}].Time is not a valid timestamp`);
  return time;
}

function parseTimestampString(value: string): Date {
  return /^-?\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  response.writeHead(status, {
    'Content-Type': JSON_1_1,
    'Content-Length': String(payload.length),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  response.end(payload);
}

function sendError(response: ServerResponse, error: WireError): void {
  sendJson(response, error.status, { __type: error.type, message: error.message }, { 'x-amzn-ErrorType': error.type });
}
