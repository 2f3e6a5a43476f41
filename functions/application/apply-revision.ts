/**
 * Applies one correction or retraction: claim its id, keep it beside its statement, and once the
 * statement is recorded make the record what it would have been had the statement been recorded
 * correctly (or never): the history item and its trail, the actor's position, then the issue's
 * divergences, episodes and alerts by replay. Every step is idempotent and re-derived from the set
 * of revisions kept, so a redelivery after a crash at any write finishes the work, and revisions
 * delivered in any order end in one record (core/corrections.ts orders them).
 *
 * A revision delivered before its statement is kept and waits: recording the statement finds it
 * (record-statement.ts) and records the statement as revised.
 */
import { revisionConflicts, revisionIdOf, revisionIdentity, type Revision } from '../core/corrections.ts';
import { ConflictingIdError } from '../core/errors.ts';
import type { FieldProblem } from '../core/errors.ts';
import type { Registry, StatementRef } from '../core/types.ts';
import type { Clock, EventPublisher, RevisedStatement, TrackerRepository } from './ports.ts';
import { statementRevisedDetails } from './corrections-v1.ts';
import { AlertLedger, type AlertCounts } from './record/alert-ledger.ts';
import { movingChanges, revisedStatement } from './revise/revised-statement.ts';
import { publishAfterRevision, settleByReplay } from './revise/settle-revision.ts';

export interface ApplyRevisionDeps {
  tracker: TrackerRepository;
  publisher: EventPublisher;
  clock: Clock;
  maxRounds?: number;
}

/** The revision asks for what is not applied yet (see movingChanges): kept in quarantine, nothing written. */
export class RevisionNotAppliedError extends Error {
  override readonly name = 'RevisionNotAppliedError';
  constructor(readonly revisionId: string, readonly problems: readonly FieldProblem[]) {
    super(`revision ${revisionId} is not applied yet: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
  }
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
  issue?: string;
  alerts: AlertCounts;
  published: number;
}

const NO_ALERTS: AlertCounts = { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 };
const DEFAULT_MAX_ROUNDS = 12;

/** The history item made what the set of revisions kept says; `undefined` while the statement is in flight. */
const rewriteRecord = async (tracker: TrackerRepository, ref: StatementRef): Promise<RevisedStatement | undefined> => {
  const [recorded, revisions] = await Promise.all([tracker.loadRecorded(ref), tracker.loadRevisions(ref.statementId)]);
  if (recorded === undefined) return undefined;
  const revised = revisedStatement(recorded.original, revisions);
  // Fewer revisions than the item reflects means a concurrent application read a later set: it wins.
  await tracker.rewriteStatement(revised);
  if (revised.effective.redacted) await tracker.redactRevisions(revisions);
  return revised;
};

export const applyRevision = async (
  { tracker, publisher, clock, maxRounds = DEFAULT_MAX_ROUNDS }: ApplyRevisionDeps,
  revision: Revision,
  registry: Registry,
): Promise<RevisionOutcome> => {
  const revisionId = revisionIdOf(revision);
  const moving = movingChanges(revision);
  if (moving.length > 0) throw new RevisionNotAppliedError(revisionId, moving);
  const identity = revisionIdentity(revision);
  const claim = await tracker.claimRevision(identity, revision);
  if (claim.status === 'conflict') throw new ConflictingIdError(revisionId, revisionConflicts(claim.recorded, identity));
  const base = { revisionId, statementId: revision.statementId, kind: revision.kind, alerts: NO_ALERTS, published: 0 };
  if (claim.statement === undefined) return { ...base, status: 'pending' };
  const revised = await rewriteRecord(tracker, claim.statement);
  if (revised === undefined) throw new StatementInFlightError(revision.statementId);
  const { record } = revised.effective;
  await tracker.recomputePosition(record.issue, record.actor);
  const ledger = new AlertLedger(tracker, record.issue);
  const cause = { revisionId, kind: revision.kind, statementId: revision.statementId, reason: revision.reason };
  const snapshot = await settleByReplay({ tracker, clock, registry, statement: record, ledger, revision: cause }, maxRounds);
  const own = statementRevisedDetails(revised.effective).filter((event) => event.detail.revisionId === revisionId);
  const published = await publishAfterRevision({ tracker, publisher, ledger }, snapshot, own);
  return { ...base, status: claim.first ? 'applied' : 'duplicate', issue: record.issue, alerts: ledger.counts, published };
};
