/**
 * Pure planning for the processor: which episodes and pointers the store should hold for an issue
 * (from a replay of its history), what differs from what it holds, and the evidence of an episode
 * that closes. No I/O here; record/replay-round.ts carries the plans out through the ports.
 */
import { alertId, canonicalJson, correctionAlertId } from '../core/ids.ts';
import { isMemberAt } from '../core/blocs.ts';
import { compareSaid, refOf } from '../core/positions.ts';
import { diffReplay, heardOpen, presentNews, type IssueReplay } from '../core/tracker.ts';
import type { Episode, IssueId, Position, Registry, StatementRecord } from '../core/types.ts';
import type { AlertEntry, AlertRecord, StoredIssueState, OpenPointer, RevisionCause, StatementRef, StoredEpisode } from './ports.ts';
import { convergedAlert, divergedAlert } from './record/alert-records.ts';

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
 * Who stands on the other side of a divergence: the rest of the bloc (everyone ever a member: which
 * of them counts at a time is `isMemberAt`'s answer), or nobody for a reversal (whose other side is
 * the actor's own earlier statement, fixed when it opens).
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
 * side (a member when it was said), in said order. `window` holds those statements, read from history.
 */
export const evidenceAtClose = (
  opened: StoredEpisode,
  window: readonly StatementRef[],
  registry: Registry,
): { ids: Episode['evidence']; refs: Map<string, StatementRef> } => {
  const others = otherSideActors(opened.episode, registry);
  const bloc = opened.episode.bloc === null ? undefined : registry.blocs.get(opened.episode.bloc);
  const refs = new Map<string, StatementRef>();
  const actor = opened.evidenceRefs.actor.map((ref) => (refs.set(ref.statementId, ref), ref.statementId));
  const other = opened.evidenceRefs.other.map((ref) => (refs.set(ref.statementId, ref), ref.statementId));
  for (const statement of [...window].sort(compareSaid)) {
    const onOtherSide = others.has(statement.actor) && bloc !== undefined && isMemberAt(bloc, statement.actor, statement.saidAt);
    const side = statement.actor === opened.episode.actor ? actor : onOtherSide ? other : undefined;
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

/** Same episode content and status (revision and withdrawal notes aside). */
export const sameEpisode = (a: StoredEpisode, b: StoredEpisode): boolean =>
  a.status === b.status && canonicalJson(a.episode) === canonicalJson(b.episode) && canonicalJson(a.evidenceRefs) === canonicalJson(b.evidenceRefs);

export const samePointer = (a: OpenPointer, b: OpenPointer): boolean => canonicalJson(a) === canonicalJson(b);

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

/** An episode that stands in the store, as the core's diff sees it. */
const asCoreEpisode = (stored: StoredEpisode): Episode => ({ ...stored.episode, status: stored.status === 'open' ? 'open' : 'closed' });

/** Registry records that took effect, re-evaluating an issue with no statement behind it. */
export interface RegistryCause {
  type: 'registry';
  /** Each as `kind:id` (`watch:allies-split`), sorted. */
  records: string[];
}

/** What a replay follows: the statement being recorded, or a registry change. */
export type ReplayCause = StatementRecord | RegistryCause;

const isRegistryCause = (cause: ReplayCause): cause is RegistryCause => 'type' in cause && cause.type === 'registry';

/**
 * What a withdrawal names as its cause: the statement and its said time, or the registry change
 * and the issue's latest said time (the issue's "now": a registry change has no said time of its own).
 */
const withdrawnBy = (cause: ReplayCause, snapshot: StoredIssueState, have: StoredEpisode): { by: string; at: string; why: string } => {
  const { issue } = have.episode;
  if (!isRegistryCause(cause)) {
    return { by: cause.statementId, at: cause.saidAt, why: `after statement ${cause.statementId} (said ${cause.saidAt})` };
  }
  const by = `registry:${cause.records.join(',')}`;
  return { by, at: snapshot.watermark?.saidAt ?? have.episode.openedAt, why: `after the registry change ${cause.records.join(', ')}` };
};

/** A stored episode the replay no longer has, withdrawn by `cause` under a correction alert of its own. */
const withdrawal = (
  have: StoredEpisode,
  cause: { by: string; at: string; why: string },
  facts: { statements: ReadonlyMap<string, StatementRecord>; recordedAt: string; pushed: boolean },
  byRevision?: RevisionCause,
): { alert: AlertRecord; write: EpisodeWrite } => {
  const revision = have.revision + 1;
  const withdrawnAt = { ...have.episode, closedBy: cause.by, closedAt: cause.at };
  const correction = correctionAlertId(have.episode.episodeId, 'withdrawn', revision);
  const withdrawnReason = byRevision === undefined
    ? `the said-time replay of ${have.episode.issue} ${cause.why} no longer contains this episode`
    : `${byRevision.kind} ${byRevision.revisionId} of statement ${byRevision.statementId}: ${byRevision.reason}`;
  const alert = convergedAlert(withdrawnAt, 'withdrawn', { alertId: correction, ...facts });
  return {
    alert: byRevision === undefined ? alert : ({ ...alert, detail: { ...alert.detail, revision: byRevision } } as AlertRecord),
    write: { type: 'replace', episode: { ...have, status: 'withdrawn', revision, withdrawnReason }, expectedRevision: have.revision },
  };
};

/** The pointer writes that make the open divergences those `wanted`, each conditional on what is `open` now. */
const pointerWrites = (wanted: ReadonlyMap<string, OpenPointer>, open: ReadonlyMap<string, OpenPointer>): PointerWrite[] => [
  ...[...wanted].flatMap(([divergenceId, pointer]): PointerWrite[] => {
    const have = open.get(divergenceId);
    if (have === undefined) return [{ type: 'open', pointer }];
    return samePointer(have, pointer) ? [] : [{ type: 'open', pointer, replacing: have.episodeId }];
  }),
  ...[...open].flatMap(([divergenceId, have]): PointerWrite[] =>
    wanted.has(divergenceId) ? [] : [{ type: 'close', divergenceId, episodeId: have.episodeId }]),
];

/** What the recorded alerts say subscribers have heard: the divergences told open and not told ended, with the episode told. */
export const heardOf = (recorded: readonly AlertEntry[]): Map<string, string> =>
  heardOpen(recorded.filter((entry) => entry.pushed).map((entry) => ({
    divergenceId: entry.divergenceId,
    episodeId: entry.episodeId,
    opens: entry.transition === 'opened' || entry.transition === 'reinstated',
  })));

/**
 * Compares what is stored for an issue with what its replay says, and lists the writes that make
 * them equal. Every transition of the rewritten timeline is recorded (the core's `diffReplay` says
 * which are new); what is pushed is the core's `presentNews`: a divergence open now that subscribers
 * have not heard open gets its episode's opening (or, told open and ended before, a reinstatement),
 * one they heard open that is not open now the closing of the episode they heard (or its withdrawal
 * when the replay no longer has it).
 * Episodes the replay no longer has are withdrawn (never deleted); each correction carries an alert
 * of its own, and the alerts of an episode the replay tells differently are revised in place.
 */
export const planReplay = (args: {
  replay: IssueReplay;
  stored: readonly StoredEpisode[];
  snapshot: StoredIssueState;
  /** Every alert recorded for the issue: what subscribers have heard. */
  recorded: readonly AlertEntry[];
  cause: ReplayCause;
  recordedAt: string;
  /** The correction or retraction behind this replay, named by the withdrawals it causes. */
  revision?: RevisionCause;
  /**
   * Statements the stored episodes name that the replay does not have (retracted, or moved to
   * another issue by a correction), as history now shows them: their alerts still quote them.
   */
  referenced?: ReadonlyMap<string, StatementRecord>;
  /**
   * Statements as history holds them, text included, for a replay read without it
   * (`loadHistoryWithoutText`): they stand in for the replay's own copies in what alerts quote.
   */
  quoted?: ReadonlyMap<string, StatementRecord>;
}): ReplayPlan => {
  const { replay, stored, snapshot, recorded, cause, recordedAt, revision, referenced, quoted } = args;
  const { issue } = replay.state;
  const target = targetOf(replay);
  const plan: ReplayPlan = { alerts: [], revisions: [], episodes: [], pointers: [] };
  const storedById = new Map(stored.map((e) => [e.episode.episodeId, e] as const));
  const diff = diffReplay(stored.filter((e) => e.status !== 'withdrawn').map(asCoreEpisode), replay);
  const retracted = new Set(diff.retracted.map((e) => e.episodeId));
  const news = presentNews(heardOf(recorded), replay.state);
  const entries = new Map(recorded.map((entry) => [entry.alertId, entry] as const));
  // A retracted cause is in no replay, but the episodes it withdraws quote it.
  const known: ReadonlyMap<string, StatementRecord> = new Map([
    ...(referenced ?? []),
    ...(isRegistryCause(cause) ? [] : [[cause.statementId, cause] as const]),
    ...target.statementsById,
    ...(quoted ?? []),
  ]);
  const facts = { statements: known, recordedAt };

  /** A new alert is recorded; a recorded one is pushed now if it must be, or else revised in place. */
  const note = (alert: AlertRecord, changed: boolean): void => {
    const entry = entries.get(alert.alertId);
    if (entry === undefined || (alert.pushed && !entry.pushed)) plan.alerts.push(alert);
    else if (changed) plan.revisions.push(alert);
  };
  const pushedBefore = (id: string): boolean => entries.get(id)?.pushed === true;

  for (const [episodeId, wanted] of target.episodes) {
    const have = storedById.get(episodeId);
    const changed = have === undefined || have.status === 'withdrawn' || !sameEpisode(have, wanted);
    let revision = have?.revision ?? 0;
    const opening = target.openings.get(episodeId);
    if (opening === undefined) throw new Error(`replay of ${issue} has no opening for episode ${episodeId}`);
    const openingId = alertId(episodeId, 'opened');
    const diverged = news.diverged.has(episodeId);
    // Told open, then told it ended, and open again now: subscribers hear a reinstatement.
    if (diverged && pushedBefore(openingId)) {
      revision += 1;
      plan.alerts.push(divergedAlert(withoutStatus(opening), 'reinstated', { alertId: correctionAlertId(episodeId, 'reinstated', revision), ...facts }));
    }
    note(divergedAlert(withoutStatus(opening), 'opened', { alertId: openingId, ...facts, pushed: diverged && !pushedBefore(openingId) }), changed);
    if (wanted.status === 'closed') {
      const closingId = alertId(episodeId, 'closed');
      const converged = news.converged.has(episodeId);
      // Closed once already, reinstated since, and closed again: a closing of its own.
      if (converged && pushedBefore(closingId)) {
        revision += 1;
        plan.alerts.push(convergedAlert(wanted.episode, 'closed', { alertId: correctionAlertId(episodeId, 'closed', revision), ...facts }));
      }
      note(convergedAlert(wanted.episode, 'closed', { alertId: closingId, ...facts, pushed: converged && !pushedBefore(closingId) }), changed);
    }
    if (have === undefined) plan.episodes.push({ type: 'create', episode: { ...wanted, revision } });
    else if (changed || revision !== have.revision) plan.episodes.push({ type: 'replace', episode: { ...wanted, revision }, expectedRevision: have.revision });
  }

  for (const have of stored) {
    const { episodeId } = have.episode;
    if (target.episodes.has(episodeId)) continue;
    // Withdrawn once (recorded only, or told), and heard open since: told the withdrawal once more.
    const converged = news.converged.has(episodeId);
    if (!retracted.has(episodeId) && !converged) continue;
    const { alert, write } = withdrawal(have, withdrawnBy(cause, snapshot, have), { ...facts, pushed: converged }, revision);
    plan.alerts.push(alert);
    plan.episodes.push(write);
  }
  plan.pointers.push(...pointerWrites(target.pointers, snapshot.open));
  return plan;
};

/** The statements the alerts of a plan quote (recorded or revised), by id. */
export const quotedBy = (plan: ReplayPlan): Set<string> =>
  new Set([...plan.alerts, ...plan.revisions].flatMap(({ detail }) => [...detail.evidence.actor, ...detail.evidence.other].map((e) => e.statementId)));
