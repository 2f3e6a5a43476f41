/**
 * The replay path: the issue's whole history replayed by the core, and the stored episodes and
 * pointers made equal to it. Taken for a statement said before the watermark, after a crash left
 * work behind, or when a race was lost.
 */
import { replayIssue } from '../../core/tracker.ts';
import { isEmptyPlan, planReplay, type ReplayPlan } from '../episode-plan.ts';
import type { RecordContext, RoundResult } from './context.ts';

/**
 * Carries a plan out in its order: alerts, then episodes, then pointers, each later write being the
 * commit point of the earlier ones. A failed condition means another writer moved first; the next
 * round re-reads and decides.
 */
export const writePlan = async ({ tracker, ledger, statement }: Pick<RecordContext, 'tracker' | 'ledger' | 'statement'>, plan: ReplayPlan): Promise<void> => {
  for (const alert of plan.alerts) await ledger.record(alert);
  for (const alert of plan.revisions) await ledger.revise(alert);
  for (const write of plan.episodes) {
    if (write.type === 'create') await tracker.createEpisode(write.episode);
    else await tracker.replaceEpisode(write.episode, write.expectedRevision);
  }
  for (const write of plan.pointers) {
    if (write.type === 'open') await tracker.openPointer(write.pointer, write.replacing);
    else await tracker.closePointer(statement.issue, write.divergenceId, write.episodeId);
  }
};

/** One round of the replay path: read everything, compare with the replay, write the differences. */
export const replayRound = async (ctx: RecordContext): Promise<RoundResult> => {
  const { tracker, registry, statement, clock } = ctx;
  // Positions first: any statement behind a position read here is then in the history read after.
  const snapshot = await tracker.loadIssueState(statement.issue);
  const history = await tracker.loadHistory(statement.issue);
  const [stored, recorded] = await Promise.all([tracker.loadEpisodes(statement.issue), tracker.loadAlertEntries(statement.issue)]);
  const replay = replayIssue(statement.issue, history, registry);
  const plan = planReplay({ replay, stored, snapshot, recorded, cause: statement, recordedAt: clock.now() });
  if (isEmptyPlan(plan)) return { snapshot, next: 'settled' };
  await writePlan(ctx, plan);
  return { snapshot, next: 'replay' };
};
