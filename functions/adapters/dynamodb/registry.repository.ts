/**
 * Registry records (actors, speakers, issues, blocs, watches) as items of one partition, so one
 * Query loads the whole registry. Updates are upserts in which the latest `updatedAt` wins, written
 * with a condition so that a late or repeated registry event never overwrites a newer record.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RegistryRepository, RegistryWrite } from '../../application/ports.ts';
import { applyRegistryUpdate, buildRegistry, emptyRegistry, withRegistryDefaults, type RegistryUpdate } from '../../core/registry.ts';
import type { Registry } from '../../core/types.ts';
import { ValidationError } from '../../core/errors.ts';
import { conditionally, documentClient, isItemTooLarge, queryAll, type Item } from './document-client.ts';
import { registryLogToItem } from './items.ts';
import { REGISTRY_PK, registryKey } from './keys.ts';

export interface DynamoRegistryRepositoryOptions {
  tableName: string;
  client: DynamoDBClient;
  /** When an applied version is recorded in the change feed (canonical instant); the system clock by default. */
  now?: () => string;
}

/** Identifies the stored record's content, so a tie on updatedAt can be settled against exactly that record. */
const fingerprint = (record: unknown): string => createHash('sha256').update(JSON.stringify(record), 'utf8').digest('hex').slice(0, 32);

const toItem = (update: RegistryUpdate): Item => ({
  ...registryKey(update.type, update.record.id),
  type: update.type,
  record: update.record,
  updatedAt: update.record.updatedAt,
  fp: fingerprint(update.record),
});

/** Watches stored before they had a quorum and a status read with the defaults. */
const fromItem = (item: Item): RegistryUpdate => withRegistryDefaults({ type: item['type'], record: item['record'] } as RegistryUpdate);

/** A tie on updatedAt between different records is rare; a few rounds settle any race. */
const MAX_TIE_ROUNDS = 5;

export class DynamoRegistryRepository implements RegistryRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => string;

  constructor({ tableName, client, now = () => new Date().toISOString() }: DynamoRegistryRepositoryOptions) {
    this.tableName = tableName;
    this.doc = documentClient(client);
    this.now = now;
  }

  async loadRegistry(): Promise<Registry> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': REGISTRY_PK },
      ConsistentRead: true,
    });
    return items.length === 0 ? emptyRegistry() : buildRegistry(items.map(fromItem));
  }

  async applyUpdate(update: RegistryUpdate): Promise<RegistryWrite> {
    try {
      return await this.write(update);
    } catch (error) {
      if (!isItemTooLarge(error)) throw error;
      throw new ValidationError([
        { field: 'detail', reason: `is too large to store as one ${update.type} record (the store holds at most 400 KB per record)` },
      ]);
    }
  }

  private async write(update: RegistryUpdate): Promise<RegistryWrite> {
    const item = toItem(update);
    const newer = await conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR updatedAt < :updatedAt',
          ExpressionAttributeValues: { ':updatedAt': update.record.updatedAt },
        }),
      ),
    );
    if (newer) return this.logged(update, item, 'applied');

    // Same or later updatedAt stored: the core's rule decides ties, against the record as stored.
    for (let round = 0; round < MAX_TIE_ROUNDS; round += 1) {
      const stored = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: registryKey(update.type, update.record.id), ConsistentRead: true }),
      );
      if (stored.Item === undefined) {
        if (await conditionally(() => this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })))) {
          return this.logged(update, item, 'applied');
        }
        continue;
      }
      // This very version is stored: applied before, perhaps by a delivery that died before logging it.
      if (stored.Item['fp'] === item['fp']) return this.logged(update, item, 'stale');
      const current = fromItem(stored.Item);
      const before = buildRegistry([current]);
      if (applyRegistryUpdate(before, update) === before) return 'stale';
      const replaced = await conditionally(() =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'updatedAt = :storedAt AND fp = :storedFp',
            ExpressionAttributeValues: { ':storedAt': stored.Item?.['updatedAt'], ':storedFp': stored.Item?.['fp'] },
          }),
        ),
      );
      if (replaced) return this.logged(update, item, 'applied');
    }
    throw new Error(`registry ${update.type} '${update.record.id}' kept changing while being updated`);
  }

  /**
   * Lists the version in the change feed once (first recording wins), after it took effect: a
   * version refused as stale never appears, and a redelivery lists nothing twice.
   */
  private async logged(update: RegistryUpdate, item: Item, result: RegistryWrite): Promise<RegistryWrite> {
    await conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: registryLogToItem(update, item['fp'] as string, this.now()),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return result;
  }
}
