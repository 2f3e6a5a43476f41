/**
 * Resolution, the third step of a batch: each statement's detail translated into what its
 * publisher reported, then resolved against the registry (names and aliases to ids, the actor from
 * the speaker). What cannot be resolved is the event's fault and is quarantined with the field,
 * unless a registration that failed in this batch may be what it names: then both are retried.
 */
import { AmbiguousReferenceError, UnresolvedReferenceError } from '../../core/errors.ts';
import { referenceKey, resolveStatement } from '../../core/resolution.ts';
import type { Registry, StatementRecord } from '../../core/types.ts';
import { toReportedStatement, type InboundEventV1 } from '../contracts-v1.ts';
import type { RegistryCache } from '../registry-cache.ts';
import { attempt, type BatchLedger } from './ledger.ts';
import type { InboundMessage } from './outcomes.ts';
import type { Admitted } from './triage.ts';

export interface ResolvedStatement {
  message: InboundMessage;
  statement: StatementRecord;
}

/** The statements resolved, and the registry they were resolved against (the one to record them with). */
export interface ResolvedBatch {
  registry: Registry;
  statements: ResolvedStatement[];
}

export interface ResolutionContext {
  cache: RegistryCache;
  /** When the batch started: a registry loaded since then cannot predate a registration it names. */
  batchStartedMs: number;
  failedReferences: ReadonlySet<string>;
}

const settleUnresolved = async (
  { message, event }: Admitted<InboundEventV1>,
  error: unknown,
  failedReferences: ReadonlySet<string>,
  ledger: BatchLedger,
): Promise<void> => {
  if (!(error instanceof UnresolvedReferenceError)) {
    await ledger.quarantineUnresolved(message, event.detailType, error);
  } else if (error.references.some((reference) => failedReferences.has(referenceKey(reference)))) {
    ledger.fail(message.messageId, error, { detailType: event.detailType, while: 'waiting for a registration that failed in this batch' });
  } else {
    const reason = error instanceof AmbiguousReferenceError ? 'ambiguous-reference' : 'unknown-reference';
    await ledger.quarantine(message, reason, error.problems, event.detailType);
  }
};

export const resolveStatements = async (
  inputs: ReadonlyArray<Admitted<InboundEventV1>>,
  { cache, batchStartedMs, failedReferences }: ResolutionContext,
  ledger: BatchLedger,
): Promise<ResolvedBatch | undefined> => {
  if (inputs.length === 0) return undefined;
  let registry: Registry;
  try {
    registry = await cache.get();
  } catch (error) {
    // Not the events' fault (throttling, network): fail back only the messages that need the registry.
    for (const { message, event } of inputs) ledger.fail(message.messageId, error, { detailType: event.detailType, while: 'loading the registry' });
    return undefined;
  }
  const statements: ResolvedStatement[] = [];
  for (const input of inputs) {
    const { message, event } = input;
    const reported = attempt(() => toReportedStatement(event));
    if (!reported.ok) {
      await ledger.quarantineUnresolved(message, event.detailType, reported.error);
      continue;
    }
    let resolved = attempt(() => resolveStatement(reported.value, registry));
    // The cached registry may predate a registration: check against a fresh copy once.
    if (!resolved.ok && resolved.error instanceof UnresolvedReferenceError && !cache.loadedSince(batchStartedMs)) {
      try {
        registry = await cache.reload();
      } catch (error) {
        ledger.fail(message.messageId, error, { detailType: event.detailType, while: 'reloading the registry' });
        continue;
      }
      resolved = attempt(() => resolveStatement(reported.value, registry));
    }
    if (resolved.ok) statements.push({ message, statement: resolved.value });
    else await settleUnresolved(input, resolved.error, failedReferences, ledger);
  }
  return { registry, statements };
};
