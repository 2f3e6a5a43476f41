/**
 * The embedded DynamoDB of the local runtime: dynalite (DynamoDB's HTTP API over LevelDB) in this
 * process, on loopback. In memory by default; with `dataDir` its LevelDB files live there and the
 * table survives restarts. The tracker table is created when missing, from the same definition
 * the CDK stack deploys.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
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

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite is CommonJS without type declarations; a typed require keeps an ambient
// `declare module` (which another harness might also declare) out of the project.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

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

  // No artificial CREATING delay: the runtime waits for ACTIVE anyway, and start-up time matters.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir === null ? {} : { path: dataDir }) });
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (error) {
    await closeServer(server).catch(() => undefined);
    await lock?.release();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`the embedded DynamoDB cannot listen on ${host}:${port}: the port is in use (choose another with --dynamodb-port, or 0 for any)`);
    }
    throw error;
  }

  const actualPort = (server.address() as AddressInfo).port;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  let table: EnsureTableOutcome;
  try {
    table = await ensureTable(client, tableName);
  } catch (error) {
    await closeServer(server).catch(() => undefined);
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
        await closeServer(server);
      } finally {
        await lock?.release();
      }
    },
  };
}

/** Closes the HTTP side and then LevelDB (dynalite flushes and releases the directory lock). */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolveClose, reject) => {
    server.close((error) => (error ? reject(error) : resolveClose()));
    // SDK clients keep connections alive; without this close() would wait for them to time out.
    server.closeAllConnections();
  });
}
