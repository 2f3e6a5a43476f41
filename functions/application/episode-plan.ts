/**
 * Pure planning for the processor: which episodes and pointers the store should hold for an issue
 * (from a replay of its history), what differs from what it holds, and the evidence of an episode
 * that closes. No I/O here; record-statement.ts carries the plans out through the ports.
 */
import { convergedDetail, divergedDetail } from '../core/alerts.ts';
import { correctionAlertId } from '../core/ids.ts';
import { compareSaid, refOf } from '../core/positions.ts';
import type { IssueReplay } from '../core/tracker.ts';
import type { Episode, IssueId, Position, Registry, StatementRecord } from '../core/types.ts';
import type { AlertRecord, IssueSnapshot, OpenPointer, StatementRef, StoredEpisode } from './ports.ts';

export const pointerOf = (episode: Omit<Episode, 'status'>): OpenPointer => ({
  issue: episode.issue,
  divergenceId: episode.divergenceId,
  episodeId: episode.episodeId,
  kind: episode.kind,
  actor: episode.actor,
  bloc: episode.bloc,
  threshold: episode.threshold,
  openedBy: episode.openedBy,
  openedAt: episode.openedAt,
  actorStance: episode.actorStance,
  otherStance: episode.otherStance,
  gap: episode.gap,
});

/** The open episode as reconcile needs it; its evidence stays in history until it closes. */
export const episodeOfPointer = (pointer: OpenPointer): Episode => ({
  episodeId: pointer.episodeId,
  divergenceId: pointer.divergenceId,
  kind: pointer.kind,
  issue: pointer.issue,
  actor: pointer.actor,
  bloc: pointer.bloc,
  threshold: pointer.threshold,
  status: 'open',
  openedBy: pointer.openedBy,
  openedAt: pointer.openedAt,
  actorStance: pointer.actorStance,
  otherStance: pointer.otherStance,
  gap: pointer.gap,
  evidence: { actor: [], other: [] },
});

const withoutStatus = (episode: Episode): Omit<Episode, 'status'> => {
  const { status: _status, ...rest } = episode;
  return rest;
};

/** Refs of the statements an issue's positions rest on (current and previous), by statement id. */
export const refsOfPositions = (positions: Iterable<Position>): Map<string, StatementRef> => {
  const refs = new Map<string, StatementRef>();
  for (const position of positions) {
    refs.set(position.statementId, refOf(position));
    if (position.previous) {
      refs.set(position.previous.statementId, refOf({ ...position.previous, actor: position.actor, issue: position.issue }));
    }
  }
  return refs;
};

const resolveRefs = (ids: readonly string[], refs: ReadonlyMap<string, StatementRef>, context: string): StatementRef[] =>
  ids.map((id) => {
    const ref = refs.get(id);
    if (ref === undefined) throw new Error(`no history reference for evidence ${id} of ${context}`);
    return ref;
  });

export const storedEpisode = (
  episode: Episode,
  refs: ReadonlyMap<string, StatementRef>,
  revision = 0,
): StoredEpisode => ({
  episode: withoutStatus(episode),
  status: episode.status,
  revision,
  evidenceRefs: {
    actor: resolveRefs(episode.evidence.actor, refs, episode.episodeId),
    other: resolveRefs(episode.evidence.other, refs, episode.episodeId),
  },
});

/**
 * Who stands on the other side of a divergence: the rest of the bloc, or nobody for a reversal
 * (whose other side is the actor's own earlier statement, fixed when it opens).
 */
export const otherSideActors = (episode: Pick<Episode, 'kind' | 'actor' | 'bloc'>, registry: Registry): Set<string> => {
  if (episode.kind === 'reversal' || episode.bloc === null) return new Set();
  const members = new Set(registry.blocs.get(episode.bloc)?.members ?? []);
  members.delete(episode.actor);
  return members;
};

/**
 * The evidence of an episode that closes, as the said-time replay builds it: what it opened with,
 * then each statement said after the opening (up to the closing one) by the actor or by the other
 * side, in said order. `window` holds those statements, read from history.
 */
export const evidenceAtClose = (
  opened: StoredEpisode,
  window: readonly StatementRef[],
  registry: Registry,
): { ids: Episode['evidence']; refs: Map<string, StatementRef> } => {
  const others = otherSideActors(opened.episode, registry);
  const refs = new Map<string, StatementRef>();
  const actor = opened.evidenceRefs.actor.map((ref) => (refs.set(ref.statementId, ref), ref.statementId));
  const other = opened.evidenceRefs.other.map((ref) => (refs.set(ref.statementId, ref), ref.statementId));
  for (const statement of [...window].sort(compareSaid)) {
    const side = statement.actor === opened.episode.actor ? actor : others.has(statement.actor) ? other : undefined;
    if (side === undefined || side.includes(statement.statementId)) continue;
    side.push(statement.statementId);
    refs.set(statement.statementId, refOf(statement));
  }
  return { ids: { actor, other }, refs };
};

/** What the store should hold for an issue, according to a replay of its whole history. */
export interface IssueTarget {
  /** Open episodes as they opened; closed ones as they closed. By episodeId. */
  episodes: Map<string, StoredEpisode>;
  /** By divergenceId. */
  pointers: Map<string, OpenPointer>;
  /** The transition that opened each episode (its alert), by episodeId. */
  openings: Map<string, Episode>;
  statementsById: Map<string, StatementRecord>;
}

export const targetOf = (replay: IssueReplay): IssueTarget => {
  const statementsById = new Map(replay.history.map((s) => [s.statementId, s] as const));
  const refs = new Map([...statementsById].map(([id, s]) => [id, refOf(s)] as const));
  const openings = new Map<string, Episode>();
  for (const transition of replay.transitions) {
    if (transition.type === 'opened') openings.set(transition.episode.episodeId, transition.episode);
  }
  const episodes = new Map<string, StoredEpisode>();
  for (const episode of replay.episodes) {
    const asStored = episode.status === 'open' ? (openings.get(episode.episodeId) ?? episode) : episode;
    episodes.set(episode.episodeId, storedEpisode(asStored, refs));
  }
  const pointers = new Map<string, OpenPointer>();
  for (const [divergenceId, episode] of replay.state.open) {
    const opening = openings.get(episode.episodeId) ?? episode;
    pointers.set(divergenceId, pointerOf(withoutStatus(opening)));
  }
  return { episodes, pointers, openings, statementsById };
};

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** Same episode content and status (revision and withdrawal notes aside). */
export const sameEpisode = (a: StoredEpisode, b: StoredEpisode): boolean =>
  a.status === b.status && canonical(a.episode) === canonical(b.episode) && canonical(a.evidenceRefs) === canonical(b.evidenceRefs);

export const samePointer = (a: OpenPointer, b: OpenPointer): boolean => canonical(a) === canonical(b);

export type EpisodeWrite =
  | { type: 'create'; episode: StoredEpisode }
  | { type: 'replace'; episode: StoredEpisode; expectedRevision: number };

export type PointerWrite =
  | { type: 'open'; pointer: OpenPointer; replacing?: string }
  | { type: 'close'; divergenceId: string; episodeId: string };

/** Alerts first, then episodes, then pointers: each later step is the commit point of the earlier ones. */
export interface ReplayPlan {
  alerts: AlertRecord[];
  /** Recorded alerts whose episode the replay tells differently now: same id, corrected detail. */
  revisions: AlertRecord[];
  episodes: EpisodeWrite[];
  pointers: PointerWrite[];
}

/** Revisions alone do not make a plan: they ride along with the episode writes that cause them. */
export const isEmptyPlan = (plan: ReplayPlan): boolean =>
  plan.alerts.length === 0 && plan.episodes.length === 0 && plan.pointers.length === 0;

const asClosedTransition = (alertId: string, episode: Omit<Episode, 'status'>) =>
  ({ type: 'closed', alertId, episode: { ...episode, status: 'closed' } }) as const;

const asOpenedTransition = (alertId: string, episode: Omit<Episode, 'status'>) =>
  ({ type: 'opened', alertId, episode: { ...episode, status: 'open' } }) as const;

/**
 * Compares what is stored for an issue with what its replay says, and lists the writes that make
 * them equal. Episodes the replay does not know are withdrawn (never deleted: their alerts went out),
 * withdrawn ones it does know are reinstated; each correction carries an alert of its own.
 */
export const planReplay = (args: {
  issue: IssueId;
  replay: IssueReplay;
  stored: readonly StoredEpisode[];
  snapshot: IssueSnapshot;
  cause: StatementRecord;
  recordedAt: string;
  alertIdOf: (episodeId: string, transition: 'opened' | 'closed') => string;
}): ReplayPlan => {
  const { issue, replay, stored, snapshot, cause, recordedAt, alertIdOf } = args;
  const target = targetOf(replay);
  const plan: ReplayPlan = { alerts: [], revisions: [], episodes: [], pointers: [] };
  const storedById = new Map(stored.map((e) => [e.episode.episodeId, e] as const));

  const opened = (episodeId: string, alertId: string, transition: 'opened' | 'reinstated', into = plan.alerts): void => {
    const opening = target.openings.get(episodeId);
    if (opening === undefined) throw new Error(`replay of ${issue} has no opening for episode ${episodeId}`);
    into.push({
      alertId, issue, episodeId, transition, detailType: 'Positions Diverged',
      detail: divergedDetail(asOpenedTransition(alertId, withoutStatus(opening)), target.statementsById), recordedAt,
    });
  };
  const closed = (
    episode: StoredEpisode,
    alertId: string,
    transition: 'closed' | 'withdrawn',
    statements: ReadonlyMap<string, StatementRecord>,
    into = plan.alerts,
  ): void => {
    into.push({
      alertId, issue, episodeId: episode.episode.episodeId, transition, detailType: 'Positions Converged',
      detail: convergedDetail(asClosedTransition(alertId, episode.episode), statements), recordedAt,
    });
  };

  for (const [episodeId, wanted] of target.episodes) {
    const have = storedById.get(episodeId);
    if (have === undefined) {
      opened(episodeId, alertIdOf(episodeId, 'opened'), 'opened');
      if (wanted.status === 'closed') closed(wanted, alertIdOf(episodeId, 'closed'), 'closed', target.statementsById);
      plan.episodes.push({ type: 'create', episode: wanted });
      continue;
    }
    if (have.status !== 'withdrawn' && sameEpisode(have, wanted)) continue;
    const reopening = have.status === 'withdrawn' || (have.status === 'closed' && wanted.status === 'open');
    const revision = reopening ? have.revision + 1 : have.revision;
    if (reopening) opened(episodeId, correctionAlertId(episodeId, 'reinstated', revision), 'reinstated');
    opened(episodeId, alertIdOf(episodeId, 'opened'), 'opened', plan.revisions);
    if (wanted.status === 'closed') {
      // Closed now and not before (or withdrawn in between): a new closing, to be published.
      const into = have.status === 'closed' ? plan.revisions : plan.alerts;
      closed(wanted, alertIdOf(episodeId, 'closed'), 'closed', target.statementsById, into);
    }
    plan.episodes.push({ type: 'replace', episode: { ...wanted, revision }, expectedRevision: have.revision });
  }

  for (const have of stored) {
    if (have.status === 'withdrawn' || target.episodes.has(have.episode.episodeId)) continue;
    const revision = have.revision + 1;
    const withdrawnAt = { ...have.episode, closedBy: cause.statementId, closedAt: cause.saidAt };
    const statements = new Map(target.statementsById);
    closed({ ...have, episode: withdrawnAt }, correctionAlertId(have.episode.episodeId, 'withdrawn', revision), 'withdrawn', statements);
    plan.episodes.push({
      type: 'replace',
      episode: {
        ...have,
        status: 'withdrawn',
        revision,
        withdrawnReason:
          `the said-time replay of ${issue} after statement ${cause.statementId} (said ${cause.saidAt}) ` +
          'no longer contains this episode',
      },
      expectedRevision: have.revision,
    });
  }

  for (const [divergenceId, wanted] of target.pointers) {
    const have = snapshot.open.get(divergenceId);
    if (have === undefined) plan.pointers.push({ type: 'open', pointer: wanted });
    else if (!samePointer(have, wanted)) plan.pointers.push({ type: 'open', pointer: wanted, replacing: have.episodeId });
  }
  for (const [divergenceId, have] of snapshot.open) {
    if (!target.pointers.has(divergenceId)) plan.pointers.push({ type: 'close', divergenceId, episodeId: have.episodeId });
  }
  return plan;
};
