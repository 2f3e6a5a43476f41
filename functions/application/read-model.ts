/**
 * The read side: the questions newsroom tools ask (the matrix of an issue, an actor's positions and
 * timeline, the alert feed) answered from what the processor stored. The storage port `ReadStore`
 * (`read-store.ts`) hides the table; each use case is a named step that assembles its answers with
 * the pure core (bloc stances, positions as of a date) into the API's shapes: the standing positions
 * in `read-positions.ts`, the paged feeds in `read-feeds.ts`, an issue's timeline in `read-timeline.ts`.
 */
import type { ActorHistory, ActorPositions, AlertsPage, ChangesPage, IssueSummary, Matrix, QuarantinePage } from '../api/schemas.ts';
import type { ActorId, IssueId, Registry } from '../core/types.ts';
import { changes } from './read-changes.ts';
import { actorHistory, alerts, quarantine } from './read-feeds.ts';
import { actorPositions, issueMatrix, listIssues } from './read-positions.ts';
import { issueTimeline, type IssueTimeline } from './read-timeline.ts';
import type { AlertFilter, ChangeFilter, HistoryFilter, QuarantineFilter, ReadContext, ReadStore } from './read-store.ts';
import { DEFAULT_REGISTRY_TTL_MS, RegistryCache } from './registry-cache.ts';

/** The read API's use cases. */
export interface PositionReader {
  registry(): Promise<Registry>;
  listIssues(): Promise<IssueSummary[]>;
  issueMatrix(issue: IssueId, asOf?: string): Promise<Matrix>;
  actorPositions(actor: ActorId): Promise<ActorPositions>;
  actorHistory(actor: ActorId, filter: HistoryFilter): Promise<ActorHistory>;
  /** Every standing statement on the issue, in said order (the feeds' timeline). */
  issueTimeline(issue: IssueId): Promise<IssueTimeline>;
  alerts(filter: AlertFilter): Promise<AlertsPage>;
  quarantine(filter: QuarantineFilter): Promise<QuarantinePage>;
  changes(filter: ChangeFilter): Promise<ChangesPage>;
}

export interface PositionReaderOptions {
  store: ReadStore;
  /**
   * How long a loaded registry is reused (30 s by default, as for the processor). The registry
   * changes rarely and every request needs it; staleness only delays a newly registered name, never a position.
   */
  registryTtlMs?: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  now?: () => number;
}

export const createPositionReader = ({ store, registryTtlMs = DEFAULT_REGISTRY_TTL_MS, now = Date.now }: PositionReaderOptions): PositionReader => {
  const cache = new RegistryCache(store, { ttlMs: registryTtlMs, nowMs: now });
  const context: ReadContext = { store, registry: () => cache.get() };
  return {
    registry: context.registry,
    listIssues: () => listIssues(context),
    issueMatrix: (issue, asOf) => issueMatrix(context, issue, asOf),
    actorPositions: (actor) => actorPositions(context, actor),
    actorHistory: (actor, filter) => actorHistory(context, actor, filter),
    issueTimeline: (issue) => issueTimeline(context, issue),
    alerts: (filter) => alerts(context, filter),
    quarantine: (filter) => quarantine(context, filter),
    changes: (filter) => changes(context, filter),
  };
};
