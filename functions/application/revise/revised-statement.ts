/**
 * A statement and the set of its revisions as its history item keeps them: the effective statement
 * (core/corrections.ts) with its trail, and the original it is made from, itself redacted once a
 * retraction asks it, so no copy of the text outlives a legal removal.
 */
import { effectiveStatement, redactRecord, type Correction, type Retraction, type Revision } from '../../core/corrections.ts';
import type { FieldProblem } from '../../core/errors.ts';
import type { StatementRecord } from '../../core/types.ts';
import type { RevisedStatement } from '../ports.ts';

export const revisedStatement = (original: StatementRecord, revisions: readonly Revision[]): RevisedStatement => {
  const corrections = revisions.filter((r): r is Correction => r.kind === 'correction');
  const retractions = revisions.filter((r): r is Retraction => r.kind === 'retraction');
  const effective = effectiveStatement(original, corrections, retractions);
  return { original: effective.redacted ? redactRecord(original) : original, effective, revisions: revisions.length };
};

/**
 * The fields that would move a statement to another place in history (issue, actor, said time).
 * Moving one is not applied yet: its history item, its evidence references and both issues would
 * have to move together, which these single-item writes do not do safely yet.
 */
const MOVING_FIELDS = ['issue', 'actor', 'saidAt'] as const;

export const movingChanges = (revision: Revision): FieldProblem[] =>
  revision.kind === 'retraction'
    ? []
    : MOVING_FIELDS.filter((field) => revision.changes[field] !== undefined).map((field) => ({
        field: `detail.changes.${field === 'actor' && revision.changes.speaker !== undefined ? 'speaker' : field}`,
        reason: 'a correction that moves a statement to another issue, actor or said time is not applied yet; it is kept here, to be published again once it is',
      }));
