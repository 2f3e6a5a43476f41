/**
 * Triage, the first step of a batch: which messages are inputs of the tracker (registry events,
 * statements and their revisions, validated against the contracts) and which are refused, and why:
 * an invalid event, a detail-type no contract describes (the catch-all rule sends those here too),
 * the tracker's own source, an outbound type, or a registry event, a correction or a retraction
 * from a source not allowed to publish them (events/README.md, "Who may correct"). Pure.
 */
import { TRACKER_SOURCE } from '../../../events/common.ts';
import { CONTRACTS, detailTypes } from '../../../events/catalog.ts';
import { parseEvent, type FieldProblem } from '../../../events/validation.ts';
import { isInboundEvent, isRegistryEvent, type InboundEventV1, type RegistryEventV1 } from '../contracts-v1.ts';
import { isRevisionEvent, type RevisionEventV1 } from '../corrections-v1.ts';
import type { QuarantineReason } from '../ports.ts';
import type { InboundMessage } from './outcomes.ts';

const KNOWN_DETAIL_TYPES = new Set(CONTRACTS.map((contract) => contract.detailType));
const INPUT_DETAIL_TYPES = new Set(detailTypes('inbound', 'correction', 'registry'));
/** Registry events and revisions: only the registry sources may publish them. */
const RESTRICTED_DETAIL_TYPES = new Set(detailTypes('registry', 'correction'));
const RESTRICTED_REVISION_TYPES = new Set(detailTypes('correction'));
/** A detail-type is kept with its quarantined event for reading; the body holds it whole. */
const MAX_KEPT_DETAIL_TYPE = 256;

/** Input echoed in a reason: well-formed and short, so the reason stays readable and storable. */
const quoted = (value: string): string => {
  const safe = value.toWellFormed();
  return JSON.stringify(safe.length > 64 ? `${safe.slice(0, 64)}…` : safe);
};

export type Admission =
  | { admitted: true; event: RegistryEventV1; kind: 'registry' }
  | { admitted: true; event: RevisionEventV1; kind: 'revision' }
  | { admitted: true; event: InboundEventV1; kind: 'statement' }
  | { admitted: false; reason: QuarantineReason; problems: FieldProblem[]; detailType?: string };

/** The envelope fields of a body that failed validation, read only as far as they are strings. */
const envelopeOf = (body: string): { source?: string; detailType?: string } => {
  try {
    const raw: unknown = JSON.parse(body);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
    const { source, 'detail-type': detailType } = raw as Record<string, unknown>;
    return {
      ...(typeof source === 'string' && source.isWellFormed() ? { source } : {}),
      ...(typeof detailType === 'string' && detailType.isWellFormed() ? { detailType } : {}),
    };
  } catch {
    return {};
  }
};

const notFromTracker = (): FieldProblem => ({
  field: 'source',
  reason: `'${TRACKER_SOURCE}' is the tracker's own source; its events are outputs, not inputs`,
});

const publishedByTracker = (detailType: string): FieldProblem => ({
  field: 'detail-type',
  reason: `'${detailType}' is an event the tracker publishes, not one it consumes`,
});

const unauthorisedSource = (source: string, allowed: ReadonlySet<string>, what = 'registry events'): FieldProblem => ({
  field: 'source',
  reason: `${quoted(source)} may not publish ${what} (allowed: ${[...allowed].map(quoted).join(', ')})`,
});

const REVISIONS = 'corrections or retractions';

const kept = (detailType: string): string =>
  detailType.length > MAX_KEPT_DETAIL_TYPE ? `${detailType.slice(0, MAX_KEPT_DETAIL_TYPE)}…` : detailType;

/** Why a body that does not validate is refused: the most specific reason its envelope allows. */
const refuseInvalid = (body: string, problems: FieldProblem[], registrySources: ReadonlySet<string>): Admission => {
  const { source, detailType } = envelopeOf(body);
  const withDetailType = detailType === undefined ? {} : { detailType: kept(detailType) };
  if (source === TRACKER_SOURCE) {
    return { admitted: false, reason: 'not-an-input', problems: [notFromTracker(), ...problems], ...withDetailType };
  }
  if (detailType === undefined) return { admitted: false, reason: 'invalid-event', problems };
  if (!KNOWN_DETAIL_TYPES.has(detailType)) {
    const named = problems.some((problem) => problem.field === 'detail-type');
    const all = named ? problems : [{ field: 'detail-type', reason: `unknown detail-type ${quoted(detailType)}` }, ...problems];
    return { admitted: false, reason: 'unknown-detail-type', problems: all, detailType: kept(detailType) };
  }
  if (!INPUT_DETAIL_TYPES.has(detailType)) {
    return { admitted: false, reason: 'not-an-input', problems: [publishedByTracker(detailType), ...problems], detailType };
  }
  if (source !== undefined && RESTRICTED_DETAIL_TYPES.has(detailType) && !registrySources.has(source)) {
    const what = RESTRICTED_REVISION_TYPES.has(detailType) ? REVISIONS : undefined;
    return { admitted: false, reason: 'unauthorised-source', problems: [unauthorisedSource(source, registrySources, what)], detailType };
  }
  return { admitted: false, reason: 'invalid-event', problems, detailType };
};

/** Whether one message is an input of the tracker, and if not, why. */
export const admit = (body: string, registrySources: ReadonlySet<string>): Admission => {
  const parsed = parseEvent(body);
  if (!parsed.ok) return refuseInvalid(body, parsed.problems, registrySources);
  const { event } = parsed;
  if (event.source === TRACKER_SOURCE) {
    return { admitted: false, reason: 'not-an-input', problems: [notFromTracker()], detailType: event.detailType };
  }
  if (isRegistryEvent(event)) {
    if (!registrySources.has(event.source)) {
      return { admitted: false, reason: 'unauthorised-source', problems: [unauthorisedSource(event.source, registrySources)], detailType: event.detailType };
    }
    return { admitted: true, event, kind: 'registry' };
  }
  if (isRevisionEvent(event)) {
    if (!registrySources.has(event.source)) {
      return { admitted: false, reason: 'unauthorised-source', problems: [unauthorisedSource(event.source, registrySources, REVISIONS)], detailType: event.detailType };
    }
    return { admitted: true, event, kind: 'revision' };
  }
  if (isInboundEvent(event)) return { admitted: true, event, kind: 'statement' };
  return { admitted: false, reason: 'not-an-input', problems: [publishedByTracker(event.detailType)], detailType: event.detailType };
};

export interface Admitted<E> {
  message: InboundMessage;
  event: E;
}

export interface Refusal {
  message: InboundMessage;
  reason: QuarantineReason;
  problems: FieldProblem[];
  detailType?: string;
}

export interface Triage {
  registryEvents: Array<Admitted<RegistryEventV1>>;
  statements: Array<Admitted<InboundEventV1>>;
  revisions: Array<Admitted<RevisionEventV1>>;
  refused: Refusal[];
}

/** Sorts a batch into registry events, statements, revisions and refusals, each in the order it came. */
export const triage = (messages: readonly InboundMessage[], registrySources: ReadonlySet<string>): Triage => {
  const sorted: Triage = { registryEvents: [], statements: [], revisions: [], refused: [] };
  for (const message of messages) {
    const admission = admit(message.body, registrySources);
    if (!admission.admitted) {
      const { reason, problems, detailType } = admission;
      sorted.refused.push({ message, reason, problems, ...(detailType === undefined ? {} : { detailType }) });
    } else if (admission.kind === 'registry') sorted.registryEvents.push({ message, event: admission.event });
    else if (admission.kind === 'revision') sorted.revisions.push({ message, event: admission.event });
    else sorted.statements.push({ message, event: admission.event });
  }
  return sorted;
};
