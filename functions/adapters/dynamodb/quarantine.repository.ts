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
import { QUARANTINE_FEED } from './keys.ts';
import { quarantineFromItem, quarantineToItem } from './items.ts';

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
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1.indexName,
        KeyConditionExpression: 'gsi1pk = :feed',
        ExpressionAttributeValues: { ':feed': QUARANTINE_FEED },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return ((result.Items ?? []) as Item[]).map(quarantineFromItem);
  }
}
