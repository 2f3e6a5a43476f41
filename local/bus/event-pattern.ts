/**
 * Amazon EventBridge event-pattern matching, for the local bus.
 *
 * The semantics follow the EventBridge user guide (content filtering, comparison operators, arrays,
 * null and empty values) and, where the guide is silent, the behaviour of aws/event-ruler, the
 * open-source matcher EventBridge uses:
 *
 * - a pattern is an object; every field in it must match (AND), the values listed for a field are
 *   alternatives (OR); fields of the event that the pattern does not name are ignored;
 * - matching happens on leaf values (strings, numbers, booleans, null). An array in the event
 *   matches when any of its elements does; an array of objects is matched element by element, so
 *   all the fields of a nested pattern must be satisfied inside ONE element;
 * - `exists` looks at leaf values only: null is a value, an empty array or an object is not.
 *
 * Patterns are checked up front (`validateEventPattern`) the way PutRule rejects them with
 * InvalidEventPatternException, so a pattern that EventBridge would refuse never routes locally.
 */

/** Operator names; a field named like one of these may not appear inside `$or` branches. */
const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

const OR = '$or';

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;

/** One alternative in a field's value list. `exists` is kept apart: it is about presence, not a value. */
type Alternative = { kind: 'value'; test: LeafTest } | { kind: 'exists'; present: boolean };

interface CompiledObject {
  fields: Array<{ key: string; node: CompiledNode }>;
  /** Every `$or` at this level must have at least one matching branch. */
  ors: CompiledObject[][];
}

type CompiledNode = { kind: 'leaf'; alternatives: Alternative[] } | { kind: 'object'; object: CompiledObject };

/** Thrown by `compileEventPattern` / `matchesEventPattern` for a pattern EventBridge would reject. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternException';
}

/** A compiled pattern: a predicate over events. */
export type EventMatcher = (event: unknown) => boolean;

/**
 * Returns null when EventBridge would accept the pattern, else a message in the shape of
 * InvalidEventPatternException ("Event pattern is not valid. Reason: ...").
 */
export function validateEventPattern(pattern: unknown): string | null {
  try {
    compileObject(pattern, false, []);
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}

/** Validates once and returns a fast predicate; throws InvalidEventPatternError for a bad pattern. */
export function compileEventPattern(pattern: unknown): EventMatcher {
  let compiled: CompiledObject;
  try {
    compiled = compileObject(pattern, false, []);
  } catch (error) {
    if (error instanceof PatternError) throw new InvalidEventPatternError(error.message);
    throw error;
  }
  return (event) => matchObject(compiled, event);
}

const compiledCache = new WeakMap<object, EventMatcher>();

/**
 * True when `event` matches `pattern`. Throws InvalidEventPatternError when the pattern itself is
 * invalid: a silent `false` would hide a rule that can never fire. Compiled patterns are cached
 * per pattern object, so callers must not mutate a pattern after first use.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (typeof pattern === 'object' && pattern !== null) {
    let matcher = compiledCache.get(pattern);
    if (matcher === undefined) {
      matcher = compileEventPattern(pattern);
      compiledCache.set(pattern, matcher);
    }
    return matcher(event);
  }
  return compileEventPattern(pattern)(event);
}

// ---------------------------------------------------------------------------------------------
// Compilation and validation
// ---------------------------------------------------------------------------------------------

class PatternError extends Error {}

function fail(path: readonly string[], reason: string): never {
  const where = path.length > 0 ? ` (at ${path.join('.')})` : '';
  throw new PatternError(`Event pattern is not valid. Reason: ${reason}${where}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileObject(pattern: unknown, insideOr: boolean, path: readonly string[]): CompiledObject {
  if (!isPlainObject(pattern)) fail(path, 'Filter is not an object');
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path, 'Empty objects are not allowed');

  const compiled: CompiledObject = { fields: [], ors: [] };
  for (const key of keys) {
    const value = pattern[key];
    const here = [...path, key];
    if (key === OR) {
      compiled.ors.push(compileOr(value, here));
      continue;
    }
    if (insideOr && OPERATORS.has(key)) {
      fail(here, `${key} is a reserved field name which cannot be used inside ${OR}.`);
    }
    if (Array.isArray(value)) {
      compiled.fields.push({ key, node: { kind: 'leaf', alternatives: compileLeaf(value, here) } });
    } else if (isPlainObject(value)) {
      compiled.fields.push({ key, node: { kind: 'object', object: compileObject(value, insideOr, here) } });
    } else {
      fail(here, `"${key}" must be an object or an array`);
    }
  }
  return compiled;
}

function compileOr(value: unknown, path: readonly string[]): CompiledObject[] {
  if (!Array.isArray(value)) fail(path, `It must be an Array followed with ${OR}.`);
  const branches = value.map((branch: unknown) => {
    if (!isPlainObject(branch)) fail(path, `Only JSON object is allowed in array of ${OR} relationship.`);
    return compileObject(branch, true, path);
  });
  if (branches.length < 2) fail(path, `There must have at least 2 Objects in ${OR} relationship.`);
  return branches;
}

function compileLeaf(values: unknown[], path: readonly string[]): Alternative[] {
  if (values.length === 0) fail(path, 'Empty arrays are not allowed');
  return values.map((value): Alternative => {
    if (typeof value === 'string') return { kind: 'value', test: exactString(value) };
    if (typeof value === 'number') return { kind: 'value', test: (v) => typeof v === 'number' && v === value };
    if (typeof value === 'boolean' || value === null) return { kind: 'value', test: (v) => v === value };
    if (isPlainObject(value)) return compileOperator(value, path);
    return fail(path, 'Match value must be String, number, true, false, or null');
  });
}

/** An exact string; IP literals compare as addresses, as event-ruler does (e.g. IPv6 spellings). */
function exactString(expected: string): LeafTest {
  const ip = parseIp(expected);
  if (ip === null) return (v) => v === expected;
  return (v) => {
    if (v === expected) return true;
    if (typeof v !== 'string') return false;
    const other = parseIp(v);
    return other !== null && other.family === ip.family && other.value === ip.value;
  };
}

function compileOperator(expression: Record<string, unknown>, path: readonly string[]): Alternative {
  const keys = Object.keys(expression);
  if (keys.length === 0) fail(path, 'Match expression name not found');
  if (keys.length > 1) fail(path, 'Only one key allowed in match expression');
  const operator = keys[0] as string;
  const operand = expression[operator];
  const here = [...path, operator];

  switch (operator) {
    case 'prefix':
    case 'suffix': {
      const test = compileAffix(operator, operand, here);
      return { kind: 'value', test: (v) => typeof v === 'string' && test(v) };
    }
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') fail(here, 'equals-ignore-case match pattern must be a string');
      const expected = foldCase(operand);
      return { kind: 'value', test: (v) => typeof v === 'string' && foldCase(v) === expected };
    }
    case 'wildcard': {
      if (typeof operand !== 'string') fail(here, 'wildcard match pattern must be a string');
      const regex = compileWildcard(operand, here);
      return { kind: 'value', test: (v) => typeof v === 'string' && regex.test(v) };
    }
    case 'anything-but':
      return { kind: 'value', test: compileAnythingBut(operand, here) };
    case 'numeric': {
      const inRange = compileNumeric(operand, here);
      return { kind: 'value', test: (v) => typeof v === 'number' && inRange(v) };
    }
    case 'exists':
      if (typeof operand !== 'boolean') fail(here, 'exists match pattern must be either true or false.');
      return { kind: 'exists', present: operand };
    case 'cidr': {
      const inBlock = compileCidr(operand, here);
      return { kind: 'value', test: (v) => typeof v === 'string' && inBlock(v) };
    }
    default:
      return fail(path, `Unrecognized match type ${operator}`);
  }
}

/** Case folding for the *-ignore-case operators: compares Unicode lower case of both sides. */
function foldCase(value: string): string {
  return value.toLowerCase();
}

/** `prefix` / `suffix`, either a plain string or `{ "equals-ignore-case": "..." }`. */
function compileAffix(operator: 'prefix' | 'suffix', operand: unknown, path: readonly string[]): (v: string) => boolean {
  const at = operator === 'prefix' ? (v: string, a: string) => v.startsWith(a) : (v: string, a: string) => v.endsWith(a);
  if (typeof operand === 'string') return (v) => at(v, operand);
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      fail(path, `Unsupported ${operator} pattern: ${keys.join(', ') || '(empty)'}`);
    }
    const affix = operand['equals-ignore-case'];
    if (typeof affix !== 'string') fail(path, `equals-ignore-case match pattern must be a string`);
    const folded = foldCase(affix);
    return (v) => at(foldCase(v), folded);
  }
  return fail(path, `${operator} match pattern must be a string`);
}

/**
 * Wildcard: `*` is any run of characters (including none); `\*` is a literal asterisk and `\\` a
 * literal backslash. Consecutive `*` and any other escape are rejected, as EventBridge does.
 */
function compileWildcard(pattern: string, path: readonly string[]): RegExp {
  let source = '';
  let previousWasWildcard = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') fail(path, `Invalid use of backslash escape character at pos ${i}`);
      source += escapeRegExp(next);
      i++;
      previousWasWildcard = false;
    } else if (char === '*') {
      if (previousWasWildcard) fail(path, `Consecutive wildcard characters at pos ${i}`);
      source += '.*';
      previousWasWildcard = true;
    } else {
      source += escapeRegExp(char);
      previousWasWildcard = false;
    }
  }
  // `s` so that `*` spans newlines; `u` so that it never splits a surrogate pair.
  return new RegExp(`^${source}$`, 'su');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * anything-but: a string, a number, a list of only strings or only numbers, or an object with one
 * of prefix / suffix / equals-ignore-case / wildcard. It matches any leaf value (of any type) that
 * is not excluded, and - like every value test - never a missing field.
 */
function compileAnythingBut(operand: unknown, path: readonly string[]): LeafTest {
  if (typeof operand === 'string' || typeof operand === 'number') {
    return (v) => v !== operand;
  }
  if (Array.isArray(operand)) {
    const strings = operand.filter((item): item is string => typeof item === 'string');
    const numbers = operand.filter((item): item is number => typeof item === 'number');
    if (strings.length + numbers.length !== operand.length) {
      fail(path, 'Inside anything but list, start|null|boolean is not supported.');
    }
    if (operand.length === 0 || (strings.length > 0 && numbers.length > 0)) {
      fail(path, 'Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    const excluded = new Set<Leaf>(operand as Leaf[]);
    return (v) => !excluded.has(v);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 0) fail(path, 'Anything-But expression name not found');
    if (keys.length > 1) fail(path, 'Only one key allowed in match expression');
    const inner = keys[0] as string;
    const here = [...path, inner];
    if (!ANYTHING_BUT_OPERATORS.has(inner)) fail(path, `Unsupported anything-but pattern: ${inner}`);
    const values = stringOrStringList(operand[inner], inner, here);
    let excluded: (v: string) => boolean;
    switch (inner) {
      case 'prefix':
      case 'suffix':
        if (values.some((value) => value.length === 0)) fail(here, 'Null prefix/suffix not allowed');
        excluded = inner === 'prefix'
          ? (v) => values.some((value) => v.startsWith(value))
          : (v) => values.some((value) => v.endsWith(value));
        break;
      case 'equals-ignore-case': {
        const folded = new Set(values.map(foldCase));
        excluded = (v) => folded.has(foldCase(v));
        break;
      }
      case 'wildcard': {
        const regexes = values.map((value) => compileWildcard(value, here));
        excluded = (v) => regexes.some((regex) => regex.test(v));
        break;
      }
      default:
        return fail(path, `Unsupported anything-but pattern: ${inner}`);
    }
    return (v) => typeof v !== 'string' || !excluded(v);
  }
  return fail(path, 'Value of anything-but must be an array or single string/number value.');
}

const ANYTHING_BUT_OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);

function stringOrStringList(value: unknown, operator: string, path: readonly string[]): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return value as string[];
  }
  return fail(path, `anything-but ${operator} match pattern must be a string or a non-empty list of strings`);
}

const LOWER_OPERATORS = new Set(['>', '>=']);
const UPPER_OPERATORS = new Set(['<', '<=']);

/**
 * numeric: ["=", n], [">"|">=", n], ["<"|"<=", n] or [">"|">=", low, "<"|"<=", high]. Comparison is
 * on the JSON number, so 300 and 300.0 (and 3.0e2) are the same value.
 */
function compileNumeric(operand: unknown, path: readonly string[]): (v: number) => boolean {
  if (!Array.isArray(operand)) fail(path, 'Value of numeric must be an array.');
  const [first, firstValue, second, secondValue, ...rest] = operand as unknown[];
  const number = (operator: unknown, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `Value of ${String(operator)} must be numeric`);
    return value;
  };
  if (typeof first !== 'string') fail(path, `Invalid member in numeric match: ${JSON.stringify(first)}`);
  if (rest.length > 0) fail(path, 'Too many terms in numeric range expression');

  if (first === '=') {
    const target = number(first, firstValue);
    if (operand.length > 2) fail(path, 'Too many elements in numeric expression');
    return (v) => v === target;
  }
  if (UPPER_OPERATORS.has(first)) {
    const top = number(first, firstValue);
    if (operand.length > 2) fail(path, 'Too many elements in numeric expression');
    return first === '<' ? (v) => v < top : (v) => v <= top;
  }
  if (!LOWER_OPERATORS.has(first)) fail(path, `Unrecognized numeric range operator: ${first}`);
  const bottom = number(first, firstValue);
  const above = first === '>' ? (v: number) => v > bottom : (v: number) => v >= bottom;
  if (operand.length === 2) return above;
  if (typeof second !== 'string' || !UPPER_OPERATORS.has(second)) {
    fail(path, `Bad numeric range operator: ${String(second)}`);
  }
  const top = number(second, secondValue);
  if (bottom >= top) fail(path, 'Bottom must be less than top');
  return second === '<' ? (v) => above(v) && v < top : (v) => above(v) && v <= top;
}

// ---------------------------------------------------------------------------------------------
// IP addresses
// ---------------------------------------------------------------------------------------------

interface Ip {
  family: 4 | 6;
  value: bigint;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): bigint | null {
  const match = IPV4.exec(text);
  if (match === null) return null;
  let value = 0n;
  for (const part of match.slice(1)) {
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.split('::').length > 2) return null;
  let groups: number[] = [];
  const toGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === null) return null;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const halves = text.split('::');
  if (halves.length === 2) {
    const head = toGroups(halves[0] as string);
    const tail = toGroups(halves[1] as string);
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = toGroups(text);
    if (all === null || all.length !== 8) return null;
    groups = all;
  }
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as the IPv4 address, as Java's InetAddress reads it. */
function parseIp(text: string): Ip | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

/**
 * cidr: the block runs from the address as written to that address with every host bit set (the
 * event-ruler range), which for the usual network address is exactly the CIDR block.
 */
function compileCidr(operand: unknown, path: readonly string[]): (v: string) => boolean {
  if (typeof operand !== 'string') fail(path, 'cidr match pattern must be a string');
  const parts = operand.split('/');
  if (parts.length !== 2) fail(path, "Malformed CIDR, one '/' required");
  const [address, maskText] = parts as [string, string];
  if (!/^\d+$/.test(maskText)) fail(path, 'Malformed CIDR, mask bits must be an integer');
  const ip = parseIp(address);
  if (ip === null) fail(path, `Invalid IP address: ${address}`);
  const width = ip.family === 4 ? 32n : 128n;
  const maskBits = BigInt(maskText);
  if (maskBits > width) fail(path, `IPv${ip.family} mask bits must be at most ${width}`);
  const hostBits = (1n << (width - maskBits)) - 1n;
  const bottom = ip.value;
  const top = ip.value | hostBits;
  return (v) => {
    const candidate = parseIp(v);
    return candidate !== null && candidate.family === ip.family && candidate.value >= bottom && candidate.value <= top;
  };
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * An object pattern against the event value at the same path. Arrays are "crushed": each element
 * is tried in turn, so fields of one nested pattern are always satisfied within a single element.
 */
function matchObject(pattern: CompiledObject, node: unknown): boolean {
  if (Array.isArray(node)) {
    // An empty array holds no fields at all: the same as the field being absent.
    if (node.length === 0) return matchObject(pattern, undefined);
    return node.some((element) => matchObject(pattern, element));
  }
  const record = isPlainObject(node) ? node : undefined;
  for (const { key, node: child } of pattern.fields) {
    const value = record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
    const ok = child.kind === 'leaf' ? matchLeaf(child.alternatives, value) : matchObject(child.object, value);
    if (!ok) return false;
  }
  for (const branches of pattern.ors) {
    if (!branches.some((branch) => matchObject(branch, node))) return false;
  }
  return true;
}

function matchLeaf(alternatives: Alternative[], value: unknown): boolean {
  const leaves = leafValues(value);
  return alternatives.some((alternative) =>
    alternative.kind === 'exists'
      ? (leaves.length > 0) === alternative.present
      : leaves.some((leaf) => alternative.test(leaf)),
  );
}

/** The leaf values at a path: the value itself, or the scalars of an (arbitrarily nested) array. */
function leafValues(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return [value];
  }
  return [];
}
