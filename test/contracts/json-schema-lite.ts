/**
 * Just enough of a JSON Schema (2020-12) validator to check that the exported schemas accept the
 * events they describe, for the keywords zod emits. Not a general validator: unknown keywords are
 * ignored, `format` is left to `pattern` (zod emits both for date-times).
 */
type JsonSchema = Record<string, unknown>;

const typeMatches = (type: string, value: unknown): boolean => {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    default:
      return typeof value === type;
  }
};

/** Where `value` fails `schema`, as `path: keyword` strings; empty when it is valid. */
export const schemaErrors = (schema: JsonSchema, value: unknown, path = '$'): string[] => {
  const errors: string[] = [];
  const fail = (keyword: string): void => {
    errors.push(`${path}: ${keyword}`);
  };
  const branches = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (branches && !branches.some((branch) => schemaErrors(branch, value, path).length === 0)) fail('anyOf');
  const type = schema['type'];
  if (type !== undefined && !(Array.isArray(type) ? type : [type]).some((t) => typeMatches(String(t), value))) {
    fail(`type ${JSON.stringify(type)}`);
    return errors;
  }
  if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) fail('const');
  if (Array.isArray(schema['enum']) && !schema['enum'].some((v) => JSON.stringify(v) === JSON.stringify(value))) fail('enum');
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema['minLength'] === 'number' && length < schema['minLength']) fail('minLength');
    if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) fail('maxLength');
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) fail('pattern');
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) fail('minimum');
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) fail('maximum');
    if (typeof schema['multipleOf'] === 'number' && (value / schema['multipleOf']) % 1 !== 0) fail('multipleOf');
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) fail('minItems');
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) fail('maxItems');
    const items = schema['items'] as JsonSchema | undefined;
    if (items) value.forEach((item, index) => errors.push(...schemaErrors(items, item, `${path}[${index}]`)));
  }
  if (typeMatches('object', value)) {
    const object = value as Record<string, unknown>;
    for (const key of (schema['required'] as string[] | undefined) ?? []) {
      if (!(key in object)) fail(`required ${key}`);
    }
    const properties = (schema['properties'] as Record<string, JsonSchema> | undefined) ?? {};
    for (const [key, inner] of Object.entries(object)) {
      const property = properties[key];
      if (property) errors.push(...schemaErrors(property, inner, `${path}.${key}`));
      else if (schema['additionalProperties'] === false) fail(`additionalProperties ${key}`);
    }
  }
  return errors;
};
