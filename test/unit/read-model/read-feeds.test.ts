/**
 * The read side's paged feeds, each step on its own over an in-memory store: the one paging rule,
 * the response budget, an actor's history, the alert feed and the quarantine.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEpisode, StoredQuarantinedEvent } from '../../../functions/application/ports.ts';
import {
  actorHistory, alerts, fitAlert, historyCursor, historyPosition, quarantine, responseBytes, toAlertItem, withinBudget,
} from '../../../functions/application/read-feeds.ts';
import { createPositionReader } from '../../../functions/application/read-model.ts';
import { InvalidCursorError, NotFoundError, encodeCursor, pageOf } from '../../../functions/application/read-store.ts';
import { compareSaid } from '../../../functions/core/positions.ts';
import { pageAll } from '../../../local/page-all.ts';
import type { StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, at, makeRegistry, said } from '../core/helpers.ts';
import { episodeOn } from './episodes.ts';
import { memoryStore } from './memory-store.ts';

const OTHER_ISSUE = 'ceasefire-before-peace-deal';
const registry = makeRegistry({ issues: [ISSUE, OTHER_ISSUE], actors: ['russia', 'germany'], blocs: { allies: ['germany'] } });

/** Russia on both issues; two statements at each instant, so said order needs the id too. */
const russian = Array.from({ length: 7 }, (_, i) => said({ id: `ru-${i}`, actor: 'russia', stance: -2, at: Math.floor(i / 2), issue: i % 2 === 0 ? ISSUE : OTHER_ISSUE }));

describe('the paging rule (pageOf)', () => {
  const cursorOf = (n: number) => ({ value: n, cursor: `after-${n}` });

  it('keeps the first `limit` items, each with its cursor, and says more follow when the extra one came back', () => {
    expect(pageOf([1, 2, 3], 2, cursorOf)).toEqual({ items: [cursorOf(1), cursorOf(2)], more: true });
  });

  it('says nothing follows when no item came back past the page, so there is never an empty last page', () => {
    expect(pageOf([1, 2], 2, cursorOf)).toEqual({ items: [cursorOf(1), cursorOf(2)], more: false });
    expect(pageOf([1], 2, cursorOf)).toEqual({ items: [cursorOf(1)], more: false });
    expect(pageOf([], 2, cursorOf)).toEqual({ items: [], more: false });
  });
});

describe('the response budget (withinBudget)', () => {
  const page = (sizes: number[], more = false) => ({ items: sizes.map((size, i) => ({ value: size, cursor: `c${i}` })), more });

  it('keeps the leading items that fit, and resumes after the last one kept', () => {
    expect(withinBudget(page([4, 4, 4]), (n) => n, 10)).toEqual({ values: [4, 4], nextCursor: 'c1' });
  });

  it('keeps at least one item, however large, so paging always moves on', () => {
    expect(withinBudget(page([50, 1]), (n) => n, 10)).toEqual({ values: [50], nextCursor: 'c0' });
  });

  it('gives the cursor only when something follows', () => {
    expect(withinBudget(page([1, 1]), (n) => n, 10)).toEqual({ values: [1, 1], nextCursor: null });
    expect(withinBudget(page([1, 1], true), (n) => n, 10)).toEqual({ values: [1, 1], nextCursor: 'c1' });
    expect(withinBudget(page([]), (n) => n, 10)).toEqual({ values: [], nextCursor: null });
  });

  it('measures an item as it travels: JSON escaped once more inside the function response', () => {
    expect(responseBytes({ q: '"' })).toBe(Buffer.byteLength(JSON.stringify(JSON.stringify({ q: '"' }))));
    // The outer quotes, the escaped inner ones, and four two-byte letters.
    expect(responseBytes('بيان')).toBe(2 + 4 + 8);
  });
});

describe("an actor's history", () => {
  const pages = async (limit: number, issue?: string) => {
    const { context } = memoryStore({ registry, history: russian });
    return pageAll(
      async (cursor) => {
        const page = await actorHistory(context, 'russia', { limit, ...(cursor === null ? {} : { cursor }), ...(issue === undefined ? {} : { issue }) });
        return { items: [{ ids: page.statements.map((s) => s.statementId), nextCursor: page.nextCursor }], nextCursor: page.nextCursor };
      },
      { maxPages: 20 },
    );
  };

  it('pages through every statement in said order, ties broken by id, across issues', async () => {
    // Act
    const seen = await pages(3);

    // Assess
    expect(seen.flatMap((p) => p.ids)).toEqual([...russian].sort(compareSaid).map((s) => s.statementId));
    expect(seen.map((p) => p.ids.length)).toEqual([3, 3, 1]);
    expect(seen.at(-1)?.nextCursor).toBeNull();
  });

  it('ends on a full page without promising an empty one after it', async () => {
    const seen = await pages(7);

    expect(seen).toHaveLength(1);
    expect(seen[0]?.nextCursor).toBeNull();
  });

  it('keeps to one issue when asked', async () => {
    const seen = await pages(10, OTHER_ISSUE);

    expect(seen.flatMap((p) => p.ids)).toEqual(['ru-1', 'ru-3', 'ru-5']);
  });

  it("takes back only its own cursors: another actor's, or one naming no statement, is refused", async () => {
    // Prepare
    const { context } = memoryStore({ registry, history: russian });
    const germanCursor = historyCursor(said({ id: 'de-1', actor: 'germany', stance: 0, at: 0 }));

    // Act and assess
    await expect(actorHistory(context, 'russia', { limit: 2, cursor: germanCursor })).rejects.toThrow(InvalidCursorError);
    expect(() => historyPosition(encodeCursor({ actor: 'russia', saidAt: 'yesterday', statementId: 'ru-1' }), 'russia')).toThrow(
      'not a cursor issued by this API: it does not name a statement of the history',
    );
    expect(historyPosition(historyCursor(russian[3]!), 'russia')).toEqual({ saidAt: russian[3]!.saidAt, statementId: 'ru-3' });
  });

  it('refuses an unknown actor or issue, naming the parameter', async () => {
    const { context } = memoryStore({ registry, history: russian });

    await expect(actorHistory(context, 'atlantis', { limit: 2 })).rejects.toEqual(new NotFoundError('actor', 'actor', 'atlantis'));
    await expect(actorHistory(context, 'russia', { limit: 2, issue: 'nowhere' })).rejects.toEqual(new NotFoundError('issue', 'issue', 'nowhere'));
  });
});

describe('the alert feed', () => {
  const germans = [0, 1, 2].map((i) => said({ id: `de-${i}`, actor: 'germany', stance: 2, at: i, quote: { text: `بيان ألماني ${'ـ'.repeat(200)} ${i}`, lang: 'ar' } }));
  const russia = said({ id: 'ru-0', actor: 'russia', stance: -2, at: 5 });

  it('resolves each side of the evidence to its statements, latest first', async () => {
    // Prepare
    const { context } = memoryStore({ registry, history: [...germans, russia], episodes: [episodeOn('ep-1', [russia], germans)] });

    // Act
    const page = await alerts(context, { limit: 10 });

    // Assess
    expect(page.nextCursor).toBeNull();
    expect(page.alerts[0]?.evidence.other.map((e) => e.statementId)).toEqual(['de-2', 'de-1', 'de-0']);
    expect(page.alerts[0]).toMatchObject({ episodeId: 'ep-1', status: 'open', closedAt: null, evidenceOmitted: { actor: 0, other: 0 } });
  });

  it('keeps the latest evidence of an alert too large for one answer, and counts what it leaves out', () => {
    // Prepare
    const alert = toAlertItem(episodeOn('ep-1', [russia], germans), new Map([...germans, russia].map((s) => [s.statementId, s])));

    // Act
    const fitted = fitAlert(alert, responseBytes(alert) - 1);

    // Assess
    expect(fitted.evidenceOmitted.other).toBeGreaterThan(0);
    expect(fitted.evidence.other[0]?.statementId).toBe('de-2');
    expect(fitted.evidence.other.length + fitted.evidenceOmitted.other).toBe(3);
    expect(fitAlert(alert)).toBe(alert);
  });

  it('pages with its filters, and refuses filters naming what the registry does not know', async () => {
    // Prepare
    const episodes = ['ep-3', 'ep-2', 'ep-1'].map((id, i) => episodeOn(id, [russia], germans, i === 0 ? 'closed' : 'open'));
    const { context } = memoryStore({ registry, history: [...germans, russia], episodes });

    // Act
    const first = await alerts(context, { limit: 1, open: true });
    const second = await alerts(context, { limit: 1, open: true, cursor: first.nextCursor! });

    // Assess
    expect([first, second].map((p) => p.alerts.map((a) => a.episodeId))).toEqual([['ep-2'], ['ep-1']]);
    expect(second.nextCursor).toBeNull();
    await expect(alerts(context, { limit: 1, actor: 'atlantis' })).rejects.toEqual(new NotFoundError('actor', 'actor', 'atlantis'));
    await expect(alerts(context, { limit: 1, issue: 'nowhere' })).rejects.toEqual(new NotFoundError('issue', 'issue', 'nowhere'));
  });
});

describe('the quarantine', () => {
  const rejected = (fingerprint: string, extra: Partial<StoredQuarantinedEvent> = {}): StoredQuarantinedEvent => ({
    fingerprint,
    body: '{"detail":{"speaker":"قائد"}}',
    messageId: `m-${fingerprint}`,
    reason: 'unknown-reference',
    problems: [{ field: 'detail.speaker', reason: 'is not in the registry' }],
    receivedAt: at(0),
    ...extra,
  });

  it('gives each rejected event with its body as received and its size in UTF-8 bytes', async () => {
    // Prepare
    const { context } = memoryStore({ registry, quarantined: [rejected('a'), rejected('b', { bodyBytes: 999_999, truncated: true, detailType: 'Statement Recorded' })] });

    // Act
    const page = await quarantine(context, { limit: 1 });
    const rest = await quarantine(context, { limit: 1, cursor: page.nextCursor! });

    // Assess
    expect(page.events).toEqual([
      {
        fingerprint: 'a',
        messageId: 'm-a',
        receivedAt: at(0),
        reason: 'unknown-reference',
        detailType: null,
        problems: [{ field: 'detail.speaker', reason: 'is not in the registry' }],
        body: '{"detail":{"speaker":"قائد"}}',
        bodyBytes: Buffer.byteLength('{"detail":{"speaker":"قائد"}}', 'utf8'),
        truncated: false,
      },
    ]);
    expect(rest.events[0]).toMatchObject({ fingerprint: 'b', bodyBytes: 999_999, truncated: true, detailType: 'Statement Recorded' });
    expect(rest.nextCursor).toBeNull();
  });
});

describe('the position reader', () => {
  it('loads the registry once for its requests while fresh, and again once stale', async () => {
    // Prepare
    let clock = 0;
    const { store, counts } = memoryStore({ registry, history: russian });
    const reader = createPositionReader({ store, registryTtlMs: 1_000, now: () => clock });

    // Act
    await reader.listIssues();
    await reader.actorHistory('russia', { limit: 2 });
    const whileFresh = counts.registryLoads;
    clock = 1_000;
    await reader.listIssues();

    // Assess
    expect(whileFresh).toBe(1);
    expect(counts.registryLoads).toBe(2);
  });
});
