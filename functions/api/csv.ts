/**
 * CSV for spreadsheets: the position matrix and an actor's history, one row per statement, with the
 * same documented columns. RFC 4180 (CRLF, fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled) and UTF-8 with a byte order mark: without the BOM, Excel reads the file as
 * the legacy code page and Arabic comes out as mojibake.
 *
 * Any publisher writes the quotes, reasons and outlets, and any registrant the names, so a text
 * cell starting with `=`, `+`, `-`, `@`, a tab or a CR (or their full-width forms, which some
 * spreadsheets fold) would run as a formula when the file is opened: `=HYPERLINK(...)` becomes a
 * link that leaks the sheet. By default such a cell is defused as OWASP advises: a leading
 * apostrophe, and the cell quoted. Only text columns are defused; `stance` is a number, and a
 * stance of -2 stays the number -2. `raw` writes every cell exactly as stored, for byte-exact
 * exports into tools that never evaluate formulas.
 */
import type { Evidence } from '../../events/outbound/evidence.ts';
import type { Names, Registry } from '../core/types.ts';
import type { ActorHistory, ChangesPage, Matrix } from './schemas.ts';

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

/** Columns that hold numbers, written as numbers: a leading minus is a sign, not a formula. */
export const CSV_NUMBER_COLUMNS: ReadonlySet<CsvColumn> = new Set(['stance']);

export interface CsvOptions {
  /** Write text cells exactly as stored, formula-leading ones included. @default false */
  raw?: boolean;
}

const needsQuoting = /[",\r\n]/;
/** OWASP's formula triggers, and the full-width = + - @ that some spreadsheets read as the ASCII ones. */
const startsLikeFormula = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

const quoted = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** RFC 4180 quoting only: the cell's text unchanged. */
export const csvField = (value: string): string => (needsQuoting.test(value) ? quoted(value) : value);

/** A text cell a spreadsheet would evaluate, defused: an apostrophe in front, and quoted. */
export const csvTextField = (value: string): string => (startsLikeFormula.test(value) ? quoted(`'${value}`) : csvField(value));

/** Any table of text cells, numbers among them written as numbers; every text cell defused unless raw. */
export const tableCsv = <C extends string>(
  columns: readonly C[],
  numbers: ReadonlySet<C>,
  rows: ReadonlyArray<Record<C, string>>,
  options: CsvOptions = {},
): string => {
  const raw = options.raw === true;
  const field = (row: Record<C, string>, column: C) =>
    raw || numbers.has(column) ? csvField(row[column]) : csvTextField(row[column]);
  const records = rows.map((row) => columns.map((column) => field(row, column)).join(','));
  return BOM + [columns.join(','), ...records].join('\r\n') + '\r\n';
};

export const toCsv = (rows: readonly CsvRow[], options: CsvOptions = {}): string => tableCsv(CSV_COLUMNS, CSV_NUMBER_COLUMNS, rows, options);

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
export const matrixCsv = (matrix: Matrix, registry: Registry, options: CsvOptions = {}): string =>
  toCsv(matrix.positions.map((position) => evidenceRow(position.evidence, position.names, registry)), options);

/** An actor's history adds each statement's status and its revision trail (as JSON) to the columns of a statement. */
export const HISTORY_CSV_COLUMNS = [...CSV_COLUMNS, 'status', 'trail'] as const;

/** One row per statement, in said order, a retracted one marked so. */
export const historyCsv = (history: ActorHistory, registry: Registry, options: CsvOptions = {}): string =>
  tableCsv(
    HISTORY_CSV_COLUMNS,
    CSV_NUMBER_COLUMNS,
    history.statements.map((statement) => ({
      ...evidenceRow(statement, history.names, registry),
      status: statement.status,
      trail: statement.trail.length === 0 ? '' : JSON.stringify(statement.trail),
    })),
    options,
  );

/** The change feed's columns, in order: a statement's stance and the one it replaced, and `changed`, the whole of what changed as JSON. */
export const CHANGE_CSV_COLUMNS = [
  'change_id', 'kind', 'recorded_at', 'issue', 'actor', 'statement_id', 'stance', 'previous_stance', 'divergence_id', 'registry_kind',
  'registry_id', 'changed',
] as const;

type ChangeColumn = (typeof CHANGE_CSV_COLUMNS)[number];

const CHANGE_NUMBER_COLUMNS: ReadonlySet<ChangeColumn> = new Set(['stance', 'previous_stance']);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const numeric = (value: unknown): string => (typeof value === 'number' ? String(value) : '');

/** One row per change, in the order recorded. */
export const changesCsv = (page: ChangesPage, options: CsvOptions = {}): string =>
  tableCsv(
    CHANGE_CSV_COLUMNS,
    CHANGE_NUMBER_COLUMNS,
    page.changes.map((change) => {
      const changed = change.changed as Record<string, unknown>;
      const previous = changed['previous'] as Record<string, unknown> | null | undefined;
      return {
        change_id: change.changeId,
        kind: change.kind,
        recorded_at: change.recordedAt,
        issue: change.issue ?? '',
        actor: text(changed['actor']),
        statement_id: text(changed['statementId']),
        stance: numeric(changed['stance']),
        previous_stance: numeric(previous?.['stance']),
        divergence_id: text(changed['divergenceId']),
        registry_kind: text(changed['registryKind']),
        registry_id: change.kind === 'registry-changed' ? text(changed['id']) : '',
        changed: JSON.stringify(changed),
      };
    }),
    options,
  );
