/**
 * Rejected events, kept in the table with their reasons so an editor can read why an event was
 * refused, and listed newest first through the QUARANTINE feed of gsi1.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { QuarantineRepository, QuarantinedEvent, StoredQuarantinedEvent } from '../../application/ports.ts';
import { encodeCursor, pageOf, type StorePage } from '../../application/read-store.ts';
import { conditionally, documentClient, queryUpTo } from './document-client.ts';
import { GSI1 } from './table-definition.ts';
import { QUARANTINE_FEED, feedPositionOf, type FeedPosition } from './keys.ts';
import { quarantineFromItem, quarantineToItem } from './items.ts';
import { linkQuarantined, statementNamedBy } from './redaction.ts';

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

  /** A `conflicting-id` event names a statement whose redaction must reach it: it is linked to it (redaction.ts). */
  async quarantine(event: QuarantinedEvent): Promise<boolean> {
    const fingerprint = bodyFingerprint(event.body);
    const item = quarantineToItem({ ...event, fingerprint });
    const kept = await conditionally(() =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    const statementId = event.reason === 'conflicting-id' ? statementNamedBy(event.body) : undefined;
    if (statementId !== undefined) await linkQuarantined({ doc: this.doc, tableName: this.tableName }, statementId, fingerprint);
    return kept;
  }

  async list(limit = 100): Promise<StoredQuarantinedEvent[]> {
    return (await this.page(limit)).items.map(({ value }) => value);
  }

  /**
   * Up to `limit` events, newest first, after the position `after` (from a previous page), each with
   * the cursor (its feed position) that resumes after it. A body can be up to 350 KB, so a Query
   * may stop at 1 MB with fewer items, and the read goes on.
   */
  async page(limit: number, after?: FeedPosition): Promise<StorePage<StoredQuarantinedEvent>> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number of at least 1, not ${limit}`);
    const items = await queryUpTo(this.doc, this.feed(), limit + 1, after);
    return pageOf(items, limit, (item) => ({ value: quarantineFromItem(item), cursor: encodeCursor(feedPositionOf(item)) }));
  }

  private feed(): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: GSI1.indexName,
      KeyConditionExpression: 'gsi1pk = :feed',
      ExpressionAttributeValues: { ':feed': QUARANTINE_FEED },
      ScanIndexForward: false,
    };
  }
}
