/**
 * Reads a whole tracker table back for assertions (a Scan: tests only, never the functions), and
 * reduces it to the facts that must not depend on delivery order, count or timing.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import {
  changeFromItem, claimFromItem, episodeFromItem, historyFromItem, holdsPosition, isMovedItem, pointerFromItem, positionFromItem, storedAlertFromItem, type StoredAlert,
} from '../../functions/adapters/dynamodb/items.ts';
import { ISSUE, REGISTRY_LOG_PK, REGISTRY_PK, REVISION_PREFIX, STATEMENT_CHANGE_PREFIX, STATEMENT_PK_PREFIX } from '../../functions/adapters/dynamodb/keys.ts';
import type { ChangeRecord, OpenPointer, StoredEpisode } from '../../functions/application/ports.ts';
import type { StatementIdentity } from '../../functions/core/identity.ts';
import type { Position, StatementRecord } from '../../functions/core/types.ts';

export type Item = Record<string, unknown>;

export const scanTable = async (client: DynamoDBClient, tableName: string): Promise<Item[]> => {
  const doc = documentClient(client);
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

export interface TableState {
  positions: Position[];
  history: StatementRecord[];
  /** Which content each statement id was claimed for. */
  claims: StatementIdentity[];
  episodes: StoredEpisode[];
  pointers: OpenPointer[];
  /** As stored: the detail with its evidence as references into history. */
  alerts: Array<StoredAlert['record'] & { evidence: StoredAlert['evidence'] }>;
  outbox: string[];
  quarantine: Item[];
  registry: Item[];
  /** The change feed's own items (statement changes, registry versions); alerts list themselves. */
  changes: ChangeRecord[];
  /** Corrections and retractions kept beside their statement's claim, as stored. */
  revisions: Item[];
  /** Position items that hold only the said keys of retracted statements (no position). */
  retractedOnly: Item[];
  /** Places in history a correction moved a statement from: pointers to where it stands, which depend on the order revisions arrived in. */
  moved: Item[];
}

const bySk = (a: Item, b: Item): number => {
  const x = `${a['pk'] as string}|${a['sk'] as string}`;
  const y = `${b['pk'] as string}|${b['sk'] as string}`;
  return x < y ? -1 : x > y ? 1 : 0;
};

export const readTableState = async (client: DynamoDBClient, tableName: string): Promise<TableState> => {
  const items = (await scanTable(client, tableName)).sort(bySk);
  const state: TableState = {
    positions: [], history: [], claims: [], episodes: [], pointers: [], alerts: [], outbox: [], quarantine: [], registry: [], changes: [], revisions: [],
    retractedOnly: [],
    moved: [],
  };
  for (const item of items) {
    const pk = item['pk'] as string;
    const sk = item['sk'] as string;
    if (pk === REGISTRY_PK) state.registry.push(item);
    else if (pk === REGISTRY_LOG_PK || sk.startsWith(STATEMENT_CHANGE_PREFIX)) state.changes.push(changeFromItem(item));
    else if (pk.startsWith('QUARANTINE#')) state.quarantine.push(item);
    else if (pk.startsWith(STATEMENT_PK_PREFIX) && sk.startsWith(REVISION_PREFIX)) state.revisions.push(item);
    // A claim item with no fingerprint marks revisions of a statement not recorded yet.
    else if (pk.startsWith(STATEMENT_PK_PREFIX)) state.claims.push(...(item['fp'] === undefined ? [] : [claimFromItem(item)]));
    else if (sk.startsWith(ISSUE.positionPrefix)) (holdsPosition(item) ? state.positions.push(positionFromItem(item)) : state.retractedOnly.push(item));
    else if (sk.startsWith(ISSUE.openPrefix)) state.pointers.push(pointerFromItem(item));
    else if (sk.startsWith(ISSUE.outboxPrefix)) state.outbox.push(sk.slice(ISSUE.outboxPrefix.length));
    else if (sk.startsWith(ISSUE.historyPrefix)) (isMovedItem(item) ? state.moved.push(item) : state.history.push(historyFromItem(item)));
    else if (sk.startsWith(ISSUE.episodePrefix)) state.episodes.push(episodeFromItem(item));
    else if (sk.startsWith(ISSUE.alertPrefix)) {
      const stored = storedAlertFromItem(item);
      state.alerts.push({ ...stored.record, evidence: stored.evidence });
    }
    else throw new Error(`unexpected item ${pk} / ${sk}`);
  }
  return state;
};

/**
 * What must be equal between any two deliveries of the same set of events: positions, history,
 * open divergences, and the episodes and alerts that stand (withdrawn episodes and the corrections
 * that announced them are the trace of an out-of-order delivery and are compared separately).
 * Recording times are left out: they are when, not what; so is whether an alert was pushed, which
 * depends on what was open when it was recorded.
 */
export const comparableState = (state: TableState) => {
  const standing = state.episodes.filter((e) => e.status !== 'withdrawn');
  const standingIds = new Set(standing.map((e) => e.episode.episodeId));
  return {
    positions: state.positions,
    history: state.history,
    claims: state.claims,
    pointers: state.pointers,
    episodes: standing.map((e) => ({ status: e.status, episode: e.episode, evidenceRefs: e.evidenceRefs })),
    alerts: state.alerts
      .filter((a) => (a.transition === 'opened' || a.transition === 'closed') && standingIds.has(a.episodeId))
      .map(({ recordedAt: _recordedAt, pushed: _pushed, ...alert }) => alert)
      .sort((a, b) => (a.alertId < b.alertId ? -1 : 1)),
    outbox: state.outbox,
  };
};

/**
 * The change feed's own items without their recording times: what a redelivery must leave as it
 * was. Unlike comparableState it depends on delivery order (a statement delivered late is applied
 * without moving the position), so it is compared between runs of one order.
 */
export const comparableChanges = (state: TableState) =>
  state.changes.map(({ recordedAt: _recordedAt, ...change }) => change).sort((a, b) => (a.changeId < b.changeId ? -1 : 1));
