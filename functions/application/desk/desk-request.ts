/**
 * A desk request (`{ "detailType", "detail" }`, what the web app's forms send) read against the same
 * contracts the processor reads the event against (events/validation.ts), so the desk refuses
 * exactly what the processor would quarantine as invalid, every problem at once and before anything
 * is sent. Fields are named inside `detail` (`quote.lang`), as the form names them; `detailType` for
 * the type itself, `body` for what is wrong with the request as a whole. Pure.
 */
import { detailTypes } from '../../../events/catalog.ts';
import { parseEvent, type FieldProblem, type ParsedEvent } from '../../../events/validation.ts';

/** What the desk may send: statements, stance changes, their corrections and retractions, registry records. */
export const DESK_DETAIL_TYPES: readonly string[] = detailTypes('inbound', 'correction', 'registry');
const REGISTRY_OR_REVISION = new Set(detailTypes('registry', 'correction'));

/** An EventBridge entry's limit; a larger body could never become one event. */
export const MAX_DESK_BODY_BYTES = 262_144;

/** The event sources the desk publishes with: statements as the desk, registry records and revisions as a source allowed to send them. */
export interface DeskSources {
  statements: string;
  registryAndRevisions: string;
}

export const sourceFor = (detailType: string, sources: DeskSources): string =>
  REGISTRY_OR_REVISION.has(detailType) ? sources.registryAndRevisions : sources.statements;

/** A request that passed: the parsed event, and its detail as received (the text that goes on the bus). */
export interface DeskEvent {
  event: ParsedEvent;
  /** The detail exactly as sent, re-serialised from the parsed JSON: strings byte for byte, no defaults added. */
  detailJson: string;
}

export type DeskRequestResult = { ok: true; value: DeskEvent } | { ok: false; problems: FieldProblem[] };

const refuse = (field: string, reason: string): DeskRequestResult => ({ ok: false, problems: [{ field, reason }] });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body's bytes as JSON: UTF-8 only (a lone surrogate or a stray byte would not reach the bus intact), within the size of one event. */
export const readDeskBody = (body: Uint8Array): { ok: true; value: unknown } | { ok: false; problems: FieldProblem[] } => {
  if (body.byteLength > MAX_DESK_BODY_BYTES) {
    return { ok: false, problems: [{ field: 'body', reason: `is larger than ${MAX_DESK_BODY_BYTES} bytes (one EventBridge entry's limit)` }] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    return { ok: false, problems: [{ field: 'body', reason: 'is not valid UTF-8' }] };
  }
  if (text.trim() === '') return { ok: false, problems: [{ field: 'body', reason: 'is empty; send { "detailType": ..., "detail": { ... } }' }] };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problems: [{ field: 'body', reason: `is not JSON (${(error as Error).message})` }] };
  }
};

/** `detail.quote.lang` → `quote.lang`; `detail-type` → `detailType`. */
const insideDetail = (problem: FieldProblem): FieldProblem => {
  if (problem.field === 'detail-type') return { ...problem, field: 'detailType' };
  if (problem.field.startsWith('detail.')) return { ...problem, field: problem.field.slice('detail.'.length) };
  return problem;
};

const envelopeProblems = (body: Record<string, unknown>): FieldProblem[] => {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'detailType' && key !== 'detail') problems.push({ field: key.toWellFormed(), reason: 'is not a field of a desk request (only detailType and detail)' });
  }
  const { detailType, detail } = body;
  if (detailType === undefined) problems.push({ field: 'detailType', reason: 'is required' });
  else if (typeof detailType !== 'string' || !DESK_DETAIL_TYPES.includes(detailType)) {
    problems.push({ field: 'detailType', reason: `must be one of ${DESK_DETAIL_TYPES.map((type) => JSON.stringify(type)).join(', ')}` });
  }
  if (detail === undefined) problems.push({ field: 'detail', reason: 'is required' });
  else if (!isObject(detail)) problems.push({ field: 'detail', reason: 'must be an object' });
  return problems;
};

/** Validates a parsed desk request; `source` is the one it will be published with (the processor's rules depend on it). */
export const parseDeskRequest = (body: unknown, sources: DeskSources): DeskRequestResult => {
  if (!isObject(body)) return refuse('body', 'must be a JSON object { "detailType": ..., "detail": { ... } }');
  const problems = envelopeProblems(body);
  if (problems.length > 0) return { ok: false, problems };
  const detailType = body['detailType'] as string;
  const parsed = parseEvent({ source: sourceFor(detailType, sources), 'detail-type': detailType, detail: body['detail'] });
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(insideDetail) };
  return { ok: true, value: { event: parsed.event, detailJson: JSON.stringify(body['detail']) } };
};
