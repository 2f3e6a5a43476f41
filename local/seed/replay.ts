/**
 * Replays the seed scenario through the pure core: every sample is validated as an inbound
 * event, resolved against the seed registry and folded by issue in said order.
 */
import { parseEvent } from '../../events/validation.ts';
import { toReportedStatement, type InboundDetailV1 } from '../../functions/application/contracts-v1.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import { resolveStatement } from '../../functions/core/resolution.ts';
import { replayAll, type IssueReplay } from '../../functions/core/tracker.ts';
import { describeProblems } from '../../functions/core/errors.ts';
import type { IssueId, Registry, StatementRecord } from '../../functions/core/types.ts';
import { loadSeedRegistryUpdates, loadSeedSamples } from './seed-files.ts';

export interface SeedReplay {
  registry: Registry;
  statements: StatementRecord[];
  issues: Map<IssueId, IssueReplay>;
}

/** Turns published events into history records; a sample that does not validate is a bug in the seed. */
export const statementsFromEvents = (events: readonly unknown[], registry: Registry): StatementRecord[] =>
  events.map((event, index) => {
    const parsed = parseEvent(event);
    if (!parsed.ok) throw new Error(`event ${index} is invalid: ${describeProblems(parsed.problems)}`);
    const { detailType, detail } = parsed.event;
    if (detailType !== 'Statement Recorded' && detailType !== 'Stance Changed') {
      throw new Error(`event ${index} is a ${detailType}, not a statement`);
    }
    return resolveStatement(toReportedStatement({ detailType, detail } as InboundDetailV1), registry);
  });

export const replaySeed = (order: (events: unknown[]) => unknown[] = (events) => events): SeedReplay => {
  const registry = buildRegistry(loadSeedRegistryUpdates());
  const statements = statementsFromEvents(order(loadSeedSamples().map(({ event }) => event)), registry);
  return { registry, statements, issues: replayAll(statements, registry) };
};
