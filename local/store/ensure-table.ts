/**
 * Makes sure the tracker table exists on whatever DynamoDB the runtime talks to (the embedded
 * dynalite, moto, LocalStack or a dev table in AWS), creating it from the shared table definition
 * when it is missing, and waits until it and its index can be used.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../functions/adapters/dynamodb/table-definition.ts';

export interface EnsureTableOptions {
  /** How long to wait for the table (and its index) to become ACTIVE. */
  timeoutMs?: number;
  pollMs?: number;
}

export type EnsureTableOutcome = 'existing' | 'created';

const errorName = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : undefined;

async function describe(client: DynamoDBClient, tableName: string): Promise<DescribeTableCommandOutput | undefined> {
  try {
    return await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

const isActive = (description: DescribeTableCommandOutput | undefined): boolean =>
  description?.Table?.TableStatus === 'ACTIVE' &&
  (description.Table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === undefined || index.IndexStatus === 'ACTIVE');

export async function ensureTable(client: DynamoDBClient, tableName: string, options: EnsureTableOptions = {}): Promise<EnsureTableOutcome> {
  const { timeoutMs = 60_000, pollMs = 100 } = options;
  let outcome: EnsureTableOutcome = 'existing';
  let description = await describe(client, tableName);
  if (description === undefined) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      outcome = 'created';
    } catch (error) {
      // Another process (a second runtime on the same store) created it between describe and create.
      if (errorName(error) !== 'ResourceInUseException') throw error;
    }
    description = await describe(client, tableName);
  }

  const deadline = Date.now() + timeoutMs;
  while (!isActive(description)) {
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs} ms (status ${description?.Table?.TableStatus ?? 'missing'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    description = await describe(client, tableName);
  }
  return outcome;
}
