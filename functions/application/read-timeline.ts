/**
 * An issue's timeline: every statement on the issue that stands, in said order, as evidence. What
 * the feeds' timeline and live metadata are built from.
 */
import type { Evidence } from '../../events/outbound/evidence.ts';
import { compareSaid } from '../core/positions.ts';
import type { IssueId, StatementRecord } from '../core/types.ts';
import { toEvidence } from './contracts-v1.ts';
import { knownIssue, type ReadContext } from './read-store.ts';

export interface IssueTimeline {
  issue: IssueId;
  statements: Evidence[];
}

/**
 * The seam for retractions: once history items carry the effective statement with a `status`, a
 * retracted one leaves every feed here, while the store keeps it (and its trail) for the record.
 * Corrections need nothing here: history already holds the statement as corrected.
 */
export const stands = (statement: StatementRecord & { readonly status?: string }): boolean => statement.status !== 'retracted';

export const issueTimeline = async (context: ReadContext, issue: IssueId): Promise<IssueTimeline> => {
  await knownIssue(context, issue);
  const history = await context.store.issueHistory(issue);
  return { issue, statements: [...history].filter(stands).sort(compareSaid).map(toEvidence) };
};
