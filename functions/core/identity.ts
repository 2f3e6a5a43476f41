/**
 * What a statement id names. Publishers choose ids and keep them stable across retries; the
 * tracker holds them to it: one id (a stance change's `changeId` included) names one statement
 * forever. A copy with the same content is a duplicate; a copy with other content is refused, with
 * every field that differs, and never joins or replaces what was recorded. The store enforces this
 * with one claim per id (see the tracker repository), so the replay can rely on it.
 *
 * The identity is taken on the resolved record, not on the raw event: `2025-09-05T10:00:00Z` and
 * `2025-09-05T12:00:00+02:00` are one instant, and an actor left out is the speaker's actor.
 */
import type { FieldProblem } from './errors.ts';
import { canonicalJson, contentFingerprint, textDigest } from './ids.ts';
import type { StatementRecord } from './types.ts';

/**
 * One field as the claim keeps it. Ids, instants, numbers, flags and language tags are kept as
 * they are, to say what differs; free text (quotes, reasons, outlets, urls) only as its size and
 * a digest, so a claim stays small and a refusal never repeats a quote.
 */
export type FieldSummary =
  | { kind: 'value'; value: string | number | boolean }
  | { kind: 'text'; bytes: number; digest: string };

export interface StatementIdentity {
  statementId: string;
  /** sha256 of the canonical JSON of the whole record: equal exactly when the statements are. */
  fingerprint: string;
  /** Every field of the record but the id, by its path in the record (`stance`, `quote.text`). */
  fields: Record<string, FieldSummary>;
}

/** Fields whose values are validated atoms (slugs, instants, enums, language tags), safe and short to show. */
const VALUE_FIELDS: ReadonlySet<string> = new Set([
  'kind', 'issue', 'actor', 'speaker', 'saidAt', 'recordedAt', 'quote.lang', 'quote.translation.lang',
]);

const summarise = (path: string, value: unknown): FieldSummary => {
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'value', value };
  if (typeof value === 'string' && VALUE_FIELDS.has(path)) return { kind: 'value', value };
  const text = typeof value === 'string' ? value : canonicalJson(value);
  return { kind: 'text', bytes: Buffer.byteLength(text, 'utf8'), digest: textDigest(text) };
};

const flatten = (value: unknown, path: string, into: Record<string, FieldSummary>): void => {
  if (value === undefined) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [name, inner] of Object.entries(value)) flatten(inner, path === '' ? name : `${path}.${name}`, into);
    return;
  }
  into[path] = summarise(path, value);
};

export const statementIdentity = (statement: StatementRecord): StatementIdentity => {
  // How the publisher spelt the speaker or the actor is not what the statement says: `putin` and
  // `قائد الكرملين` name one speaker, so a retry that spells it otherwise is the same statement.
  const { speakerAsWritten: _speaker, actorAsWritten: _actor, ...said } = statement;
  const { statementId, ...content } = said;
  const fields: Record<string, FieldSummary> = {};
  flatten(content, '', fields);
  return { statementId, fingerprint: contentFingerprint(said), fields };
};

export const sameStatement = (a: StatementIdentity, b: StatementIdentity): boolean =>
  a.statementId === b.statementId && a.fingerprint === b.fingerprint;

/**
 * The inbound detail-type each kind of record is sent as, to name it in a conflict. The contracts
 * own these names; application/contracts-v1.ts checks this copy against them at compile time.
 */
export const DETAIL_TYPE_OF_KIND = {
  statement: 'Statement Recorded',
  'stance-change': 'Stance Changed',
} as const satisfies Record<StatementRecord['kind'], string>;

/** Where the publisher wrote a record field, in the event it sent. */
const eventPath = (path: string, kind: StatementRecord['kind'] | undefined): string => {
  if (path === 'kind') return 'detail-type';
  if (path === 'saidAt' && kind === 'stance-change') return 'detail.effectiveAt';
  return `detail.${path}`;
};

const shown = (path: string, summary: FieldSummary | undefined): string => {
  if (summary === undefined) return 'none';
  if (summary.kind === 'text') return `${summary.bytes} bytes`;
  if (path === 'kind') return `'${DETAIL_TYPE_OF_KIND[summary.value as StatementRecord['kind']] ?? String(summary.value)}'`;
  return typeof summary.value === 'string' ? `'${summary.value}'` : String(summary.value);
};

const sameSummary = (a: FieldSummary | undefined, b: FieldSummary | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : a.kind === 'value'
      ? b.kind === 'value' && a.value === b.value
      : b.kind === 'text' && a.bytes === b.bytes && a.digest === b.digest;

/**
 * Every field in which `received` differs from the statement `recorded` under the same id, named
 * by its path in the received event (`detail.stance`, `detail.effectiveAt`, `detail-type`).
 */
export const identityConflicts = (recorded: StatementIdentity, received: StatementIdentity): FieldProblem[] => {
  if (sameStatement(recorded, received)) return [];
  const kindField = received.fields['kind'];
  const kind = kindField?.kind === 'value' ? (kindField.value as StatementRecord['kind']) : undefined;
  const paths = [...new Set([...Object.keys(received.fields), ...Object.keys(recorded.fields).sort()])];
  const problems = paths.flatMap((path): FieldProblem[] => {
    const was = recorded.fields[path];
    const now = received.fields[path];
    if (sameSummary(was, now)) return [];
    const text = was?.kind === 'text' || now?.kind === 'text' ? '; text is not repeated here' : '';
    return [{
      field: eventPath(path, kind),
      reason: `differs from the statement recorded under this id (recorded ${shown(path, was)}, received ${shown(path, now)}${text})`,
    }];
  });
  // Unreachable unless two different records summarise alike; the refusal must still say why.
  return problems.length > 0 ? problems : [{ field: 'detail', reason: 'differs from the statement recorded under this id' }];
};
