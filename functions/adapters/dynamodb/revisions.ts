/**
 * The revision side of the tracker table: corrections and retractions kept beside the claim of the
 * statement they revise, the rewrite of a revised history item, and the recompute of a position a
 * revision may have taken away. Single-item conditional writes only, like the rest of the table.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PositionWrite, RecordedStatement, RevisedStatement, RevisionClaim, StatementRef } from '../../application/ports.ts';
import { redactRevision, type Revision, type RevisionIdentity } from '../../core/corrections.ts';
import type { ActorId, IssueId } from '../../core/types.ts';
import { conditionally, isConditionFailure, queryAll, type Item } from './document-client.ts';
import {
  claimFromItem, claimedRef, isRetractedItem, recordedFromItem, retractedKeysAttribute, revisedHistoryToItem, revisionFromItem,
  revisionIdentityFromItem, revisionToItem,
} from './items.ts';
import { NO_SAID_KEY, REVISION_PREFIX, actorHistoryFrom, actorHistoryPrefix, claimKey, historyKey, positionKey, revisionKey } from './keys.ts';

interface Table {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * The revision first, then the mark on its statement's claim: a statement claimed after the mark
 * sees it and reads the revision, one claimed before is named by the mark's result. A kept revision
 * is never overwritten, so a redelivery cannot bring back text a redaction removed.
 */
export const claimRevision = async ({ doc, tableName }: Table, identity: RevisionIdentity, revision: Revision): Promise<RevisionClaim> => {
  const key = revisionKey(revision.statementId, identity.revisionId);
  const first = await conditionally(() =>
    doc.send(new PutCommand({ TableName: tableName, Item: revisionToItem(identity, revision), ConditionExpression: 'attribute_not_exists(pk)' })),
  );
  if (!first) {
    const kept = (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    if (kept === undefined) throw new Error(`revision ${identity.revisionId} failed its condition but cannot be read`);
    const recorded = revisionIdentityFromItem(kept);
    if (recorded.fingerprint !== identity.fingerprint) return { status: 'conflict', recorded };
  }
  const marked = await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: claimKey(revision.statementId),
      UpdateExpression: 'SET rv = :yes',
      ExpressionAttributeValues: { ':yes': true },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const claim = marked.Attributes;
  return { status: 'claimed', first, ...(claim?.['fp'] === undefined ? {} : { statement: claimedRef(claimFromItem(claim)) }) };
};

export const loadRevisions = async ({ doc, tableName }: Table, statementId: string): Promise<Revision[]> => {
  const items = await queryAll(doc, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :revision)',
    ExpressionAttributeValues: { ':pk': claimKey(statementId).pk, ':revision': REVISION_PREFIX },
    ConsistentRead: true,
  });
  return items.map(revisionFromItem);
};

export const loadRecorded = async ({ doc, tableName }: Table, ref: StatementRef): Promise<RecordedStatement | undefined> => {
  const { Item: item } = await doc.send(new GetCommand({ TableName: tableName, Key: historyKey(ref), ConsistentRead: true }));
  return item === undefined ? undefined : recordedFromItem(item);
};

export const rewriteStatement = ({ doc, tableName }: Table, revised: RevisedStatement): Promise<boolean> =>
  conditionally(() =>
    doc.send(
      new PutCommand({
        TableName: tableName,
        Item: revisedHistoryToItem(revised),
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(rn) OR rn <= :n)',
        ExpressionAttributeValues: { ':n': revised.revisions },
      }),
    ),
  );

export const redactRevisions = async ({ doc, tableName }: Table, revisions: readonly Revision[]): Promise<void> => {
  const texts = revisions.filter((revision) => revision.kind === 'correction' && revision.changes.quote !== undefined);
  await Promise.all(texts.map((revision) =>
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: revisionKey(revision.statementId, revision.kind === 'correction' ? revision.correctionId : revision.retractionId),
        UpdateExpression: 'SET revision = :redacted',
        ExpressionAttributeValues: { ':redacted': redactRevision(revision) },
      }),
    ),
  ));
};

/** The attributes of a position item, as applyPosition writes them (see items.ts PositionItem), and `rx`. */
const POSITION_ATTRIBUTES = ['ck', 's', 'h', 'p', 'ps', 'ph', 'rx'] as const;

/** What the actor's history says the position item should hold. */
const positionFromHistory = (actor: ActorId, history: readonly Item[]): Item => {
  const saidKeyOf = (item: Item): string => (item['sk'] as string).slice(actorHistoryPrefix(actor).length);
  const standing = history.filter((item) => !isRetractedItem(item));
  const retracted = history.filter(isRetractedItem).map(saidKeyOf);
  const [current, previous] = [standing.at(-1), standing.at(-2)];
  const rx = retracted.length === 0 ? {} : { rx: retractedKeysAttribute(retracted) };
  if (current === undefined) return rx;
  return {
    ck: saidKeyOf(current),
    s: current['stance'],
    h: current['hedged'],
    p: previous === undefined ? NO_SAID_KEY : saidKeyOf(previous),
    ps: previous?.['stance'] ?? 0,
    ph: previous?.['hedged'] ?? false,
    ...rx,
  };
};

/** `ConditionExpression` that holds while the item is still exactly `read` (absent attributes included). */
const unchangedSince = (read: Item | undefined): { ConditionExpression: string; ExpressionAttributeValues?: Item } => {
  if (read === undefined) return { ConditionExpression: 'attribute_not_exists(pk)' };
  const values: Item = {};
  const terms = POSITION_ATTRIBUTES.map((name) => {
    if (read[name] === undefined) return `attribute_not_exists(${name})`;
    values[`:${name}`] = read[name];
    return `${name} = :${name}`;
  });
  return { ConditionExpression: terms.join(' AND '), ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }) };
};

const samePosition = (a: Item | undefined, b: Item): boolean =>
  POSITION_ATTRIBUTES.every((name) => (a?.[name] ?? null) === (b[name] ?? null));

const MAX_RECOMPUTE_ATTEMPTS = 16;

/**
 * Reads the item, then the actor's history, and writes what the history says if the item has not
 * moved since: a statement whose position write lands in between fails the condition and the
 * recompute reads again (its history item is written before its position, so the next read has it).
 */
export const recomputePosition = async ({ doc, tableName }: Table, issue: IssueId, actor: ActorId): Promise<PositionWrite> => {
  const key = positionKey(issue, actor);
  for (let attempt = 0; attempt < MAX_RECOMPUTE_ATTEMPTS; attempt += 1) {
    const { Item: read } = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    const { from, to } = actorHistoryFrom(actor);
    const history = await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': key.pk, ':from': from, ':to': to },
      ProjectionExpression: 'sk, stance, hedged, #status',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    });
    const wanted = positionFromHistory(actor, history);
    if (samePosition(read, wanted)) return 'unchanged';
    try {
      if (Object.keys(wanted).length === 0) {
        await doc.send(new DeleteCommand({ TableName: tableName, Key: key, ...unchangedSince(read) }));
      } else {
        await doc.send(new PutCommand({ TableName: tableName, Item: { ...key, ...wanted }, ...unchangedSince(read) }));
      }
      return 'current';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new Error(`the position of ${actor} on ${issue} kept changing during ${MAX_RECOMPUTE_ATTEMPTS} recomputes; retry later`);
};
