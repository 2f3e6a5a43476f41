/**
 * What recording a statement changed, as the change feed lists it: a `position-changed` when the
 * statement is its actor's current position once the issue has settled (the very change its
 * Position Changed announces, under the same id), otherwise a `statement-applied` (history gained
 * it, the position did not move: a late statement). One entry per statement, whatever the kind.
 */
import type { Position, StatementRecord } from '../../core/types.ts';
import type { ChangeRecord, TrackerRepository } from '../ports.ts';
import { settledPositionChange } from './alert-records.ts';

export const statementChangeOf = (statement: StatementRecord, current: Position | undefined, recordedAt: string): ChangeRecord => {
  const change = settledPositionChange(statement, current);
  const facts = {
    statementId: statement.statementId,
    statementKind: statement.kind,
    actor: statement.actor,
    ...(statement.speaker === undefined ? {} : { speaker: statement.speaker }),
    stance: statement.stance,
    hedged: statement.hedged,
    saidAt: statement.saidAt,
  };
  return change === undefined
    ? { changeId: statement.statementId, kind: 'statement-applied', recordedAt, issue: statement.issue, changed: facts }
    : { changeId: change.changeId, kind: 'position-changed', recordedAt, issue: statement.issue, changed: { ...facts, previous: change.previous } };
};

/**
 * Lists the statements' changes: those of first claims (`first`: no entry of theirs can be listed
 * yet) in one write together without a condition, any other once, conditionally (a redelivery keeps
 * the first recording).
 */
export const recordStatementChanges = async (
  tracker: Pick<TrackerRepository, 'recordStatementChange' | 'recordNewStatementChanges'>,
  entries: ReadonlyArray<{ first?: true | undefined; statementId: string; change: ChangeRecord }>,
): Promise<void> => {
  const firsts = entries.filter(({ first }) => first === true);
  await Promise.all([
    firsts.length === 0 ? undefined : tracker.recordNewStatementChanges(firsts),
    ...entries.filter(({ first }) => first !== true).map(({ statementId, change }) => tracker.recordStatementChange(statementId, change)),
  ]);
};
