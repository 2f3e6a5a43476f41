/**
 * Applies one correction or retraction: claim its id, keep it beside its statement, and once the
 * statement is recorded make the record what it would have been had the statement been recorded
 * correctly (or never): the history item and its trail, the actors' positions, then the issues'
 * divergences, episodes and alerts by replay. Every step is idempotent and re-derived from the set
 * of revisions kept, so a redelivery after a crash at any write finishes the work, and revisions
 * delivered in any order end in one record (core/corrections.ts orders them).
 *
 * A correction of the issue, the actor (a speaker brings its actor) or the said time moves the
 * statement: it is written at its effective place, and every place it had (revise/relocate.ts)
 * keeps a pointer to it; every position and issue it touched is recomputed and settled.
 *
 * A revision delivered before its statement is kept and waits: recording the statement finds it
 * (record-statement.ts) and records the statement as revised.
 */
import { revisionConflicts, revisionIdOf, revisionIdentity, type Revision } from '../core/corrections.ts';
import { ConflictingIdError } from '../core/errors.ts';
import type { Registry } from '../core/types.ts';
import type { Clock, EventPublisher, RevisionCause, TrackerRepository } from './ports.ts';
import { statementRevisedDetails } from './corrections-v1.ts';
import { AlertLedger, type AlertCounts } from './record/alert-ledger.ts';
import { relocateRecord, touchedIssues, touchedPositions, type Relocated } from './revise/relocate.ts';
import { recordRevisionChanges } from './revise/revision-change.ts';
import { publishAfterRevision, settleByReplay } from './revise/settle-revision.ts';

export interface ApplyRevisionDeps {
  tracker: TrackerRepository;
  publisher: EventPublisher;
  clock: Clock;
  maxRounds?: number;
}

/** The statement is claimed but its history item is not written yet: its own delivery is under way; retry. */
export class StatementInFlightError extends Error {
  override readonly name = 'StatementInFlightError';
  constructor(readonly statementId: string) {
    super(`statement ${statementId} is being recorded; the revision is kept and retried`);
  }
}

export interface RevisionOutcome {
  revisionId: string;
  statementId: string;
  kind: Revision['kind'];
  /** `pending`: kept until its statement arrives; `applied`/`duplicate`: the id was free, or already held by this revision. */
  status: 'applied' | 'duplicate' | 'pending';
  /** The issue the statement stands on now. */
  issue?: string;
  alerts: AlertCounts;
  published: number;
}

const NO_ALERTS: AlertCounts = { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 };
const DEFAULT_MAX_ROUNDS = 12;

const addCounts = (a: AlertCounts, b: AlertCounts): AlertCounts => ({
  opened: a.opened + b.opened, closed: a.closed + b.closed, withdrawn: a.withdrawn + b.withdrawn, reinstated: a.reinstated + b.reinstated,
});

/**
 * Every issue the statement touched settled by replay, each with the statement as it stood there as
 * the cause, then each issue's outbox published; the revision's own event goes out with its issue now.
 */
const settleIssues = async (
  { tracker, publisher, clock, maxRounds }: Required<ApplyRevisionDeps>,
  { revised, places }: Relocated,
  registry: Registry,
  cause: RevisionCause,
): Promise<{ alerts: AlertCounts; published: number }> => {
  const { record } = revised.effective;
  const own = statementRevisedDetails(revised.effective).filter((event) => event.detail.revisionId === cause.revisionId);
  let alerts = NO_ALERTS;
  let published = 0;
  for (const [issue, place] of touchedIssues(places)) {
    const ledger = new AlertLedger(tracker, issue);
    const statement = { ...record, ...place };
    const snapshot = await settleByReplay({ tracker, clock, registry, statement, ledger, revision: cause }, maxRounds);
    published += await publishAfterRevision({ tracker, publisher, ledger }, snapshot, issue === record.issue ? own : []);
    alerts = addCounts(alerts, ledger.counts);
  }
  return { alerts, published };
};

export const applyRevision = async (
  { tracker, publisher, clock, maxRounds = DEFAULT_MAX_ROUNDS }: ApplyRevisionDeps,
  revision: Revision,
  registry: Registry,
): Promise<RevisionOutcome> => {
  const revisionId = revisionIdOf(revision);
  const identity = revisionIdentity(revision);
  const claim = await tracker.claimRevision(identity, revision);
  if (claim.status === 'conflict') throw new ConflictingIdError(revisionId, revisionConflicts(claim.recorded, identity));
  const base = { revisionId, statementId: revision.statementId, kind: revision.kind, alerts: NO_ALERTS, published: 0 };
  if (claim.statement === undefined) return { ...base, status: 'pending' };
  const relocated = await relocateRecord(tracker, claim.statement);
  if (relocated === undefined) throw new StatementInFlightError(revision.statementId);
  for (const { issue, actor } of touchedPositions(relocated.places)) await tracker.recomputePosition(issue, actor);
  await recordRevisionChanges(tracker, relocated.revised.effective, clock.now(), revisionId);
  const cause = { revisionId, kind: revision.kind, statementId: revision.statementId, reason: revision.reason };
  const settled = await settleIssues({ tracker, publisher, clock, maxRounds }, relocated, registry, cause);
  return { ...base, status: claim.first ? 'applied' : 'duplicate', issue: relocated.revised.effective.record.issue, ...settled };
};
