/**
 * Registry changes take effect at once: after the registry events of a batch are in, every issue
 * they can change is re-evaluated (reevaluate-issue.ts), different issues side by side. A record
 * found stored already counts as much as one stored now, so a redelivery after a crash between the
 * registry write and the re-evaluation re-evaluates; a record a later one replaced changes nothing.
 * An issue that cannot be re-evaluated now fails the messages that asked for it, to be retried.
 */
import { affectedIssues, isInForce, type RegistryUpdate } from '../../core/registry.ts';
import type { IssueId, Registry } from '../../core/types.ts';
import type { RegistryCause } from '../episode-plan.ts';
import type { Reevaluation } from '../reevaluate-issue.ts';
import type { BatchLedger } from './ledger.ts';
import { forEachLimited } from './record-by-issue.ts';

/** Re-evaluates one issue (the reevaluate-issue use case, with its ports bound). */
export type ReevaluateOne = (issue: IssueId, registry: Registry, cause: RegistryCause) => Promise<Reevaluation>;

interface Asked {
  records: Set<string>;
  messageIds: Set<string>;
}

/** The issues to re-evaluate, each with the records that ask for it and the messages that carried them. */
export const issuesToReevaluate = (
  delivered: ReadonlyArray<{ messageId: string; update: RegistryUpdate }>,
  registry: Registry,
): Map<IssueId, Asked> => {
  const asked = new Map<IssueId, Asked>();
  for (const { messageId, update } of delivered) {
    if (!isInForce(registry, update)) continue;
    for (const issue of affectedIssues(update, registry)) {
      const entry = asked.get(issue) ?? { records: new Set(), messageIds: new Set() };
      entry.records.add(`${update.type}:${update.record.id}`);
      entry.messageIds.add(messageId);
      asked.set(issue, entry);
    }
  }
  return asked;
};

/** Records of these kinds change what was recorded; actors and speakers only how names resolve. */
const REEVALUATING: ReadonlySet<RegistryUpdate['type']> = new Set(['issue', 'bloc', 'watch']);

export const reevaluateIssues = async (
  delivered: ReadonlyArray<{ messageId: string; update: RegistryUpdate }>,
  loadRegistry: () => Promise<Registry>,
  reevaluate: ReevaluateOne,
  issueConcurrency: number,
  ledger: BatchLedger,
): Promise<Reevaluation[]> => {
  const reevaluating = delivered.filter(({ update }) => REEVALUATING.has(update.type));
  if (reevaluating.length === 0) return [];
  let registry: Registry;
  try {
    registry = await loadRegistry();
  } catch (error) {
    for (const { messageId } of reevaluating) ledger.fail(messageId, error, { while: 'loading the registry to re-evaluate' });
    return [];
  }
  const done: Reevaluation[] = [];
  const asked = [...issuesToReevaluate(reevaluating, registry)];
  await forEachLimited(asked, issueConcurrency, async ([issue, { records, messageIds }]) => {
    try {
      done.push(await reevaluate(issue, registry, { type: 'registry', records: [...records].sort() }));
    } catch (error) {
      for (const messageId of messageIds) ledger.fail(messageId, error, { issue, while: 're-evaluating after a registry change' });
    }
  });
  return done;
};
