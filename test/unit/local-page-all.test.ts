import { describe, expect, it } from 'vitest';
import { pageAll, type Page } from '../../local/page-all.ts';

/** A listing of `total` numbered items served `pageSize` at a time, cursors being offsets; it records every request. */
const listing = (total: number, pageSize: number) => {
  const requests: Array<{ cursor: string | null; wanted: number }> = [];
  const fetchPage = async (cursor: string | null, wanted: number): Promise<Page<number>> => {
    requests.push({ cursor, wanted });
    const start = cursor === null ? 0 : Number(cursor);
    const end = Math.min(total, start + Math.min(pageSize, wanted));
    return { items: Array.from({ length: end - start }, (_, i) => start + i), nextCursor: end < total ? String(end) : null };
  };
  return { fetchPage, requests };
};

describe('pageAll', () => {
  it('follows nextCursor from the first page to the last and keeps the order of the pages', async () => {
    const { fetchPage, requests } = listing(7, 3);

    const items = await pageAll(fetchPage);

    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(requests.map((r) => r.cursor)).toEqual([null, '3', '6']);
  });

  it('reads one page when the first is the last, and an empty listing as no items', async () => {
    expect(await pageAll(listing(2, 5).fetchPage)).toEqual([0, 1]);
    const empty = listing(0, 5);
    expect(await pageAll(empty.fetchPage)).toEqual([]);
    expect(empty.requests).toHaveLength(1);
  });

  it('stops at the limit, telling each request how many items are still wanted', async () => {
    const { fetchPage, requests } = listing(100, 4);

    const items = await pageAll(fetchPage, { limit: 10 });

    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(requests.map((r) => r.wanted)).toEqual([10, 6, 2]);
  });

  it('never returns more than the limit when a page holds more than was wanted', async () => {
    const items = await pageAll(async () => ({ items: [1, 2, 3, 4], nextCursor: 'more' }), { limit: 3 });

    expect(items).toEqual([1, 2, 3]);
  });

  it('fails instead of looping when a cursor comes back a second time', async () => {
    const cursors = ['a', 'b', 'a'];
    const fetchPage = async (): Promise<Page<string>> => ({ items: ['x'], nextCursor: cursors.shift() ?? null });

    await expect(pageAll(fetchPage)).rejects.toThrow('the listing handed out cursor a twice');
  });

  it('fails after maxPages pages of a listing that never ends', async () => {
    let n = 0;
    const endless = async (): Promise<Page<number>> => ({ items: [n], nextCursor: String((n += 1)) });

    await expect(pageAll(endless, { maxPages: 5 })).rejects.toThrow('still paging after 5 pages');
    expect(n).toBe(5);
  });

  it('refuses a limit below one', async () => {
    await expect(pageAll(listing(3, 1).fetchPage, { limit: 0 })).rejects.toThrow('limit must be at least 1');
  });
});
