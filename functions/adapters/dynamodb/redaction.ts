/**
 * Redaction reaches the quarantine: an event quarantined as `conflicting-id` (a statement re-sent
 * under its id with other content, a revision id reused) holds the statement's text in its body, so
 * it is linked to the statement when kept, and its body's text replaced by the removal notice once
 * the statement is redacted, whichever of the two comes first.
 *
 * The quarantine keeps the link first, then reads the claim's redaction mark; a redaction sets the
 * mark first, then reads the links: of two racing, at least one sees the other.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REMOVAL_NOTICE } from '../../core/corrections.ts';
import { queryAll } from './document-client.ts';
import { QUARANTINED_PREFIX, claimKey, quarantineKey, quarantinedLinkKey } from './keys.ts';

interface Table {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/** The statement a quarantined event names: a statement's or stance change's id, or the statement a revision revises. */
export const statementNamedBy = (body: string): string | undefined => {
  try {
    const detail = (JSON.parse(body) as { detail?: { statementId?: unknown; changeId?: unknown } }).detail;
    const id = detail?.statementId ?? detail?.changeId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

/** The body with every text of the statement it holds replaced by the notice (a stance change's reason is its text). */
export const redactedBody = (body: string): string => {
  const event = JSON.parse(body) as { 'detail-type'?: string; detail?: Record<string, unknown> };
  const detail = event.detail ?? {};
  const changes = detail['changes'] as Record<string, unknown> | undefined;
  return JSON.stringify({
    ...event,
    detail: {
      ...detail,
      ...(detail['quote'] === undefined ? {} : { quote: REMOVAL_NOTICE }),
      ...(changes?.['quote'] === undefined ? {} : { changes: { ...changes, quote: REMOVAL_NOTICE } }),
      ...(event['detail-type'] === 'Stance Changed' && detail['reason'] !== undefined ? { reason: REMOVAL_NOTICE.translation.text } : {}),
    },
  });
};

const redactQuarantinedItem = async ({ doc, tableName }: Table, fingerprint: string): Promise<void> => {
  const key = quarantineKey(fingerprint);
  const { Item: item } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  if (item === undefined || item['redacted'] === true) return;
  const body = redactedBody(item['body'] as string);
  await doc.send(new UpdateCommand({
    TableName: tableName,
    Key: key,
    UpdateExpression: 'SET body = :body, bodyBytes = :bytes, redacted = :yes',
    ExpressionAttributeValues: { ':body': body, ':bytes': Buffer.byteLength(body, 'utf8'), ':yes': true },
  }));
};

/** After a `conflicting-id` quarantine: the link, then the body redacted at once if its statement already is. */
export const linkQuarantined = async (table: Table, statementId: string, fingerprint: string): Promise<void> => {
  const { doc, tableName } = table;
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...quarantinedLinkKey(statementId, fingerprint), qf: fingerprint } }));
  const { Item: claim } = await doc.send(new GetCommand({ TableName: tableName, Key: claimKey(statementId), ConsistentRead: true }));
  if (claim?.['rd'] === true) await redactQuarantinedItem(table, fingerprint);
};

/** The statement marked redacted, then every quarantined body linked to it redacted. */
export const redactQuarantined = async (table: Table, statementId: string): Promise<void> => {
  const { doc, tableName } = table;
  await doc.send(new UpdateCommand({
    TableName: tableName, Key: claimKey(statementId), UpdateExpression: 'SET rd = :yes', ExpressionAttributeValues: { ':yes': true },
  }));
  const links = await queryAll(doc, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
    ExpressionAttributeValues: { ':pk': claimKey(statementId).pk, ':link': QUARANTINED_PREFIX },
    ConsistentRead: true,
  });
  for (const link of links) await redactQuarantinedItem(table, link['qf'] as string);
};
