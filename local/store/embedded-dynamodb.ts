/**
 * The embedded DynamoDB of the local runtime, the tests and the bench: dynalite (DynamoDB's HTTP
 * API over LevelDB) in this process, on loopback. In memory by default; with a directory its
 * LevelDB files live there and the data survive restarts.
 *
 * `startDynaliteServer` is the server alone, on the caller's event loop or (`thread`) on a worker
 * thread of this process. A thread is what the runtime and the bench use, as DynamoDB is a
 * service of its own: its request parsing, LevelDB work and JSON encoding then take a core of
 * their own instead of queueing on the event loop behind the handlers, the bus and the HTTP
 * endpoints (and the other way round), and the caller's async hooks (the X-Ray SDK behind the
 * Powertools tracer installs some) do not slow it. Tests need not.
 *
 * `startEmbeddedDynamoDb` is the runtime's store: a server on a thread, the data directory locked
 * for one runtime, the tracker table created when missing from the definition the CDK stack deploys.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lockDirectory, type DirLock } from './dir-lock.ts';
import { ensureTable, type EnsureTableOutcome } from './ensure-table.ts';
import { CHANNEL_WORKER_SOURCE, StoreChannelHandler } from './store-channel.ts';

/** The documented default port, DynamoDB Local's, so tools configured for it work unchanged. */
export const DEFAULT_DYNAMODB_PORT = 8000;

/** Credentials dynalite accepts (it checks that requests are signed, not by whom); never real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface DynaliteServerOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** Directory for the LevelDB files; in memory when absent. */
  path?: string;
  /** Run on a worker thread of this process rather than on the caller's event loop. @default false */
  thread?: boolean;
  /**
   * How long a new table stays CREATING before it is ACTIVE (dynalite's `createTableMs`). Zero by
   * default: callers wait for ACTIVE anyway, and start-up time matters; a test that proves they
   * wait sets it higher.
   */
  createTableMs?: number;
}

export interface DynaliteServer {
  endpoint: string;
  port: number;
  /**
   * On a thread: the SDK request handler that reaches dynalite in this process without a socket
   * (store-channel.ts), for clients given `endpoint` as well (it names the host they sign for).
   * Undefined on the caller's loop.
   */
  requestHandler: StoreChannelHandler | undefined;
  /** Stops listening, drops every connection (SDK clients keep theirs alive) and closes LevelDB, which flushes and releases its lock. */
  close(): Promise<void>;
}

interface ServerSettings {
  port: number;
  host: string;
  path: string | null;
  createTableMs: number;
}

const dynaliteOptions = ({ path, createTableMs }: ServerSettings) => ({
  createTableMs,
  deleteTableMs: 0,
  updateTableMs: 0,
  ...(path === null ? {} : { path }),
});

/**
 * What the worker runs (CommonJS, evaluated from a string so no separate file needs building):
 * the same server as `listenHere`, its request handler also served on the channel's port
 * (store-channel.ts), answering 'close' by closing it.
 */
const WORKER_SOURCE = `${CHANNEL_WORKER_SOURCE}
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);
const { port, host, options } = workerData;
const server = dynalite(options);
serveChannel(workerData.channel, server.listeners('request')[0]);
const fail = (error) => parentPort.postMessage({ type: 'error', code: error && error.code, message: String(error && error.message) });
server.once('error', fail);
server.listen(port, host, () => {
  server.off('error', fail);
  parentPort.postMessage({ type: 'listening', port: server.address().port });
});
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close((error) => parentPort.postMessage(error ? { type: 'closed', error: String(error.message) } : { type: 'closed' }));
  server.closeAllConnections();
});
`;

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'error'; code?: string; message: string }
  | { type: 'closed'; error?: string };

interface Listening {
  port: number;
  requestHandler?: StoreChannelHandler;
  close(): Promise<void>;
}

/** The listen error as the in-process server would throw it: its message and `code` (EADDRINUSE). */
const listenError = (message: WorkerMessage): NodeJS.ErrnoException => {
  const error = new Error(message.type === 'error' ? message.message : 'dynalite stopped before listening') as NodeJS.ErrnoException;
  if (message.type === 'error' && message.code !== undefined) error.code = message.code;
  return error;
};

const listenOnThread = async (settings: ServerSettings): Promise<Listening> => {
  const channel = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dynalitePath: createRequire(import.meta.url).resolve('dynalite'),
      port: settings.port,
      host: settings.host,
      options: dynaliteOptions(settings),
      channel: channel.port2,
    },
    transferList: [channel.port2],
  });
  const requestHandler = new StoreChannelHandler(channel.port1);
  let exited = false;
  const exit = new Promise<void>((resolveExit) =>
    worker.once('exit', () => {
      exited = true;
      requestHandler.close('the embedded DynamoDB thread has stopped');
      resolveExit();
    }),
  );
  const next = (): Promise<WorkerMessage> =>
    new Promise<WorkerMessage>((resolveMessage, reject) => {
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      const onMessage = (message: WorkerMessage) => {
        worker.off('error', onError);
        resolveMessage(message);
      };
      worker.once('error', onError);
      worker.once('message', onMessage);
    });
  const first = await next().catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (first.type !== 'listening') {
    await worker.terminate();
    throw listenError(first);
  }
  return {
    port: first.port,
    requestHandler,
    close: async () => {
      // As closing the server drops its connections: what has no answer yet fails, retryably.
      requestHandler.close();
      if (exited) return;
      const closed = next();
      worker.postMessage('close');
      const answer = await closed;
      await worker.terminate();
      await exit;
      if (answer.type === 'closed' && answer.error !== undefined) throw new Error(answer.error);
    },
  };
};

const listenHere = async (settings: ServerSettings): Promise<Listening> => {
  // Loaded here, not at the top: the runtime, which runs it on a thread, never loads it on its own loop.
  const { default: dynalite } = await import('dynalite');
  const server = dynalite(dynaliteOptions(settings));
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
};

/** An endpoint URL for a host and port (an IPv6 host in brackets). */
const endpointOf = (host: string, port: number): string => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Starts dynalite; rejects with the listen error (its `code` kept) when it cannot listen. */
export async function startDynaliteServer(options: DynaliteServerOptions = {}): Promise<DynaliteServer> {
  const settings: ServerSettings = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    path: options.path === undefined ? null : options.path,
    createTableMs: options.createTableMs ?? 0,
  };
  const server = await (options.thread === true ? listenOnThread(settings) : listenHere(settings));
  let closing: Promise<void> | undefined;
  return {
    endpoint: endpointOf(settings.host, server.port),
    port: server.port,
    requestHandler: server.requestHandler,
    close: () => (closing ??= server.close()),
  };
}

export interface EmbeddedDynamoDbOptions {
  tableName: string;
  /** 0 picks a free port. @default 8000 */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** Directory for the LevelDB files; in memory when absent. */
  dataDir?: string;
}

export interface EmbeddedDynamoDb {
  endpoint: string;
  port: number;
  /** Where the data lives: a directory, or null when in memory. */
  dataDir: string | null;
  table: EnsureTableOutcome;
  /** The in-process way to the store for the runtime's SDK clients (`DynaliteServer.requestHandler`). */
  requestHandler: StoreChannelHandler | undefined;
  close(): Promise<void>;
}

/** The runtime's store: dynalite on its thread, the directory locked, the tracker table there. */
export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions): Promise<EmbeddedDynamoDb> {
  const { tableName, port = DEFAULT_DYNAMODB_PORT, host = '127.0.0.1' } = options;
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  let lock: DirLock | undefined;
  if (dataDir !== null) {
    await mkdir(dataDir, { recursive: true });
    lock = await lockDirectory(dataDir, 'dynalite.pid');
  }

  let server: DynaliteServer;
  try {
    server = await startDynaliteServer({ port, host, thread: true, ...(dataDir === null ? {} : { path: dataDir }) });
  } catch (error) {
    await lock?.release();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`the embedded DynamoDB cannot listen on ${host}:${port}: the port is in use (choose another with --dynamodb-port, or 0 for any)`);
    }
    throw error;
  }

  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    ...(server.requestHandler === undefined ? {} : { requestHandler: server.requestHandler }),
  });
  let table: EnsureTableOutcome;
  try {
    table = await ensureTable(client, tableName);
  } catch (error) {
    await server.close().catch(() => undefined);
    await lock?.release();
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint: server.endpoint,
    port: server.port,
    dataDir,
    table,
    requestHandler: server.requestHandler,
    close: async () => {
      try {
        await server.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
