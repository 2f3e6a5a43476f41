/**
 * Helpers shared by the DynamoDB repositories: the DocumentClient they are built on, paginated
 * queries, batched reads and writes, and the SDK errors they translate (a failed condition, an item too large).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TableKey } from './keys.ts';

export type Item = Record<string, unknown>;

/** `removeUndefinedValues`: optional fields of the domain are simply absent from the item. */
export const documentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });

/**
 * A failed condition is an expected outcome of an idempotent, order-safe write (duplicate, older,
 * already done), never an error; the repositories turn it into a domain answer.
 */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/**
 * The store refused an item over its 400 KB limit: the record is too big, which no retry changes,
 * so the repositories turn it into a ValidationError about the event.
 */
export const isItemTooLarge = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationException' && /item size (to update )?has exceeded the maximum allowed size/i.test(error.message);

/** Runs a conditional write and answers whether its condition held. */
export const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/** Items a filtered Query evaluates per call: Limit counts them before the filter drops any. */
export const FILTERED_READ_BATCH = 100;

/**
 * The first `max` items of a Query, from `start` (exclusive) when given: it reads on past a 1 MB
 * page, and past the items a FilterExpression dropped, until it has them or none are left. Feeds
 * read one item past their page with it (see `pageOf`).
 */
export const queryUpTo = async (
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  max: number,
  start?: Record<string, unknown>,
): Promise<Item[]> => {
  const items: Item[] = [];
  let next = start;
  do {
    const wanted = max - items.length;
    const page = await doc.send(
      new QueryCommand({
        ...input,
        // Without a bound, DynamoDB's own 1 MB pages are the batches.
        ...(Number.isFinite(wanted) ? { Limit: input.FilterExpression === undefined ? wanted : Math.max(wanted, FILTERED_READ_BATCH) } : {}),
        ...(next ? { ExclusiveStartKey: next } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    next = page.LastEvaluatedKey;
  } while (next !== undefined && items.length < max);
  return items.slice(0, max);
};

/** Every item of a Query, page after page. */
export const queryAll = (doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> =>
  queryUpTo(doc, input, Number.POSITIVE_INFINITY);

const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

/** Backoff before the next round of unprocessed items: 25 ms doubling, up to 8 rounds (about 6 s in all). */
const unprocessedBackoff = (round: number): Promise<void> | undefined =>
  round === 0 ? undefined : new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));

/** Reads items by key, 100 at a time, retrying the unprocessed ones; missing keys are left out. */
export const batchGet = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly TableKey[],
  consistentRead = true,
): Promise<Item[]> => {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k] as const)).values()];
  const items: Item[] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let pending: Record<string, unknown>[] = unique.slice(i, i + BATCH_GET_LIMIT).map((k) => ({ pk: k.pk, sk: k.sk }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${round} rounds`);
      await unprocessedBackoff(round);
      const result = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistentRead } } }),
      );
      items.push(...((result.Responses?.[tableName] ?? []) as Item[]));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
};

const BATCH_WRITE_LIMIT = 25;

type WriteRequest = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string][number];

/** Sends the requests 25 per BatchWriteItem, retrying the unprocessed ones with backoff, for 8 rounds at most. */
const writeBatches = async (doc: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[], what: string): Promise<void> => {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_LIMIT) {
    let pending = requests.slice(i, i + BATCH_WRITE_LIMIT);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_UNPROCESSED_ROUNDS) throw new Error(`BatchWriteItem left ${pending.length} ${what} unprocessed after ${round} rounds`);
      await unprocessedBackoff(round);
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
};

/**
 * Puts items unconditionally, 25 per BatchWriteItem, retrying the unprocessed ones (throttling)
 * with backoff; throws when some are still unprocessed after 8 rounds, so a caller never goes on
 * as if they were written. No conditions: only for items whose callers know they cannot collide.
 * Keys must be distinct (DynamoDB refuses a batch that names one twice).
 */
export const batchWrite = (doc: DynamoDBDocumentClient, tableName: string, items: readonly Item[]): Promise<void> =>
  writeBatches(doc, tableName, items.map((item) => ({ PutRequest: { Item: item } })), 'items');

/** Deletes items by key (unconditionally, each key once), 25 per BatchWriteItem, as `batchWrite` puts them. */
export const batchDelete = (doc: DynamoDBDocumentClient, tableName: string, keys: readonly TableKey[]): Promise<void> => {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k] as const)).values()];
  return writeBatches(doc, tableName, unique.map((k) => ({ DeleteRequest: { Key: { pk: k.pk, sk: k.sk } } })), 'deletes');
};
