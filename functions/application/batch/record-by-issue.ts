/**
 * Recording, the last step of a batch: statements grouped by issue, each issue's in said order (so
 * most take the in-order path), different issues side by side up to a limit. Within an issue:
 *  - the ids are claimed side by side first (claims touch nothing the issue's evaluation reads);
 *  - the history of every statement whose claim was first (and whose id is once in the batch) is
 *    written in one call, before any position: nothing of theirs can be in history yet;
 *  - each statement is then written (history unless written already, position) in said order;
 *  - quiet restatements wait, and their change entries and Position Changed events go together;
 *  - late statements (said before their actor's current one) wait, and settle by one replay
 *    together (record/late-group.ts);
 *  - both kinds are done before the next statement that settles on its own reads the issue, so
 *    what it publishes comes after theirs, and it reads an issue with nothing pending.
 */
import { ConflictingIdError } from '../../core/errors.ts';
import { compareSaid } from '../../core/positions.ts';
import type { Registry, StatementRecord } from '../../core/types.ts';
import { detailTypeOf } from '../contracts-v1.ts';
import type { Restatement } from '../record/restatement.ts';
import { isLateArrival, type ClaimedStatement, type RecordOutcome, type WrittenStatement } from '../record-statement.ts';
import type { BatchLedger } from './ledger.ts';
import type { InboundMessage } from './outcomes.ts';
import type { ResolvedBatch, ResolvedStatement } from './resolve-statements.ts';

/** The record-statement use case in its halves, with its ports bound. */
export interface StatementRecorder {
  /** Claims the id for the statement's content (ConflictingIdError when other content holds it). */
  claim(statement: StatementRecord): Promise<ClaimedStatement>;
  /**
   * History of statements whose claims were first, together (no condition: nothing of theirs is
   * there); the ids among them whose claims were marked revised meanwhile.
   */
  recordNew(statements: readonly StatementRecord[]): Promise<ReadonlySet<string>>;
  /** The history of a statement revised meanwhile rewritten as its revisions make it; its claim as it now stands. */
  rewriteRevised(statement: StatementRecord): Promise<ClaimedStatement>;
  /** History (unless `inHistory`: written by recordNew) and position, once claimed. */
  write(statement: StatementRecord, claimed: ClaimedStatement & { inHistory?: boolean }): Promise<WrittenStatement>;
  /** The restatement, when the written statement is a quiet one (no read needed). */
  quiet(written: WrittenStatement, registry: Registry): Restatement | undefined;
  /** Change entries and Position Changed events of quiet restatements of one issue, together. */
  recordQuiet(quiet: ReadonlyArray<{ written: WrittenStatement; restatement: Restatement }>): Promise<RecordOutcome[]>;
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

interface Waiting {
  message: InboundMessage;
  written: WrittenStatement;
  restatement?: Restatement;
}

/** Settles what waits (`settle` for all of it at once), each message settled or, on failure, failed. */
const settleWaiting = async (waiting: readonly Waiting[], settle: () => Promise<RecordOutcome[]>, ledger: BatchLedger): Promise<unknown> => {
  if (waiting.length === 0) return undefined;
  try {
    const outcomes = await settle();
    waiting.forEach(({ message }, i) => ledger.settle({ messageId: message.messageId, status: 'statement', result: outcomes[i] as RecordOutcome }));
    return undefined;
  } catch (error) {
    for (const { message, written } of waiting) ledger.fail(message.messageId, error, context(written.statement));
    return error;
  }
};

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const outcomeOf = <T>(work: Promise<T>): Promise<Outcome<T>> =>
  work.then((value): Outcome<T> => ({ ok: true, value }), (error: unknown): Outcome<T> => ({ ok: false, error }));

type Claimed = Outcome<ClaimedStatement & { inHistory?: boolean }>;

/**
 * The claims of an issue's statements, side by side; then the history of those claimed first, in one
 * write. An id twice in the batch (a duplicate delivery) keeps the conditional writes for both.
 */
const claimAll = async (group: readonly ResolvedStatement[], recorder: StatementRecorder): Promise<Claimed[]> => {
  const claims = await Promise.all(group.map(({ statement }) => outcomeOf(recorder.claim(statement))));
  const seen = new Map<string, number>();
  for (const { statement } of group) seen.set(statement.statementId, (seen.get(statement.statementId) ?? 0) + 1);
  const fresh = group.flatMap(({ statement }, i) => {
    const claim = claims[i] as Claimed;
    return claim.ok && claim.value.first && seen.get(statement.statementId) === 1 ? [i] : [];
  });
  if (fresh.length === 0) return claims.map((claim) => (claim.ok ? { ok: true, value: { ...claim.value, first: false } } : claim));
  const written = await outcomeOf(recorder.recordNew(fresh.map((i) => (group[i] as ResolvedStatement).statement)));
  const isFresh = new Set(fresh);
  return Promise.all(claims.map(async (claim, i): Promise<Claimed> => {
    if (!claim.ok) return claim;
    if (!isFresh.has(i)) return { ok: true, value: { ...claim.value, first: false } };
    if (!written.ok) return { ok: false, error: written.error };
    const { statement } = group[i] as ResolvedStatement;
    if (!written.value.has(statement.statementId)) return { ok: true, value: { ...claim.value, inHistory: true } };
    const rewritten = await outcomeOf(recorder.rewriteRevised(statement));
    return rewritten.ok ? { ok: true, value: { ...rewritten.value, inHistory: true } } : rewritten;
  }));
};

/** One issue's statements of the batch, in said order. */
const recordIssue = async (group: readonly ResolvedStatement[], recorder: StatementRecorder, registry: Registry, ledger: BatchLedger): Promise<void> => {
  const claims = await claimAll(group, recorder);
  let quiet: Waiting[] = [];
  let late: Waiting[] = [];
  // Once a late group fails, the issue's later statements wait for its redelivery: settled now,
  // they would be evaluated against positions it moved and that no replay has placed.
  let failedGroup: unknown;
  const settlePending = async (): Promise<void> => {
    const [restated, behind] = [quiet, late];
    [quiet, late] = [[], []];
    await settleWaiting(restated, () => recorder.recordQuiet(restated.map(({ written, restatement }) => ({ written, restatement: restatement as Restatement }))), ledger);
    failedGroup ??= await settleWaiting(behind, () => recorder.settleLate(behind.map(({ written }) => written), registry), ledger);
  };
  for (const [i, { message, statement }] of group.entries()) {
    const claim = claims[i] as Claimed;
    try {
      if (!claim.ok) throw claim.error;
      if (failedGroup !== undefined) {
        ledger.fail(message.messageId, failedGroup, { ...context(statement), while: 'waiting for the late statements of its issue' });
        continue;
      }
      const written = await recorder.write(statement, claim.value);
      const restatement = recorder.quiet(written, registry);
      if (restatement !== undefined) quiet.push({ message, written, restatement });
      else if (isLateArrival(written)) late.push({ message, written });
      else {
        await settlePending();
        if (failedGroup !== undefined) throw failedGroup;
        ledger.settle({ messageId: message.messageId, status: 'statement', result: await recorder.settle(written, registry) });
      }
    } catch (error) {
      if (error instanceof ConflictingIdError) await ledger.quarantine(message, 'conflicting-id', error.problems, detailTypeOf(statement));
      else ledger.fail(message.messageId, error, context(statement));
    }
  }
  await settlePending();
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
