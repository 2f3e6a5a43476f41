/**
 * Reading every page of a paged read API listing (`/alerts`, `/quarantine`, an actor's history):
 * ask for a page, follow its `nextCursor` until it is null. The CLI, the runtime's report and the
 * tests that page through the API all do it here, with the same guards against a server that
 * would page for ever.
 */

export interface Page<Item> {
  items: readonly Item[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

export interface PageAllOptions {
  /** Stop once this many items are read (the result holds no more). @default no limit */
  limit?: number;
  /** A listing longer than this many pages is taken for a paging bug and fails. @default 10,000 */
  maxPages?: number;
}

/**
 * Every item of a listing, in the order of its pages. `fetchPage` is asked for the page after
 * `cursor` (null for the first) and told how many items are still `wanted` (Infinity without a
 * limit), so it can size its request.
 */
export async function pageAll<Item>(
  fetchPage: (cursor: string | null, wanted: number) => Promise<Page<Item>>,
  options: PageAllOptions = {},
): Promise<Item[]> {
  const { limit = Number.POSITIVE_INFINITY, maxPages = 10_000 } = options;
  if (!(limit >= 1)) throw new RangeError(`pageAll: limit must be at least 1, not ${limit}`);
  const items: Item[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let pages = 0; items.length < limit; pages += 1) {
    if (pages >= maxPages) throw new Error(`still paging after ${maxPages} pages`);
    const page: Page<Item> = await fetchPage(cursor, limit - items.length);
    items.push(...page.items);
    if (page.nextCursor === null) break;
    // A cursor handed out twice would send the loop round the same pages for ever.
    if (seen.has(page.nextCursor)) throw new Error(`the listing handed out cursor ${page.nextCursor} twice`);
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
  return items.length > limit ? items.slice(0, limit) : items;
}
