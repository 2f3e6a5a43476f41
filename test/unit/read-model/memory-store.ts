/**
 * A `ReadStore` over arrays, for the read steps' unit tests: it answers each question the way the
 * port documents it (the DynamoDB adapter is tested against dynalite), and counts registry loads.
 */
import type { ChangeRecord, StoredEpisode, StoredQuarantinedEvent } from '../../../functions/application/ports.ts';
import { pageOf, type ReadContext, type ReadStore } from '../../../functions/application/read-store.ts';
import { compareSaid } from '../../../functions/core/positions.ts';
import type { Position, Registry, StatementRecord } from '../../../functions/core/types.ts';

export interface MemoryStoreContents {
  registry: Registry;
  history?: StatementRecord[];
  positions?: Position[];
  /** In feed order: latest activity first. */
  episodes?: StoredEpisode[];
  /** In feed order: newest first. */
  quarantined?: StoredQuarantinedEvent[];
  /** In feed order: earliest recorded first. */
  changes?: ChangeRecord[];
}

/** Feed cursors of the memory store: the index of the item to resume after. */
const feedPage = <T>(items: readonly T[], cursor: string | undefined, limit: number) => {
  const start = cursor === undefined ? 0 : Number(cursor) + 1;
  return pageOf(items.slice(start, start + limit + 1), limit, (value) => ({ value, cursor: String(items.indexOf(value)) }));
};

export const memoryStore = ({ registry, history = [], positions = [], episodes = [], quarantined = [], changes = [] }: MemoryStoreContents) => {
  const counts = { registryLoads: 0 };
  const store: ReadStore = {
    loadRegistry: async () => {
      counts.registryLoads += 1;
      return registry;
    },
    issuePositions: async (issue) => positions.filter((p) => p.issue === issue),
    issueHistory: async (issue, until) => history.filter((s) => s.issue === issue && (until === undefined || s.saidAt <= until)),
    statements: async (refs) => history.filter((s) => refs.some((ref) => ref.statementId === s.statementId)),
    actorPositions: async (actor, issues) => positions.filter((p) => p.actor === actor && issues.includes(p.issue)),
    actorHistory: async (actor, issues, { after, limit }) =>
      history
        .filter((s) => s.actor === actor && issues.includes(s.issue) && (after === undefined || compareSaid(s, after) > 0))
        .sort(compareSaid)
        .slice(0, limit),
    episodes: async ({ issue, actor, open, cursor, limit }) =>
      feedPage(
        episodes.filter(
          (e) =>
            (issue === undefined || e.episode.issue === issue) &&
            (actor === undefined || e.episode.actor === actor) &&
            (open === undefined || (e.status === 'open') === open),
        ),
        cursor,
        limit,
      ),
    quarantined: async ({ cursor, limit }) => feedPage(quarantined, cursor, limit),
    changes: async ({ since, issue, cursor, limit }) =>
      feedPage(
        changes.filter((c) => (since === undefined || c.recordedAt >= since) && (issue === undefined || c.issue === issue)),
        cursor,
        limit,
      ),
  };
  const context: ReadContext = { store, registry: store.loadRegistry };
  return { store, context, counts };
};
