/**
 * Positions on the said-time timeline. The current position is the latest statement said, never the
 * latest delivered, so every function here depends only on which statements exist.
 */
import { positionChangeId } from './ids.ts';
import type { ActorId, IssueId, Position, PositionChange, PositionRef, StatementRecord, StatementRef } from './types.ts';

export interface SaidKey {
  saidAt: string;
  statementId: string;
}

/** The one way to name where a statement (or a position, or a said key of an actor) lives in history. */
export const refOf = (statement: SaidKey & { actor: ActorId; issue: IssueId }): StatementRef => ({
  issue: statement.issue,
  actor: statement.actor,
  saidAt: statement.saidAt,
  statementId: statement.statementId,
});

export type PositionEffect = 'current' | 'previous' | 'older' | 'duplicate';

/**
 * The total order of statements. Times are normalised UTC ISO strings, so a plain string compare is
 * time order; the id breaks ties so that two statements said in the same millisecond still have one
 * order everywhere (code-unit compare, not locale compare, for the same reason).
 */
export const compareSaid = (a: SaidKey, b: SaidKey): number => {
  if (a.saidAt !== b.saidAt) return a.saidAt < b.saidAt ? -1 : 1;
  if (a.statementId !== b.statementId) return a.statementId < b.statementId ? -1 : 1;
  return 0;
};

export const toPositionRef = (statement: StatementRecord | PositionRef): PositionRef => ({
  stance: statement.stance,
  hedged: statement.hedged,
  statementId: statement.statementId,
  saidAt: statement.saidAt,
});

/**
 * The Position Changed fact of a statement that is its actor's current position: `previous` is the
 * position said just before it (not the one current when it was delivered), so a replay and a
 * processor that met the statements in another order name the same change.
 */
export const positionChangeOf = (statement: StatementRecord, previous: PositionRef | undefined): PositionChange => ({
  changeId: positionChangeId(statement.issue, statement.actor, statement.statementId),
  issue: statement.issue,
  actor: statement.actor,
  previous: previous === undefined ? null : toPositionRef(previous),
  current: toPositionRef(statement),
  statementId: statement.statementId,
});

/**
 * Folds one statement into a position. The position keeps the greatest and second greatest
 * statements in said order, which is all reversal detection needs, and the result is the same
 * whatever order the statements come in.
 */
export const applyToPosition = (
  current: Position | undefined,
  statement: StatementRecord,
): { position: Position | undefined; effect: PositionEffect } => {
  if (current === undefined) {
    return {
      position: { issue: statement.issue, actor: statement.actor, ...toPositionRef(statement) },
      effect: 'current',
    };
  }
  if (statement.actor !== current.actor || statement.issue !== current.issue) {
    throw new RangeError(
      `statement ${statement.statementId} is about ${statement.actor}/${statement.issue}, not the position ${current.actor}/${current.issue}`,
    );
  }
  if (statement.statementId === current.statementId || statement.statementId === current.previous?.statementId) {
    return { position: current, effect: 'duplicate' };
  }
  if (compareSaid(statement, current) > 0) {
    return {
      position: { issue: current.issue, actor: current.actor, ...toPositionRef(statement), previous: toPositionRef(current) },
      effect: 'current',
    };
  }
  if (current.previous === undefined || compareSaid(statement, current.previous) > 0) {
    return { position: { ...current, previous: toPositionRef(statement) }, effect: 'previous' };
  }
  return { position: current, effect: 'older' };
};

/** "What was X's position at time D": the latest statement said at or before `at`. */
export const positionAsOf = (
  history: readonly StatementRecord[],
  actor: ActorId,
  issue: IssueId,
  at: string,
): PositionRef | undefined => {
  let latest: StatementRecord | undefined;
  for (const statement of history) {
    if (statement.actor !== actor || statement.issue !== issue || statement.saidAt > at) continue;
    if (latest === undefined || compareSaid(statement, latest) > 0) latest = statement;
  }
  return latest === undefined ? undefined : toPositionRef(latest);
};
