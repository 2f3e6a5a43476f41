/**
 * The tracker's storage on one DynamoDB table, with conditional single-item writes only (the
 * embedded store has no transactions): every write is idempotent, and a position is replaced only
 * by a statement said later, so duplicates, late and concurrent deliveries cannot lose an update.
 */
import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  RevisedMeanwhile,
  AlertEntry, AlertRecord, ChangeRecord, HistoryWrite, StoredIssueState, HistoryPlace, OpenPointer, PositionAdvance, PositionWrite, RevisedStatement,
  RevisionClaim, StatementClaim, StatementRef, StoredEpisode, TrackerRepository,
} from '../../application/ports.ts';
import type { Revision, RevisionIdentity } from '../../core/corrections.ts';
import type { StatementIdentity } from '../../core/identity.ts';
import { compareSaid, type SaidKey } from '../../core/positions.ts';
import type { ActorId, IssueId, Position, StatementRecord } from '../../core/types.ts';
import { batchDelete, batchGet, batchWrite, conditionally, documentClient, isConditionFailure, queryAll, type Item } from './document-client.ts';
import {
  alertDetailAttributes, alertEntryFromItem, alertFromStored, alertToItem, claimFromItem, claimToItem, episodeFromItem, episodeToItem, historyFromItem,
  countsInHistory, historyToItem, holdsPosition, pointerFromItem, pointerToItem, positionFromItem, retractedKeyNeedle, revisedHistoryToItem,
  statementChangeToItem, storedAlertFromItem,
} from './items.ts';
import * as redaction from './redaction.ts';
import * as revisions from './revisions.ts';
import {
  ISSUE, NO_SAID_KEY, actorHistoryBound, alertKey, claimKey, episodeKey, historyKey, openPointerKey, outboxKey, positionKey,
  parseEvidenceRef, saidKey,
} from './keys.ts';

export interface DynamoTrackerRepositoryOptions {
  tableName: string;
  /** The DocumentClient shares this client's middleware stack (capacity accounting, tracing). */
  client: DynamoDBClient;
}

/** An item of scalars (S, N, BOOL, NULL) as plain values; anything else is a bug in the state and claim items. */
const scalarItem = (raw: Record<string, AttributeValue>): Item => {
  const item: Item = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value.S !== undefined) item[name] = value.S;
    else if (value.N !== undefined) item[name] = Number(value.N);
    else if (value.BOOL !== undefined) item[name] = value.BOOL;
    else if (value.NULL !== undefined) item[name] = null;
    else throw new TypeError(`state item attribute ${name} is not a scalar`);
  }
  return item;
};

/**
 * The attributes of a history item but its free text (`quote`, `reason`) and what a revision keeps
 * beside the record (`original`, `trail`, ...); `status` tells whether it counts in history.
 */
const WITHOUT_TEXT = [
  'statementId', 'kind', 'actor', 'speaker', 'speakerAsWritten', 'actorAsWritten', 'issue', 'stance', 'hedged', 'saidAt', 'source',
  'recordedBy', 'recordedAt', 'status',
] as const;

export class DynamoTrackerRepository implements TrackerRepository {
  private readonly doc: DynamoDBDocumentClient;
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor({ tableName, client }: DynamoTrackerRepositoryOptions) {
    this.tableName = tableName;
    this.client = client;
    this.doc = documentClient(client);
  }

  /**
   * One conditional update: it lands when the id is free or already holds this very fingerprint (an
   * identical claim rewritten is a no-op), so a retry after a crash past the claim goes on, and its
   * result tells whether a revision of the statement is kept (claimRevision marks the claim) and
   * whether the id was free (ALL_OLD returns nothing: a first claim). It fails only for other
   * content; DynamoDB then returns the claim with the failure, and a store that does not (dynalite)
   * is asked once, on that path only.
   */
  async claimStatement(identity: StatementIdentity): Promise<StatementClaim> {
    const { pk: _pk, sk: _sk, ...attributes } = claimToItem(identity);
    const names = Object.keys(attributes);
    try {
      const claimed = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: claimKey(identity.statementId),
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
          ExpressionAttributeValues: { ...Object.fromEntries(names.map((name, i) => [`:a${i}`, attributes[name]])), ':fp': identity.fingerprint },
          // A claim item without a fingerprint is the mark of revisions that came first.
          ConditionExpression: 'attribute_not_exists(fp) OR fp = :fp',
          // The update sets no `rv`, so the item as it stood tells the revisions as well as the new one would.
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const old = claimed.Attributes;
      if (old === undefined) return { status: 'claimed', first: true };
      return old['rv'] === true ? { status: 'claimed', revised: true } : { status: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
      const item = returned === undefined
        ? (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: claimKey(identity.statementId), ConsistentRead: true }))).Item
        : scalarItem(returned);
      // Claims are never deleted: a failed condition with no claim to read is the store misbehaving.
      if (item === undefined) throw new Error(`the claim of statement ${identity.statementId} failed its condition but cannot be read`);
      return { status: 'conflict', recorded: claimFromItem(item) };
    }
  }

  async recordStatement(statement: StatementRecord, revised?: RevisedStatement): Promise<HistoryWrite> {
    const recorded = await conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: revised === undefined ? historyToItem(statement) : revisedHistoryToItem(revised),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return recorded ? 'recorded' : 'duplicate';
  }

  async recordNewStatements(statements: readonly StatementRecord[]): Promise<RevisedMeanwhile> {
    await batchWrite(this.doc, this.tableName, statements.map(historyToItem));
    // A revision marks the claim before it rewrites history, so one marked after this write's
    // claim but rewritten before this write is seen here; one marked after this read rewrites after it.
    const claims = await batchGet(this.doc, this.tableName, statements.map((s) => claimKey(s.statementId)), true);
    const marked = new Set(claims.filter((claim) => claim['rv'] === true).map((claim) => String(claim['pk'])));
    return new Set(statements.filter((s) => marked.has(claimKey(s.statementId).pk)).map((s) => s.statementId));
  }

  async recordNewStatementChanges(changes: ReadonlyArray<{ statementId: string; change: ChangeRecord }>): Promise<void> {
    await batchWrite(this.doc, this.tableName, changes.map(({ statementId, change }) => statementChangeToItem(statementId, change)));
  }

  recordStatementChange(statementId: string, change: ChangeRecord): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: statementChangeToItem(statementId, change),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  private table(): { doc: DynamoDBDocumentClient; tableName: string } {
    return { doc: this.doc, tableName: this.tableName };
  }

  claimRevision(identity: RevisionIdentity, revision: Revision): Promise<RevisionClaim> {
    return revisions.claimRevision(this.table(), identity, revision);
  }

  loadRevisions(statementId: string): Promise<Revision[]> {
    return revisions.loadRevisions(this.table(), statementId);
  }

  loadPlaces(refs: readonly StatementRef[]): Promise<HistoryPlace[]> {
    return revisions.loadPlaces(this.table(), refs);
  }

  relocateStatement(revised: RevisedStatement, from: readonly StatementRef[]): Promise<boolean> {
    return revisions.relocateStatement(this.table(), revised, from);
  }

  recordRevisionChange(statementId: string, change: ChangeRecord): Promise<boolean> {
    return revisions.recordRevisionChange(this.table(), statementId, change);
  }

  redactQuarantined(statementId: string): Promise<void> {
    return redaction.redactQuarantined(this.table(), statementId);
  }

  redactRevisions(kept: readonly Revision[]): Promise<void> {
    return revisions.redactRevisions(this.table(), kept);
  }

  recomputePosition(issue: IssueId, actor: ActorId): Promise<PositionWrite> {
    return revisions.recomputePosition(this.table(), issue, actor);
  }

  /**
   * One update makes the statement current when it is said after the current one (or first); the
   * old current moves to `previous`, read from the item before the update as DynamoDB evaluates
   * every SET operand against the old item. Only when that fails, a second update tries the
   * `previous` slot. A failed condition is the answer, not an error. A retracted statement never
   * takes a slot: its said key is in the item's `rx` once its retraction is applied.
   */
  async applyPosition(statement: StatementRecord): Promise<PositionWrite> {
    return (await this.advancePosition(statement)).write;
  }

  /** applyPosition; the first update returns the item as it stood (ALL_OLD), which costs no read unit. */
  async advancePosition(statement: StatementRecord): Promise<PositionAdvance> {
    const key = positionKey(statement.issue, statement.actor);
    const values = { ':k': saidKey(statement), ':s': statement.stance, ':h': statement.hedged, ':rk': retractedKeyNeedle(saidKey(statement)) };
    let old: Item | undefined;
    const current = await conditionally(async () => {
      const updated = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET p = if_not_exists(ck, :none), ps = if_not_exists(s, :zero), ph = if_not_exists(h, :no), ck = :k, s = :s, h = :h',
          ConditionExpression: '(attribute_not_exists(ck) OR ck < :k) AND NOT contains(rx, :rk)',
          ExpressionAttributeValues: { ...values, ':none': NO_SAID_KEY, ':zero': 0, ':no': false },
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = updated.Attributes;
      return updated;
    });
    if (current) return old !== undefined && holdsPosition(old) ? { write: 'current', replaced: positionFromItem(old) } : { write: 'current' };
    const previous = await conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET p = :k, ps = :s, ph = :h',
          ConditionExpression: 'ck > :k AND p < :k AND NOT contains(rx, :rk)',
          ExpressionAttributeValues: values,
        }),
      ),
    );
    return { write: previous ? 'previous' : 'unchanged' };
  }

  /**
   * The hot read of every statement, so it skips the DocumentClient: state items hold only
   * strings, numbers and booleans, and reading those directly costs a fraction of a generic
   * unmarshall of 50-odd items.
   */
  async loadIssueState(issue: IssueId): Promise<StoredIssueState> {
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :state)',
          ExpressionAttributeValues: { ':pk': { S: ISSUE.pk(issue) }, ':state': { S: ISSUE.statePrefix } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const raw of page.Items ?? []) items.push(scalarItem(raw));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    const positions = new Map<ActorId, Position>();
    const open = new Map<string, OpenPointer>();
    const outbox: string[] = [];
    let watermark: SaidKey | undefined;
    for (const item of items) {
      const sk = item['sk'] as string;
      if (sk.startsWith(ISSUE.positionPrefix)) {
        if (!holdsPosition(item)) continue;
        const position = positionFromItem(item);
        positions.set(position.actor, position);
        if (watermark === undefined || compareSaid(position, watermark) > 0) {
          watermark = { saidAt: position.saidAt, statementId: position.statementId };
        }
      } else if (sk.startsWith(ISSUE.openPrefix)) {
        const pointer = pointerFromItem(item);
        open.set(pointer.divergenceId, pointer);
      } else if (sk.startsWith(ISSUE.outboxPrefix)) {
        outbox.push(sk.slice(ISSUE.outboxPrefix.length));
      }
    }
    return { issue, positions, open, outbox, ...(watermark ? { watermark } : {}) };
  }

  async loadHistory(issue: IssueId): Promise<StatementRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':history': ISSUE.historyPrefix },
      ConsistentRead: true,
    });
    return items.filter(countsInHistory).map(historyFromItem);
  }

  async loadHistoryWithoutText(issue: IssueId): Promise<StatementRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':history': ISSUE.historyPrefix },
      ProjectionExpression: WITHOUT_TEXT.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(WITHOUT_TEXT.map((name, i) => [`#a${i}`, name])),
      ConsistentRead: true,
    });
    return items.filter(countsInHistory).map(historyFromItem);
  }

  async loadHistoryWindow(issue: IssueId, actor: ActorId, after: SaidKey, upTo: SaidKey): Promise<StatementRef[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': ISSUE.pk(issue),
        ':from': actorHistoryBound(actor, saidKey(after)),
        ':to': actorHistoryBound(actor, saidKey(upTo)),
      },
      // The sort key is the reference; the quotes are not needed to know what was said when.
      ProjectionExpression: 'sk, #status',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    });
    // BETWEEN includes its lower bound; the window does not.
    return items
      .filter(countsInHistory)
      .map((item) => parseEvidenceRef(issue, String(item['sk']).slice(ISSUE.historyPrefix.length)))
      .filter((ref) => compareSaid(ref, after) > 0);
  }

  /**
   * An eventually consistent read (half the cost) finds almost every statement named: they were
   * written before anything that names them; only those it misses (written a moment ago) are read
   * again strongly. A reference to a place a correction moved the statement from resolves to where
   * it stands now.
   */
  async loadStatements(refs: readonly StatementRef[]): Promise<StatementRecord[]> {
    const keys = refs.map(historyKey);
    const read = await batchGet(this.doc, this.tableName, keys, false);
    const have = new Set(read.map((item) => `${String(item['pk'])}\u0000${String(item['sk'])}`));
    const missing = keys.filter((key) => !have.has(`${key.pk}\u0000${key.sk}`));
    const again = missing.length === 0 ? [] : await batchGet(this.doc, this.tableName, missing, true);
    const found = await revisions.followMoves(this.table(), [...read, ...again]);
    return [...new Map(found.map((item) => [item['statementId'] as string, historyFromItem(item)])).values()];
  }

  /**
   * One episode per id: should a crash have left an episode under its old key as well as its new one
   * (see rekeyEpisode), the more revised stands and the other is deleted here, conditionally.
   */
  async loadEpisodes(issue: IssueId): Promise<StoredEpisode[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :episode)',
      ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':episode': ISSUE.episodePrefix },
      ConsistentRead: true,
    });
    const byId = new Map<string, Item>();
    const stale: Item[] = [];
    for (const item of items) {
      const kept = byId.get(item['episodeId'] as string);
      if (kept !== undefined && (kept['revision'] as number) >= (item['revision'] as number)) stale.push(item);
      else {
        if (kept !== undefined) stale.push(kept);
        byId.set(item['episodeId'] as string, item);
      }
    }
    await Promise.all(stale.map((item) => this.deleteEpisodeItem(item)));
    return [...byId.values()].map(episodeFromItem);
  }

  private deleteEpisodeItem(item: Item): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: item['pk'], sk: item['sk'] },
        ConditionExpression: 'revision = :revision',
        ExpressionAttributeValues: { ':revision': item['revision'] },
      })),
    );
  }

  async loadEpisode(
    issue: IssueId,
    pointer: Pick<OpenPointer, 'divergenceId' | 'openedAt' | 'episodeId'>,
  ): Promise<StoredEpisode | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: episodeKey(issue, pointer), ConsistentRead: true }),
    );
    return result.Item ? episodeFromItem(result.Item) : undefined;
  }

  createEpisode(episode: StoredEpisode): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: episodeToItem(episode),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async replaceEpisode(episode: StoredEpisode, expectedRevision: number): Promise<boolean> {
    const replaced = await conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: episodeToItem(episode),
          ConditionExpression: 'revision = :expected',
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      ),
    );
    return replaced || this.rekeyEpisode(episode, expectedRevision);
  }

  /**
   * An episode's key carries its opening time, and a correction of its opening statement's said time
   * re-dates it under the same id: the episode is written under its new key, then the one under its
   * old key (still at `expectedRevision`) deleted. A crash in between leaves both, and loadEpisodes
   * keeps the new one (more revised) and deletes the other.
   */
  private async rekeyEpisode(episode: StoredEpisode, expectedRevision: number): Promise<boolean> {
    const { issue, divergenceId, episodeId } = episode.episode;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :divergence)',
      FilterExpression: 'episodeId = :id AND revision = :expected',
      ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':divergence': `${ISSUE.episodePrefix}${divergenceId}#`, ':id': episodeId, ':expected': expectedRevision },
      ConsistentRead: true,
    });
    const key = episodeKey(issue, episode.episode);
    const old = items.find((item) => item['sk'] !== key.sk);
    if (old === undefined || !(await this.createEpisode(episode))) return false;
    await this.deleteEpisodeItem(old);
    return true;
  }

  /**
   * A pushed alert's outbox entry first, then the alert: what counts as heard is the alert item
   * marked pushed, so it must never exist without its way out. A crash in between leaves an entry
   * naming no pushed alert, which the next publication drops. `queued`: the entry is in already
   * (queueAlert).
   */
  async recordAlert(alert: AlertRecord, { queued = false }: { queued?: boolean } = {}): Promise<boolean> {
    if (alert.pushed && !queued) await this.queueAlert(alert.issue, alert.alertId);
    const recorded = await conditionally(() =>
      this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: alertToItem(alert), ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    );
    if (!recorded && alert.pushed) await this.pushRecordedAlert(alert);
    return recorded;
  }

  /** An alert recorded as not pushed becomes pushed, with the detail as it stands now; a pushed one is left alone. */
  private async pushRecordedAlert(alert: AlertRecord): Promise<void> {
    await this.setAlertDetail(alert, { set: ', pushed = :pushed', condition: 'pushed = :recordedOnly', values: { ':pushed': true, ':recordedOnly': false } });
  }

  /** Sets a recorded alert's detail and evidence (its compact form), plus what `extra` adds, under its condition. */
  private setAlertDetail(alert: AlertRecord, extra: { set: string; condition: string; values: Record<string, unknown> }): Promise<boolean> {
    const compact = alertDetailAttributes(alert);
    return conditionally(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKey(alert.issue, alert.alertId),
          UpdateExpression: `SET detail = :detail, evidence = :evidence${extra.set}`,
          ConditionExpression: extra.condition,
          ExpressionAttributeValues: { ':detail': compact.detail, ':evidence': compact.evidence, ...extra.values },
        }),
      ),
    );
  }

  async loadAlertEntries(issue: IssueId): Promise<AlertEntry[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :alert)',
      ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':alert': ISSUE.alertPrefix },
      ProjectionExpression: 'alertId, episodeId, transition, pushed, #detail.divergenceId',
      ExpressionAttributeNames: { '#detail': 'detail' },
      ConsistentRead: true,
    });
    return items.map(alertEntryFromItem);
  }

  reviseAlert(alert: AlertRecord): Promise<boolean> {
    return this.setAlertDetail(alert, { set: '', condition: 'attribute_exists(pk)', values: {} });
  }

  async loadAlerts(issue: IssueId, alertIds: readonly string[]): Promise<AlertRecord[]> {
    const stored = (await batchGet(this.doc, this.tableName, alertIds.map((id) => alertKey(issue, id)))).map(storedAlertFromItem);
    const refs = stored.flatMap((a) => [...a.evidence.actor, ...a.evidence.other]);
    const statements = new Map((await this.loadStatements(refs)).map((s) => [s.statementId, s] as const));
    const byId = new Map(stored.map((a) => [a.record.alertId, alertFromStored(a, statements)] as const));
    return alertIds.flatMap((id) => byId.get(id) ?? []);
  }

  async queueAlert(issue: IssueId, alertId: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...outboxKey(issue, alertId), al: alertId } }));
  }

  /** One BatchWriteItem of deletes for up to 25 entries (a statement's transitions and leftovers), not a call each. */
  async clearOutbox(issue: IssueId, alertIds: readonly string[]): Promise<void> {
    if (alertIds.length === 1) {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: outboxKey(issue, alertIds[0] as string) }));
    } else if (alertIds.length > 1) {
      await batchDelete(this.doc, this.tableName, alertIds.map((id) => outboxKey(issue, id)));
    }
  }

  openPointer(pointer: OpenPointer, replacing?: string): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: pointerToItem(pointer),
          ...(replacing === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'ep = :replacing', ExpressionAttributeValues: { ':replacing': replacing } }),
        }),
      ),
    );
  }

  closePointer(issue: IssueId, divergenceId: string, episodeId: string): Promise<boolean> {
    return conditionally(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: openPointerKey(issue, divergenceId),
          ConditionExpression: 'ep = :episode',
          ExpressionAttributeValues: { ':episode': episodeId },
        }),
      ),
    );
  }
}

