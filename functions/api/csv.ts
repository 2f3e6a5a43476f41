/**
 * CSV for spreadsheets: the position matrix and an actor's history, one row per statement, with the
 * same documented columns. RFC 4180 (CRLF, fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled) and UTF-8 with a byte order mark: without the BOM, Excel reads the file as
 * the legacy code page and Arabic comes out as mojibake.
 *
 * Quotes are written byte-exact. Cells that start with `=`, `+`, `-` or `@` are not defused with a
 * leading apostrophe (the usual guard against formula injection) because that would alter the
 * quote; the text comes from the newsroom's own desk, not from the public.
 */
import type { Evidence } from '../../events/outbound/evidence.ts';
import type { Names, Registry } from '../core/types.ts';
import type { ActorHistory, Matrix } from './schemas.ts';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';
const BOM = '\uFEFF';

/** The columns, in order; the README documents each. */
export const CSV_COLUMNS = [
  'issue',
  'actor',
  'actor_name_en',
  'actor_name_ar',
  'stance',
  'hedged',
  'said_at',
  'statement_id',
  'kind',
  'speaker',
  'speaker_name_en',
  'speaker_name_ar',
  'quote_lang',
  'quote',
  'translation_lang',
  'translation',
  'reason',
  'source_outlet',
  'source_url',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRow = Record<CsvColumn, string>;

const needsQuoting = /[",\r\n]/;

export const csvField = (value: string): string => (needsQuoting.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export const toCsv = (rows: readonly CsvRow[]): string =>
  BOM + [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((column) => csvField(row[column])).join(','))].join('\r\n') + '\r\n';

const evidenceRow = (evidence: Evidence, actorNames: Names, registry: Registry): CsvRow => {
  const speaker = evidence.speaker === undefined ? undefined : registry.speakers.get(evidence.speaker);
  return {
    issue: evidence.issue,
    actor: evidence.actor,
    actor_name_en: actorNames.en,
    actor_name_ar: actorNames.ar,
    stance: String(evidence.stance),
    hedged: String(evidence.hedged),
    said_at: evidence.saidAt,
    statement_id: evidence.statementId,
    kind: evidence.kind,
    speaker: evidence.speaker ?? '',
    speaker_name_en: speaker?.names.en ?? '',
    speaker_name_ar: speaker?.names.ar ?? '',
    quote_lang: evidence.quote?.lang ?? '',
    quote: evidence.quote?.text ?? '',
    translation_lang: evidence.quote?.translation?.lang ?? '',
    translation: evidence.quote?.translation?.text ?? '',
    reason: evidence.reason ?? '',
    source_outlet: evidence.source.outlet,
    source_url: evidence.source.url ?? '',
  };
};

/** One row per actor: its current (or as-of) stance and the statement it rests on. Bloc stances are in the JSON only. */
export const matrixCsv = (matrix: Matrix, registry: Registry): string =>
  toCsv(matrix.positions.map((position) => evidenceRow(position.evidence, position.names, registry)));

/** One row per statement, in said order. */
export const historyCsv = (history: ActorHistory, registry: Registry): string =>
  toCsv(history.statements.map((statement) => evidenceRow(statement, history.names, registry)));
