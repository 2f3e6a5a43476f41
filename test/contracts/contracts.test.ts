import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACTS } from '../../events/catalog.ts';
import { DESK_SOURCE } from '../../events/common.ts';
import { SCHEMAS_DIR, differingSchemas, renderSchemas } from '../../events/export-schemas.ts';
import { SEED_REGISTRY_FILES, loadSeedRegistryDetails, loadSeedSamples } from '../../local/seed/seed-files.ts';
import { parseEvent } from '../../events/validation.ts';
import { breakingChanges } from './compat.ts';
import { schemaErrors } from './json-schema-lite.ts';

const PUBLISHED_DIR = new URL('./published/', import.meta.url);
const readJson = (path: string | URL): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8'));
const committedSchema = (name: string): Record<string, unknown> => readJson(`${SCHEMAS_DIR}${name}.json`);

describe('seed samples', () => {
  const samples = loadSeedSamples();

  it('exist, one per statement of the article', () => {
    expect(samples.length).toBeGreaterThanOrEqual(12);
  });

  it.each(samples.map((s) => [s.file, s.event] as const))('%s is a valid Statement Recorded as a desk publishes it', (_file, event) => {
    // Prepare: the event exactly as committed.
    // Act
    const result = parseEvent(event);
    // Assess
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(event.source).toBe(DESK_SOURCE);
    expect(event['detail-type']).toBe('Statement Recorded');
    expect(event.detail['recordedBy']).toBe('seed');
    expect(schemaErrors(committedSchema('statement-recorded.v1'), event.detail)).toEqual([]);
  });

  it('have unique statement ids, named after their file', () => {
    const ids = samples.map((s) => s.event.detail['statementId']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { file, event } of samples) expect(event.detail['statementId']).toBe(`seed-${file.replace(/\.json$/, '')}`);
  });
});

describe('seed registry', () => {
  const files = loadSeedRegistryDetails();

  it('has a file per registry event', () => {
    expect(files.map((f) => f.file)).toEqual(SEED_REGISTRY_FILES.map((f) => f.file));
  });

  it.each(files.map((f) => [f.file, f] as const))('%s: every record is a valid registry event', (_file, { detailType, details }) => {
    const schema = committedSchema(CONTRACTS.find((c) => c.detailType === detailType)!.name);
    for (const detail of details) {
      // Act
      const result = parseEvent({ source: DESK_SOURCE, 'detail-type': detailType, detail });
      // Assess
      expect(result.ok ? [] : result.problems, JSON.stringify(detail)).toEqual([]);
      expect(schemaErrors(schema, detail), JSON.stringify(detail)).toEqual([]);
    }
  });
});

describe('events/README.md', () => {
  const readme = readFileSync(new URL('../../events/README.md', import.meta.url), 'utf8');
  const examples = [...readme.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);

  it('has an example for every contract', () => {
    const shown = new Set(examples.map((e) => e['detail-type']));
    const missing = CONTRACTS.filter((c) => !shown.has(c.detailType)).map((c) => c.detailType);
    expect(missing).toEqual([]);
  });

  it.each(examples.map((e) => [e['detail-type'], e] as const))('its %s example is valid', (_type, example) => {
    const result = parseEvent(example);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});

describe('committed JSON Schemas', () => {
  it('equal what the catalog exports (run `npm run schemas` after changing a contract)', () => {
    expect(differingSchemas()).toEqual([]);
  });

  it('carry $id, title and x-detail-type, and are draft 2020-12', () => {
    for (const contract of CONTRACTS) {
      const schema = committedSchema(contract.name);
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema['$id']).toBe(`urn:position-tracker:events:${contract.name}`);
      expect(schema['title']).toBe(contract.detailType);
      expect(schema['x-detail-type']).toBe(contract.detailType);
    }
  });

  it('are exported with io "input": a field with a default may be left out by a publisher', () => {
    // Prepare
    const schema = JSON.parse(renderSchemas().get('statement-recorded.v1.json')!);
    // Assess
    expect(schema.required).not.toContain('hedged');
    expect(schema.required).toContain('quote');
  });
});

describe('breaking-change guard: published v1 contracts only change compatibly', () => {
  const published = readdirSync(PUBLISHED_DIR).filter((f) => f.endsWith('.json')).sort();

  it('every contract of the catalog has a published snapshot, and every snapshot a contract', () => {
    // A new contract is snapshotted when it is published; a published one is never removed.
    expect(published).toEqual(CONTRACTS.map((c) => `${c.name}.json`).sort());
  });

  it.each(published)('%s', (file) => {
    // Prepare
    const snapshot = readJson(new URL(file, PUBLISHED_DIR));
    const current = readJson(`${SCHEMAS_DIR}${file}`);
    // Act
    const breaks = breakingChanges(snapshot, current);
    // Assess: a breaking change needs a new `.v2` contract, never an edit of v1.
    expect(breaks).toEqual([]);
  });
});
