/**
 * moto_server (Python moto) as a second, independent DynamoDB implementation: spawned on a free
 * loopback port, awaited until it answers, killed on teardown. Where it is not installed the
 * suites that need it are skipped, with `MOTO_SKIP_REASON` saying why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { clientFor, createTrackerTable, uniqueTableName } from '../../support/dynalite.ts';

export const MOTO_COMMAND = process.env['MOTO_SERVER'] ?? 'moto_server';

let available: boolean | undefined;

/** True when `moto_server` can be run on this machine. */
export const isMotoAvailable = (): boolean => {
  if (available === undefined) {
    const probe = spawnSync(MOTO_COMMAND, ['--help'], { stdio: 'ignore', timeout: 20_000 });
    available = probe.error === undefined && probe.status === 0;
  }
  return available;
};

export const MOTO_SKIP_REASON =
  `moto_server not found (tried '${MOTO_COMMAND}'; install with 'pip install "moto[server]"' or set MOTO_SERVER): ` +
  'the repository tests against the second DynamoDB implementation are skipped';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

export interface MotoServer {
  endpoint: string;
  client: DynamoDBClient;
  createTable(tableName?: string): Promise<string>;
  stop(): Promise<void>;
}

const waitUntilAnswering = async (client: DynamoDBClient, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`moto_server did not answer within ${timeoutMs} ms: ${String(lastError)}`);
};

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn(MOTO_COMMAND, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = clientFor(endpoint);
  try {
    await waitUntilAnswering(client, child, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    client.destroy();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint,
    client,
    createTable: (tableName = uniqueTableName()) => createTrackerTable(client, tableName),
    stop: async () => {
      client.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
