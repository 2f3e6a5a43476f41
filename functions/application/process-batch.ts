/**
 * One batch of inbound messages (EventBridge events as SQS bodies). Every message ends applied, a
 * duplicate, quarantined with its reason, or failed back to the queue:
 *
 * 1. admit: validate against the contracts; quarantine what is not an input of the tracker (an
 *    unknown detail-type, its own source, an outbound type) or comes from a source not allowed to
 *    publish registry events;
 * 2. apply registry events;
 * 3. resolve statements against the registry and record them, one issue at a time in said order,
 *    different issues side by side.
 *
 * Resolving an event's fields is pure, so whatever it throws is about the event: it is quarantined
 * with the field, since retrying cannot fix it and must not block the queue. A message that fails
 * for any other reason (throttling, network, a bug in a write) is reported failed, alone, so only
 * it is retried.
 */
import { DEFAULT_REGISTRY_SOURCES, TRACKER_SOURCE } from '../../events/common.ts';
import { CONTRACTS, detailTypes } from '../../events/catalog.ts';
import { parseEvent, type ParsedEvent } from '../../events/validation.ts';
import { ConflictingIdError, UnknownReferenceError, ValidationError, type FieldProblem, type RegistryReference } from '../core/errors.ts';
import { detailTypeOf } from '../core/identity.ts';
import { compareSaid } from '../core/positions.ts';
import { resolveStatement, toRegistryUpdate, type InboundDetail } from '../core/registry.ts';
import type { Registry, StatementRecord } from '../core/types.ts';
import type {
  Clock, EventPublisher, QuarantineReason, QuarantineRepository, RegistryRepository, RegistryWrite, TrackerRepository,
} from './ports.ts';
import { recordStatement, type RecordOutcome } from './record-statement.ts';
import { RegistryCache, type RegistryCacheOptions } from './registry-cache.ts';

export interface InboundMessage {
  messageId: string;
  /** The message body exactly as received: the EventBridge event as JSON. */
  body: string;
}

export type MessageOutcome =
  | { messageId: string; status: 'statement'; result: RecordOutcome }
  | { messageId: string; status: 'registry'; result: RegistryWrite; kind: string; id: string }
  | { messageId: string; status: 'quarantined'; reason: QuarantineReason; problems: FieldProblem[] }
  | { messageId: string; status: 'failed'; error: unknown };

export interface BatchCounts {
  received: number;
  /** New statements recorded and registry records that took effect. */
  applied: number;
  /** Statements already recorded and registry records already superseded. */
  duplicates: number;
  /** New statements said before their issue's latest one (a subset of applied). */
  late: number;
  quarantined: number;
  /** Registry events among applied and duplicates. */
  registry: number;
  failed: number;
  alertsOpened: number;
  alertsClosed: number;
  alertsWithdrawn: number;
  alertsReinstated: number;
  published: number;
}

export interface BatchReport {
  outcomes: MessageOutcome[];
  /** The messages to hand back to the queue (`batchItemFailures`). */
  failedMessageIds: string[];
  counts: BatchCounts;
}

/** The part of a logger the processor uses (Powertools' Logger fits). */
export interface Log {
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface ProcessorPorts {
  tracker: TrackerRepository;
  registry: RegistryRepository;
  quarantine: QuarantineRepository;
  publisher: EventPublisher;
  clock: Clock;
}

export interface BatchProcessorOptions {
  registryCache?: RegistryCacheOptions;
  /** Issues processed side by side within one batch. */
  issueConcurrency?: number;
  /** See RecordStatementDeps.maxRounds. */
  maxRounds?: number;
  /** Event sources allowed to publish registry events. @default DEFAULT_REGISTRY_SOURCES */
  registrySources?: readonly string[];
  log?: Log;
}

const KNOWN_DETAIL_TYPES = new Set(CONTRACTS.map((contract) => contract.detailType));
const INPUT_DETAIL_TYPES = new Set(detailTypes('inbound', 'registry'));
const REGISTRY_DETAIL_TYPES = new Set(detailTypes('registry'));
/** A detail-type is kept with its quarantined event for reading; the body holds it whole. */
const MAX_KEPT_DETAIL_TYPE = 256;

const silent: Log = { warn: () => undefined, error: () => undefined };

type Parsed = { message: InboundMessage; event: ParsedEvent };

const describeError = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };

/** Input echoed in a reason: well-formed and short, so the reason stays readable and storable. */
const quoted = (value: string): string => {
  const safe = value.toWellFormed();
  return JSON.stringify(safe.length > 64 ? `${safe.slice(0, 64)}…` : safe);
};

export type Admission =
  | { admitted: true; event: ParsedEvent; registry: boolean }
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

const unauthorisedSource = (source: string, allowed: ReadonlySet<string>): FieldProblem => ({
  field: 'source',
  reason: `${quoted(source)} may not publish registry events (allowed: ${[...allowed].map(quoted).join(', ')})`,
});

const kept = (detailType: string): string =>
  detailType.length > MAX_KEPT_DETAIL_TYPE ? `${detailType.slice(0, MAX_KEPT_DETAIL_TYPE)}…` : detailType;

/**
 * Whether a message is an input of the tracker, and if not, why: the first step of a batch, and
 * the one that accounts for events no contract describes (the catch-all rule sends them here).
 */
export const admit = (body: string, registrySources: ReadonlySet<string>): Admission => {
  const parsed = parseEvent(body);
  if (!parsed.ok) {
    const { source, detailType } = envelopeOf(body);
    const known = detailType === undefined ? undefined : KNOWN_DETAIL_TYPES.has(detailType);
    const withDetailType = detailType === undefined ? {} : { detailType: kept(detailType) };
    if (source === TRACKER_SOURCE) {
      return { admitted: false, reason: 'not-an-input', problems: [notFromTracker(), ...parsed.problems], ...withDetailType };
    }
    if (detailType !== undefined && known === false) {
      const named = parsed.problems.some((problem) => problem.field === 'detail-type');
      const problems = named
        ? parsed.problems
        : [{ field: 'detail-type', reason: `unknown detail-type ${quoted(detailType)}` }, ...parsed.problems];
      return { admitted: false, reason: 'unknown-detail-type', problems, detailType: kept(detailType) };
    }
    if (detailType !== undefined && !INPUT_DETAIL_TYPES.has(detailType)) {
      return { admitted: false, reason: 'not-an-input', problems: [publishedByTracker(detailType), ...parsed.problems], detailType };
    }
    if (source !== undefined && detailType !== undefined && REGISTRY_DETAIL_TYPES.has(detailType) && !registrySources.has(source)) {
      return { admitted: false, reason: 'unauthorised-source', problems: [unauthorisedSource(source, registrySources)], detailType };
    }
    return { admitted: false, reason: 'invalid-event', problems: parsed.problems, ...withDetailType };
  }
  const { event } = parsed;
  if (event.source === TRACKER_SOURCE) {
    return { admitted: false, reason: 'not-an-input', problems: [notFromTracker()], detailType: event.detailType };
  }
  if (!INPUT_DETAIL_TYPES.has(event.detailType)) {
    return { admitted: false, reason: 'not-an-input', problems: [publishedByTracker(event.detailType)], detailType: event.detailType };
  }
  const registry = REGISTRY_DETAIL_TYPES.has(event.detailType);
  if (registry && !registrySources.has(event.source)) {
    return { admitted: false, reason: 'unauthorised-source', problems: [unauthorisedSource(event.source, registrySources)], detailType: event.detailType };
  }
  return { admitted: true, event, registry };
};

type Resolution<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Resolution is pure: an error it throws comes from the event, never from the moment. */
const attempt = <T>(resolve: () => T): Resolution<T> => {
  try {
    return { ok: true, value: resolve() };
  } catch (error) {
    return { ok: false, error };
  }
};

const referenceKey = (reference: RegistryReference): string => `${reference.type}:${reference.id}`;

/** A problem names the field as the event spelt it: a hostile name of any length is cut, so the record of it stays small. */
const MAX_FIELD_CHARS = 256;
const MAX_REASON_CHARS = 1_024;

const cut = (text: string, max: number): string => {
  if (text.length <= max) return text;
  // Never split a surrogate pair: the cut text stays well-formed.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
};

const bounded = (problem: FieldProblem): FieldProblem => ({ field: cut(problem.field, MAX_FIELD_CHARS), reason: cut(problem.reason, MAX_REASON_CHARS) });

/** Runs `work` over `items` with at most `limit` in flight. */
const forEachLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
};

export const countOutcomes = (outcomes: readonly MessageOutcome[]): BatchCounts => {
  const counts: BatchCounts = {
    received: outcomes.length, applied: 0, duplicates: 0, late: 0, quarantined: 0, registry: 0, failed: 0,
    alertsOpened: 0, alertsClosed: 0, alertsWithdrawn: 0, alertsReinstated: 0, published: 0,
  };
  for (const outcome of outcomes) {
    switch (outcome.status) {
      case 'statement': {
        const { result } = outcome;
        if (result.history === 'recorded') counts.applied += 1;
        else counts.duplicates += 1;
        if (result.late && result.history === 'recorded') counts.late += 1;
        counts.alertsOpened += result.alerts.opened;
        counts.alertsClosed += result.alerts.closed;
        counts.alertsWithdrawn += result.alerts.withdrawn;
        counts.alertsReinstated += result.alerts.reinstated;
        counts.published += result.published;
        break;
      }
      case 'registry':
        counts.registry += 1;
        if (outcome.result === 'applied') counts.applied += 1;
        else counts.duplicates += 1;
        break;
      case 'quarantined':
        counts.quarantined += 1;
        break;
      case 'failed':
        counts.failed += 1;
        break;
    }
  }
  return counts;
};

export type BatchProcessor = (messages: readonly InboundMessage[]) => Promise<BatchReport>;

/** Holds the registry cache, so build it once per container and reuse it for every batch. */
export const createBatchProcessor = (ports: ProcessorPorts, options: BatchProcessorOptions = {}): BatchProcessor => {
  const cache = new RegistryCache(ports.registry, options.registryCache);
  const log = options.log ?? silent;
  const issueConcurrency = options.issueConcurrency ?? 4;
  const registrySources: ReadonlySet<string> = new Set(options.registrySources ?? DEFAULT_REGISTRY_SOURCES);

  return async (messages) => {
    const batchStartedMs = Date.now();
    const outcomes = new Map<string, MessageOutcome>();
    const settle = (outcome: MessageOutcome): void => {
      outcomes.set(outcome.messageId, outcome);
    };
    const fail = (messageId: string, error: unknown, context: Record<string, unknown> = {}): void => {
      log.error('message failed; it goes back to the queue', { messageId, ...context, ...describeError(error) });
      settle({ messageId, status: 'failed', error });
    };

    const quarantine = async (
      message: InboundMessage,
      reason: QuarantineReason,
      found: FieldProblem[],
      detailType?: string,
    ): Promise<void> => {
      const problems = found.map(bounded);
      try {
        await ports.quarantine.quarantine({
          body: message.body,
          messageId: message.messageId,
          reason,
          problems,
          receivedAt: ports.clock.now(),
          ...(detailType === undefined ? {} : { detailType }),
        });
        log.warn('event quarantined', { messageId: message.messageId, reason, problems });
        settle({ messageId: message.messageId, status: 'quarantined', reason, problems });
      } catch (error) {
        fail(message.messageId, error, { while: 'quarantining' });
      }
    };

    /** A field that could not be resolved: the event is kept with the field, and a bug in resolution is still shouted about. */
    const quarantineUnresolved = async (message: InboundMessage, event: ParsedEvent, error: unknown): Promise<void> => {
      if (error instanceof ValidationError) {
        await quarantine(message, 'invalid-event', [...error.problems], event.detailType);
        return;
      }
      log.error('event could not be resolved; quarantined', { messageId: message.messageId, detailType: event.detailType, ...describeError(error) });
      const reason = `could not be resolved (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`;
      await quarantine(message, 'invalid-event', [{ field: 'detail', reason: reason.toWellFormed() }], event.detailType);
    };

    const registryEvents: Parsed[] = [];
    const inputs: Parsed[] = [];
    for (const message of messages) {
      const admission = admit(message.body, registrySources);
      if (!admission.admitted) {
        await quarantine(message, admission.reason, admission.problems, admission.detailType);
        continue;
      }
      (admission.registry ? registryEvents : inputs).push({ message, event: admission.event });
    }

    // Registry first: a statement in the same batch may name an actor registered alongside it.
    let registryChanged = false;
    const failedRegistrations = new Set<string>();
    for (const { message, event } of registryEvents) {
      const resolved = attempt(() => toRegistryUpdate(event.detailType, event.detail));
      if (!resolved.ok) {
        await quarantineUnresolved(message, event, resolved.error);
        continue;
      }
      const update = resolved.value;
      try {
        const result = await ports.registry.applyUpdate(update);
        registryChanged ||= result === 'applied';
        settle({ messageId: message.messageId, status: 'registry', result, kind: update.type, id: update.record.id });
      } catch (error) {
        if (error instanceof ValidationError) {
          await quarantine(message, 'invalid-event', [...error.problems], event.detailType);
          continue;
        }
        if (update.type === 'actor' || update.type === 'speaker' || update.type === 'issue') {
          failedRegistrations.add(referenceKey({ type: update.type, id: update.record.id }));
        }
        fail(message.messageId, error, { detailType: event.detailType });
      }
    }
    if (registryChanged) cache.invalidate();

    const byIssue = new Map<string, Array<{ message: InboundMessage; statement: StatementRecord }>>();
    let loaded: Registry | undefined;
    if (inputs.length > 0) {
      try {
        loaded = await cache.get();
      } catch (error) {
        // Not the events' fault (throttling, network): fail back only the messages that need the registry.
        for (const { message, event } of inputs) fail(message.messageId, error, { detailType: event.detailType, while: 'loading the registry' });
      }
    }
    if (loaded !== undefined) {
      let registry = loaded;
      for (const { message, event } of inputs) {
        const inbound = { detailType: event.detailType, detail: event.detail } as InboundDetail;
        let resolved = attempt(() => resolveStatement(inbound, registry));
        // The cached registry may predate a registration: check against a fresh copy once.
        if (!resolved.ok && resolved.error instanceof UnknownReferenceError && !cache.loadedSince(batchStartedMs)) {
          try {
            registry = await cache.reload();
          } catch (error) {
            fail(message.messageId, error, { detailType: event.detailType, while: 'reloading the registry' });
            continue;
          }
          resolved = attempt(() => resolveStatement(inbound, registry));
        }
        if (!resolved.ok) {
          const { error } = resolved;
          if (!(error instanceof UnknownReferenceError)) await quarantineUnresolved(message, event, error);
          // A registration in this batch that failed may be the one it names: retry both rather than quarantine.
          else if (error.references.some((reference) => failedRegistrations.has(referenceKey(reference)))) {
            fail(message.messageId, error, { detailType: event.detailType, while: 'waiting for a registration that failed in this batch' });
          } else await quarantine(message, 'unknown-reference', [...error.problems], event.detailType);
          continue;
        }
        const statement = resolved.value;
        const group = byIssue.get(statement.issue);
        if (group === undefined) byIssue.set(statement.issue, [{ message, statement }]);
        else group.push({ message, statement });
      }

      await forEachLimited([...byIssue.values()], issueConcurrency, async (group) => {
        group.sort((a, b) => compareSaid(a.statement, b.statement));
        for (const { message, statement } of group) {
          try {
            const result = await recordStatement(
              { tracker: ports.tracker, publisher: ports.publisher, clock: ports.clock, ...(options.maxRounds ? { maxRounds: options.maxRounds } : {}) },
              statement,
              registry,
            );
            settle({ messageId: message.messageId, status: 'statement', result });
          } catch (error) {
            if (error instanceof ConflictingIdError) await quarantine(message, 'conflicting-id', [...error.problems], detailTypeOf(statement));
            else fail(message.messageId, error, { statementId: statement.statementId, issue: statement.issue });
          }
        }
      });
    }

    const ordered = messages.flatMap((m) => outcomes.get(m.messageId) ?? []);
    return {
      outcomes: ordered,
      failedMessageIds: ordered.filter((o) => o.status === 'failed').map((o) => o.messageId),
      counts: countOutcomes(ordered),
    };
  };
};
