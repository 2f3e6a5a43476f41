/**
 * Recording, the last step of a batch: statements grouped by issue, each issue's in said order (so
 * most take the in-order path), different issues side by side up to a limit. Late statements of an
 * issue (said before their actor's current one) are written as they come and settled together, by
 * one replay, before the next statement of the issue that settles (record/late-group.ts).
 */
import { ConflictingIdError } from '../../core/errors.ts';
import { compareSaid } from '../../core/positions.ts';
import type { Registry, StatementRecord } from '../../core/types.ts';
import { detailTypeOf } from '../contracts-v1.ts';
import { isLateArrival, type RecordOutcome, type WrittenStatement } from '../record-statement.ts';
import type { BatchLedger } from './ledger.ts';
import type { InboundMessage } from './outcomes.ts';
import type { ResolvedBatch, ResolvedStatement } from './resolve-statements.ts';

/** The record-statement use case in its halves, with its ports bound. */
export interface StatementRecorder {
  /** Claim, history and position. */
  write(statement: StatementRecord): Promise<WrittenStatement>;
  /** The rest, for one statement on its own. */
  settle(written: WrittenStatement, registry: Registry): Promise<RecordOutcome>;
  /** The rest, for late statements of one issue together (in said order). */
  settleLate(late: readonly WrittenStatement[], registry: Registry): Promise<RecordOutcome[]>;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export const forEachLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
};

const byIssue = (statements: readonly ResolvedStatement[]): ResolvedStatement[][] => {
  const groups = new Map<string, ResolvedStatement[]>();
  for (const resolved of statements) {
    const group = groups.get(resolved.statement.issue);
    if (group === undefined) groups.set(resolved.statement.issue, [resolved]);
    else group.push(resolved);
  }
  return [...groups.values()].map((group) => group.sort((a, b) => compareSaid(a.statement, b.statement)));
};

const context = ({ statementId, issue }: StatementRecord) => ({ statementId, issue });

/** One issue's statements of the batch, in said order. */
const recordIssue = async (group: readonly ResolvedStatement[], recorder: StatementRecorder, registry: Registry, ledger: BatchLedger): Promise<void> => {
  let late: Array<{ message: InboundMessage; written: WrittenStatement }> = [];
  // Once a late group fails, the issue's later statements wait for its redelivery: settled now,
  // they would be evaluated against positions it moved and that no replay has placed.
  let failedGroup: unknown;
  const settleLate = async (): Promise<void> => {
    const waiting = late;
    late = [];
    if (waiting.length === 0) return;
    try {
      const outcomes = await recorder.settleLate(waiting.map(({ written }) => written), registry);
      waiting.forEach(({ message }, i) => ledger.settle({ messageId: message.messageId, status: 'statement', result: outcomes[i] as RecordOutcome }));
    } catch (error) {
      failedGroup = error;
      for (const { message, written } of waiting) ledger.fail(message.messageId, error, context(written.statement));
    }
  };
  for (const { message, statement } of group) {
    if (failedGroup !== undefined) {
      ledger.fail(message.messageId, failedGroup, { ...context(statement), while: 'waiting for the late statements of its issue' });
      continue;
    }
    try {
      const written = await recorder.write(statement);
      if (isLateArrival(written)) {
        late.push({ message, written });
        continue;
      }
      await settleLate();
      if (failedGroup !== undefined) throw failedGroup;
      ledger.settle({ messageId: message.messageId, status: 'statement', result: await recorder.settle(written, registry) });
    } catch (error) {
      if (error instanceof ConflictingIdError) await ledger.quarantine(message, 'conflicting-id', error.problems, detailTypeOf(statement));
      else ledger.fail(message.messageId, error, context(statement));
    }
  }
  await settleLate();
};

export const recordByIssue = async (
  batch: ResolvedBatch | undefined,
  recorder: StatementRecorder,
  issueConcurrency: number,
  ledger: BatchLedger,
): Promise<void> => {
  if (batch === undefined) return;
  await forEachLimited(byIssue(batch.statements), issueConcurrency, (group) => recordIssue(group, recorder, batch.registry, ledger));
};
