/**
 * The write path's steps below the handler, on an embedded store: a fresh tracker table with the
 * real DynamoDB repository, a registry given as data and a stepping clock, so each step of
 * recordStatement (functions/application/record/) can be exercised on its own.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoTrackerRepository } from '../../functions/adapters/dynamodb/tracker.repository.ts';
import type { Clock, StoredIssueState } from '../../functions/application/ports.ts';
import { AlertLedger } from '../../functions/application/record/alert-ledger.ts';
import type { RecordContext } from '../../functions/application/record/context.ts';
import { recordStatement, type RecordOutcome } from '../../functions/application/record-statement.ts';
import type { Registry, StatementRecord } from '../../functions/core/types.ts';
import type { EmbeddedDynamo } from '../../support/dynalite.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { readTableState, type TableState } from './tracker-table.ts';

export interface WritePathRig {
  client: DynamoDBClient;
  tableName: string;
  tracker: DynamoTrackerRepository;
  registry: Registry;
  clock: Clock;
  /** What the full use case publishes, for statements recorded with `record`. */
  publisher: RecordingPublisher;
  /** The whole use case, for the statements a test needs in place before the step it is about. */
  record(...statements: StatementRecord[]): Promise<RecordOutcome[]>;
  /** What recordStatement writes before it settles: history and position. */
  put(...statements: StatementRecord[]): Promise<void>;
  /** The context of recording `statement`, with a ledger of its own (a delivery of its own). */
  context(statement: StatementRecord): RecordContext;
  snapshot(issue: string): Promise<StoredIssueState>;
  state(): Promise<TableState>;
}

/** One millisecond later on every call, from a fixed start: recording times are distinct and repeatable. */
export const steppingClock = (start = '2026-03-01T00:00:00.000Z'): Clock => {
  let next = Date.parse(start);
  return { now: () => new Date(next++).toISOString() };
};

export const createWritePathRig = async (
  store: EmbeddedDynamo,
  registry: Registry,
  client: DynamoDBClient = store.client,
): Promise<WritePathRig> => {
  const tableName = await store.createTable();
  const tracker = new DynamoTrackerRepository({ tableName, client });
  const clock = steppingClock();
  const publisher = new RecordingPublisher();
  return {
    client,
    tableName,
    tracker,
    registry,
    clock,
    publisher,
    record: async (...statements) => {
      const outcomes: RecordOutcome[] = [];
      for (const statement of statements) outcomes.push(await recordStatement({ tracker, publisher, clock }, statement, registry));
      return outcomes;
    },
    put: async (...statements) => {
      for (const statement of statements) {
        await tracker.recordStatement(statement);
        await tracker.applyPosition(statement);
      }
    },
    context: (statement) => ({ tracker, clock, registry, statement, ledger: new AlertLedger(tracker, statement.issue) }),
    snapshot: (issue) => tracker.loadIssueState(issue),
    state: () => readTableState(client, tableName),
  };
};
