/**
 * The EventBridge schema registry holds one draft-4 schema per committed event contract, and
 * those schemas accept the sample events.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS } from '../../events/catalog.ts';
import { loadSeedRegistryDetails, loadSeedSamples } from '../../local/seed/seed-files.ts';
import { schemaErrors } from '../contracts/json-schema-lite.ts';
import { REPO_ROOT, resourcesOf, synthTracker, type SynthesizedTracker } from './synth.ts';

const SCHEMAS_DIR = `${REPO_ROOT}events/schemas/`;
const committedSchemaNames = (): string[] =>
  readdirSync(SCHEMAS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .sort();

/** Keywords of JSON Schema 2019-09/2020-12 (or changed since draft 4) that draft 4 does not know. */
const NOT_DRAFT_4 = ['$defs', 'const', 'prefixItems', 'unevaluatedProperties', 'unevaluatedItems', 'dependentRequired', 'dependentSchemas', '$anchor', 'contains', 'propertyNames', 'if'];

const keywordsIn = (node: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(node)) node.forEach((item) => keywordsIn(item, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      found.add(key);
      // Inside `properties` the keys are field names, not keywords.
      if (key === 'properties' || key === 'definitions') Object.values(value as object).forEach((v) => keywordsIn(v, found));
      else keywordsIn(value, found);
    }
  }
  return found;
};

describe('schema registry', () => {
  let synth: SynthesizedTracker;
  let contents: Map<string, Record<string, any>>;
  beforeAll(() => {
    synth = synthTracker({});
    contents = new Map(
      Object.values(resourcesOf(synth.stateful, 'AWS::EventSchemas::Schema')).map((schema) => [
        schema.Properties?.SchemaName as string,
        JSON.parse(schema.Properties?.Content as string) as Record<string, any>,
      ]),
    );
  });

  it('has one schema per committed JSON Schema in events/schemas, and per contract', () => {
    expect([...contents.keys()].sort()).toEqual(committedSchemaNames());
    expect([...contents.keys()].sort()).toEqual(CONTRACTS.map((c) => c.name).sort());
  });

  it('declares them as JSON Schema draft 4 and uses only draft-4 keywords', () => {
    for (const schema of Object.values(resourcesOf(synth.stateful, 'AWS::EventSchemas::Schema'))) {
      expect(schema.Properties?.Type).toBe('JSONSchemaDraft4');
      const content = JSON.parse(schema.Properties?.Content as string) as Record<string, unknown>;
      expect(content.$schema).toBe('http://json-schema.org/draft-04/schema#');
      const keywords = keywordsIn(content);
      for (const keyword of NOT_DRAFT_4) expect(keywords, `${String(schema.Properties?.SchemaName)} uses ${keyword}`).not.toContain(keyword);
    }
  });

  it('describes the whole EventBridge event, with the contract as its detail', () => {
    for (const contract of CONTRACTS) {
      const content = contents.get(contract.name)!;
      const committed = JSON.parse(readFileSync(`${SCHEMAS_DIR}${contract.name}.json`, 'utf8')) as Record<string, any>;

      expect(content.properties['detail-type'].enum).toEqual([contract.detailType]);
      expect(Object.keys(content.properties.detail.properties).sort()).toEqual(Object.keys(committed.properties).sort());
    }
  });

  it('accepts every sample statement and registry record', () => {
    const statementSchema = contents.get('statement-recorded.v1')!;
    for (const { file, event } of loadSeedSamples()) {
      expect(schemaErrors(statementSchema, event), file).toEqual([]);
    }
    for (const { file, detailType, details } of loadSeedRegistryDetails()) {
      const contract = CONTRACTS.find((c) => c.detailType === detailType)!;
      for (const detail of details) {
        const event = { source: 'newsroom.desk', 'detail-type': detailType, detail };
        expect(schemaErrors(contents.get(contract.name)!, event), file).toEqual([]);
      }
    }
  });

  it('rejects an event whose detail breaks the contract', () => {
    const { event } = loadSeedSamples()[0]!;
    const broken = { ...event, detail: { ...event.detail, stance: 7 } };

    expect(schemaErrors(contents.get('statement-recorded.v1')!, broken)).not.toEqual([]);
  });

  it('puts the registry in the stateful stack, named after the stage', () => {
    synth.stateful.hasResourceProperties('AWS::EventSchemas::Registry', { RegistryName: 'position-tracker-test' });
  });
});
