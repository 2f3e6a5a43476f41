/**
 * Records one statement: history, position, divergences, alerts, outbound events. Without
 * transactions, correctness rests on three rules:
 *  - every write is conditional or idempotent, with ids derived from the facts (never a clock),
 *    so any step can be re-run after a crash at any point, by a redelivery of the same message;
 *  - an alert is recorded (alert item + outbox entry) before the write that commits its transition
 *    (the open pointer), and published only after; leftovers in the outbox are published by the
 *    next delivery that touches the issue, with the same id (record/alert-ledger.ts);
 *  - after writing, the issue is read again and re-evaluated until nothing is left to do
 *    (a fixpoint, record/settle.ts), so of two processors racing on one issue the last one to
 *    read leaves the divergences equal to what the whole set of statements implies.
 *
 * The steps, each in its own module under record/: a restatement that can change no divergence
 * takes the quiet path (record/restatement.ts: no read of the issue); any other statement settles
 * by the incremental path (in order, record/incremental-round.ts, committing openings and closings)
 * or by replay rounds (record/replay-round.ts), then publishes (record/publish-outbox.ts).
 */
import { ConflictingIdError } from '../core/errors.ts';
import { identityConflicts, statementIdentity } from '../core/identity.ts';
import type { Registry, StatementRecord } from '../core/types.ts';
import type { Clock, EventPublisher, HistoryWrite, PositionAdvance, PositionWrite, RevisedStatement, TrackerRepository } from './ports.ts';
import { AlertLedger, type AlertCounts } from './record/alert-ledger.ts';
import { publishOutbox } from './record/publish-outbox.ts';
import { quietPosition, recordRestatements, type Restatement } from './record/restatement.ts';
import { settle, type Settled } from './record/settle.ts';
import { statementChangeOf } from './record/statement-change.ts';
import { statementRevisedDetails } from './corrections-v1.ts';
import { relocateRecord, touchedPositions } from './revise/relocate.ts';
import { revisedStatement } from './revise/revised-statement.ts';
import { recordRevisionChanges } from './revise/revision-change.ts';

export { NotConvergedError } from './record/settle.ts';
export type { AlertCounts } from './record/alert-ledger.ts';

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

export interface RecordOutcome extends Omit<Settled, 'snapshot'> {
  statementId: string;
  issue: string;
  actor: string;
  history: HistoryWrite;
  position: PositionWrite;
  /** Alerts recorded for the first time by this call. */
  alerts: AlertCounts;
  /** Events put on the bus by this call (a position change and the issue's outbox). */
  published: number;
}

export const DEFAULT_MAX_ROUNDS = 12;

/** The revisions that waited for the statement, announced once it is recorded as they make it. */
const publishRevised = async (publisher: EventPublisher, revised: RevisedStatement | undefined): Promise<number> => {
  const events = revised === undefined ? [] : statementRevisedDetails(revised.effective);
  if (events.length > 0) await publisher.publish(events);
  return events.length;
};

/** An outcome without a round of settling: nothing read, nothing alerted. */
const withoutRounds = ({ statementId, issue, actor }: StatementRecord, history: HistoryWrite, position: PositionWrite, published: number): RecordOutcome => ({
  statementId, issue, actor, history, position, late: false, replayed: false, rounds: 0,
  alerts: { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 }, published,
});

/** What claiming a statement's id told: whether revisions of it came first, and whether the id was free. */
export interface ClaimedStatement {
  revised: boolean;
  /** No delivery of the id got past its claim before: nothing of the statement is in history or the change feed. */
  first: boolean;
}

/**
 * Claims the statement's id for its content, before anything is written or published: an id
 * already recorded with other content is refused (ConflictingIdError, quarantined by the caller).
 */
export const claimIdentity = async (tracker: Pick<TrackerRepository, 'claimStatement'>, statement: StatementRecord): Promise<ClaimedStatement> => {
  const identity = statementIdentity(statement);
  const claim = await tracker.claimStatement(identity);
  if (claim.status === 'conflict') throw new ConflictingIdError(statement.statementId, identityConflicts(claim.recorded, identity));
  return { revised: claim.revised === true, first: claim.first === true };
};

/** Revisions delivered before their statement (its claim says so): the statement is recorded as they make it. */
const revisedOnArrival = async (tracker: TrackerRepository, statement: StatementRecord): Promise<RevisedStatement> =>
  revisedStatement(statement, await tracker.loadRevisions(statement.statementId));

/**
 * A first claim's history goes in without a condition (recordNewStatements). Should a revision have
 * been kept meanwhile and applied to the item of a concurrent delivery of the same event, that write
 * put the unrevised record back: the record is rewritten as its revisions make it, as the revision's
 * own application does (idempotent: a rewrite never goes back to fewer revisions), and the positions
 * it counts for recomputed. The statement then goes on as one whose revisions came first.
 */
export const rewriteRevisedMeanwhile = async (tracker: TrackerRepository, { issue, actor, saidAt, statementId }: StatementRecord): Promise<ClaimedStatement> => {
  const relocated = await relocateRecord(tracker, { issue, actor, saidAt, statementId });
  if (relocated === undefined) throw new Error(`statement ${statementId} was written to history but none of its places can be read`);
  for (const place of touchedPositions(relocated.places)) await tracker.recomputePosition(place.issue, place.actor);
  return { revised: true, first: false };
};

/** What is written of a statement before anything is evaluated: its claim, history and position. */
export interface WrittenStatement {
  /** As recorded: as its revisions make it, when some came first. */
  statement: StatementRecord;
  revised?: RevisedStatement;
  history: HistoryWrite;
  /** Absent for a statement retracted before it arrived, which takes no position. */
  advance?: PositionAdvance;
  /** Its claim was first (and its id once in its batch): its change entry can be written without a condition. */
  first?: true;
}

/**
 * `claimed`: the claim's answer, when the caller claimed the id already (claims of a batch go side
 * by side); `inHistory` when the caller also wrote the history of a first claim (recordNewStatements,
 * first claims of a batch together).
 */
export const writeStatement = async (
  { tracker }: Pick<RecordStatementDeps, 'tracker'>,
  arrived: StatementRecord,
  claimed?: ClaimedStatement & { inHistory?: boolean },
): Promise<WrittenStatement> => {
  const claim: ClaimedStatement & { inHistory?: boolean } = claimed ?? (await claimIdentity(tracker, arrived));
  const revised = claim.revised ? await revisedOnArrival(tracker, arrived) : undefined;
  const history = claim.inHistory === true ? 'recorded' : await tracker.recordStatement(revised?.effective.record ?? arrived, revised);
  const withRevisions = { ...(revised === undefined ? {} : { revised }), ...(claim.first ? { first: true as const } : {}) };
  // Retracted before it arrived: in history with its trail, counting for nothing, so nothing else moves.
  if (revised?.effective.status === 'retracted') return { statement: arrived, history, ...withRevisions };
  const statement = revised?.effective.record ?? arrived;
  return { statement, history, ...withRevisions, advance: await tracker.advancePosition(statement) };
};

/**
 * New to history and said before its actor's current statement, so before the issue's latest: only
 * a replay can place it. Such statements of one batch share one replay (record/late-group.ts).
 */
export const isLateArrival = ({ history, revised, advance }: WrittenStatement): boolean =>
  history === 'recorded' && revised === undefined && advance !== undefined && advance.write !== 'current';

/** The actor's position once the statement is current, when it is a quiet restatement (no revisions). */
export const quietRestatement = ({ statement, revised, advance, first }: WrittenStatement, registry: Registry): Restatement | undefined => {
  const current = revised === undefined && advance !== undefined ? quietPosition(statement, advance, registry) : undefined;
  return current === undefined ? undefined : { statement, current, ...(first ? { first } : {}) };
};

/** Quiet restatements of one issue, written: their change entries and Position Changed events together. */
export const recordQuietRestatements = async (
  deps: RecordStatementDeps,
  written: ReadonlyArray<{ written: WrittenStatement; restatement: Restatement }>,
): Promise<RecordOutcome[]> => {
  const published = await recordRestatements(deps, written.map(({ restatement }) => restatement));
  return written.map(({ written: { statement, history } }, i) => withoutRounds(statement, history, 'current', published[i] ?? 0));
};

/**
 * What is left once the statement is written, when it needs no read of the issue: a statement
 * retracted on arrival, or a quiet restatement. `undefined` when it must settle.
 */
const settleWithoutReading = async (deps: RecordStatementDeps, written: WrittenStatement, registry: Registry): Promise<RecordOutcome | undefined> => {
  const { statement, revised, history, advance } = written;
  if (advance === undefined) {
    if (revised !== undefined) await recordRevisionChanges(deps.tracker, revised.effective, deps.clock.now());
    return withoutRounds(statement, history, 'unchanged', await publishRevised(deps.publisher, revised));
  }
  const restatement = quietRestatement(written, registry);
  return restatement === undefined ? undefined : (await recordQuietRestatements(deps, [{ written, restatement }]))[0];
};

/** Settles a written statement on its own: in order, or by replay rounds, then its change entry and publication. */
export const settleStatement = async (
  deps: RecordStatementDeps,
  written: WrittenStatement,
  registry: Registry,
): Promise<RecordOutcome> => {
  const { tracker, publisher, clock, maxRounds = DEFAULT_MAX_ROUNDS } = deps;
  const withoutReading = await settleWithoutReading(deps, written, registry);
  if (withoutReading !== undefined) return withoutReading;
  const { statement, revised, history } = written;
  const ledger = new AlertLedger(tracker, statement.issue);
  const { snapshot, ...settled } = await settle({ tracker, clock, registry, statement, ledger }, maxRounds);
  // The change-feed entries and the publication depend on the settled snapshot only: side by side.
  const [, outbox] = await Promise.all([
    (async () => {
      await tracker.recordStatementChange(statement.statementId, statementChangeOf(statement, snapshot.positions.get(statement.actor), clock.now()));
      if (revised !== undefined) await recordRevisionChanges(tracker, revised.effective, clock.now());
    })(),
    publishOutbox({ tracker, publisher, ledger, statement }, snapshot),
  ]);
  const published = outbox + (await publishRevised(publisher, revised));
  const { statementId, issue, actor } = statement;
  return { statementId, issue, actor, history, position: written.advance?.write ?? 'unchanged', ...settled, alerts: ledger.counts, published };
};

export const recordStatement = async (deps: RecordStatementDeps, statement: StatementRecord, registry: Registry): Promise<RecordOutcome> =>
  settleStatement(deps, await writeStatement(deps, statement), registry);
