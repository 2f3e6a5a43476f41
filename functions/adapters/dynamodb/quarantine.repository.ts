/**
 * Rejected events, kept in the table with their reasons so an editor can read why an event was
 * refused, and listed newest first through the QUARANTINE feed of gsi1.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuarantineRepository, QuarantinedEvent, StoredQuarantinedEvent } from '../../application/ports.ts';
import { conditionally, documentClient, type Item } from './document-client.ts';
import { GSI1 } from './table-definition.ts';
import { QUARANTINE_FEED, feedPositionOf, type FeedPosition } from './keys.ts';
import { quarantineFromItem, quarantineToItem } from './items.ts';

/** One page of the feed, newest first; `next` is the position of its last event when more follow. */
export interface QuarantineFeedPage {
  events: StoredQuarantinedEvent[];
  next: FeedPosition | null;
}

export interface DynamoQuarantineRepositoryOptions {
  tableName: string;
  client: DynamoDBClient;
}

/** The same body delivered twice is one rejected event. */
export const bodyFingerprint = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex').slice(0, 32);

export class DynamoQuarantineRepository implements QuarantineRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor({ tableName, client }: DynamoQuarantineRepositoryOptions) {
    this.tableName = tableName;
    this.doc = documentClient(client);
  }

  quarantine(event: QuarantinedEvent): Promise<boolean> {
    const item = quarantineToItem({ ...event, fingerprint: bodyFingerprint(event.body) });
    return conditionally(() =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  async list(limit = 100): Promise<StoredQuarantinedEvent[]> {
    return (await this.page(limit)).events;
  }

  /**
   * Up to `limit` events, newest first, after the position `after` (from a previous page). Reads
   * one event more than asked, so `next` is null exactly when nothing follows; a body can be up to
   * 350 KB, so a Query may stop at 1 MB with fewer items and the read goes on.
   */
  async page(limit: number, after?: FeedPosition): Promise<QuarantineFeedPage> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number of at least 1, not ${limit}`);
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined = after;
    for (;;) {
      const result = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1.indexName,
          KeyConditionExpression: 'gsi1pk = :feed',
          ExpressionAttributeValues: { ':feed': QUARANTINE_FEED },
          ScanIndexForward: false,
          Limit: limit + 1 - items.length,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      items.push(...((result.Items ?? []) as Item[]));
      if (items.length > limit) {
        const kept = items.slice(0, limit);
        return { events: kept.map(quarantineFromItem), next: feedPositionOf(kept[kept.length - 1] as Item) };
      }
      if (result.LastEvaluatedKey === undefined) return { events: items.map(quarantineFromItem), next: null };
      start = result.LastEvaluatedKey;
    }
  }
}
