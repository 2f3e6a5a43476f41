/**
 * Writes one JSON Schema (draft 2020-12) per contract of the catalog to `events/schemas/`, for
 * publishers and subscribers that do not use our zod schemas (other teams, the EventBridge schema
 * registry). `npm run schemas` writes them; `npm run schemas -- --check` exits 1 when the
 * committed files differ from what the catalog exports (CI runs the check through the contract tests).
 *
 * The schemas are exported with `io: 'input'`: they describe what a producer may SEND, so a field
 * with a default (`hedged`, `aliases`, `status`, `issues`, `threshold`) is optional, as it is for
 * a publisher. A detail the tracker publishes carries every field and validates all the same.
 *
 * What JSON Schema cannot say is left to the zod schemas, which stay authoritative: UTF-8 byte
 * budgets (JSON Schema counts code points), the lone-surrogate check, and cross-field rules
 * (`actor` required for an actor-vs-bloc watch).
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from './zod.ts';
import { CONTRACTS, type Contract } from './catalog.ts';

export const SCHEMAS_DIR = fileURLToPath(new URL('./schemas/', import.meta.url));

export const schemaFileName = (contract: Contract): string => `${contract.name}.json`;

/** A stable URN: the schemas are not served anywhere, but `$id` must identify them for tools. */
export const schemaId = (contract: Contract): string => `urn:position-tracker:events:${contract.name}`;

export const exportSchema = (contract: Contract): Record<string, unknown> => {
  const { $schema, description, ...body } = z.toJSONSchema(contract.schema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  // Identification first, so a reader of the file sees which event it is before its fields.
  return {
    $schema,
    $id: schemaId(contract),
    title: contract.detailType,
    'x-detail-type': contract.detailType,
    'x-schema-version': contract.version,
    'x-direction': contract.direction,
    $comment:
      'Generated from events/catalog.ts by `npm run schemas`; do not edit. The zod schema is authoritative for what JSON Schema cannot express: UTF-8 byte limits, lone UTF-16 surrogates, cross-field rules.',
    ...(description !== undefined ? { description } : {}),
    ...body,
  };
};

/** File name → file content, for every contract of the catalog. */
export const renderSchemas = (): Map<string, string> =>
  new Map(CONTRACTS.map((contract) => [schemaFileName(contract), `${JSON.stringify(exportSchema(contract), null, 2)}\n`]));

const readIfPresent = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** Files of `dir` that are missing, differ from the export, or belong to no contract (stale). */
export const differingSchemas = (dir: string = SCHEMAS_DIR): string[] => {
  const expected = renderSchemas();
  const differing = [...expected].filter(([file, content]) => readIfPresent(`${dir}${file}`) !== content).map(([file]) => file);
  let present: string[] = [];
  try {
    present = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch {
    // A missing directory shows up as every file missing.
  }
  const stale = present.filter((file) => !expected.has(file));
  return [...differing, ...stale].sort();
};

export const writeSchemas = (dir: string = SCHEMAS_DIR): string[] => {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, content] of renderSchemas()) {
    if (readIfPresent(`${dir}${file}`) !== content) {
      writeFileSync(`${dir}${file}`, content);
      written.push(file);
    }
  }
  return written;
};

const isMain = (): boolean => {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (isMain()) {
  if (process.argv.includes('--check')) {
    const differing = differingSchemas();
    if (differing.length > 0) {
      console.error(`JSON Schemas out of date with events/catalog.ts (run \`npm run schemas\`):\n${differing.map((f) => `  events/schemas/${f}`).join('\n')}`);
      process.exit(1);
    }
    console.log(`All ${CONTRACTS.length} JSON Schemas match the catalog.`);
  } else {
    const written = writeSchemas();
    console.log(written.length > 0 ? `Wrote ${written.map((f) => `events/schemas/${f}`).join(', ')}` : 'JSON Schemas already up to date.');
  }
}
