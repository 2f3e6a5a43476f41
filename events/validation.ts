/**
 * Validation of events as a consumer receives them (Lambda target, SQS body, local bus), against
 * the contracts of `catalog.ts`. Nothing here throws on bad input: every defect comes back as a
 * `FieldProblem` naming the dotted field (`detail.quote.lang`) and a reason a desk editor can act on,
 * so a rejected event can be parked with its explanation instead of crashing a batch.
 */
import type * as z from './zod.ts';
import { CONTRACTS, findContract } from './catalog.ts';
import type { StanceChangedV1 } from './inbound/stance-changed.v1.ts';
import type { StatementCorrectedV1 } from './inbound/statement-corrected.v1.ts';
import type { StatementRecordedV1 } from './inbound/statement-recorded.v1.ts';
import type { StatementRetractedV1 } from './inbound/statement-retracted.v1.ts';
import type { PositionsConvergedV1, PositionsDivergedV1 } from './outbound/divergence-alert.v1.ts';
import type { PositionChangedV1 } from './outbound/position-changed.v1.ts';
import type { StatementRevisedV1 } from './outbound/statement-revised.v1.ts';
import type {
  ActorRegisteredV1, BlocRegisteredV1, IssueRegisteredV1, SpeakerRegisteredV1, WatchRegisteredV1,
} from './registry/registry-events.v1.ts';

/** One defect of an event: the dotted field at fault (`detail.quote.lang`) and why. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** The typed detail of each detail-type, after validation (defaults applied). */
export interface DetailByType {
  'Statement Recorded': StatementRecordedV1;
  'Stance Changed': StanceChangedV1;
  'Statement Corrected': StatementCorrectedV1;
  'Statement Retracted': StatementRetractedV1;
  'Actor Registered': ActorRegisteredV1;
  'Speaker Registered': SpeakerRegisteredV1;
  'Issue Registered': IssueRegisteredV1;
  'Bloc Registered': BlocRegisteredV1;
  'Watch Registered': WatchRegisteredV1;
  'Position Changed': PositionChangedV1;
  'Positions Diverged': PositionsDivergedV1;
  'Positions Converged': PositionsConvergedV1;
  'Statement Revised': StatementRevisedV1;
}
export type DetailType = keyof DetailByType;

export type ParsedEvent = {
  [K in DetailType]: {
    detailType: K;
    schemaVersion: string;
    source: string;
    /** EventBridge event id and time, when the envelope carries them (for tracing only). */
    id?: string;
    time?: string;
    detail: DetailByType[K];
  };
}[DetailType];

export type ParseResult = { ok: true; event: ParsedEvent } | { ok: false; problems: FieldProblem[] };

/** Past this depth an event is not a plausible contract, and walking it further risks the stack. */
const MAX_DEPTH = 64;
/** Enough to explain a broken event without producing an unbounded report. */
const MAX_PROBLEMS = 50;

const KNOWN_DETAIL_TYPES: readonly string[] = [...new Set(CONTRACTS.map((c) => c.detailType))];

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Echoes of input in a reason must themselves be loggable: short and well-formed. */
const echo = (value: string): string => {
  const safe = value.toWellFormed();
  return JSON.stringify(safe.length > 64 ? `${safe.slice(0, 64)}…` : safe);
};

const joinPath = (base: string, key: string | number): string => {
  const segment = String(key).toWellFormed();
  return base === '' ? segment : `${base}.${segment}`;
};

/**
 * Where a value sits in the event, kept as a chain of keys and spelled out (with `joinPath`) only
 * when a problem is reported: most events have none, and spelling every field's path would cost a
 * string per field on every event.
 */
type PathChain = { parent: PathChain; key: string | number } | undefined;

const pathText = (chain: PathChain): string => (chain === undefined ? '' : joinPath(pathText(chain.parent), chain.key));

/**
 * Finds what a JSON text can carry and UTF-8, EventBridge and DynamoDB cannot carry faithfully:
 * lone surrogates in strings or keys (a `\ud800` escape), non-finite numbers (`1e999` parses as
 * Infinity), nesting past MAX_DEPTH. Input is JSON data, what JSON.parse returns (an SQS body is a
 * string): bigints, functions, class instances and cycles never get this far, and a cycle handed in
 * anyway ends at the depth limit.
 */
const findUnfaithfulJson = (value: unknown, path: PathChain, problems: FieldProblem[], depth = 0): void => {
  if (problems.length >= MAX_PROBLEMS) return;
  const field = (): string => {
    const text = pathText(path);
    return text === '' ? 'event' : text;
  };
  if (typeof value === 'string') {
    if (!value.isWellFormed()) problems.push({ field: field(), reason: 'contains a lone UTF-16 surrogate (not valid Unicode text)' });
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push({ field: field(), reason: 'is not a finite number (not representable in JSON)' });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_DEPTH) {
    problems.push({ field: field(), reason: `nests deeper than ${MAX_DEPTH} levels` });
    return;
  }
  const isArray = Array.isArray(value);
  for (const [key, inner] of Object.entries(value)) {
    if (!key.isWellFormed()) {
      problems.push({ field: joinPath(pathText(path), key), reason: 'has a field name with a lone UTF-16 surrogate' });
    }
    findUnfaithfulJson(inner, { parent: path, key: isArray ? Number(key) : key }, problems, depth + 1);
  }
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown => {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return typeof value;
  }
};

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

/** Zod's own messages start like this; messages written in the contracts (lower case) are kept as they are. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

const plural = (count: number | bigint, word: string): string => `${count} ${word}${count === 1 || count === 1n ? '' : 's'}`;

const reasonFor = (issue: z.core.$ZodIssue, detail: unknown): string => {
  const value = valueAt(detail, issue.path);
  if (issue.code === 'invalid_type' && value === undefined) return 'is required';
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(value)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small': {
      const bound = issue.inclusive === false ? 'more than' : 'at least';
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${plural(issue.minimum, 'item')}`;
      if (issue.origin === 'string') return `must be ${bound} ${plural(issue.minimum, 'character')} long`;
      return `must be ${bound} ${issue.minimum}`;
    }
    case 'too_big': {
      const bound = issue.inclusive === false ? 'fewer than' : 'at most';
      if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${plural(issue.maximum, 'item')}`;
      if (issue.origin === 'string') return `must be ${bound} ${plural(issue.maximum, 'character')} long`;
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`;
    }
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map(echo).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed forms';
    default:
      return issue.message;
  }
};

const toProblems = (error: z.core.$ZodError, detail: unknown): FieldProblem[] =>
  error.issues.slice(0, MAX_PROBLEMS).map((issue) => ({
    field: ['detail', ...issue.path.map((key) => String(key).toWellFormed())].join('.'),
    reason: reasonFor(issue, detail),
  }));

const readEnvelope = (raw: unknown): { envelope?: Record<string, unknown>; problems: FieldProblem[] } => {
  let candidate = raw;
  // An SQS consumer holds the event as the message body, a JSON string.
  if (typeof raw === 'string') {
    try {
      candidate = JSON.parse(raw);
    } catch {
      return { problems: [{ field: 'event', reason: 'is a string that is not valid JSON' }] };
    }
  }
  if (!isPlainObject(candidate)) {
    return { problems: [{ field: 'event', reason: `must be an EventBridge event object, got ${describeValue(candidate)}` }] };
  }
  const problems: FieldProblem[] = [];
  findUnfaithfulJson(candidate, undefined, problems);
  return problems.length > 0 ? { problems } : { envelope: candidate, problems };
};

const parseUnsafe = (raw: unknown): ParseResult => {
  const { envelope, problems } = readEnvelope(raw);
  if (!envelope) return { ok: false, problems };

  const detailType = envelope['detail-type'];
  if (detailType === undefined) {
    problems.push({ field: 'detail-type', reason: 'is required' });
  } else if (typeof detailType !== 'string') {
    problems.push({ field: 'detail-type', reason: `must be a string, got ${describeValue(detailType)}` });
  } else if (!KNOWN_DETAIL_TYPES.includes(detailType)) {
    problems.push({
      field: 'detail-type',
      reason: `unknown detail-type ${echo(detailType)} (expected one of ${KNOWN_DETAIL_TYPES.map((t) => JSON.stringify(t)).join(', ')})`,
    });
  }

  const source = envelope['source'];
  if (source === undefined) problems.push({ field: 'source', reason: 'is required' });
  else if (typeof source !== 'string' || source === '') problems.push({ field: 'source', reason: 'must be a non-empty string' });

  let detail = envelope['detail'];
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      problems.push({ field: 'detail', reason: 'is a string that is not valid JSON' });
      return { ok: false, problems };
    }
    // JSON text may spell a lone surrogate as an escape (\ud800) that only shows once parsed.
    findUnfaithfulJson(detail, { parent: undefined, key: 'detail' }, problems);
  }
  if (detail === undefined) problems.push({ field: 'detail', reason: 'is required' });
  else if (!isPlainObject(detail)) problems.push({ field: 'detail', reason: `must be an object (or a JSON string of one), got ${describeValue(detail)}` });

  if (problems.length > 0 || typeof detailType !== 'string' || typeof source !== 'string' || !isPlainObject(detail)) {
    return { ok: false, problems };
  }

  const version = detail['schemaVersion'];
  if (version === undefined) return { ok: false, problems: [{ field: 'detail.schemaVersion', reason: 'is required' }] };
  const known = CONTRACTS.filter((c) => c.detailType === detailType).map((c) => JSON.stringify(c.version));
  const contract = typeof version === 'string' ? findContract(detailType, version) : undefined;
  if (!contract) {
    const given = typeof version === 'string' ? echo(version) : describeValue(version);
    return {
      ok: false,
      problems: [{ field: 'detail.schemaVersion', reason: `unknown schema version ${given} for ${JSON.stringify(detailType)} (known: ${known.join(', ')})` }],
    };
  }

  const result = contract.schema.safeParse(detail);
  if (!result.success) return { ok: false, problems: toProblems(result.error, detail) };

  const id = envelope['id'];
  const time = envelope['time'];
  const event = {
    detailType,
    schemaVersion: contract.version,
    source,
    ...(typeof id === 'string' ? { id } : {}),
    ...(typeof time === 'string' ? { time } : {}),
    detail: result.data,
  } as ParsedEvent;
  return { ok: true, event };
};

/**
 * Validates one EventBridge event (`{ 'detail-type', source, detail, ... }`; `detail` as an object
 * or a JSON string; the whole event may also be the JSON string of an SQS body, which is what the
 * processor hands in). An object is taken as JSON data, as JSON.parse returns it.
 */
export const parseEvent = (raw: unknown): ParseResult => {
  try {
    return parseUnsafe(raw);
  } catch (error) {
    // Proxies and getters can throw while being read; that is a bad event, not a crashed batch.
    const reason = error instanceof Error ? error.message.toWellFormed() : 'unreadable';
    return { ok: false, problems: [{ field: 'event', reason: `could not be read (${reason})` }] };
  }
};
