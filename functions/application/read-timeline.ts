/**
 * An issue's timeline: every statement on the issue that stands, in said order, as evidence. What
 * the feeds' timeline and live metadata are built from. The store's issue history holds each
 * statement as corrected and leaves retracted ones out (ReadStore.issueHistory), so the timeline
 * needs no revision logic of its own.
 */
import type { Evidence } from '../../events/outbound/evidence.ts';
import { compareSaid } from '../core/positions.ts';
import type { IssueId } from '../core/types.ts';
import { toEvidence } from './contracts-v1.ts';
import { knownIssue, type ReadContext } from './read-store.ts';

export interface IssueTimeline {
  issue: IssueId;
  statements: Evidence[];
}

export const issueTimeline = async (context: ReadContext, issue: IssueId): Promise<IssueTimeline> => {
  await knownIssue(context, issue);
  const history = await context.store.issueHistory(issue);
  return { issue, statements: [...history].sort(compareSaid).map(toEvidence) };
};
