/**
 * The replay path: the issue's whole history replayed by the core, and the stored episodes and
 * pointers made equal to it. Taken for a statement said before the watermark, after a crash left
 * work behind, or when a race was lost.
 */
import { refOf } from '../../core/positions.ts';
import { replayIssue, type IssueReplay } from '../../core/tracker.ts';
import type { IssueId, StatementRecord } from '../../core/types.ts';
import type { StoredEpisode } from '../ports.ts';
import { isEmptyPlan, planReplay, quotedBy, type RegistryCause, type ReplayPlan } from '../episode-plan.ts';
import type { RecordContext, RoundResult } from './context.ts';

/** A replay after a registry change: the issue named, the change as the cause, no statement. */
export interface RegistryReplayContext extends Pick<RecordContext, 'tracker' | 'clock' | 'registry' | 'ledger'> {
  issue: IssueId;
  cause: RegistryCause;
}

type ReplayContext = RecordContext | RegistryReplayContext;

const subjectOf = (ctx: ReplayContext) =>
  'statement' in ctx ? { issue: ctx.statement.issue, cause: ctx.statement } : { issue: ctx.issue, cause: ctx.cause };

/**
 * Carries a plan out in its order: alerts, then episodes, then pointers, each later group being the
 * commit point of the earlier ones. The writes of one group are independent of each other (each
 * names its own alert, episode or divergence, and is conditional or idempotent), so they go side by
 * side: a crash inside a group leaves any part of it written, which is what a crash between two of
 * them left before, and the next group starts only once the whole of this one is in. A back-fill in
 * reverse re-dates every open episode at each batch, some twenty writes a replay. A failed condition
 * means another writer moved first; the next round re-reads and decides.
 */
export const writePlan = async (
  ctx: Pick<RecordContext, 'tracker' | 'ledger' | 'statement'> | Pick<RegistryReplayContext, 'tracker' | 'ledger' | 'issue'>,
  plan: ReplayPlan,
): Promise<void> => {
  const { tracker, ledger } = ctx;
  const issue = 'statement' in ctx ? ctx.statement.issue : ctx.issue;
  await Promise.all(plan.alerts.map((alert) => ledger.record(alert)));
  await Promise.all(plan.revisions.map((alert) => ledger.revise(alert)));
  await Promise.all(plan.episodes.map((write) =>
    write.type === 'create' ? tracker.createEpisode(write.episode) : tracker.replaceEpisode(write.episode, write.expectedRevision)));
  await Promise.all(plan.pointers.map((write) =>
    write.type === 'open' ? tracker.openPointer(write.pointer, write.replacing) : tracker.closePointer(issue, write.divergenceId, write.episodeId)));
};

/** The statements stored episodes name that history no longer counts on the issue (retracted, moved): read through their references. */
const referencedStatements = async (
  tracker: RecordContext['tracker'],
  stored: readonly StoredEpisode[],
  history: readonly StatementRecord[],
): Promise<Map<string, StatementRecord>> => {
  const counted = new Set(history.map((s) => s.statementId));
  const refs = stored.flatMap((e) => [...e.evidenceRefs.actor, ...e.evidenceRefs.other]).filter((ref) => !counted.has(ref.statementId));
  if (refs.length === 0) return new Map();
  return new Map((await tracker.loadStatements(refs)).map((s) => [s.statementId, s]));
};

/**
 * The plan, its alerts quoting statements as history holds them: the replay read history without
 * its text, so the plan is made once from that (what to write does not depend on what alerts
 * quote), then again with the statements its alerts quote read in full, until every one is.
 */
const quotedPlan = async (
  tracker: RecordContext['tracker'],
  history: readonly StatementRecord[],
  plan: (quoted: ReadonlyMap<string, StatementRecord>) => ReplayPlan,
): Promise<ReplayPlan> => {
  const byId = new Map(history.map((s) => [s.statementId, s] as const));
  const quoted = new Map<string, StatementRecord>();
  for (;;) {
    const made = plan(quoted);
    // Statements outside this history (`referenced`, a retracted cause) are given in full already.
    const missing = [...quotedBy(made)].filter((id) => byId.has(id) && !quoted.has(id));
    if (missing.length === 0) return made;
    const read = await tracker.loadStatements(missing.map((id) => refOf(byId.get(id) as StatementRecord)));
    if (read.length === 0) throw new Error(`history of ${history[0]?.issue} lost statements ${missing.join(', ')} while a replay read it`);
    for (const statement of read) quoted.set(statement.statementId, statement);
  }
};

/**
 * The replay a context's last round made, by the history it replayed. A round after one that wrote
 * its plan reads everything again, to find what another writer did meanwhile; when history reads
 * back exactly as before (no statement added, moved or revised), the replay of it is the same, and
 * only the comparison with what the store now holds is made again. Keyed by the context, which one
 * settling of an issue passes to each of its rounds.
 */
const lastReplays = new WeakMap<ReplayContext, { history: readonly StatementRecord[]; replay: IssueReplay }>();

/** Compared only in a later round: a settling of one round (most of them) pays nothing for it. */
const sameHistory = (a: readonly StatementRecord[], b: readonly StatementRecord[]): boolean =>
  a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

const replayOnce = (ctx: ReplayContext, issue: IssueId, history: readonly StatementRecord[]): IssueReplay => {
  const last = lastReplays.get(ctx);
  if (last !== undefined && sameHistory(last.history, history)) return last.replay;
  const replay = replayIssue(issue, history, ctx.registry);
  lastReplays.set(ctx, { history, replay });
  return replay;
};

/** One round of the replay path: read everything, compare with the replay, write the differences. */
export const replayRound = async (ctx: ReplayContext): Promise<RoundResult> => {
  const { tracker, clock } = ctx;
  const { issue, cause } = subjectOf(ctx);
  const revision = 'statement' in ctx ? ctx.revision : undefined;
  // Positions first: any statement behind a position read here is then in the history read after.
  const snapshot = await tracker.loadIssueState(issue);
  const history = await tracker.loadHistoryWithoutText(issue);
  const [stored, recorded] = await Promise.all([tracker.loadEpisodes(issue), tracker.loadAlertEntries(issue)]);
  const replay = replayOnce(ctx, issue, history);
  const referenced = await referencedStatements(tracker, stored, history);
  const recordedAt = clock.now();
  const plan = await quotedPlan(tracker, history, (quoted) => planReplay({
    replay, stored, snapshot, recorded, cause, recordedAt, referenced, quoted, ...(revision === undefined ? {} : { revision }),
  }));
  if (isEmptyPlan(plan)) return { snapshot, next: 'settled' };
  await writePlan({ tracker, ledger: ctx.ledger, issue }, plan);
  return { snapshot, next: 'replay' };
};
