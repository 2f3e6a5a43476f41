/**
 * Revisions, the last step of a batch: each correction or retraction resolved against the registry
 * (a corrected speaker or actor by any name or alias, as in the statement it corrects), then
 * applied. After the batch's statements, so a revision that comes with its statement finds it.
 * What cannot be resolved or reuses an id is the event's fault and is quarantined with the field.
 */
import type { Revision } from '../../core/corrections.ts';
import { AmbiguousReferenceError, ConflictingIdError, UnresolvedReferenceError } from '../../core/errors.ts';
import type { Registry } from '../../core/types.ts';
import type { RevisionOutcome } from '../apply-revision.ts';
import { resolveRevision, type RevisionEventV1 } from '../corrections-v1.ts';
import type { RegistryCache } from '../registry-cache.ts';
import { attempt, type BatchLedger } from './ledger.ts';
import type { Admitted } from './triage.ts';

/** Applies one revision (the apply-revision use case, with its ports bound). */
export type ApplyOne = (revision: Revision, registry: Registry) => Promise<RevisionOutcome>;

const settleFailure = async ({ message, event }: Admitted<RevisionEventV1>, error: unknown, ledger: BatchLedger): Promise<void> => {
  if (error instanceof ConflictingIdError) await ledger.quarantine(message, 'conflicting-id', error.problems, event.detailType);
  else ledger.fail(message.messageId, error, { detailType: event.detailType, statementId: event.detail.statementId });
};

export const applyRevisions = async (
  inputs: ReadonlyArray<Admitted<RevisionEventV1>>,
  cache: RegistryCache,
  apply: ApplyOne,
  ledger: BatchLedger,
): Promise<void> => {
  if (inputs.length === 0) return;
  let registry: Registry;
  try {
    registry = await cache.get();
  } catch (error) {
    for (const { message, event } of inputs) ledger.fail(message.messageId, error, { detailType: event.detailType, while: 'loading the registry' });
    return;
  }
  for (const input of inputs) {
    const { message, event } = input;
    const resolved = attempt(() => resolveRevision(event, registry));
    if (!resolved.ok) {
      const { error } = resolved;
      if (error instanceof UnresolvedReferenceError) {
        const reason = error instanceof AmbiguousReferenceError ? 'ambiguous-reference' : 'unknown-reference';
        await ledger.quarantine(message, reason, error.problems, event.detailType);
      } else await ledger.quarantineUnresolved(message, event.detailType, error);
      continue;
    }
    try {
      ledger.settle({ messageId: message.messageId, status: 'revision', result: await apply(resolved.value, registry) });
    } catch (error) {
      await settleFailure(input, error, ledger);
    }
  }
};
