/**
 * Recording, the last step of a batch: statements grouped by issue, each issue's in said order (so
 * most take the in-order path), different issues side by side up to a limit.
 */
import { ConflictingIdError } from '../../core/errors.ts';
import { compareSaid } from '../../core/positions.ts';
import type { Registry, StatementRecord } from '../../core/types.ts';
import { detailTypeOf } from '../contracts-v1.ts';
import type { RecordOutcome } from '../record-statement.ts';
import type { BatchLedger } from './ledger.ts';
import type { ResolvedBatch, ResolvedStatement } from './resolve-statements.ts';

/** Records one statement (the record-statement use case, with its ports bound). */
export type RecordOne = (statement: StatementRecord, registry: Registry) => Promise<RecordOutcome>;

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

export const recordByIssue = async (
  batch: ResolvedBatch | undefined,
  record: RecordOne,
  issueConcurrency: number,
  ledger: BatchLedger,
): Promise<void> => {
  if (batch === undefined) return;
  await forEachLimited(byIssue(batch.statements), issueConcurrency, async (group) => {
    for (const { message, statement } of group) {
      try {
        ledger.settle({ messageId: message.messageId, status: 'statement', result: await record(statement, batch.registry) });
      } catch (error) {
        if (error instanceof ConflictingIdError) await ledger.quarantine(message, 'conflicting-id', error.problems, detailTypeOf(statement));
        else ledger.fail(message.messageId, error, { statementId: statement.statementId, issue: statement.issue });
      }
    }
  });
};
