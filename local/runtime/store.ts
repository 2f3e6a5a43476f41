/**
 * The runtime's DynamoDB: the embedded one (dynalite on its own thread, on disk with a data
 * directory) or any endpoint given (LocalStack, moto, a dev table in AWS), with the tracker table
 * created when it is missing. One client serves every handler, as a Lambda module builds one at
 * cold start.
 */
import { join } from 'node:path';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { Output } from '../console/terminal.ts';
import { DEFAULT_DYNAMODB_PORT, LOCAL_CREDENTIALS, LOCAL_REGION, startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../store/embedded-dynamodb.ts';
import { ensureTable } from '../store/ensure-table.ts';
import type { Shutdown } from './shutdown.ts';

export interface RuntimeStore {
  client: DynamoDBClient;
  endpoint: string;
  /** The embedded store; undefined on an endpoint given. */
  embedded: EmbeddedDynamoDb | undefined;
}

export interface StoreSettings {
  host: string;
  tableName: string;
  dataDir: string | null;
  /** An endpoint to use instead of the embedded store. */
  dynamodbEndpoint?: string | undefined;
  dynamodbPort?: number | undefined;
  output: Output;
}

export const isLoopback = (endpoint: string): boolean => {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
};

/**
 * The client settings for an endpoint given: its region from the environment, and dummy
 * credentials on loopback unless the developer has set some (LocalStack and moto accept any
 * signature; a dev table in AWS takes the usual credential chain).
 */
export const externalClientConfig = (endpoint: string, env: NodeJS.ProcessEnv = process.env): DynamoDBClientConfig => {
  const hasCredentials = env['AWS_ACCESS_KEY_ID'] !== undefined || env['AWS_PROFILE'] !== undefined;
  return {
    endpoint,
    region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? LOCAL_REGION,
    ...(isLoopback(endpoint) && !hasCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
};

export async function connectStore(settings: StoreSettings, shutdown: Shutdown): Promise<RuntimeStore> {
  const { tableName, dataDir, output } = settings;
  if (settings.dynamodbEndpoint !== undefined) {
    const endpoint = settings.dynamodbEndpoint;
    const client = sharedClient(externalClientConfig(endpoint), shutdown);
    const outcome = await ensureTable(client, tableName);
    if (outcome === 'created') output.line(`Created table ${tableName} at ${endpoint}`);
    return { client, endpoint, embedded: undefined };
  }
  const embedded = await startEmbeddedDynamoDb({
    tableName,
    host: settings.host,
    port: settings.dynamodbPort ?? DEFAULT_DYNAMODB_PORT,
    ...(dataDir === null ? {} : { dataDir: join(dataDir, 'dynamodb') }),
  });
  shutdown.add(() => embedded.close());
  // In process, the store's channel rather than its socket (store-channel.ts); the endpoint names the host signed for.
  const channel = embedded.requestHandler === undefined ? {} : { requestHandler: embedded.requestHandler };
  const client = sharedClient({ endpoint: embedded.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...channel }, shutdown);
  return { client, endpoint: embedded.endpoint, embedded };
}

const sharedClient = (config: DynamoDBClientConfig, shutdown: Shutdown): DynamoDBClient => {
  const client = new DynamoDBClient({ ...config, maxAttempts: 5 });
  shutdown.add(() => client.destroy());
  return client;
};
