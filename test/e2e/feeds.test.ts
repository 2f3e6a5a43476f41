/**
 * The feeds for graphics desks end to end, as a graphics desk meets them: the local runtime with
 * the seed (every seed issue published), its feeds fetched over HTTP without credentials from
 * the URLs the index gives, each CSV parsed with papaparse as a browser charting tool would.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_SOURCE } from '../../events/common.ts';
import { ISSUE_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { STATEMENT_RECORDED } from '../../events/inbound/statement-recorded.v1.ts';
import { STATEMENT_CORRECTED } from '../../events/inbound/statement-corrected.v1.ts';
import { STATEMENT_RETRACTED } from '../../events/inbound/statement-retracted.v1.ts';
import { loadSeedRegistryDetails, loadSeedSamples } from '../../local/seed/seed-files.ts';
import type { FeedEntry, FeedIndex, LiveMetadata } from '../../functions/application/feed-files.ts';
import { TIMELINE_COLUMNS } from '../../functions/application/feed-files.ts';
import { seedQuotes, startTestRuntime, type TestRuntime } from './support.ts';

const SEED_ISSUES = (loadSeedRegistryDetails().find((file) => file.detailType === ISSUE_REGISTERED)?.details ?? []) as Array<{ issue: string }>;
/** Registered with no `published`: it must reach no feed, though it has a statement. */
const PRIVATE_ISSUE = 'black-sea-grain-corridor';

const fetchFeed = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  // Response.text() drops a byte order mark; the bytes are what a chart receives.
  return { response, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer()) };
};

const parseCsv = (text: string) => {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed;
};

describe('feeds for graphics desks, through the local runtime', () => {
  let test: TestRuntime;
  let index: FeedIndex;

  const feedOf = (issue: string | null, kind: FeedEntry['kind'], lang: FeedEntry['lang'] = null): FeedEntry => {
    const found = index.feeds.find((feed) => feed.issue === issue && feed.kind === kind && feed.lang === lang);
    if (found === undefined) throw new Error(`the index lists no ${kind} feed for ${issue ?? 'all issues'} (${lang ?? '-'})`);
    return found;
  };

  beforeAll(async () => {
    test = await startTestRuntime({ replay: true, report: false });
    expect(test.runtime.replay?.clean).toBe(true);
    const [speech] = loadSeedSamples();
    await test.runtime.run('A private issue', [
      {
        origin: 'private issue',
        entry: {
          Source: DESK_SOURCE,
          DetailType: ISSUE_REGISTERED,
          Detail: JSON.stringify({
            schemaVersion: '1',
            issue: PRIVATE_ISSUE,
            title: { en: 'Black Sea grain corridor', ar: 'ممر الحبوب في البحر الأسود' },
            proposition: { en: 'The corridor reopens', ar: 'يعاد فتح الممر' },
            updatedAt: '2025-09-01T00:00:00Z',
          }),
        },
      },
    ]);
    const detail = { ...(speech?.event.detail as Record<string, unknown>), statementId: 'private-issue-statement', issue: PRIVATE_ISSUE };
    const outcome = await test.runtime.run('A statement on it', [{ origin: 'private statement', entry: { Source: DESK_SOURCE, DetailType: STATEMENT_RECORDED, Detail: JSON.stringify(detail) } }]);
    expect(outcome.clean).toBe(true);
    await test.runtime.settle();
    const { response, text } = await fetchFeed(`${test.runtime.endpoints.api}/feeds/index.json`);
    expect(response.status).toBe(200);
    index = JSON.parse(text) as FeedIndex;
  }, 120_000);
  afterAll(async () => {
    await test?.stop();
  });

  it('lists a matrix CSV, a timeline CSV and a live JSON in English and Arabic for every seed issue', () => {
    expect(index.issues.map((issue) => issue.issue).sort()).toEqual(SEED_ISSUES.map((issue) => issue.issue).sort());
    for (const { issue } of SEED_ISSUES) {
      expect(feedOf(issue, 'matrix').format).toBe('csv');
      expect(feedOf(issue, 'timeline').format).toBe('csv');
      expect(feedOf(issue, 'live', 'en').format).toBe('json');
      expect(feedOf(issue, 'live', 'ar').format).toBe('json');
    }
    expect(feedOf(null, 'matrix').url).toBe(`${test.runtime.endpoints.api}/feeds/matrix.csv`);
  });

  it('serves every feed without credentials, with CORS for any origin and a cache of a few seconds', async () => {
    for (const feed of [{ url: `${test.runtime.endpoints.api}/feeds/index.json` }, ...index.feeds]) {
      const { response } = await fetchFeed(feed.url, { headers: { origin: 'https://app.datawrapper.de' } });
      expect(response.status, feed.url).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cache-control')).toBe('public, max-age=5');
      expect(response.headers.get('content-type')).toMatch(feed.url.endsWith('.csv') ? /^text\/csv; charset=utf-8/ : /^application\/json; charset=utf-8/);
    }
    const head = await fetch(feedOf(SEED_ISSUES[0]?.issue ?? '', 'timeline').url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${test.runtime.endpoints.api}/feeds/index.json`, { method: 'OPTIONS', headers: { origin: 'https://flourish.studio' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    // The exception is the feeds alone: the API still refuses a request without the key.
    expect((await fetch(`${test.runtime.endpoints.api}/issues`)).status).toBe(401);
  });

  it('parses each timeline into the documented columns, every Arabic quote byte-exact against the seed', async () => {
    const quotes = seedQuotes();
    let rows = 0;
    for (const { issue } of SEED_ISSUES) {
      const { data, meta } = parseCsv((await fetchFeed(feedOf(issue, 'timeline').url)).text);
      expect(meta.fields).toEqual([...TIMELINE_COLUMNS]);
      for (const row of data) {
        expect(row['issue']).toBe(issue);
        expect(row['quote']).toBe(quotes.get(row['statement_id'] ?? ''));
        expect(Number.isInteger(Number(row['stance']))).toBe(true);
      }
      const dates = data.map((row) => row['date'] ?? '');
      expect(dates).toEqual([...dates].sort());
      rows += data.length;
    }
    expect(rows).toBe(quotes.size);
  });

  it('parses each matrix into one row per actor with its stance, Arabic names, and the bloc columns', async () => {
    for (const { issue } of SEED_ISSUES) {
      const { data, meta } = parseCsv((await fetchFeed(feedOf(issue, 'matrix').url)).text);
      expect(meta.fields?.slice(0, 7)).toEqual(['actor', 'name_en', 'name_ar', 'stance', 'hedged', 'said_at', 'source']);
      expect(meta.fields?.some((field) => field.startsWith('bloc_'))).toBe(true);
      const api = await fetch(`${test.runtime.endpoints.api}/issues/${issue}/positions`, { headers: { 'x-api-key': test.runtime.apiKey } });
      const matrix = (await api.json()) as { positions: Array<{ actor: string; stance: number; names: { ar: string } }> };
      expect(data.map((row) => [row['actor'], Number(row['stance']), row['name_ar']])).toEqual(matrix.positions.map((p) => [p.actor, p.stance, p.names.ar]));
    }
    const across = parseCsv((await fetchFeed(feedOf(null, 'matrix').url)).text);
    expect(across.meta.fields).toEqual(['actor', 'name_en', 'name_ar', ...index.issues.map((issue) => issue.issue)]);
  });

  it("gives Datawrapper's live metadata in English and Arabic, with the number of statements", async () => {
    const issue = 'western-troops-in-ukraine';
    const count = [...loadSeedSamples()].filter(({ event }) => (event.detail as { issue: string }).issue === issue).length;
    const en = JSON.parse((await fetchFeed(feedOf(issue, 'live', 'en').url)).text) as LiveMetadata;
    const ar = JSON.parse((await fetchFeed(feedOf(issue, 'live', 'ar').url)).text) as LiveMetadata;
    expect(en.title).toBe('Western troops in Ukraine');
    expect(en.annotate.notes).toMatch(new RegExp(`^Last updated \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC · ${count} statements on record$`));
    expect(ar.title).toBe('نشر قوات غربية في أوكرانيا');
    expect(ar.annotate.notes).toContain(`عدد التصريحات المسجلة: ${count}`);
    expect(en.describe['source-name'].length).toBeGreaterThan(0);
  });

  // Last, as it changes the record the tests above read.
  it('shows a correction and a retraction after the next update: the corrected stance in the timeline and the matrix, the retracted statement gone', async () => {
    const issue = 'western-troops-in-ukraine';
    const corrected = 'seed-09-germany-western-troops-in-ukraine';
    const retracted = 'seed-08-rutte-western-troops-in-ukraine';
    const revision = (detailType: string, detail: Record<string, unknown>) => ({
      origin: detailType,
      entry: { Source: DESK_SOURCE, DetailType: detailType, Detail: JSON.stringify({ schemaVersion: '1', recordedBy: 'standards-desk', ...detail }) },
    });
    const outcome = await test.runtime.run('A correction and a retraction', [
      revision(STATEMENT_CORRECTED, {
        statementId: corrected, correctionId: 'corr-feeds-germany', changes: { stance: 2 }, reason: 'Berlin backs the troops', correctedAt: '2025-09-05T09:00:00Z',
      }),
      revision(STATEMENT_RETRACTED, { statementId: retracted, retractionId: 'retr-feeds-rutte', reason: 'Misattributed', retractedAt: '2025-09-05T09:30:00Z' }),
    ]);
    expect(outcome.clean).toBe(true);
    await test.runtime.settle();

    const timeline = parseCsv((await fetchFeed(feedOf(issue, 'timeline').url)).text).data;
    expect(timeline.find((row) => row['statement_id'] === corrected)?.['stance']).toBe('2');
    expect(timeline.map((row) => row['statement_id'])).not.toContain(retracted);
    const matrix = parseCsv((await fetchFeed(feedOf(issue, 'matrix').url)).text).data;
    expect(matrix.find((row) => row['actor'] === 'germany')?.['stance']).toBe('2');
    const live = JSON.parse((await fetchFeed(feedOf(issue, 'live', 'en').url)).text) as LiveMetadata;
    expect(live.annotate.notes).toContain(`· ${timeline.length} statements on record`);
  });

  it('keeps an unpublished issue out of every feed', async () => {
    expect(JSON.stringify(index)).not.toContain(PRIVATE_ISSUE);
    expect((await fetchFeed(feedOf(null, 'matrix').url)).text).not.toContain(PRIVATE_ISSUE);
    for (const file of ['matrix.csv', 'timeline.csv', 'live.en.json', 'live.ar.json']) {
      expect((await fetch(`${test.runtime.endpoints.api}/feeds/${PRIVATE_ISSUE}/${file}`)).status).toBe(404);
    }
  });
});
