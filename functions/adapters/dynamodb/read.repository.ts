/**
 * The read side's storage: Query and BatchGetItem on the tracker table, never a Scan and never a
 * write. Keys come from keys.ts and items are mapped by items.ts, exactly as the processor wrote them.
 *
 * Base-table reads are strongly consistent: the snapshot writer reads right after the processor
 * published Position Changed, and an eventually consistent read could still miss that position.
 * The alert and quarantine feeds read the index, which can only be eventually consistent (a second or so behind).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ChangeRecord, StatementRef, StoredEpisode, StoredQuarantinedEvent } from '../../application/ports.ts';
import {
  InvalidCursorError, decodeCursorFields, encodeCursor, pageOf, type AlertFilter, type ChangeFilter, type QuarantineFilter, type ReadStore,
  type ShownStatement, type StorePage,
} from '../../application/read-store.ts';
import { compareSaid, type SaidKey } from '../../core/positions.ts';
import type { ActorId, IssueId, Position, Registry, StatementRecord } from '../../core/types.ts';
import { batchGet, documentClient, queryAll, queryUpTo, type Item } from './document-client.ts';
import { changeFromItem, countsInHistory, episodeFromItem, holdsPosition, positionFromItem, shownFromItem } from './items.ts';
import { followMoves } from './revisions.ts';
import {
  CHANGES_FEED, EPISODES_FEED, ISSUE, actorHistoryFrom, feedPositionOf, historyKey, isChangeFeedPosition, isEpisodeFeedPosition,
  isQuarantineFeedPosition,
  positionKey, saidKey, type FeedPosition,
} from './keys.ts';
import { DynamoQuarantineRepository } from './quarantine.repository.ts';
import { DynamoRegistryRepository } from './registry.repository.ts';
import { GSI1, TABLE_KEYS } from './table-definition.ts';

export interface DynamoReadRepositoryOptions {
  tableName: string;
  client: DynamoDBClient;
}

/** A feed cursor is the position (table and index key) of the last item returned. */
const CURSOR_KEYS = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, GSI1.partitionKey, GSI1.sortKey] as const;

/**
 * The position an alert-feed cursor names, checked to be exactly that of an episode: DynamoDB
 * answers a start key with an empty or oversized part with an error, never with a page.
 */
export const decodeAlertCursor = (cursor: string, since: string | undefined): FeedPosition => {
  const key = decodeCursorFields(cursor, CURSOR_KEYS, 'alert feed');
  if (key.gsi1pk !== EPISODES_FEED || !isEpisodeFeedPosition(key)) throw new InvalidCursorError('it does not point into the alert feed');
  // DynamoDB rejects a start key outside the key condition; say which parameter is at odds instead.
  if (since !== undefined && key.gsi1sk < since) throw new InvalidCursorError('it lies before `since`; keep the same filters while paging');
  return key;
};

export const decodeChangeCursor = (cursor: string, since: string | undefined): FeedPosition => {
  const key = decodeCursorFields(cursor, CURSOR_KEYS, 'change feed');
  if (!isChangeFeedPosition(key)) throw new InvalidCursorError('it does not point into the change feed');
  if (since !== undefined && key.gsi1sk < since) throw new InvalidCursorError('it lies before `since`; keep the same filters while paging');
  return key;
};

export const decodeQuarantineCursor = (cursor: string): FeedPosition => {
  const key = decodeCursorFields(cursor, CURSOR_KEYS, 'quarantine feed');
  if (!isQuarantineFeedPosition(key)) throw new InvalidCursorError('it does not point into the quarantine feed');
  return key;
};

export class DynamoReadRepository implements ReadStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly registryRepository: DynamoRegistryRepository;
  private readonly quarantineRepository: DynamoQuarantineRepository;

  constructor({ tableName, client }: DynamoReadRepositoryOptions) {
    this.tableName = tableName;
    this.doc = documentClient(client);
    this.registryRepository = new DynamoRegistryRepository({ tableName, client });
    this.quarantineRepository = new DynamoQuarantineRepository({ tableName, client });
  }

  loadRegistry(): Promise<Registry> {
    return this.registryRepository.loadRegistry();
  }

  private queryPrefix(issue: IssueId, prefix: string, extra: Partial<QueryCommandInput> = {}): Promise<Item[]> {
    return queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':prefix': prefix, ...extra.ExpressionAttributeValues },
      ConsistentRead: true,
      ...(extra.FilterExpression === undefined ? {} : { FilterExpression: extra.FilterExpression }),
    });
  }

  async issuePositions(issue: IssueId): Promise<Position[]> {
    return (await this.queryPrefix(issue, ISSUE.positionPrefix)).filter(holdsPosition).map(positionFromItem);
  }

  async issueHistory(issue: IssueId, until?: string): Promise<ShownStatement[]> {
    // History is ordered by actor, then said time: a time bound across actors is a filter, not a key range.
    const items = await this.queryPrefix(
      issue,
      ISSUE.historyPrefix,
      until === undefined ? {} : { FilterExpression: 'saidAt <= :until', ExpressionAttributeValues: { ':until': until } },
    );
    // A retracted statement counts for nothing (not in an as-of matrix, not in a timeline); a place a correction
    // moved a statement from holds no statement.
    return items.filter(countsInHistory).map(shownFromItem);
  }

  async statements(refs: readonly StatementRef[]): Promise<ShownStatement[]> {
    if (refs.length === 0) return [];
    const items = await batchGet(this.doc, this.tableName, refs.map(historyKey));
    // A reference into a place a correction moved the statement from resolves to where it stands now.
    return (await followMoves({ doc: this.doc, tableName: this.tableName }, items)).map(shownFromItem);
  }

  async actorPositions(actor: ActorId, issues: readonly IssueId[]): Promise<Position[]> {
    if (issues.length === 0) return [];
    return (await batchGet(this.doc, this.tableName, issues.map((issue) => positionKey(issue, actor)))).filter(holdsPosition).map(positionFromItem);
  }

  /**
   * Each issue's history of the actor is in said order already: its first `limit` after `after` are
   * read (one more, for BETWEEN includes `after` itself), and the merge of them all is cut to `limit`.
   */
  async actorHistory(actor: ActorId, issues: readonly IssueId[], { after, limit }: { after?: SaidKey; limit: number }): Promise<ShownStatement[]> {
    const { from, to } = actorHistoryFrom(actor, after === undefined ? undefined : saidKey(after));
    const perIssue = await Promise.all(
      issues.map((issue) =>
        queryUpTo(
          this.doc,
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': ISSUE.pk(issue), ':from': from, ':to': to },
            // Not the places corrections moved statements from: a page counts statements only.
            FilterExpression: 'attribute_not_exists(movedTo)',
            ConsistentRead: true,
          },
          limit + 1,
        ),
      ),
    );
    return perIssue
      .flat()
      .map(shownFromItem)
      .filter((statement) => after === undefined || compareSaid(statement, after) > 0)
      .sort(compareSaid)
      .slice(0, limit);
  }

  async episodes(filter: AlertFilter): Promise<StorePage<StoredEpisode>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':feed': EPISODES_FEED };
    if (filter.since !== undefined) values[':since'] = filter.since;
    if (filter.issue !== undefined) {
      conditions.push('#issue = :issue');
      names['#issue'] = 'issue';
      values[':issue'] = filter.issue;
    }
    if (filter.actor !== undefined) {
      conditions.push('#actor = :actor');
      names['#actor'] = 'actor';
      values[':actor'] = filter.actor;
    }
    if (filter.open !== undefined) {
      conditions.push(filter.open ? '#status = :open' : '#status <> :open');
      names['#status'] = 'status';
      values[':open'] = 'open';
    }

    const start = filter.cursor === undefined ? undefined : decodeAlertCursor(filter.cursor, filter.since);
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: GSI1.indexName,
      KeyConditionExpression: filter.since === undefined ? 'gsi1pk = :feed' : 'gsi1pk = :feed AND gsi1sk >= :since',
      ...(conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    };
    const items = await queryUpTo(this.doc, input, filter.limit + 1, start);
    return pageOf(items, filter.limit, (item) => ({ value: episodeFromItem(item), cursor: encodeCursor(feedPositionOf(item)) }));
  }

  /** The change feed of gsi1, earliest first; an issue is a filter, so the feed keeps one order across issues. */
  async changes(filter: ChangeFilter): Promise<StorePage<ChangeRecord>> {
    const values: Record<string, unknown> = { ':feed': CHANGES_FEED };
    if (filter.since !== undefined) values[':since'] = filter.since;
    if (filter.issue !== undefined) values[':issue'] = filter.issue;
    const start = filter.cursor === undefined ? undefined : decodeChangeCursor(filter.cursor, filter.since);
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: GSI1.indexName,
      KeyConditionExpression: filter.since === undefined ? 'gsi1pk = :feed' : 'gsi1pk = :feed AND gsi1sk >= :since',
      ...(filter.issue === undefined ? {} : { FilterExpression: 'changeIssue = :issue' }),
      ExpressionAttributeValues: values,
      ScanIndexForward: true,
    };
    const items = await queryUpTo(this.doc, input, filter.limit + 1, start);
    return pageOf(items, filter.limit, (item) => ({ value: changeFromItem(item), cursor: encodeCursor(feedPositionOf(item)) }));
  }

  /** The quarantine feed of gsi1, read through the quarantine repository. */
  async quarantined(filter: QuarantineFilter): Promise<StorePage<StoredQuarantinedEvent>> {
    const after = filter.cursor === undefined ? undefined : decodeQuarantineCursor(filter.cursor);
    return this.quarantineRepository.page(filter.limit, after);
  }
}
