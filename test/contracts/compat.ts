/**
 * A small backward-compatibility checker for the JSON Schemas we export (the subset zod emits:
 * type, const, enum, properties, required, items, anyOf/oneOf, bounds, pattern, format).
 *
 * A published contract has publishers AND subscribers we do not know (the bus is shared), so a
 * change is compatible only when every event valid under the published schema is still valid
 * under the current one (publishers keep working) and every field a subscriber could rely on is
 * still there and still present whenever it was (subscribers keep working). Hence breaking:
 * removing a field, adding a required field, making a required field optional, changing a type,
 * narrowing an enum/const/bound/pattern/format. Compatible: adding an optional field, widening an
 * enum (subscribers must ignore values they do not know), relaxing a bound, editing descriptions.
 * Anything else is a new `.v2` contract.
 */

type JsonSchema = Record<string, unknown>;

const asSchema = (value: unknown): JsonSchema =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : {};

const typesOf = (schema: JsonSchema): string[] | undefined => {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
};

/** The value set a schema is restricted to by `const` or `enum`, if any. */
const valuesOf = (schema: JsonSchema): unknown[] | undefined => {
  if ('const' in schema) return [schema['const']];
  return Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]) : undefined;
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const num = (schema: JsonSchema, key: string): number | undefined => {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
};

const label = (path: string): string => (path === '' ? 'the detail' : `'${path}'`);
const child = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

const branchesOf = (schema: JsonSchema): JsonSchema[] | undefined => {
  const branches = schema['anyOf'] ?? schema['oneOf'];
  return Array.isArray(branches) ? branches.map(asSchema) : undefined;
};

/**
 * The least length a string valid under `schema` has: its minLength, or 1 when its pattern refuses
 * the empty string (a slug pattern does), so replacing such a pattern by `minLength: 1` narrows nothing.
 */
const impliedMinLength = (schema: JsonSchema): number | undefined => {
  const declared = num(schema, 'minLength');
  const pattern = schema['pattern'];
  if (typeof pattern !== 'string' || (declared ?? 0) >= 1) return declared;
  try {
    return new RegExp(pattern, 'u').test('') ? declared : 1;
  } catch {
    return declared;
  }
};

const checkBounds = (published: JsonSchema, current: JsonSchema, path: string, breaks: string[]): void => {
  for (const key of ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']) {
    const before = key === 'minLength' ? impliedMinLength(published) : num(published, key);
    const after = num(current, key);
    if (after !== undefined && (before === undefined || after > before)) {
      breaks.push(`${label(path)}: ${key} narrowed from ${before ?? 'none'} to ${after}`);
    }
  }
  for (const key of ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']) {
    const before = num(published, key);
    const after = num(current, key);
    if (after !== undefined && (before === undefined || after < before)) {
      breaks.push(`${label(path)}: ${key} narrowed from ${before ?? 'none'} to ${after}`);
    }
  }
  const stepBefore = num(published, 'multipleOf');
  const stepAfter = num(current, 'multipleOf');
  if (stepAfter !== undefined && (stepBefore === undefined || (stepBefore / stepAfter) % 1 !== 0)) {
    breaks.push(`${label(path)}: multipleOf changed from ${stepBefore ?? 'none'} to ${stepAfter}`);
  }
  for (const key of ['pattern', 'format']) {
    // Whether a new pattern accepts everything the old one did is undecidable here: any change breaks.
    if (current[key] !== undefined && !same(published[key], current[key])) {
      breaks.push(`${label(path)}: ${key} changed from ${JSON.stringify(published[key] ?? null)} to ${JSON.stringify(current[key])}`);
    }
  }
};

const compare = (published: JsonSchema, current: JsonSchema, path: string, breaks: string[]): void => {
  const publishedBranches = branchesOf(published);
  const currentBranches = branchesOf(current);
  if (publishedBranches || currentBranches) {
    // Every published alternative must survive as (or inside) some current alternative.
    for (const branch of publishedBranches ?? [published]) {
      const candidates = currentBranches ?? [current];
      if (!candidates.some((candidate) => breakingChanges(branch, candidate, path).length === 0)) {
        breaks.push(`${label(path)}: a published alternative (${JSON.stringify(valuesOf(branch) ?? typesOf(branch) ?? 'any')}) is no longer accepted`);
      }
    }
    return;
  }

  const typesBefore = typesOf(published);
  const typesAfter = typesOf(current);
  if (typesAfter !== undefined) {
    const accepted = (type: string): boolean => typesAfter.includes(type) || (type === 'integer' && typesAfter.includes('number'));
    const lost = (typesBefore ?? ['any']).filter((type) => !accepted(type));
    if (lost.length > 0) {
      breaks.push(`${label(path)}: type changed from ${JSON.stringify(typesBefore ?? 'any')} to ${JSON.stringify(typesAfter)}`);
      return;
    }
  }

  const valuesBefore = valuesOf(published);
  const valuesAfter = valuesOf(current);
  if (valuesAfter !== undefined) {
    const lost = (valuesBefore ?? [undefined]).filter((value) => !valuesAfter.some((after) => same(after, value)));
    if (valuesBefore === undefined) breaks.push(`${label(path)}: restricted to ${JSON.stringify(valuesAfter)}`);
    else if (lost.length > 0) breaks.push(`${label(path)}: no longer accepts ${lost.map((v) => JSON.stringify(v)).join(', ')}`);
  }

  checkBounds(published, current, path, breaks);

  const propertiesBefore = asSchema(published['properties']);
  const propertiesAfter = asSchema(current['properties']);
  for (const [key, schema] of Object.entries(propertiesBefore)) {
    if (!(key in propertiesAfter)) {
      breaks.push(`${label(child(path, key))}: field removed`);
      continue;
    }
    compare(asSchema(schema), asSchema(propertiesAfter[key]), child(path, key), breaks);
  }
  const requiredBefore = new Set(Array.isArray(published['required']) ? (published['required'] as string[]) : []);
  const requiredAfter = new Set(Array.isArray(current['required']) ? (current['required'] as string[]) : []);
  for (const key of requiredAfter) {
    if (!requiredBefore.has(key)) {
      breaks.push(`${label(child(path, key))}: ${key in propertiesBefore ? 'optional field became required' : 'required field added'}`);
    }
  }
  for (const key of requiredBefore) {
    if (!requiredAfter.has(key) && key in propertiesAfter) {
      breaks.push(`${label(child(path, key))}: required field became optional (subscribers rely on it)`);
    }
  }
  if (current['additionalProperties'] === false && published['additionalProperties'] !== false) {
    breaks.push(`${label(path)}: no longer accepts additional fields`);
  }

  if (published['items'] !== undefined || current['items'] !== undefined) {
    compare(asSchema(published['items']), asSchema(current['items']), `${path}[]`, breaks);
  }
};

/** Every change from `published` to `current` that would break a publisher or a subscriber. */
export const breakingChanges = (published: unknown, current: unknown, path = ''): string[] => {
  const breaks: string[] = [];
  if (path === '') {
    for (const key of ['x-detail-type', 'x-schema-version']) {
      const before = asSchema(published)[key];
      if (before !== undefined && !same(before, asSchema(current)[key])) {
        breaks.push(`${key} changed from ${JSON.stringify(before)} to ${JSON.stringify(asSchema(current)[key] ?? null)}`);
      }
    }
  }
  compare(asSchema(published), asSchema(current), path, breaks);
  return breaks;
};

export const isBackwardCompatible = (published: unknown, current: unknown): boolean =>
  breakingChanges(published, current).length === 0;
