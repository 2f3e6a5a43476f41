/**
 * The revision side of the tracker table: corrections and retractions kept beside the claim of the
 * statement they revise, the rewrite of a revised history item, and the recompute of a position a
 * revision may have taken away. Single-item conditional writes only, like the rest of the table.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChangeRecord, HistoryPlace, PositionWrite, RevisedStatement, RevisionClaim, StatementRef } from '../../application/ports.ts';
import { redactRevision, type Revision, type RevisionIdentity } from '../../core/corrections.ts';
import { refOf } from '../../core/positions.ts';
import type { ActorId, IssueId } from '../../core/types.ts';
import { batchGet, conditionally, isConditionFailure, queryAll, type Item } from './document-client.ts';
import {
  claimFromItem, claimedRef, countsInHistory, historyRefOf, isMovedItem, movedToItem, movedToOf, recordedFromItem, retractedKeysAttribute,
  revisedHistoryToItem, revisionFromItem, revisionIdentityFromItem, revisionToItem,
} from './items.ts';
import { NO_SAID_KEY, REVISION_PREFIX, actorHistoryFrom, changeIndexKey, actorHistoryPrefix, claimKey, historyKey, positionKey, revisionKey } from './keys.ts';

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
      // A redaction marks the claim at once, so an event quarantined under the id later is redacted as it is kept (redaction.ts).
      UpdateExpression: revision.kind === 'retraction' && revision.redact ? 'SET rv = :yes, rd = :yes' : 'SET rv = :yes',
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

export const loadPlaces = async ({ doc, tableName }: Table, refs: readonly StatementRef[]): Promise<HistoryPlace[]> => {
  const items = await batchGet(doc, tableName, refs.map(historyKey), true);
  return items.map((item): HistoryPlace => {
    const ref = historyRefOf(item);
    return isMovedItem(item)
      ? { ref, state: 'moved', movedTo: movedToOf(item), revisions: item['rn'] as number }
      : { ref, state: 'recorded', recorded: recordedFromItem(item) };
  });
};

/** Holds unless the place already reflects more revisions than `revisions` (a place never revised reflects none). */
const notNewer = (revisions: number) => ({
  ConditionExpression: 'attribute_not_exists(rn) OR rn <= :n',
  ExpressionAttributeValues: { ':n': revisions },
});

/**
 * The statement at its place first, then the pointers: a pointer is only ever written once what it
 * points at is, so a crash between the writes leaves every reference resolvable, and the redelivery
 * (which finds the statement at either place) writes the rest.
 */
export const relocateStatement = async ({ doc, tableName }: Table, revised: RevisedStatement, from: readonly StatementRef[]): Promise<boolean> => {
  const target = refOf(revised.effective.record);
  const placed = await conditionally(() =>
    doc.send(new PutCommand({ TableName: tableName, Item: revisedHistoryToItem(revised), ...notNewer(revised.revisions) })),
  );
  if (!placed) return false;
  const keyOf = (ref: StatementRef): string => { const { pk, sk } = historyKey(ref); return `${pk}\u0000${sk}`; };
  const left = [...new Map(from.map((ref) => [keyOf(ref), ref])).entries()].filter(([key]) => key !== keyOf(target));
  await Promise.all(left.map(([, ref]) =>
    conditionally(() =>
      doc.send(new PutCommand({ TableName: tableName, Item: movedToItem(ref, target, revised.revisions), ...notNewer(revised.revisions) })),
    ),
  ));
  return true;
};

/** How many pointers a reference may pass through: one per place a statement can have left, with room to spare. */
const MAX_MOVES_FOLLOWED = 16;

/**
 * The items named, with each place a statement left replaced by the place it points at (read
 * strongly: the pointer was written after its target). Missing items are left out.
 */
export const followMoves = async ({ doc, tableName }: Table, items: readonly Item[]): Promise<Item[]> => {
  const found = items.filter((item) => !isMovedItem(item));
  let moved = items.filter(isMovedItem);
  for (let hop = 0; moved.length > 0; hop += 1) {
    if (hop >= MAX_MOVES_FOLLOWED) throw new Error(`statement ${String(moved[0]!['statementId'])} moved more than ${MAX_MOVES_FOLLOWED} times`);
    const next = await batchGet(doc, tableName, moved.map((item) => historyKey(movedToOf(item))), true);
    found.push(...next.filter((item) => !isMovedItem(item)));
    moved = next.filter(isMovedItem);
  }
  return found;
};

/** The revision's item joins the change feed (gsi1) once: a redelivery finds it listed and keeps the first recording. */
export const recordRevisionChange = ({ doc, tableName }: Table, statementId: string, change: ChangeRecord): Promise<boolean> => {
  const index = changeIndexKey(change.kind, change.recordedAt, change.changeId, change.issue ?? undefined);
  return conditionally(() =>
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: revisionKey(statementId, change.changeId),
        UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk, changeKind = :kind, changed = :changed' + (index.changeIssue === undefined ? '' : ', changeIssue = :issue'),
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi1pk)',
        ExpressionAttributeValues: {
          ':pk': index.gsi1pk, ':sk': index.gsi1sk, ':kind': index.changeKind, ':changed': change.changed,
          ...(index.changeIssue === undefined ? {} : { ':issue': index.changeIssue }),
        },
      }),
    ),
  );
};

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
  const standing = history.filter(countsInHistory);
  // Retracted statements and the places moved ones left: a late delivery of either must not take the position.
  const retracted = history.filter((item) => !countsInHistory(item)).map(saidKeyOf);
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
