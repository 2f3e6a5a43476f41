/**
 * The change feed's read step over an in-memory store: filters, paging with the one paging rule,
 * the response budget, and an unknown issue.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeRecord } from '../../../functions/application/ports.ts';
import { changes, toChangeItem } from '../../../functions/application/read-changes.ts';
import { NotFoundError } from '../../../functions/application/read-store.ts';
import { ISSUE, makeRegistry } from '../core/helpers.ts';
import { memoryStore } from './memory-store.ts';

const OTHER_ISSUE = 'ceasefire-before-peace-deal';
const registry = makeRegistry({ issues: [ISSUE, OTHER_ISSUE], actors: ['russia', 'germany'], blocs: { allies: ['germany'] } });

const change = (n: number, issue: string | null, kind: ChangeRecord['kind'] = 'position-changed'): ChangeRecord => ({
  changeId: `ch-${n}`,
  kind,
  recordedAt: `2026-01-0${1 + Math.floor(n / 2)}T10:00:00.000Z`,
  issue,
  changed: { statementId: `st-${n}`, stance: -1 },
});

const feed = [change(0, ISSUE), change(1, OTHER_ISSUE), change(2, null, 'registry-changed'), change(3, ISSUE, 'divergence-opened'), change(4, ISSUE)];

describe('the change feed (changes)', () => {
  it('lists every change in the order recorded, each as stored', async () => {
    const { context } = memoryStore({ registry, changes: feed });
    const page = await changes(context, { limit: 10 });
    expect(page).toEqual({ changes: feed.map(toChangeItem), nextCursor: null });
  });

  it('filters by issue and by the time recorded', async () => {
    const { context } = memoryStore({ registry, changes: feed });
    expect((await changes(context, { issue: ISSUE, limit: 10 })).changes.map((c) => c.changeId)).toEqual(['ch-0', 'ch-3', 'ch-4']);
    expect((await changes(context, { since: '2026-01-02T00:00:00.000Z', limit: 10 })).changes.map((c) => c.changeId)).toEqual(['ch-2', 'ch-3', 'ch-4']);
  });

  it('pages with the cursor of the last change, and says when the last page is reached', async () => {
    const { context } = memoryStore({ registry, changes: feed });
    const first = await changes(context, { limit: 2 });
    const second = await changes(context, { limit: 2, cursor: first.nextCursor ?? '' });
    const third = await changes(context, { limit: 2, cursor: second.nextCursor ?? '' });
    expect([first, second, third].flatMap((p) => p.changes.map((c) => c.changeId))).toEqual(feed.map((c) => c.changeId));
    expect(third.nextCursor).toBeNull();
  });

  it('answers an unknown issue with NotFoundError naming the parameter', async () => {
    const { context } = memoryStore({ registry, changes: feed });
    await expect(changes(context, { issue: 'no-such-issue', limit: 10 })).rejects.toMatchObject(
      new NotFoundError('issue', 'issue', 'no-such-issue'),
    );
  });
});
