/**
 * The correction contracts: their samples, that every correctable field is validated exactly as in
 * the contract it corrects, what they refuse that statements do not, and their JSON Schemas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACTS, STATEMENT_CORRECTED, STATEMENT_RETRACTED } from '../../events/catalog.ts';
import { DESK_SOURCE } from '../../events/common.ts';
import { CORRECTABLE_FIELDS, type StatementCorrectedV1 } from '../../events/inbound/statement-corrected.v1.ts';
import { SCHEMAS_DIR } from '../../events/export-schemas.ts';
import { SEED_ARTICLE_PATH, loadSeedSamples } from '../../local/seed/seed-files.ts';
import { parseEvent, type FieldProblem, type ParsedEvent } from '../../events/validation.ts';
import { schemaErrors } from './json-schema-lite.ts';

const SAMPLES_DIR = new URL('../../events/samples/corrections/', import.meta.url);
type Sample = { source: string; 'detail-type': string; detail: Record<string, unknown> };
const samples = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.json')).sort().map((file) => ({
  file,
  text: readFileSync(new URL(file, SAMPLES_DIR), 'utf8'),
  event: JSON.parse(readFileSync(new URL(file, SAMPLES_DIR), 'utf8')) as Sample,
}));
const committedSchema = (name: string): Record<string, any> => JSON.parse(readFileSync(`${SCHEMAS_DIR}${name}.json`, 'utf8'));

const correctionSample = samples.find((s) => s.event['detail-type'] === STATEMENT_CORRECTED)!.event;
const retractionSample = samples.find((s) => s.event['detail-type'] === STATEMENT_RETRACTED)!.event;
const statementSample = loadSeedSamples()[0]!.event;

/** validation.ts types the details of the contracts the processor applies; a correction's is read as its contract says. */
const correctedDetail = (event: ParsedEvent): StatementCorrectedV1 => {
  expect(event.detailType as string).toBe(STATEMENT_CORRECTED);
  return event.detail as unknown as StatementCorrectedV1;
};

const problemsOf = (event: unknown): FieldProblem[] => {
  const result = parseEvent(event);
  return result.ok ? [] : result.problems;
};
const correctionWith = (detail: Record<string, unknown>) => ({ ...correctionSample, detail: { ...correctionSample.detail, ...detail } });
const retractionWith = (detail: Record<string, unknown>) => ({ ...retractionSample, detail: { ...retractionSample.detail, ...detail } });

describe('correction samples', () => {
  it('hold one event of each correction contract, under the correction direction', () => {
    expect(samples.map((s) => s.event['detail-type']).sort()).toEqual([STATEMENT_CORRECTED, STATEMENT_RETRACTED]);
    expect(CONTRACTS.filter((c) => c.direction === 'correction').map((c) => c.detailType).sort()).toEqual([STATEMENT_CORRECTED, STATEMENT_RETRACTED]);
  });

  it.each(samples.map((s) => [s.file, s] as const))('%s is valid, as a desk publishes it, and revises a seed statement', (_file, { event }) => {
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toEqual([]);
    expect(event.source).toBe(DESK_SOURCE);
    const contract = CONTRACTS.find((c) => c.detailType === event['detail-type'])!;
    expect(schemaErrors(committedSchema(contract.name), event.detail)).toEqual([]);
    expect(loadSeedSamples().map((s) => s.event.detail['statementId'])).toContain(event.detail['statementId']);
  });

  it('carry a corrected Arabic quote byte for byte, sliced from the article', () => {
    // Prepare
    const sample = samples.find((s) => s.event === correctionSample)!;
    const quote = (correctionSample.detail['changes'] as { quote: { text: string; lang: string } }).quote;
    const parsed = parseEvent(sample.text);
    // Assess: written as UTF-8 in the file (no escapes), unchanged through validation, found in the article.
    expect(quote.lang).toBe('ar');
    expect(sample.text).toContain(quote.text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(Buffer.from(correctedDetail(parsed.event).changes.quote!.text).equals(Buffer.from(quote.text))).toBe(true);
    expect(readFileSync(SEED_ARTICLE_PATH).indexOf(Buffer.from(quote.text))).toBeGreaterThanOrEqual(0);
  });
});

describe('Statement Corrected v1: each field is validated exactly as in the contract it corrects', () => {
  /** A bad value for a field, and where Statement Recorded reports it under `detail.`. */
  it.each<[string, string, unknown]>([
    ['a stance off the scale', 'stance', 3],
    ['a fractional stance', 'stance', 1.5],
    ['a hedge that is not a flag', 'hedged', 'maybe'],
    ['an empty speaker', 'speaker', ''],
    ['an actor name over 2048 bytes', 'actor', 'ب'.repeat(1_025)],
    ['an issue with a double hyphen', 'issue', 'troops--ukraine'],
    ['a time without a zone', 'saidAt', '2025-09-04T10:00:00'],
    ['a time whose offset leaves the storable years', 'saidAt', '0000-01-01T00:30:00+01:00'],
    ['a quote in an unsupported language', 'quote', { text: 'نص', lang: 'xx' }],
    ['an empty quote', 'quote', { text: '', lang: 'ar' }],
    ['a translation without its language', 'quote', { text: 'نص', lang: 'ar', translation: { text: 'text' } }],
    ['a source URL that is not http(s)', 'source', { outlet: 'Wire', url: 'ftp://example.org/x' }],
    ['a source without its outlet', 'source', { url: 'https://example.org/x' }],
  ])('%s', (_case, field, value) => {
    // Prepare
    const statement = { ...statementSample, detail: { ...statementSample.detail, [field]: value } };
    const correction = correctionWith({ changes: { [field]: value } });
    // Act
    const expected = problemsOf(statement).map((p) => ({ ...p, field: p.field.replace(/^detail\./, 'detail.changes.') }));
    // Assess
    expect(expected).not.toEqual([]);
    expect(problemsOf(correction)).toEqual(expected);
  });

  it('gives no field a default: a correction leaves what it does not name as recorded', () => {
    // Act
    const parsed = parseEvent(correctionWith({ changes: { stance: 0 } }));
    // Assess
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(correctedDetail(parsed.event).changes).toEqual({ stance: 0 });
  });
});

describe('what a correction or a retraction refuses', () => {
  it.each<[string, unknown, FieldProblem[]]>([
    ['a correction that changes nothing', correctionWith({ changes: {} }), [
      { field: 'detail.changes', reason: `must change at least one field (${CORRECTABLE_FIELDS.join(', ')})` },
    ]],
    ['a misspelt field in the changes, rather than dropping it', correctionWith({ changes: { stance: 0, qoute: { text: 'x', lang: 'en' } } }), [
      { field: 'detail.changes', reason: 'has unknown field "qoute"' },
    ]],
    ['a field no correction may change', correctionWith({ changes: { recordedBy: 'someone' } }), [
      { field: 'detail.changes', reason: 'has unknown field "recordedBy"' },
      { field: 'detail.changes', reason: `must change at least one field (${CORRECTABLE_FIELDS.join(', ')})` },
    ]],
    ['a blank reason', correctionWith({ reason: ' \n ' }), [{ field: 'detail.reason', reason: 'must say why (it is blank)' }]],
    ['a correction without its time', correctionWith({ correctedAt: undefined }), [{ field: 'detail.correctedAt', reason: 'is required' }]],
    ['a correction with a zoneless time', correctionWith({ correctedAt: '2025-09-05T09:15:00' }), [
      { field: 'detail.correctedAt', reason: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-06T14:30:00Z' },
    ]],
    ['a retraction with redact: false', retractionWith({ redact: false }), [
      { field: 'detail.redact', reason: 'must be true (leave it out to retract without redacting)' },
    ]],
    ['a misspelt redact, which would keep text legal asked to remove', retractionWith({ redacted: true }), [
      { field: 'detail', reason: 'has unknown field "redacted"' },
    ]],
    ['a retraction without a reason', retractionWith({ reason: '' }), [{ field: 'detail.reason', reason: 'must not be empty' }]],
    ['a reason over the byte budget', retractionWith({ reason: 'س'.repeat(1_025) }), [{ field: 'detail.reason', reason: 'is longer than 2048 UTF-8 bytes' }]],
    ['an id that is not a publisher id', retractionWith({ retractionId: '-retr' }), [
      { field: 'detail.retractionId', reason: 'must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit' },
    ]],
  ])('%s', (_case, event, expected) => {
    expect(problemsOf(event)).toEqual(expected);
  });

  it('accepts a retraction with redact: true', () => {
    expect(problemsOf(retractionWith({ redact: true }))).toEqual([]);
  });
});

describe('their JSON Schemas', () => {
  const corrected = committedSchema('statement-corrected.v1');
  const retracted = committedSchema('statement-retracted.v1');

  it('list exactly the correctable fields, at least one of them, and no other', () => {
    expect(Object.keys(corrected.properties.changes.properties)).toEqual([...CORRECTABLE_FIELDS]);
    expect(corrected.properties.changes.minProperties).toBe(1);
    expect(corrected.properties.changes.additionalProperties).toBe(false);
    expect(corrected.properties.changes.required).toBeUndefined();
  });

  it('close both details to unknown fields and refuse a blank reason', () => {
    expect(schemaErrors(corrected, { ...correctionSample.detail, note: 'x' })).toEqual(['$: additionalProperties note']);
    expect(schemaErrors(retracted, { ...retractionSample.detail, redacted: true })).toEqual(['$: additionalProperties redacted']);
    expect(schemaErrors(retracted, { ...retractionSample.detail, reason: '   ' })).toEqual(['$.reason: pattern']);
  });

  it('allow only true for redact', () => {
    expect(schemaErrors(retracted, { ...retractionSample.detail, redact: true })).toEqual([]);
    expect(schemaErrors(retracted, { ...retractionSample.detail, redact: false })).toEqual(['$.redact: const']);
  });
});
