/**
 * The embedded DynamoDB of the local runtime: dynalite (DynamoDB's HTTP API over LevelDB) in this
 * process, on loopback. In memory by default; with `dataDir` its LevelDB files live there and the
 * table survives restarts. The tracker table is created when missing, from the same definition
 * the CDK stack deploys.
 *
 * dynalite runs on a worker thread of this process, as DynamoDB is a service of its own: its
 * request parsing, LevelDB work and JSON encoding then take a core of their own instead of queueing
 * on the event loop behind the handlers, the bus and the HTTP endpoints (and the other way round).
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lockDirectory, type DirLock } from './dir-lock.ts';
import { ensureTable, type EnsureTableOutcome } from './ensure-table.ts';

/** The documented default port, DynamoDB Local's, so tools configured for it work unchanged. */
export const DEFAULT_DYNAMODB_PORT = 8000;

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
  close(): Promise<void>;
}

/**
 * What the worker runs (CommonJS, evaluated from a string so no separate file needs building):
 * dynalite listening where it is told, answering 'close' by closing the HTTP side (every
 * connection too: SDK clients keep theirs alive) and then LevelDB, which flushes and releases
 * the directory lock.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);
const { path, port, host } = workerData;
// No artificial CREATING delay: the runtime waits for ACTIVE anyway, and start-up time matters.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path === null ? {} : { path }) });
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

interface DynaliteThread {
  port: number;
  close(): Promise<void>;
}

/** Starts dynalite on its thread; rejects with the listen error (its `code` kept) when it cannot listen. */
const startDynaliteThread = async (port: number, host: string, path: string | null): Promise<DynaliteThread> => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { dynalitePath: createRequire(import.meta.url).resolve('dynalite'), port, host, path },
  });
  let exited = false;
  const exit = new Promise<void>((resolveExit) => worker.once('exit', () => {
    exited = true;
    resolveExit();
  }));
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
    const error = new Error(first.type === 'error' ? first.message : 'dynalite stopped before listening') as NodeJS.ErrnoException;
    if (first.type === 'error' && first.code !== undefined) error.code = first.code;
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    port: first.port,
    close: () =>
      (closing ??= (async () => {
        if (exited) return;
        const closed = next();
        worker.postMessage('close');
        const answer = await closed;
        await worker.terminate();
        await exit;
        if (answer.type === 'closed' && answer.error !== undefined) throw new Error(answer.error);
      })()),
  };
};

/** Credentials dynalite accepts (it does not check signatures); never real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions): Promise<EmbeddedDynamoDb> {
  const { tableName, port = DEFAULT_DYNAMODB_PORT, host = '127.0.0.1' } = options;
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  let lock: DirLock | undefined;
  if (dataDir !== null) {
    await mkdir(dataDir, { recursive: true });
    lock = await lockDirectory(dataDir, 'dynalite.pid');
  }

  let server: DynaliteThread;
  try {
    server = await startDynaliteThread(port, host, dataDir);
  } catch (error) {
    await lock?.release();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`the embedded DynamoDB cannot listen on ${host}:${port}: the port is in use (choose another with --dynamodb-port, or 0 for any)`);
    }
    throw error;
  }

  const actualPort = server.port;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
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
    endpoint,
    port: actualPort,
    dataDir,
    table,
    close: async () => {
      try {
        await server.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
