/**
 * The change feed: every change to the record in the order it was recorded (statements, position
 * changes, alerts, registry versions, revisions), paged like every feed (`pageOf` in the store, then
 * `withinBudget`), so a newsroom can ask "what changed since yesterday" and page through the answer.
 */
import type { ChangeItem, ChangesPage } from '../api/schemas.ts';
import type { ChangeRecord } from './ports.ts';
import { responseBytes, withinBudget } from './read-feeds.ts';
import { knownIssue, type ChangeFilter, type ReadContext } from './read-store.ts';

export const toChangeItem = (change: ChangeRecord): ChangeItem => ({
  changeId: change.changeId,
  kind: change.kind,
  recordedAt: change.recordedAt,
  issue: change.issue,
  changed: change.changed,
});

export const changes = async (context: ReadContext, filter: ChangeFilter): Promise<ChangesPage> => {
  if (filter.issue !== undefined) await knownIssue(context, filter.issue);
  const page = await context.store.changes(filter);
  const items = page.items.map(({ value, cursor }) => ({ value: toChangeItem(value), cursor }));
  const fitted = withinBudget({ ...page, items }, responseBytes);
  return { changes: fitted.values, nextCursor: fitted.nextCursor };
};
