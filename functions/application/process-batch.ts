/**
 * One batch of inbound messages (EventBridge events as SQS bodies): validate each against the
 * contracts, keep the invalid ones in quarantine with their reasons (they succeed: retrying cannot
 * fix them, and they must not block the queue), apply registry events, then record statements,
 * one issue at a time in said order, different issues side by side. A message that fails for any
 * other reason (throttling, network, a bug) is reported failed, alone, so only it is retried.
 */
import { TRACKER_SOURCE } from '../../events/common.ts';
import { detailTypes } from '../../events/catalog.ts';
import { parseEvent, type ParsedEvent } from '../../events/validation.ts';
import { UnknownReferenceError, type FieldProblem } from '../core/errors.ts';
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
  log?: Log;
}

const INPUT_DETAIL_TYPES = new Set(detailTypes('inbound', 'registry'));
const REGISTRY_DETAIL_TYPES = new Set(detailTypes('registry'));

const silent: Log = { warn: () => undefined, error: () => undefined };

type Parsed = { message: InboundMessage; event: ParsedEvent };

const describeError = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };

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
      problems: FieldProblem[],
      detailType?: string,
    ): Promise<void> => {
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

    const registryEvents: Parsed[] = [];
    const inputs: Parsed[] = [];
    for (const message of messages) {
      const parsed = parseEvent(message.body);
      if (!parsed.ok) {
        await quarantine(message, 'invalid-event', parsed.problems);
        continue;
      }
      const { event } = parsed;
      if (!INPUT_DETAIL_TYPES.has(event.detailType) || event.source === TRACKER_SOURCE) {
        const field = event.source === TRACKER_SOURCE ? 'source' : 'detail-type';
        const reason = event.source === TRACKER_SOURCE
          ? `'${TRACKER_SOURCE}' is the tracker's own source; its events are outputs, not inputs`
          : `'${event.detailType}' is an event the tracker publishes, not one it consumes`;
        await quarantine(message, 'not-an-input', [{ field, reason }], event.detailType);
        continue;
      }
      (REGISTRY_DETAIL_TYPES.has(event.detailType) ? registryEvents : inputs).push({ message, event });
    }

    // Registry first: a statement in the same batch may name an actor registered alongside it.
    let registryChanged = false;
    let registryFailed = false;
    for (const { message, event } of registryEvents) {
      try {
        const update = toRegistryUpdate(event.detailType, event.detail);
        const result = await ports.registry.applyUpdate(update);
        registryChanged ||= result === 'applied';
        settle({ messageId: message.messageId, status: 'registry', result, kind: update.type, id: update.record.id });
      } catch (error) {
        registryFailed = true;
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
        let statement: StatementRecord | undefined;
        const inbound = { detailType: event.detailType, detail: event.detail } as InboundDetail;
        try {
          try {
            statement = resolveStatement(inbound, registry);
          } catch (error) {
            // The cached registry may predate a registration: check against a fresh copy once.
            if (!(error instanceof UnknownReferenceError) || cache.loadedSince(batchStartedMs)) throw error;
            registry = await cache.reload();
            statement = resolveStatement(inbound, registry);
          }
        } catch (error) {
          // A registration in this batch that failed may be the one it names: retry both rather than quarantine.
          if (error instanceof UnknownReferenceError && !registryFailed) await quarantine(message, 'unknown-reference', [...error.problems], event.detailType);
          else fail(message.messageId, error, { detailType: event.detailType });
          continue;
        }
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
            fail(message.messageId, error, { statementId: statement.statementId, issue: statement.issue });
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
