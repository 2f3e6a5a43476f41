/**
 * An in-process stand-in for an EventBridge event bus: PutEvents in, rules with event patterns,
 * targets invoked asynchronously. It reproduces what callers can observe of the real service -
 * request limits, per-entry errors, the event envelope - so code that runs against it locally
 * behaves the same against AWS.
 */
import { randomUUID } from 'node:crypto';
import { compileEventPattern, type EventMatcher } from './event-pattern.ts';

/** A PutEvents request entry, as the AWS API (and SDK v3's `PutEventsRequestEntry`) shapes it. */
export interface PutEventsEntry {
  Source?: string | undefined;
  DetailType?: string | undefined;
  /** A JSON object, serialised. */
  Detail?: string | undefined;
  Time?: Date | undefined;
  Resources?: string[] | undefined;
  EventBusName?: string | undefined;
  TraceHeader?: string | undefined;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  FailedEntryCount: number;
  /** One per request entry, in request order. */
  Entries: PutEventsResultEntry[];
}

/** The event a rule target receives, as EventBridge delivers it. */
export interface EventBridgeEvent<TDetail = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 in UTC with seconds precision, e.g. 2026-01-06T10:00:00Z. */
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}

export type RuleTarget = (event: EventBridgeEvent) => Promise<void> | void;

export interface LocalRule {
  name: string;
  pattern: Record<string, unknown>;
  target: RuleTarget;
}

export interface TargetErrorContext {
  rule: string;
  event: EventBridgeEvent;
}

export interface LocalEventBusOptions {
  region?: string;
  account?: string;
  /**
   * Upper bound on the summed entry sizes of one PutEvents request. AWS raised it from 256 KB to
   * 1 MB on 2026-01-29; pass 262_144 to reproduce the old limit.
   */
  maxRequestBytes?: number;
  /**
   * Upper bound on one entry's size; a larger entry fails alone (InvalidArgument) and the others
   * are put. AWS has no such per-entry code today (an entry may use the whole request limit);
   * the default is the tracker's documented 256 KB entry limit, stricter than AWS so a publisher
   * that works locally also works in AWS. Pass 1_048_576 to mimic AWS exactly.
   */
  maxEntryBytes?: number;
  /**
   * Sources only the bus's owner may publish with (the tracker's own, `position-tracker`, in the
   * runtime): PutEvents refuses an entry with one of them, alone, as AWS does for a caller without
   * permission for the source (`NotAuthorizedForSourceException`), unless the call is made with
   * `{ mayUseReservedSources: true }`, which only the tracker's in-process publisher does. So
   * subscribers can trust that an event with that source comes from the tracker.
   */
  reservedSources?: readonly string[];
  /** Called when a target throws or rejects; by default the failure is written to stderr. */
  onTargetError?: (error: unknown, context: TargetErrorContext) => void;
  /** Clock for events put without a Time. */
  now?: () => Date;
}

/** Entries per PutEvents request. */
export const MAX_ENTRIES_PER_REQUEST = 10;
/** "PutEvents will only process nested JSON up to 1000 levels deep" (PutEvents API reference). */
export const MAX_DETAIL_DEPTH = 1_000;

export interface PutEventsCaller {
  /** True only for the bus owner's own in-process publisher (see `reservedSources`). */
  mayUseReservedSources?: boolean;
}
/** The PutEvents request size limit since 2026-01-29 (1 MB; exactly 1,048,576 bytes is accepted). */
export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
/** The limit before 2026-01-29. */
export const LEGACY_MAX_REQUEST_BYTES = 262_144;
/** The tracker's documented limit on one entry (see `maxEntryBytes`). */
export const DEFAULT_MAX_ENTRY_BYTES = 262_144;

/**
 * A request-level failure, thrown (rejected) by `putEvents` as the service returns it: the whole
 * request is refused and no entry is put. `name` is the AWS error code.
 */
export class EventBridgeServiceError extends Error {
  constructor(
    override readonly name: 'ValidationException',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Entry size as AWS documents it ("Calculating PutEvents event entry size"): UTF-8 bytes of
 * Source, DetailType, Detail and each Resources entry, plus 14 bytes when Time is set.
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  size += Buffer.byteLength(entry.Source ?? '', 'utf8');
  size += Buffer.byteLength(entry.DetailType ?? '', 'utf8');
  size += Buffer.byteLength(entry.Detail ?? '', 'utf8');
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, 'utf8');
  return size;
}

/** Seconds precision, as EventBridge stamps `time`. */
function formatEventTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface RegisteredRule {
  name: string;
  matches: EventMatcher;
  target: RuleTarget;
}

interface PreparedEntry {
  event: EventBridgeEvent;
  observed: Array<{ listener: (event: EventBridgeEvent) => void; copy: EventBridgeEvent }>;
  targets: Array<{ rule: RegisteredRule; copy: EventBridgeEvent }>;
}

export class LocalEventBus {
  readonly region: string;
  readonly account: string;
  readonly maxRequestBytes: number;
  readonly maxEntryBytes: number;
  readonly reservedSources: ReadonlySet<string>;
  private readonly onTargetError: (error: unknown, context: TargetErrorContext) => void;
  private readonly now: () => Date;
  private readonly rules = new Map<string, RegisteredRule>();
  private readonly listeners = new Set<(event: EventBridgeEvent) => void>();
  private readonly pending = new Set<Promise<void>>();

  constructor(options: LocalEventBusOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '000000000000';
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    this.reservedSources = new Set(options.reservedSources ?? []);
    this.onTargetError = options.onTargetError ?? defaultTargetErrorHandler;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Adds a rule, or replaces the rule of the same name (PutRule semantics). Throws
   * InvalidEventPatternError for a pattern EventBridge would reject.
   */
  addRule(rule: LocalRule): void {
    const matches = compileEventPattern(rule.pattern);
    this.rules.set(rule.name, { name: rule.name, matches, target: rule.target });
  }

  removeRule(name: string): boolean {
    return this.rules.delete(name);
  }

  ruleNames(): string[] {
    return [...this.rules.keys()];
  }

  /** Observes every accepted event (after validation, before delivery). Returns the unsubscribe. */
  subscribe(listener: (event: EventBridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * PutEvents. Resolves with one result entry per request entry once every entry is accepted or
   * refused; matching targets run later, as on the real bus. Rejects with EventBridgeServiceError
   * when the request as a whole is invalid (entry count, total size); an entry over
   * `maxEntryBytes`, nested too deep or with a reserved source is refused alone.
   *
   * Every entry is checked, and the event each target will receive prepared, before any is
   * delivered: an entry that cannot be taken fails on its own and never leaves the request half
   * delivered (a caller retrying the request would deliver the other entries twice).
   */
  async putEvents(entries: readonly PutEventsEntry[], caller: PutEventsCaller = {}): Promise<PutEventsResult> {
    validateRequest(entries, this.maxRequestBytes);

    const prepared = entries.map((entry) => this.prepare(entry, caller));
    const results: PutEventsResultEntry[] = [];
    let failed = 0;
    for (const outcome of prepared) {
      if ('error' in outcome) {
        failed++;
        results.push(outcome.error);
        continue;
      }
      this.deliver(outcome);
      results.push({ EventId: outcome.event.id });
    }
    return { FailedEntryCount: failed, Entries: results };
  }

  /** Target calls dispatched and not yet settled. */
  get pendingDeliveries(): number {
    return this.pending.size;
  }

  /** Resolves once every target call dispatched so far - and any they caused - has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }

  /** The event and a copy of it for each observer and matching rule, or why the entry is refused. */
  private prepare(entry: PutEventsEntry, caller: PutEventsCaller): PreparedEntry | { error: PutEventsResultEntry } {
    const checked = validateEntry(entry, this.maxEntryBytes);
    if (!checked.ok) return { error: checked.error };
    if (entry.Source !== undefined && this.reservedSources.has(entry.Source) && caller.mayUseReservedSources !== true) {
      return {
        error: {
          ErrorCode: 'NotAuthorizedForSourceException',
          ErrorMessage: `You do not have permissions to publish events with this source onto this event bus: '${entry.Source}' is reserved for the tracker.`,
        },
      };
    }
    try {
      const event: EventBridgeEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: this.account,
        time: formatEventTime(entry.Time ?? this.now()),
        region: this.region,
        resources: [...(entry.Resources ?? [])],
        detail: checked.detail,
      };
      // Each target gets its own copy, as each real target receives its own serialised event.
      const observed = [...this.listeners].map((listener) => ({ listener, copy: structuredClone(event) }));
      const targets = [...this.rules.values()].filter((rule) => rule.matches(event)).map((rule) => ({ rule, copy: structuredClone(event) }));
      return { event, observed, targets };
    } catch (error) {
      // Validation should leave nothing that cannot be copied or matched; if it did, refuse the entry, retryably, as the service would.
      return { error: { ErrorCode: 'InternalFailure', ErrorMessage: `The entry could not be processed: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }

  private deliver({ observed, targets }: PreparedEntry): void {
    for (const { listener, copy } of observed) {
      try {
        listener(copy);
      } catch (error) {
        // An observer (console output) must never turn an accepted entry into a failed request.
        console.error('[local-bus] event listener failed:', error);
      }
    }
    for (const { rule, copy } of targets) this.dispatch(rule, copy);
  }

  private dispatch(rule: RegisteredRule, delivered: EventBridgeEvent): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => rule.target(delivered))
      .then(undefined, (error: unknown) => {
        try {
          this.onTargetError(error, { rule: rule.name, event: delivered });
        } catch (hookError) {
          console.error(`[local-bus] onTargetError failed for rule ${rule.name}:`, hookError);
        }
      });
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }
}

function defaultTargetErrorHandler(error: unknown, context: TargetErrorContext): void {
  console.error(`[local-bus] target of rule ${context.rule} failed for event ${context.event.id}:`, error);
}

/** Request-level checks, in the order the service applies them. */
function validateRequest(entries: readonly PutEventsEntry[], maxRequestBytes: number): void {
  if (entries.length < 1) {
    throw new EventBridgeServiceError(
      'ValidationException',
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES_PER_REQUEST) {
    throw new EventBridgeServiceError(
      'ValidationException',
      `1 validation error detected: Value '[${entries.map(describeEntry).join(', ')}]' at 'entries' ` +
        `failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES_PER_REQUEST}`,
    );
  }
  const total = entries.reduce((sum, entry) => sum + putEventsEntrySize(entry), 0);
  if (total > maxRequestBytes) {
    throw new EventBridgeServiceError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
}

/** The service echoes the request entries in its Java toString form in the >10 entries message. */
function describeEntry(entry: PutEventsEntry): string {
  const show = (value: string | undefined): string => value ?? 'null';
  const resources = entry.Resources === undefined ? 'null' : `[${entry.Resources.join(', ')}]`;
  const time = entry.Time === undefined ? 'null' : entry.Time.toISOString();
  return (
    `PutEventsRequestEntry(time=${time}, source=${show(entry.Source)}, resources=${resources}, ` +
    `detailType=${show(entry.DetailType)}, detail=${show(entry.Detail)}, eventBusName=${show(entry.EventBusName)}, ` +
    `traceHeader=${show(entry.TraceHeader)}, kmsKeyIdentifier=null, internalMetadata=null)`
  );
}

type EntryCheck =
  | { ok: true; detail: Record<string, unknown> }
  | { ok: false; error: { ErrorCode: string; ErrorMessage: string } };

/** Per-entry checks: a refused entry gets an error result and the others still go through. */
function validateEntry(entry: PutEventsEntry, maxEntryBytes: number): EntryCheck {
  for (const parameter of ['Source', 'DetailType', 'Detail'] as const) {
    const value = entry[parameter];
    if (value === undefined || value === '') {
      return {
        ok: false,
        error: {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${parameter} is a required argument.`,
        },
      };
    }
  }
  if (entry.Time !== undefined && Number.isNaN(entry.Time.getTime())) {
    return {
      ok: false,
      error: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid. Reason: Time is not a valid timestamp.' },
    };
  }
  const size = putEventsEntrySize(entry);
  if (size > maxEntryBytes) {
    return {
      ok: false,
      error: {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter Entry is not valid. Reason: the entry is ${size} bytes, over the limit of ${maxEntryBytes} bytes per entry.`,
      },
    };
  }
  const malformed: EntryCheck = { ok: false, error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
  const depth = jsonDepth(entry.Detail as string);
  if (depth > MAX_DETAIL_DEPTH) {
    return {
      ok: false,
      error: {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter Detail is not valid. Reason: Detail nests ${depth} levels deep, over the limit of ${MAX_DETAIL_DEPTH}.`,
      },
    };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return malformed;
  }
  // Only a JSON object is a valid Detail: arrays, strings and numbers are malformed.
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return malformed;
  return { ok: true, detail: detail as Record<string, unknown> };
}

/**
 * How deep the objects and arrays of JSON text nest, counted without parsing (iteratively, so a
 * hostile depth cannot exhaust the stack). Meaningful for valid JSON; invalid JSON is refused by
 * the parse that follows.
 */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return deepest;
}
