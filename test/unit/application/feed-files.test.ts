/**
 * The feed files as a graphics tool reads them: parsed with papaparse (what Datawrapper-style
 * browser tools use), never by splitting strings, so quoting, BOM and line breaks are judged the
 * way a chart sees them.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../events/outbound/evidence.ts';
import type { Matrix } from '../../../functions/api/schemas.ts';
import {
  allIssuesMatrixCsv, feedIndex, issueFeedFiles, issueMatrixCsv, liveMetadata, publishedIssues, timelineCsv, TIMELINE_COLUMNS,
} from '../../../functions/application/feed-files.ts';
import { buildRegistry } from '../../../functions/core/registry.ts';
import type { Issue } from '../../../functions/core/types.ts';

const UPDATED = '2026-01-06T14:30:00.000Z';
const names = (en: string, ar: string) => ({ en, ar });

const issue = (id: string, published?: boolean): Issue => ({
  id,
  title: names(`Title of ${id}`, `عنوان ${id}`),
  proposition: names(`Proposition of ${id}`, `مقترح ${id}`),
  status: 'open',
  ...(published === undefined ? {} : { published }),
  updatedAt: '2025-09-01T00:00:00.000Z',
});

const registry = buildRegistry([
  { type: 'actor', record: { id: 'russia', kind: 'state', names: names('Russia', 'روسيا'), aliases: [], updatedAt: UPDATED } },
  { type: 'actor', record: { id: 'france', kind: 'state', names: names('France', 'فرنسا'), aliases: [], updatedAt: UPDATED } },
  { type: 'actor', record: { id: 'germany', kind: 'state', names: names('=Germany', 'ألمانيا'), aliases: [], updatedAt: UPDATED } },
  { type: 'issue', record: issue('troops', true) },
  { type: 'issue', record: issue('guarantor', false) },
  { type: 'issue', record: issue('ceasefire') },
]);

const ARABIC_QUOTE = 'لن نقبل بأي شكل من الأشكال، "قوات" أجنبية\nعلى أرض أوكرانيا';

const statement = (over: Partial<Evidence>): Evidence => ({
  statementId: 'st-1',
  kind: 'statement',
  actor: 'russia',
  speaker: 'putin',
  issue: 'troops',
  stance: -2,
  hedged: false,
  quote: { text: ARABIC_QUOTE, lang: 'ar', translation: { text: 'We will never accept foreign troops', lang: 'en' } },
  saidAt: '2025-09-04T10:00:00.000Z',
  source: { outlet: 'الجزيرة', url: 'https://example.org/a' },
  ...over,
});

const matrixOf = (issueId: string, positions: Array<{ actor: string; stance: Matrix['positions'][number]['stance']; evidence: Evidence }>): Matrix => ({
  issue: issueId,
  title: names(issueId, issueId),
  proposition: names(issueId, issueId),
  asOf: null,
  positions: positions.map(({ actor, stance, evidence }) => ({
    actor,
    names: registry.actors.get(actor)?.names ?? names(actor, actor),
    stance,
    hedged: false,
    saidAt: evidence.saidAt,
    statementId: evidence.statementId,
    evidence,
  })),
  blocs: [{ bloc: 'allies', names: names('Allies', 'الحلفاء'), stance: 1.5, members: ['france', 'germany'], basis: 2, quorum: 1 }],
});

const parse = (csv: string) => {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed;
};

const troops = matrixOf('troops', [
  { actor: 'france', stance: 2, evidence: statement({ statementId: 'st-fr', actor: 'france', stance: 2, source: { outlet: '+Le Monde' } }) },
  { actor: 'germany', stance: 1, evidence: statement({ statementId: 'st-de', actor: 'germany', stance: 1 }) },
  { actor: 'russia', stance: -2, evidence: statement({}) },
]);

describe('publishedIssues', () => {
  it('keeps only issues published explicitly; one without the field stays private', () => {
    expect(publishedIssues(registry).map((i) => i.id)).toEqual(['troops']);
  });
});

describe('the matrix of an issue', () => {
  it('has one row per actor, its stance as a number and its blocs beside it, names in English and Arabic', () => {
    // Act
    const { data, meta } = parse(issueMatrixCsv(troops));
    // Assess
    expect(meta.fields).toEqual(['actor', 'name_en', 'name_ar', 'stance', 'hedged', 'said_at', 'source', 'bloc_allies']);
    expect(data.map((row) => [row['actor'], row['name_ar'], row['stance'], row['bloc_allies']])).toEqual([
      ['france', 'فرنسا', '2', '1.5'],
      ['germany', 'ألمانيا', '1', '1.5'],
      ['russia', 'روسيا', '-2', ''],
    ]);
  });

  it('defuses text cells a spreadsheet would run, and leaves a negative stance a number', () => {
    const { data } = parse(issueMatrixCsv(troops));
    expect(data[1]?.['name_en']).toBe("'=Germany");
    expect(data[0]?.['source']).toBe("'+Le Monde");
    expect(data[2]?.['stance']).toBe('-2');
  });
});

describe('the matrix across issues', () => {
  it('has one stance column per published issue, blank where an actor has not spoken', () => {
    // Prepare
    const other = matrixOf('ceasefire', [{ actor: 'russia', stance: 1, evidence: statement({ issue: 'ceasefire', stance: 1 }) }]);
    // Act
    const { data, meta } = parse(allIssuesMatrixCsv([troops, other], registry));
    // Assess
    expect(meta.fields).toEqual(['actor', 'name_en', 'name_ar', 'troops', 'ceasefire']);
    expect(data.map((row) => [row['actor'], row['troops'], row['ceasefire']])).toEqual([
      ['france', '2', ''],
      ['germany', '1', ''],
      ['russia', '-2', '1'],
    ]);
  });
});

describe('the timeline', () => {
  it('is long format in said order with the Arabic quote byte-exact, line break and quotes included', () => {
    // Prepare
    const statements = [statement({}), statement({ statementId: 'st-2', kind: 'stance-change', stance: -1, reason: '@reason', saidAt: '2025-09-05T10:00:00.000Z' })];
    const { quote: _quote, ...withoutQuote } = statements[1] as Evidence;
    // Act
    const { data, meta } = parse(timelineCsv([statements[0] as Evidence, withoutQuote], registry));
    // Assess
    expect(meta.fields).toEqual([...TIMELINE_COLUMNS]);
    expect(data[0]).toMatchObject({
      date: '2025-09-04T10:00:00.000Z', actor: 'russia', actor_name_ar: 'روسيا', issue: 'troops', stance: '-2', quote: ARABIC_QUOTE, quote_lang: 'ar',
      translation: 'We will never accept foreign troops', source: 'الجزيرة', source_url: 'https://example.org/a', statement_id: 'st-1',
    });
    expect(data[1]).toMatchObject({ stance: '-1', quote: "'@reason", translation: '' });
  });
});

describe('the live metadata', () => {
  it("is Datawrapper's external metadata, in English and in Arabic, with the last update and the count", () => {
    // Prepare
    const statements = [statement({}), statement({ statementId: 'st-2', source: { outlet: 'Reuters', url: 'https://example.org/b' } }), statement({ statementId: 'st-3' })];
    // Act
    const en = liveMetadata(issue('troops', true), statements, 'en', UPDATED);
    const ar = liveMetadata(issue('troops', true), statements, 'ar', UPDATED);
    // Assess
    expect(en).toEqual({
      title: 'Title of troops',
      describe: { intro: 'Proposition of troops', 'source-name': 'الجزيرة, Reuters', 'source-url': 'https://example.org/a' },
      annotate: { notes: 'Last updated 2026-01-06 14:30 UTC · 3 statements on record' },
    });
    expect(ar.title).toBe('عنوان troops');
    expect(ar.describe['source-name']).toBe('الجزيرة، Reuters');
    expect(ar.annotate.notes).toBe('آخر تحديث 2026-01-06 14:30 UTC · عدد التصريحات المسجلة: 3');
  });
});

describe('the index', () => {
  it('lists a matrix, a timeline and a live JSON per language for each issue, and the matrix across issues', () => {
    // Act
    const index = feedIndex(publishedIssues(registry), 'https://d1.cloudfront.net/tok/', UPDATED);
    // Assess
    expect(index.feeds.map((feed) => feed.url)).toEqual([
      'https://d1.cloudfront.net/tok/matrix.csv',
      'https://d1.cloudfront.net/tok/troops/matrix.csv',
      'https://d1.cloudfront.net/tok/troops/timeline.csv',
      'https://d1.cloudfront.net/tok/troops/live.en.json',
      'https://d1.cloudfront.net/tok/troops/live.ar.json',
    ]);
    expect(index.issues).toEqual([{ issue: 'troops', title: issue('troops').title, proposition: issue('troops').proposition }]);
  });

  it('names exactly the files an issue is written as', () => {
    const files = issueFeedFiles({ issue: issue('troops', true), matrix: troops, timeline: [statement({})], registry, updatedAt: UPDATED });
    const listed = feedIndex([issue('troops', true)], 'http://x/feeds', UPDATED).feeds.filter((f) => f.issue === 'troops').map((f) => f.url);
    expect(files.map((file) => `http://x/feeds/${file.key}`)).toEqual(listed);
  });
});
