/**
 * Registry events, the second step of a batch, applied before any statement: a statement in the
 * same batch may name an actor or a speaker registered beside it. A record dated more than a day
 * ahead of the processing clock is quarantined: applied, it would win over every correction.
 */
import { ValidationError } from '../../core/errors.ts';
import { farFutureProblem, type RegistryUpdate } from '../../core/registry.ts';
import { referenceKeysOf } from '../../core/resolution.ts';
import { toRegistryUpdate, type RegistryEventV1 } from '../contracts-v1.ts';
import type { RegistryRepository } from '../ports.ts';
import { attempt, type BatchLedger } from './ledger.ts';
import type { Admitted } from './triage.ts';

export interface RegistryChanges {
  /** A record took effect: a cached registry is stale. */
  changed: boolean;
  /**
   * The references (core/resolution.ts `referenceKey`) that registrations which failed in the store
   * would have resolved: a statement naming one of them is retried with them rather than quarantined.
   */
  failedReferences: ReadonlySet<string>;
  /** Every record stored or found stored already, by message: a redelivery re-evaluates as the first delivery did. */
  delivered: ReadonlyArray<{ messageId: string; update: RegistryUpdate }>;
}

export const applyRegistryEvents = async (
  events: ReadonlyArray<Admitted<RegistryEventV1>>,
  registry: RegistryRepository,
  ledger: BatchLedger,
  now: string,
): Promise<RegistryChanges> => {
  let changed = false;
  const failedReferences = new Set<string>();
  const delivered: Array<{ messageId: string; update: RegistryUpdate }> = [];
  for (const { message, event } of events) {
    const translated = attempt(() => toRegistryUpdate(event));
    if (!translated.ok) {
      await ledger.quarantineUnresolved(message, event.detailType, translated.error);
      continue;
    }
    const update = translated.value;
    const tooFarAhead = farFutureProblem(update, now);
    if (tooFarAhead !== undefined) {
      await ledger.quarantine(message, 'invalid-event', [{ ...tooFarAhead, field: `detail.${tooFarAhead.field}` }], event.detailType);
      continue;
    }
    try {
      const result = await registry.applyUpdate(update);
      changed ||= result === 'applied';
      delivered.push({ messageId: message.messageId, update });
      ledger.settle({ messageId: message.messageId, status: 'registry', result, kind: update.type, id: update.record.id });
    } catch (error) {
      // Too large to store: the event is at fault, and retrying cannot help.
      if (error instanceof ValidationError) {
        await ledger.quarantine(message, 'invalid-event', error.problems, event.detailType);
        continue;
      }
      for (const key of referenceKeysOf(update)) failedReferences.add(key);
      ledger.fail(message.messageId, error, { detailType: event.detailType });
    }
  }
  return { changed, failedReferences, delivered };
};
