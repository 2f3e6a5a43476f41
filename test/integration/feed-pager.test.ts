/**
 * The one feed pager on dynalite: `queryUpTo` reads one item past the page (on through 1 MB Query
 * pages and through items a filter drops) and `pageOf` cuts it, for the alert feed and the
 * quarantine alike, so a last page says it is the last and paging never skips or repeats an item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEpisode } from '../../functions/application/ports.ts';
import { DynamoQuarantineRepository } from '../../functions/adapters/dynamodb/quarantine.repository.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { DynamoTrackerRepository } from '../../functions/adapters/dynamodb/tracker.repository.ts';
import { FILTERED_READ_BATCH } from '../../functions/adapters/dynamodb/document-client.ts';
import type { AlertFilter, StorePage } from '../../functions/application/read-store.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';

const ISSUE = 'western-troops-in-ukraine';
const BASE = Date.parse('2026-01-06T12:00:00.000Z');
const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();

/** Episode `n`, opened at minute n; actor `rare` on every 60th, so a filter on it skips past a read batch. */
const episode = (n: number): StoredEpisode => {
  const actor = n % 60 === 0 ? 'rare' : `actor-${n % 3}`;
  const id = `ep-${String(n).padStart(4, '0')}`;
  const ref = { issue: ISSUE, actor, saidAt: at(n), statementId: `st-${n}` };
  return {
    episode: {
      episodeId: id,
      divergenceId: `actor-vs-bloc:${ISSUE}:${actor}:allies`,
      kind: 'actor-vs-bloc',
      issue: ISSUE,
      actor,
      bloc: 'allies',
      threshold: 2,
      openedBy: ref.statementId,
      openedAt: ref.saidAt,
      actorStance: -2,
      otherStance: 2,
      gap: 4,
      evidence: { actor: [ref.statementId], other: [] },
    },
    status: n % 2 === 0 ? 'open' : 'closed',
    revision: 0,
    evidenceRefs: { actor: [ref], other: [] },
  };
};

const EPISODES = 250;

/** Every page of a feed, following its cursors from the first. */
const allPages = async <T>(read: (cursor?: string) => Promise<StorePage<T>>): Promise<Array<StorePage<T>>> => {
  const pages: Array<StorePage<T>> = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.more ? page.items.at(-1)?.cursor : undefined;
  } while (cursor !== undefined && pages.length < 500);
  return pages;
};

describe('the feed pager', () => {
  let store: EmbeddedDynamo;
  let read: DynamoReadRepository;
  let quarantine: DynamoQuarantineRepository;

  beforeAll(async () => {
    store = await startDynalite();
    const tableName = await store.createTable();
    const tracker = new DynamoTrackerRepository({ tableName, client: store.client });
    for (let n = 0; n < EPISODES; n += 1) await tracker.createEpisode(episode(n));
    read = new DynamoReadRepository({ tableName, client: store.client });
    quarantine = new DynamoQuarantineRepository({ tableName, client: store.client });
    // Bodies of ~300 KB: a Query stops at 1 MB, after three of them.
    for (let n = 0; n < 8; n += 1) {
      await quarantine.quarantine({ body: `${n}${'ب'.repeat(150_000)}`, messageId: `m-${n}`, reason: 'invalid-event', problems: [], receivedAt: at(n) });
    }
  });

  afterAll(async () => {
    await store?.stop();
  });

  const episodeIds = async (filter: Omit<AlertFilter, 'cursor'>) => {
    const pages = await allPages((cursor) => read.episodes({ ...filter, ...(cursor === undefined ? {} : { cursor }) }));
    return { pages, ids: pages.flatMap((page) => page.items.map((item) => item.value.episode.episodeId)) };
  };

  it('pages the whole alert feed, latest first, each episode once, and the last page says it is the last', async () => {
    // Act
    const { pages, ids } = await episodeIds({ limit: 50 });

    // Assess
    expect(ids).toEqual(Array.from({ length: EPISODES }, (_, i) => episode(EPISODES - 1 - i).episode.episodeId));
    expect(pages.map((page) => page.items.length)).toEqual([50, 50, 50, 50, 50]);
    expect(pages.map((page) => page.more)).toEqual([true, true, true, true, false]);
  });

  it('reads on past the items a filter drops, across read batches, to fill a page and to know whether another follows', async () => {
    // Prepare
    const rare = Array.from({ length: EPISODES }, (_, n) => episode(n)).filter((e) => e.episode.actor === 'rare');
    expect(EPISODES).toBeGreaterThan(2 * FILTERED_READ_BATCH);

    // Act
    const { pages, ids } = await episodeIds({ limit: 2, actor: 'rare' });
    const whole = await episodeIds({ limit: rare.length, actor: 'rare' });

    // Assess
    expect(ids).toEqual(rare.map((e) => e.episode.episodeId).reverse());
    expect(pages.map((page) => [page.items.length, page.more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    expect(whole.pages.map((page) => [page.items.length, page.more])).toEqual([[rare.length, false]]);
  });

  it('combines filters and a since bound the same way', async () => {
    const { ids, pages } = await episodeIds({ limit: 7, actor: 'actor-1', open: true, since: at(200) });

    const expected = Array.from({ length: EPISODES }, (_, n) => episode(n))
      .filter((e) => e.episode.actor === 'actor-1' && e.status === 'open' && e.episode.openedAt >= at(200))
      .map((e) => e.episode.episodeId)
      .reverse();
    expect(ids).toEqual(expected);
    expect(pages.at(-1)?.more).toBe(false);
    expect(pages.every((page) => page.items.length > 0)).toBe(true);
  });

  it('pages the quarantine through Query pages cut at 1 MB, newest first, exactly', async () => {
    // Act
    const byThree = await allPages((cursor) => read.quarantined({ limit: 3, ...(cursor === undefined ? {} : { cursor }) }));
    const byFour = await allPages((cursor) => read.quarantined({ limit: 4, ...(cursor === undefined ? {} : { cursor }) }));

    // Assess
    const ids = (pages: Array<StorePage<{ messageId: string }>>) => pages.map((page) => page.items.map((item) => item.value.messageId));
    expect(ids(byThree)).toEqual([['m-7', 'm-6', 'm-5'], ['m-4', 'm-3', 'm-2'], ['m-1', 'm-0']]);
    expect(byThree.map((page) => page.more)).toEqual([true, true, false]);
    expect(byFour.map((page) => [page.items.length, page.more])).toEqual([
      [4, true],
      [4, false],
    ]);
  });

  it('lists the newest of the quarantine through the same pager', async () => {
    expect((await quarantine.list(2)).map((event) => event.messageId)).toEqual(['m-7', 'm-6']);
    await expect(quarantine.list(0)).rejects.toThrow(RangeError);
  });
});
