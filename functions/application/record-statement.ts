/**
 * Records one statement: history, position, divergences, alerts, outbound events. First of all it
 * claims the statement's id for its content: an id already recorded with other content is refused
 * (ConflictingIdError, quarantined by the caller) before anything is written or published. Without
 * transactions, correctness rests on three rules:
 *  - every write is conditional or idempotent, with ids derived from the facts (never a clock),
 *    so any step can be re-run after a crash at any point, by a redelivery of the same message;
 *  - an alert is recorded (alert item + outbox entry) before the write that commits its transition
 *    (the open pointer), and published only after; leftovers in the outbox are published by the
 *    next delivery that touches the issue, with the same id;
 *  - after writing, the issue is read again and re-evaluated until nothing is left to do
 *    (a fixpoint), so of two processors racing on one issue the last one to read leaves the
 *    divergences equal to what the whole set of statements implies.
 *
 * Two paths. In order (the statement is the issue's latest said, no leftovers): the core's
 * incremental `reconcile` on the positions of one Query, three round trips in all when nothing
 * transitions. Otherwise (said before the watermark, a crash left work behind, a race was lost):
 * replay the issue's history with the core and make the stored episodes and pointers equal to it.
 */
import { alertEvidenceIds, convergedDetail, divergedDetail, fitEvidence, positionChangedDetail } from '../core/alerts.ts';
import { evaluateAll, reconcile } from '../core/divergence.ts';
import { ConflictingIdError } from '../core/errors.ts';
import { identityConflicts, statementIdentity } from '../core/identity.ts';
import { alertId as coreAlertId, positionChangeId } from '../core/ids.ts';
import { compareSaid, toPositionRef } from '../core/positions.ts';
import { replayIssue } from '../core/tracker.ts';
import type { Episode, Registry, StatementRecord, Transition } from '../core/types.ts';
import { POSITION_CHANGED } from '../../events/catalog.ts';
import {
  episodeOfPointer, evidenceAtClose, isEmptyPlan, otherSideActors, planReplay, pointerOf, refsOfPositions, storedEpisode,
} from './episode-plan.ts';
import type {
  AlertRecord, AlertTransition, Clock, EventPublisher, HistoryWrite, IssueSnapshot, OutboundEvent, PositionWrite,
  StatementRef, StoredEpisode, TrackerRepository,
} from './ports.ts';

export interface RecordStatementDeps {
  tracker: TrackerRepository;
  publisher: EventPublisher;
  clock: Clock;
  /**
   * Read-evaluate-write rounds before giving up with NotConvergedError (the message is then
   * retried). Each extra round is caused by a concurrent writer on the same issue.
   */
  maxRounds?: number;
}

export type AlertCounts = Record<AlertTransition, number>;

export interface RecordOutcome {
  statementId: string;
  issue: string;
  actor: string;
  history: HistoryWrite;
  position: PositionWrite;
  /** Said before the issue's latest statement when it was processed. */
  late: boolean;
  /** Went through the full replay of the issue (late, leftovers, or a lost race). */
  replayed: boolean;
  rounds: number;
  /** Alerts recorded for the first time by this call. */
  alerts: AlertCounts;
  /** Events put on the bus by this call (a position change and the issue's outbox). */
  published: number;
}

/** The issue kept changing under this processor for too long; the message is retried later. */
export class NotConvergedError extends Error {
  override readonly name = 'NotConvergedError';
  constructor(readonly issue: string, readonly rounds: number) {
    super(`divergences of ${issue} still changing after ${rounds} rounds; retry later`);
  }
}

const DEFAULT_MAX_ROUNDS = 12;

const RANK: Record<AlertTransition, number> = { opened: 0, reinstated: 0, closed: 1, withdrawn: 1 };

/** Opened before closed, so a subscriber never sees an episode converge before it diverged. */
const publicationOrder = (a: AlertRecord, b: AlertRecord): number =>
  a.recordedAt !== b.recordedAt
    ? (a.recordedAt < b.recordedAt ? -1 : 1)
    : RANK[a.transition] - RANK[b.transition] || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0);

const isTransitionToWrite = (t: Transition): t is Extract<Transition, { type: 'opened' | 'closed' }> => t.type !== 'evidence';

export const recordStatement = async (
  deps: RecordStatementDeps,
  statement: StatementRecord,
  registry: Registry,
): Promise<RecordOutcome> => {
  const { tracker, publisher, clock } = deps;
  const maxRounds = deps.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const { issue } = statement;
  const alerts: AlertCounts = { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 };
  const ownOutbox = new Set<string>();
  /** Alerts recorded by this call as first recorded, so publishing them needs no read. */
  const recordedHere = new Map<string, AlertRecord>();

  const record = async (alert: AlertRecord): Promise<void> => {
    ownOutbox.add(alert.alertId);
    if (await tracker.recordAlert(alert)) {
      alerts[alert.transition] += 1;
      recordedHere.set(alert.alertId, alert);
    }
  };

  /** Leftovers of a crashed or concurrent run: only the replay can tell whether their transition stands. */
  const hasForeignOutbox = (snapshot: IssueSnapshot): boolean => snapshot.outbox.some((id) => !ownOutbox.has(id));

  const statementsFor = async (
    ids: readonly string[],
    refs: ReadonlyMap<string, StatementRef>,
    known: ReadonlyMap<string, StatementRecord>,
  ): Promise<Map<string, StatementRecord>> => {
    const found = new Map(known);
    const missing = [...new Set(ids)].filter((id) => !found.has(id));
    const toLoad = missing.flatMap((id) => refs.get(id) ?? []);
    for (const loaded of await tracker.loadStatements(toLoad)) found.set(loaded.statementId, loaded);
    return found;
  };

  const evidenceIdsOf = (episode: Episode): string[] => {
    const ids = alertEvidenceIds(episode);
    return [...ids.actor, ...ids.other];
  };

  /** The incremental step's writes; `false` as soon as a condition shows another writer got there first. */
  const commitTransitions = async (
    transitions: ReadonlyArray<Extract<Transition, { type: 'opened' | 'closed' }>>,
    snapshot: IssueSnapshot,
  ): Promise<boolean> => {
    const positionRefs = refsOfPositions(snapshot.positions.values());
    const known = new Map([[statement.statementId, statement]]);
    // The statements behind every opening, read in one batch: an opening's evidence is the
    // positions it was measured on, all known now (a read that a lost race wastes, nothing more).
    const openings = transitions.filter((t) => t.type === 'opened');
    const forOpenings = openings.length === 0
      ? known
      : await statementsFor(openings.flatMap((t) => evidenceIdsOf(t.episode)), positionRefs, known);
    // Transitions of different divergences touch disjoint items, so they commit side by side;
    // each keeps its own order (alert and outbox, then the pointer that commits it).
    const commitOne = async (transition: (typeof transitions)[number]): Promise<boolean> => {
      if (transition.type === 'opened') {
        const stored = storedEpisode(transition.episode, positionRefs);
        // The episode item is not what commits the transition (the pointer is), so it is written
        // while the alert is recorded; already there means an earlier attempt of this very
        // transition (same deterministic id). The alert and its outbox entry are both in before
        // the pointer, as before.
        await Promise.all([
          record({
            alertId: transition.alertId, issue, episodeId: transition.episode.episodeId, transition: 'opened',
            detailType: 'Positions Diverged', detail: divergedDetail(transition, forOpenings), recordedAt: clock.now(),
          }),
          tracker.createEpisode(stored),
        ]);
        return tracker.openPointer(pointerOf(stored.episode));
      }

      const pointer = snapshot.open.get(transition.episode.divergenceId);
      if (pointer === undefined) return false;
      const after = { saidAt: pointer.openedAt, statementId: pointer.openedBy };
      const others = otherSideActors(pointer, registry);
      // Only actors whose latest statement is after the opening can have said anything since.
      const speakers = [pointer.actor, ...others].filter((actor) => {
        const position = snapshot.positions.get(actor);
        return position !== undefined && compareSaid(position, after) > 0;
      });
      // The windows depend on the pointer only, so they are read alongside the episode.
      const [opened, windows] = await Promise.all([
        tracker.loadEpisode(issue, pointer),
        Promise.all(speakers.map((actor) => tracker.loadHistoryWindow(issue, actor, after, statement))),
      ]);
      const resumable = opened?.status === 'open' || (opened?.status === 'closed' && opened.episode.closedBy === statement.statementId);
      if (opened === undefined || !resumable) return false;
      const window = windows.flat();
      const evidence = evidenceAtClose(opened, window, registry);
      const closedEpisode: Episode = { ...transition.episode, evidence: evidence.ids };
      const stored: StoredEpisode = storedEpisode(closedEpisode, evidence.refs, opened.revision);
      // The alert (read, then recorded) and the closed episode are written side by side: both
      // were always attempted, and neither commits the transition; the pointer, removed only
      // after both, does. A crash after the episode but before the alert is the resumable case
      // above (closed by this very statement).
      const [, replaced] = await Promise.all([
        (async () => {
          const statements = await statementsFor(
            evidenceIdsOf(closedEpisode),
            evidence.refs,
            known,
          );
          await record({
            alertId: transition.alertId, issue, episodeId: closedEpisode.episodeId, transition: 'closed',
            detailType: 'Positions Converged',
            detail: convergedDetail({ ...transition, episode: closedEpisode }, statements),
            recordedAt: clock.now(),
          });
        })(),
        tracker.replaceEpisode(stored, opened.revision),
      ]);
      if (!replaced) return false;
      return tracker.closePointer(issue, pointer.divergenceId, pointer.episodeId);
    };
    const committed = await Promise.all(transitions.map(commitOne));
    return committed.every(Boolean);
  };

  /** One round of the replay path: read everything, compare with the replay, write the differences. */
  const replayRound = async (): Promise<{ snapshot: IssueSnapshot; changed: boolean }> => {
    // Positions first: any statement behind a position read here is then in the history read after.
    const snapshot = await tracker.loadIssueState(issue);
    const history = await tracker.loadHistory(issue);
    const stored = await tracker.loadEpisodes(issue);
    const plan = planReplay({
      issue,
      replay: replayIssue(issue, history, registry),
      stored,
      snapshot,
      cause: statement,
      recordedAt: clock.now(),
      alertIdOf: coreAlertId,
    });
    if (isEmptyPlan(plan)) return { snapshot, changed: false };
    for (const alert of plan.alerts) await record(alert);
    for (const alert of plan.revisions) {
      await tracker.reviseAlert(alert);
      const mine = recordedHere.get(alert.alertId);
      if (mine !== undefined) recordedHere.set(alert.alertId, { ...mine, detail: alert.detail } as AlertRecord);
    }
    for (const write of plan.episodes) {
      // A failed condition means another writer moved first; the next round re-reads and decides.
      if (write.type === 'create') await tracker.createEpisode(write.episode);
      else await tracker.replaceEpisode(write.episode, write.expectedRevision);
    }
    for (const write of plan.pointers) {
      if (write.type === 'open') await tracker.openPointer(write.pointer, write.replacing);
      else await tracker.closePointer(issue, write.divergenceId, write.episodeId);
    }
    return { snapshot, changed: true };
  };

  const identity = statementIdentity(statement);
  const claim = await tracker.claimStatement(identity);
  if (claim.status === 'conflict') throw new ConflictingIdError(statement.statementId, identityConflicts(claim.recorded, identity));

  const history = await tracker.recordStatement(statement);
  const position = await tracker.applyPosition(statement);
  let snapshot = await tracker.loadIssueState(issue);
  const late = snapshot.watermark !== undefined && compareSaid(statement, snapshot.watermark) < 0;
  let replayed = late || hasForeignOutbox(snapshot);
  let rounds = 0;

  for (;;) {
    rounds += 1;
    if (rounds > maxRounds) throw new NotConvergedError(issue, maxRounds);
    if (!replayed) {
      const open = new Map([...snapshot.open].map(([id, pointer]) => [id, episodeOfPointer(pointer)] as const));
      const evaluations = evaluateAll(issue, snapshot.positions, registry);
      const transitions = reconcile({ open, evaluations, cause: statement }).filter(isTransitionToWrite);
      if (transitions.length === 0) break;
      const atWatermark = snapshot.watermark !== undefined && compareSaid(statement, snapshot.watermark) === 0;
      // A newer statement arrived, or our own writes did not settle it: only the replay knows the causes.
      if (!atWatermark || rounds > 1) {
        replayed = true;
        continue;
      }
      const committed = await commitTransitions(transitions, snapshot);
      snapshot = await tracker.loadIssueState(issue);
      if (!committed || hasForeignOutbox(snapshot)) replayed = true;
      continue;
    }
    const round = await replayRound();
    snapshot = round.snapshot;
    if (!round.changed) break;
  }

  const events: OutboundEvent[] = [];
  const current = snapshot.positions.get(statement.actor);
  if (current !== undefined && current.statementId === statement.statementId) {
    const change = {
      changeId: positionChangeId(issue, statement.actor, statement.statementId),
      issue,
      actor: statement.actor,
      previous: current.previous ?? null,
      current: toPositionRef(statement),
      statementId: statement.statementId,
    };
    events.push({ detailType: POSITION_CHANGED, detail: positionChangedDetail(change, statement) });
  }
  const outbox = snapshot.outbox;
  const toLoad = outbox.filter((id) => !recordedHere.has(id));
  const loaded = toLoad.length === 0 ? [] : await tracker.loadAlerts(issue, toLoad);
  const pending = [...outbox.flatMap((id) => recordedHere.get(id) ?? []), ...loaded].sort(publicationOrder);
  // An alert recorded before evidence was capped by bytes may be too large for one entry, and would
  // hold up the issue's outbox for good; for every other alert fitting changes nothing.
  events.push(...pending.map((alert) => ({ detailType: alert.detailType, detail: fitEvidence(alert.detail) })));
  if (events.length > 0) await publisher.publish(events);
  if (outbox.length > 0) await tracker.clearOutbox(issue, outbox);

  return {
    statementId: statement.statementId,
    issue,
    actor: statement.actor,
    history,
    position,
    late,
    replayed,
    rounds,
    alerts,
    published: events.length,
  };
};

