/**
 * The feeds for graphics desks, built as files: what Datawrapper, Flourish and spreadsheets link to
 * and poll, without credentials. Pure: the read model's answers in, file bodies out.
 *
 * Per published issue:
 * - `<issue>/matrix.csv`: a Datawrapper table heatmap, one row per actor with a position, its
 *   stance, and one column per bloc (`bloc_<id>`) holding the bloc's stance in its members' rows;
 * - `<issue>/timeline.csv`: every standing statement in said order, long format, for Flourish's
 *   Timeline (and any spreadsheet);
 * - `<issue>/live.en.json`, `<issue>/live.ar.json`: Datawrapper's external metadata (title,
 *   description, notes with the last update and the number of statements, source line);
 * and across them `matrix.csv` (one row per actor, one stance column per published issue) and
 * `index.json`, every feed with its URL.
 *
 * CSV as the API writes it (functions/api/csv.ts): UTF-8 with a BOM, RFC 4180, text cells that a
 * spreadsheet would run as a formula defused. Stances are numbers, so a heatmap can colour them.
 */
import type { Evidence } from '../../events/outbound/evidence.ts';
import type { Matrix } from '../api/schemas.ts';
import { tableCsv } from '../api/csv.ts';
import type { Issue, IssueId, Names, Registry } from '../core/types.ts';

/** One language of the live metadata. */
export type FeedLanguage = keyof Names;
export const FEED_LANGUAGES: readonly FeedLanguage[] = ['en', 'ar'];

export const FEED_CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';
export const FEED_JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/**
 * Datawrapper polls a live chart every minute; a few seconds of caching (CloudFront, browsers)
 * absorbs a newsroom's worth of readers without making a chart noticeably late.
 */
export const FEED_MAX_AGE_SECONDS = 5;
export const FEED_CACHE_CONTROL = `public, max-age=${FEED_MAX_AGE_SECONDS}`;

export type FeedKind = 'matrix' | 'timeline' | 'live';

/** Where each file lives under the feeds' root (a folder locally, `feeds/<token>/` in S3). */
export const feedKeys = {
  index: 'index.json',
  allIssuesMatrix: 'matrix.csv',
  matrix: (issue: IssueId) => `${issue}/matrix.csv`,
  timeline: (issue: IssueId) => `${issue}/timeline.csv`,
  live: (issue: IssueId, lang: FeedLanguage) => `${issue}/live.${lang}.json`,
} as const;

/** Every file of one issue's feeds. */
export const issueFeedKeys = (issue: IssueId): string[] => [
  feedKeys.matrix(issue),
  feedKeys.timeline(issue),
  ...FEED_LANGUAGES.map((lang) => feedKeys.live(issue, lang)),
];

export interface FeedFile {
  key: string;
  body: string;
  contentType: string;
}

/** Only published issues ever reach a feed; absent means not published. */
export const publishedIssues = (registry: Registry): Issue[] =>
  [...registry.issues.values()].filter((issue) => issue.published === true).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

// ---------------------------------------------------------------------------------------------
// The matrix of one issue

const MATRIX_BASE_COLUMNS = ['actor', 'name_en', 'name_ar', 'stance', 'hedged', 'said_at', 'source'] as const;

export const blocColumn = (bloc: string): string => `bloc_${bloc}`;

/** The bloc columns carry a bloc's median, which can be ±0.5: numbers, like the stance. */
export const issueMatrixCsv = (matrix: Matrix): string => {
  const blocColumns = matrix.blocs.map((bloc) => blocColumn(bloc.bloc));
  const columns = [...MATRIX_BASE_COLUMNS, ...blocColumns];
  const rows = matrix.positions.map((position) => {
    const row: Record<string, string> = {
      actor: position.actor,
      name_en: position.names.en,
      name_ar: position.names.ar,
      stance: String(position.stance),
      hedged: String(position.hedged),
      said_at: position.saidAt,
      source: position.evidence.source.outlet,
    };
    for (const bloc of matrix.blocs) {
      row[blocColumn(bloc.bloc)] = bloc.members.includes(position.actor) && bloc.stance !== null ? String(bloc.stance) : '';
    }
    return row;
  });
  return tableCsv(columns, new Set(['stance', ...blocColumns]), rows);
};

// ---------------------------------------------------------------------------------------------
// The matrix across issues

/** One row per actor with a position on any published issue, one stance column per issue (its id). */
export const allIssuesMatrixCsv = (matrices: readonly Matrix[], registry: Registry): string => {
  const issues = matrices.map((matrix) => matrix.issue);
  const actors = [...new Set(matrices.flatMap((matrix) => matrix.positions.map((p) => p.actor)))].sort();
  const stanceOf = new Map(matrices.flatMap((matrix) => matrix.positions.map((p) => [`${matrix.issue} ${p.actor}`, String(p.stance)] as const)));
  const rows = actors.map((actor) => {
    const names = registry.actors.get(actor)?.names ?? { en: actor, ar: actor };
    const row: Record<string, string> = { actor, name_en: names.en, name_ar: names.ar };
    for (const issue of issues) row[issue] = stanceOf.get(`${issue} ${actor}`) ?? '';
    return row;
  });
  // Issue ids are slugs, so a header can never read as a formula.
  return tableCsv(['actor', 'name_en', 'name_ar', ...issues], new Set(issues), rows);
};

// ---------------------------------------------------------------------------------------------
// The timeline

export const TIMELINE_COLUMNS = [
  'date', 'actor', 'actor_name_en', 'actor_name_ar', 'issue', 'stance', 'hedged', 'quote', 'quote_lang', 'translation', 'source', 'source_url',
  'statement_id',
] as const;

/** A stance change has no quote: its reason is what it says. */
export const timelineCsv = (statements: readonly Evidence[], registry: Registry): string =>
  tableCsv(
    TIMELINE_COLUMNS,
    new Set(['stance'] as const),
    statements.map((statement) => {
      const names = registry.actors.get(statement.actor)?.names ?? { en: statement.actor, ar: statement.actor };
      return {
        date: statement.saidAt,
        actor: statement.actor,
        actor_name_en: names.en,
        actor_name_ar: names.ar,
        issue: statement.issue,
        stance: String(statement.stance),
        hedged: String(statement.hedged),
        quote: statement.quote?.text ?? statement.reason ?? '',
        quote_lang: statement.quote?.lang ?? '',
        translation: statement.quote?.translation?.text ?? '',
        source: statement.source.outlet,
        source_url: statement.source.url ?? '',
        statement_id: statement.statementId,
      };
    }),
  );

// ---------------------------------------------------------------------------------------------
// Datawrapper's live metadata

/** The subset of a chart's metadata Datawrapper reads from an external JSON, in its own names. */
export interface LiveMetadata {
  title: string;
  describe: { intro: string; 'source-name': string; 'source-url': string };
  annotate: { notes: string };
}

const PHRASES = {
  en: {
    notes: (updated: string, count: number) => `Last updated ${updated} · ${count} ${count === 1 ? 'statement' : 'statements'} on record`,
    fallbackSource: 'Negotiation position tracker',
    listSeparator: ', ',
  },
  ar: {
    notes: (updated: string, count: number) => `آخر تحديث ${updated} · عدد التصريحات المسجلة: ${count}`,
    fallbackSource: 'متتبع مواقف المفاوضات',
    listSeparator: '، ',
  },
} as const satisfies Record<FeedLanguage, unknown>;

/** `2026-01-06 10:00 UTC`: what a reader of a chart note wants, no seconds. */
const noteTime = (instant: string): string => `${instant.slice(0, 10)} ${instant.slice(11, 16)} UTC`;

/**
 * The source line: the outlets the statements come from, most quoted first (ties by name); the
 * link is the latest statement's, the one a reader most likely wants to check.
 */
const sourceLine = (statements: readonly Evidence[], lang: FeedLanguage): Omit<LiveMetadata['describe'], 'intro'> => {
  const counts = new Map<string, number>();
  for (const statement of statements) counts.set(statement.source.outlet, (counts.get(statement.source.outlet) ?? 0) + 1);
  const outlets = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([outlet]) => outlet);
  const latest = statements.at(-1);
  return {
    'source-name': outlets.length === 0 ? PHRASES[lang].fallbackSource : outlets.join(PHRASES[lang].listSeparator),
    'source-url': latest?.source.url ?? '',
  };
};

export const liveMetadata = (issue: Issue, statements: readonly Evidence[], lang: FeedLanguage, updatedAt: string): LiveMetadata => ({
  title: issue.title[lang],
  describe: { intro: issue.proposition[lang], ...sourceLine(statements, lang) },
  annotate: { notes: PHRASES[lang].notes(noteTime(updatedAt), statements.length) },
});

// ---------------------------------------------------------------------------------------------
// The index

export interface FeedEntry {
  issue: IssueId | null;
  kind: FeedKind;
  format: 'csv' | 'json';
  lang: FeedLanguage | null;
  url: string;
}

export interface FeedIndex {
  generatedAt: string;
  issues: Array<{ issue: IssueId; title: Names; proposition: Names }>;
  feeds: FeedEntry[];
}

/** `base` is where the feeds' root is served (no trailing slash needed). */
export const feedUrl = (base: string, key: string): string => `${base.replace(/\/+$/, '')}/${key}`;

export const feedIndex = (issues: readonly Issue[], base: string, generatedAt: string): FeedIndex => ({
  generatedAt,
  issues: issues.map((issue) => ({ issue: issue.id, title: issue.title, proposition: issue.proposition })),
  feeds: [
    { issue: null, kind: 'matrix', format: 'csv', lang: null, url: feedUrl(base, feedKeys.allIssuesMatrix) },
    ...issues.flatMap((issue): FeedEntry[] => [
      { issue: issue.id, kind: 'matrix', format: 'csv', lang: null, url: feedUrl(base, feedKeys.matrix(issue.id)) },
      { issue: issue.id, kind: 'timeline', format: 'csv', lang: null, url: feedUrl(base, feedKeys.timeline(issue.id)) },
      ...FEED_LANGUAGES.map((lang): FeedEntry => ({ issue: issue.id, kind: 'live', format: 'json', lang, url: feedUrl(base, feedKeys.live(issue.id, lang)) })),
    ]),
  ],
});

export const jsonFile = (key: string, value: unknown): FeedFile => ({
  key,
  body: `${JSON.stringify(value, null, 2)}\n`,
  contentType: FEED_JSON_CONTENT_TYPE,
});

export const csvFile = (key: string, body: string): FeedFile => ({ key, body, contentType: FEED_CSV_CONTENT_TYPE });

/** Every file of one published issue. */
export const issueFeedFiles = (input: { issue: Issue; matrix: Matrix; timeline: readonly Evidence[]; registry: Registry; updatedAt: string }): FeedFile[] => [
  csvFile(feedKeys.matrix(input.issue.id), issueMatrixCsv(input.matrix)),
  csvFile(feedKeys.timeline(input.issue.id), timelineCsv(input.timeline, input.registry)),
  ...FEED_LANGUAGES.map((lang) => jsonFile(feedKeys.live(input.issue.id, lang), liveMetadata(input.issue, input.timeline, lang, input.updatedAt))),
];
