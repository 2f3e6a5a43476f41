/**
 * The replay path: the issue's whole history replayed by the core, and the stored episodes and
 * pointers made equal to it. Taken for a statement said before the watermark, after a crash left
 * work behind, or when a race was lost.
 */
import { refOf } from '../../core/positions.ts';
import { replayIssue } from '../../core/tracker.ts';
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
 * Carries a plan out in its order: alerts, then episodes, then pointers, each later write being the
 * commit point of the earlier ones. A failed condition means another writer moved first; the next
 * round re-reads and decides.
 */
export const writePlan = async (
  ctx: Pick<RecordContext, 'tracker' | 'ledger' | 'statement'> | Pick<RegistryReplayContext, 'tracker' | 'ledger' | 'issue'>,
  plan: ReplayPlan,
): Promise<void> => {
  const { tracker, ledger } = ctx;
  const issue = 'statement' in ctx ? ctx.statement.issue : ctx.issue;
  for (const alert of plan.alerts) await ledger.record(alert);
  for (const alert of plan.revisions) await ledger.revise(alert);
  for (const write of plan.episodes) {
    if (write.type === 'create') await tracker.createEpisode(write.episode);
    else await tracker.replaceEpisode(write.episode, write.expectedRevision);
  }
  for (const write of plan.pointers) {
    if (write.type === 'open') await tracker.openPointer(write.pointer, write.replacing);
    else await tracker.closePointer(issue, write.divergenceId, write.episodeId);
  }
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

/** One round of the replay path: read everything, compare with the replay, write the differences. */
export const replayRound = async (ctx: ReplayContext): Promise<RoundResult> => {
  const { tracker, registry, clock } = ctx;
  const { issue, cause } = subjectOf(ctx);
  const revision = 'statement' in ctx ? ctx.revision : undefined;
  // Positions first: any statement behind a position read here is then in the history read after.
  const snapshot = await tracker.loadIssueState(issue);
  const history = await tracker.loadHistoryWithoutText(issue);
  const [stored, recorded] = await Promise.all([tracker.loadEpisodes(issue), tracker.loadAlertEntries(issue)]);
  const replay = replayIssue(issue, history, registry);
  const referenced = await referencedStatements(tracker, stored, history);
  const recordedAt = clock.now();
  const plan = await quotedPlan(tracker, history, (quoted) => planReplay({
    replay, stored, snapshot, recorded, cause, recordedAt, referenced, quoted, ...(revision === undefined ? {} : { revision }),
  }));
  if (isEmptyPlan(plan)) return { snapshot, next: 'settled' };
  await writePlan({ tracker, ledger: ctx.ledger, issue }, plan);
  return { snapshot, next: 'replay' };
};
