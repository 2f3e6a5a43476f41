/**
 * A statement and the set of its revisions as its history item keeps them: the effective statement
 * (core/corrections.ts) with its trail, and the original it is made from, itself redacted once a
 * retraction asks it, so no copy of the text outlives a legal removal.
 */
import { effectiveStatement, redactRecord, statementPlaces, type Correction, type Retraction, type Revision } from '../../core/corrections.ts';
import type { StatementRecord, StatementRef } from '../../core/types.ts';
import type { RevisedStatement } from '../ports.ts';

const byKind = (revisions: readonly Revision[]): { corrections: Correction[]; retractions: Retraction[] } => ({
  corrections: revisions.filter((r): r is Correction => r.kind === 'correction'),
  retractions: revisions.filter((r): r is Retraction => r.kind === 'retraction'),
});

export const revisedStatement = (original: StatementRecord, revisions: readonly Revision[]): RevisedStatement => {
  const { corrections, retractions } = byKind(revisions);
  const effective = effectiveStatement(original, corrections, retractions);
  return { original: effective.redacted ? redactRecord(original) : original, effective, revisions: revisions.length };
};

/** Where the statement stands in history as its revisions apply, in their order; the effective place last. */
export const revisedPlaces = (original: StatementRecord, revisions: readonly Revision[]): StatementRef[] => {
  const { corrections, retractions } = byKind(revisions);
  return statementPlaces(original, corrections, retractions);
};
