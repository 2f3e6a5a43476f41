/**
 * The SDK's way to the embedded DynamoDB without a socket: an HttpHandler that hands each signed
 * request (method, path, headers, body bytes) to dynalite's own request handler on its worker
 * thread over a MessagePort, and gives the SDK its answer (status, headers, body bytes) as an HTTP
 * response. The SDK still serialises, signs, retries and parses every call, and dynalite still
 * parses, validates and answers it as it does over HTTP; what is left out is the loopback TCP and
 * HTTP framing on both threads, which took about half of each call's CPU (writev alone a fifth of
 * the runtime thread). Bodies travel as bytes, so Arabic text is never decoded on the way.
 *
 * The TCP endpoint stays for everything outside the process (the AWS CLI, other tools).
 */
import type { MessagePort } from 'node:worker_threads';
import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@aws-sdk/types';

/** What the worker is asked: one HTTP request, as dynalite's handler reads it. */
export interface ChannelRequest {
  id: number;
  method: string;
  /** Path and query string. */
  url: string;
  /** Lower-case names, as Node's IncomingMessage has them. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What the worker answers: the response dynalite wrote. */
export interface ChannelResponse {
  id: number;
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** An error the SDK's retry strategy treats as a transient network failure (by its `code`). */
const networkError = (code: 'ECONNREFUSED' | 'ECONNRESET', message: string): Error =>
  Object.assign(new Error(message), { name: 'Error', code });

const abortError = (): Error => Object.assign(new Error('Request aborted'), { name: 'AbortError' });

const encoder = new TextEncoder();

/** The body as bytes of its own (a view on a pooled buffer would clone the whole pool). */
const bodyBytes = (body: unknown): Uint8Array => {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return new Uint8Array(body);
  throw new TypeError(`the store channel sends string or byte bodies, not ${typeof body}`);
};

const queryString = (query: HttpRequest['query']): string => {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) {
      parts.push(one === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(one)}`);
    }
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
};

interface Pending {
  resolve: (response: ChannelResponse) => void;
  reject: (error: Error) => void;
}

/**
 * The handler for one port to the worker; every client of the runtime may share it. `close`
 * refuses new requests and fails those without an answer (the worker is going away).
 */
export class StoreChannelHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed: string | undefined;

  constructor(private readonly port: MessagePort) {
    port.on('message', (response: ChannelResponse) => {
      const waiting = this.pending.get(response.id);
      this.pending.delete(response.id);
      waiting?.resolve(response);
    });
    // The worker keeps the process alive while it runs; the port alone must not.
    port.unref();
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    if (this.closed !== undefined) throw networkError('ECONNREFUSED', this.closed);
    const signal = options.abortSignal as AbortSignal | undefined;
    if (signal?.aborted === true) throw abortError();
    const id = this.nextId++;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    const message: ChannelRequest = { id, method: request.method, url: `${request.path}${queryString(request.query)}`, headers, body: bodyBytes(request.body) };
    const answer = await new Promise<ChannelResponse>((resolve, reject) => {
      const onAbort = (): void => {
        // The worker still answers; the answer is dropped.
        this.pending.delete(id);
        reject(abortError());
      };
      signal?.addEventListener?.('abort', onAbort, { once: true });
      const settle = <T>(done: (value: T) => void) => (value: T): void => {
        signal?.removeEventListener?.('abort', onAbort);
        done(value);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.port.postMessage(message, [message.body.buffer as ArrayBuffer]);
    });
    return { response: { statusCode: answer.statusCode, headers: answer.headers, body: answer.body } };
  }

  /** Refuses what comes next and fails what is waiting, with `reason`. */
  close(reason = 'the embedded DynamoDB is closed'): void {
    if (this.closed !== undefined) return;
    this.closed = reason;
    for (const waiting of this.pending.values()) waiting.reject(networkError('ECONNRESET', reason));
    this.pending.clear();
    this.port.close();
  }

  /** The SDK's hook for its clients' destroy(): the channel belongs to the store, which closes it. */
  destroy(): void {}

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

/**
 * The worker's side, as CommonJS source for the worker evaluated from a string
 * (embedded-dynamodb.ts): each request is given to dynalite's request listener as the smallest
 * IncomingMessage and ServerResponse it uses (events `data` and `end`, `headers`, `method`, `url`;
 * `statusCode`, `setHeader`, `end`), and what it ends the response with goes back as bytes.
 */
export const CHANNEL_WORKER_SOURCE = `
const { EventEmitter } = require('node:events');
const serveChannel = (port, listener) => {
  const encoder = new TextEncoder();
  port.on('message', (message) => {
    const req = new EventEmitter();
    req.method = message.method;
    req.url = message.url;
    req.headers = message.headers;
    const headers = {};
    let ended = false;
    const res = {
      statusCode: 200,
      setHeader(name, value) { headers[String(name).toLowerCase()] = String(value); },
      getHeader(name) { return headers[String(name).toLowerCase()]; },
      end(body) {
        if (ended) return;
        ended = true;
        const bytes = body === undefined || body === null ? new Uint8Array() : typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body);
        port.postMessage({ id: message.id, statusCode: res.statusCode, headers, body: bytes }, [bytes.buffer]);
      },
    };
    try {
      listener(req, res);
      const body = message.body;
      if (body.byteLength > 0) req.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      req.emit('end');
    } catch (error) {
      res.statusCode = 500;
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: String(error && error.message) }));
    }
  });
};
`;
