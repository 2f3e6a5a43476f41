/**
 * Settling an issue after a statement is in: rounds of read, evaluate, write until nothing is left
 * to do (a fixpoint), so of two processors racing on one issue the last one to read leaves the
 * divergences equal to what the whole set of statements implies.
 */
import { compareSaid } from '../../core/positions.ts';
import type { StoredIssueState } from '../ports.ts';
import type { RecordContext } from './context.ts';
import { incrementalRound } from './incremental-round.ts';
import { replayRound } from './replay-round.ts';

/** The issue kept changing under this processor for too long; the message is retried later. */
export class NotConvergedError extends Error {
  override readonly name = 'NotConvergedError';
  constructor(readonly issue: string, readonly rounds: number) {
    super(`divergences of ${issue} still changing after ${rounds} rounds; retry later`);
  }
}

export interface Settled {
  /** The last read of the issue: what is published from. */
  snapshot: StoredIssueState;
  /** Said before the issue's latest statement when it was processed. */
  late: boolean;
  /** Went through the full replay of the issue (late, leftovers, or a lost race). */
  replayed: boolean;
  rounds: number;
}

/**
 * In order (the statement is the issue's latest said, no leftovers in the outbox) the incremental
 * path; otherwise, or as soon as a round finds another writer at work, the replay path to the end.
 * Each extra round is caused by a concurrent writer; past `maxRounds` the message is retried.
 */
export const settle = async (ctx: RecordContext, maxRounds: number): Promise<Settled> => {
  let snapshot = await ctx.tracker.loadIssueState(ctx.statement.issue);
  const late = snapshot.watermark !== undefined && compareSaid(ctx.statement, snapshot.watermark) < 0;
  let replayed = late || ctx.ledger.hasForeignOutbox(snapshot.outbox);
  for (let rounds = 1; rounds <= maxRounds; rounds += 1) {
    const round = replayed ? await replayRound(ctx) : await incrementalRound(ctx, snapshot, rounds);
    snapshot = round.snapshot;
    if (round.next === 'settled') return { snapshot, late, replayed, rounds };
    if (round.next === 'replay') replayed = true;
  }
  throw new NotConvergedError(ctx.statement.issue, maxRounds);
};

/**
 * Replay rounds only, to the fixpoint: for statements known to be late (said before their actor's
 * current statement), whatever the snapshot says. `ctx.statement` is the cause the replay names.
 */
export const settleByReplay = async (ctx: RecordContext, maxRounds: number): Promise<Omit<Settled, 'late'>> => {
  for (let rounds = 1; rounds <= maxRounds; rounds += 1) {
    const round = await replayRound(ctx);
    if (round.next === 'settled') return { snapshot: round.snapshot, replayed: true, rounds };
  }
  throw new NotConvergedError(ctx.statement.issue, maxRounds);
};
