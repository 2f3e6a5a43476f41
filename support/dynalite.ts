/**
 * The embedded DynamoDB as tests and the bench use it: local/store/embedded-dynamodb.ts's dynalite
 * on a free loopback port, with SDK clients bound to it and a fresh tracker table per test. Tests
 * talk to it over HTTP with the real SDK.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynaliteServer, type DynaliteServerOptions } from '../local/store/embedded-dynamodb.ts';
import { ensureTable } from '../local/store/ensure-table.ts';

export { LOCAL_CREDENTIALS, LOCAL_REGION };

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

/** Always on a free port, so suites run side by side; `thread` puts it on a core of its own (the bench). */
export type StartDynaliteOptions = Omit<DynaliteServerOptions, 'port' | 'host'>;

let tableCounter = 0;
export const uniqueTableName = (prefix = 'tracker'): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${(tableCounter += 1)}`;

export const clientFor = (endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
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
  const server = await startDynaliteServer(options);
  const clients: DynamoDBClient[] = [];
  const newClient = (config?: DynamoDBClientConfig): DynamoDBClient => {
    const client = clientFor(server.endpoint, config);
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    endpoint: server.endpoint,
    client,
    newClient,
    createTable: (tableName?: string) => createTrackerTable(client, tableName),
    stop: async () => {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}
