/**
 * An embedded DynamoDB (dynalite, in this process, in memory) on a free loopback port, with the
 * tracker table created from table-definition.ts. Tests talk to it over HTTP with the real SDK.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import dynalite from 'dynalite';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../local/store/ensure-table.ts';

/** Any value works: dynalite checks that requests are signed, not by whom. */
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const TEST_REGION = 'us-east-1';

export interface EmbeddedDynamo {
  endpoint: string;
  /** A client bound to this store (dummy credentials, fixed region). */
  client: DynamoDBClient;
  /** Another client on the same store, e.g. with middleware of its own. */
  newClient(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Creates a tracker table; a fresh name per test keeps tests independent on one server. */
  createTable(tableName?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** LevelDB directory for an on-disk store; in memory when absent. */
  path?: string;
  /**
   * Run the store on a worker thread of this process rather than on the caller's event loop: it
   * then has a core of its own, as DynamoDB would, and is not slowed by the caller's async hooks
   * (the X-Ray SDK behind the Powertools tracer installs some). The bench uses it; tests need not.
   */
  thread?: boolean;
  /**
   * How long a new table stays CREATING before it is ACTIVE (dynalite's `createTableMs`). Zero by
   * default; a test that proves callers wait for the table sets it higher.
   */
  createTableMs?: number;
}

/** Runs in the worker (CommonJS, evaluated from a string so no separate file needs building). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalitePath);
const server = dynalite({ createTableMs: workerData.createTableMs, deleteTableMs: 0, updateTableMs: 0, ...(workerData.path ? { path: workerData.path } : {}) });
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'stop') server.close(() => parentPort.postMessage({ stopped: true }));
});
`;

interface Listening {
  port: number;
  close(): Promise<void>;
}

const listenOnThread = async (path: string | undefined, createTableMs: number): Promise<Listening> => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { dynalitePath: createRequire(import.meta.url).resolve('dynalite'), path, createTableMs },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port: number }) => resolve(message.port));
  });
  return {
    port,
    close: async () => {
      const stopped = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
};

const listenHere = async (path: string | undefined, createTableMs: number): Promise<Listening> => {
  const server = dynalite({ createTableMs, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
};

let tableCounter = 0;
export const uniqueTableName = (prefix = 'tracker'): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(tableCounter += 1)}`;

export const clientFor = (endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    // Tests assert on outcomes, so an injected failure must surface rather than be retried away.
    maxAttempts: 3,
    ...config,
  });

/**
 * Creates a fresh tracker table and returns once it and its index are ACTIVE: dynalite (and
 * DynamoDB) refuse requests to a table that is still CREATING, which on a loaded machine can
 * outlast the CreateTable answer by many milliseconds. The wait is the local runtime's own.
 */
export const createTrackerTable = async (client: DynamoDBClient, tableName = uniqueTableName()): Promise<string> => {
  const outcome = await ensureTable(client, tableName, { pollMs: 10 });
  if (outcome !== 'created') throw new Error(`table ${tableName} already exists: tests need a fresh table each`);
  return tableName;
};

export async function startDynalite(options: StartDynaliteOptions = {}): Promise<EmbeddedDynamo> {
  const createTableMs = options.createTableMs ?? 0;
  const server = await (options.thread ? listenOnThread(options.path, createTableMs) : listenHere(options.path, createTableMs));
  const { port } = server;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const newClient = (config?: DynamoDBClientConfig): DynamoDBClient => {
    const client = clientFor(endpoint, config);
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    endpoint,
    client,
    newClient,
    createTable: (tableName?: string) => createTrackerTable(client, tableName),
    stop: async () => {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}
