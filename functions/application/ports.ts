/**
 * What the statement processor needs from the outside world. The use case sees these interfaces
 * only; DynamoDB and EventBridge adapters implement them in AWS and locally, and tests may swap any
 * of them. Every write is idempotent, so any step can be re-run after a crash.
 */
import type { PositionsConvergedV1, PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import type { RegistryUpdate } from '../core/registry.ts';
import type { FieldProblem } from '../core/errors.ts';
import type { EffectiveStatement, Revision, RevisionIdentity } from '../core/corrections.ts';
import type { StatementIdentity } from '../core/identity.ts';
import type { SaidKey } from '../core/positions.ts';
import type {
  ActorId, BlocId, DivergenceKind, Episode, IssueId, Position, Registry, StatementRecord, StatementRef,
} from '../core/types.ts';

export interface Clock {
  /** Canonical UTC instant (`2026-01-06T14:30:00.000Z`). */
  now(): string;
}

/** One event for the bus: a detail-type of the catalog and its detail. */
export interface OutboundEvent {
  detailType: string;
  detail: object;
}

export interface EventPublisher {
  /** Publishes every event or throws: a partial success is retried inside, never reported as done. */
  publish(events: readonly OutboundEvent[]): Promise<void>;
}

/** Where a statement lives in history (a domain type of the core, named here too for the ports). */
export type { StatementRef } from '../core/types.ts';

export type HistoryWrite = 'recorded' | 'duplicate';

/**
 * What claiming a statement id found: free or held by this very statement (`claimed`: a first
 * delivery, a redelivery, or a retry after a crash past the claim), or held by another statement.
 * `first`: the id was free (no claim, no revision's mark), so no delivery of it got past its claim
 * before: nothing of the statement is in history or the change feed yet.
 */
export type StatementClaim = { status: 'claimed'; revised?: true; first?: true } | { status: 'conflict'; recorded: StatementIdentity };

/**
 * What claiming a revision id found. `claimed`: free or held by this very revision (`first` when it
 * was free), with where its statement sits in history once the statement is claimed too; of a
 * revision and its statement claimed side by side, at least one sees the other. `conflict`: the id
 * holds another revision.
 */
export type RevisionClaim =
  | { status: 'claimed'; first: boolean; statement?: StatementRef }
  | { status: 'conflict'; recorded: RevisionIdentity };

/** A statement and its revisions, as its history item keeps them. */
export interface RevisedStatement {
  /** As first recorded (redacted once a retraction asks it): what every revision applies to. */
  original: StatementRecord;
  effective: EffectiveStatement;
  /** How many revisions it reflects: the set only grows, so a rewrite never goes back to fewer. */
  revisions: number;
}

/** A correction or a retraction as the alerts it causes name it. */
export interface RevisionCause {
  revisionId: string;
  kind: Revision['kind'];
  statementId: string;
  reason: string;
}

/** A history item as the revision path reads it. */
export interface RecordedStatement {
  /** The record as it reads now. */
  shown: StatementRecord;
  original: StatementRecord;
  retracted: boolean;
  revisions: number;
}

/**
 * What one place in history holds for a statement: the statement itself (revised or not), or, once
 * a correction moved it (another issue, actor or said time), a pointer to where it stands now.
 */
export type HistoryPlace =
  | { ref: StatementRef; state: 'recorded'; recorded: RecordedStatement }
  | { ref: StatementRef; state: 'moved'; movedTo: StatementRef; revisions: number };

/**
 * What the conditional position write did: the statement became the actor's current position,
 * its previous one, or neither (older than both, or already there).
 */
export type PositionWrite = 'current' | 'previous' | 'unchanged';

/** A position write, and when the statement became current, the position it replaced (if the actor had one). */
export interface PositionAdvance {
  write: PositionWrite;
  replaced?: Position;
}

/** The small item that says a divergence is open, and which episode it is. */
export interface OpenPointer {
  issue: IssueId;
  divergenceId: string;
  episodeId: string;
  kind: DivergenceKind;
  actor: ActorId;
  bloc: BlocId | null;
  threshold: number;
  openedBy: string;
  openedAt: string;
  actorStance: number;
  otherStance: number;
  gap: number;
}

/** Everything one consistent Query returns to evaluate an issue. */
export interface StoredIssueState {
  issue: IssueId;
  positions: Map<ActorId, Position>;
  /** By divergenceId. */
  open: Map<string, OpenPointer>;
  /** Alerts recorded and not yet published. */
  outbox: string[];
  /** The greatest current statement of the issue, in said order. */
  watermark?: SaidKey;
}

export type EpisodeStatus = 'open' | 'closed' | 'withdrawn';

/**
 * An episode as stored. Open: as it opened (stances, gap and evidence at opening; the evidence added
 * while it stays open is in history and is materialised when it closes). Closed: as it closed.
 * Withdrawn: stored once, but a late statement's replay shows it never happened.
 */
export interface StoredEpisode {
  episode: Omit<Episode, 'status'>;
  status: EpisodeStatus;
  /** Bumped by every correction (withdrawal, reinstatement); names the correction's alert. */
  revision: number;
  evidenceRefs: { actor: StatementRef[]; other: StatementRef[] };
  /** Set when withdrawn: why. */
  withdrawnReason?: string;
}

export type AlertTransition = 'opened' | 'closed' | 'withdrawn' | 'reinstated';

interface AlertBase {
  alertId: string;
  issue: IssueId;
  episodeId: string;
  recordedAt: string;
  /**
   * Told to subscribers (queued in the outbox, then published): a change to what is open at the
   * issue's latest said time. `false`: recorded only, an episode that opened and closed in the past.
   */
  pushed: boolean;
}

export type AlertRecord =
  | (AlertBase & { transition: 'opened' | 'reinstated'; detailType: 'Positions Diverged'; detail: PositionsDivergedV1 })
  | (AlertBase & { transition: 'closed' | 'withdrawn'; detailType: 'Positions Converged'; detail: PositionsConvergedV1 });

/** What the replay needs to know of a recorded alert: which episode, which way, and whether subscribers were told. */
export type AlertEntry = Pick<AlertRecord, 'alertId' | 'episodeId' | 'transition' | 'pushed'> & { divergenceId: string };

/** What a change-feed entry records (keys.ts `changeIndexKey` lists an item under one). */
export type ChangeKind =
  | 'statement-applied' | 'position-changed' | 'statement-corrected' | 'statement-retracted'
  | 'divergence-opened' | 'divergence-closed' | 'divergence-withdrawn' | 'divergence-reinstated' | 'registry-changed';

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'statement-applied', 'position-changed', 'statement-corrected', 'statement-retracted',
  'divergence-opened', 'divergence-closed', 'divergence-withdrawn', 'divergence-reinstated', 'registry-changed',
];

/** One change to the record, as the change feed lists it. */
export interface ChangeRecord {
  /** Derived from facts (a statement, position change, alert or registry version), never a clock. */
  changeId: string;
  kind: ChangeKind;
  /** The tracker's clock when it was first recorded. */
  recordedAt: string;
  issue: IssueId | null;
  /** What it changed: plain JSON, by kind. */
  changed: Record<string, unknown>;
}

/**
 * The ids, among statements whose history went in without a condition, whose claim was marked
 * revised after it was taken (a revision kept meanwhile): their history may have been written over
 * a revision applied to a concurrent delivery's item, so it is rewritten as the revisions make it.
 */
export type RevisedMeanwhile = ReadonlySet<string>;

export interface TrackerRepository {
  /**
   * Claims the statement's id for its content, atomically and for good, before anything of the
   * statement is written: of two deliveries with different content under one id, one claims it and
   * the other finds the conflict.
   */
  claimStatement(identity: StatementIdentity): Promise<StatementClaim>;
  /**
   * Adds the statement to history unless a statement with its key is already there (claim it
   * first); with `revised`, as its revisions make it, the trail beside it.
   */
  recordStatement(statement: StatementRecord, revised?: RevisedStatement): Promise<HistoryWrite>;
  /**
   * Adds statements whose claims were `first` to history, many per call and without a condition:
   * nothing of theirs can be there yet (the claim says so), and the revision path only rewrites a
   * history item that exists (it waits while a claimed statement has none). Then reads their claims
   * again: a revision kept meanwhile may have been applied to a concurrent delivery's item, which
   * this write replaced, so those ids are returned for their history to be rewritten.
   */
  recordNewStatements(statements: readonly StatementRecord[]): Promise<RevisedMeanwhile>;
  /**
   * Claims the revision's id for its content, keeps the revision beside its statement's claim and
   * marks that claim revised (creating it, without content, when the statement is not claimed yet).
   */
  claimRevision(identity: RevisionIdentity, revision: Revision): Promise<RevisionClaim>;
  /** Every revision kept for the statement. */
  loadRevisions(statementId: string): Promise<Revision[]>;
  /** What each of these places in history holds (places holding nothing are left out). */
  loadPlaces(refs: readonly StatementRef[]): Promise<HistoryPlace[]>;
  /**
   * Writes the revised statement at the place its effective record names, then at each of `from`
   * (other than that place) a pointer to it, each write unless the place already reflects more
   * revisions: `false` when the effective place did (a concurrent application read a later set).
   */
  relocateStatement(revised: RevisedStatement, from: readonly StatementRef[]): Promise<boolean>;
  /** Replaces the statement's text in the quarantined events that name it (a reused id), and in any quarantined later. */
  redactQuarantined(statementId: string): Promise<void>;
  /** Replaces the text of the kept revisions (a corrected quote) by what a redaction leaves of them. */
  redactRevisions(revisions: readonly Revision[]): Promise<void>;
  /**
   * Makes the actor's position what its history says (current and previous, retracted statements
   * left out and barred from coming back), conditional on the item it read: a revision can take a
   * position away, which the monotonic write cannot. Retries on a concurrent write.
   */
  recomputePosition(issue: IssueId, actor: ActorId): Promise<PositionWrite>;
  /**
   * Lists what recording the statement changed in the change feed, once per statement id: the first
   * recording stands (a redelivery lists nothing twice). `false` when it was listed before.
   */
  recordStatementChange(statementId: string, change: ChangeRecord): Promise<boolean>;
  /**
   * Lists the changes of statements whose claims were `first`, many per call and without a
   * condition: no entry of theirs can be listed yet, so each is the first recording.
   */
  recordNewStatementChanges(changes: ReadonlyArray<{ statementId: string; change: ChangeRecord }>): Promise<void>;
  /**
   * Lists an applied revision in the change feed, on its kept item, once: the first recording
   * stands. `false` when it was listed before (or the revision is not kept).
   */
  recordRevisionChange(statementId: string, change: ChangeRecord): Promise<boolean>;
  /** Makes the statement the current (or previous) position when, and only when, it is said later. */
  applyPosition(statement: StatementRecord): Promise<PositionWrite>;
  /** applyPosition, telling also the position the statement replaced when it became current (read with the write, no extra call). */
  advancePosition(statement: StatementRecord): Promise<PositionAdvance>;
  /** Positions, open pointers and outbox of the issue in one strongly consistent read. */
  loadIssueState(issue: IssueId): Promise<StoredIssueState>;
  /** Every statement of the issue that counts (for a replay): retracted ones are left out. */
  loadHistory(issue: IssueId): Promise<StatementRecord[]>;
  /**
   * loadHistory without the free text (quote, stance-change reason): everything a replay of the
   * timeline reads, at a fifth of the bytes with 1 KB quotes. What an alert quotes is loaded by loadStatements.
   */
  loadHistoryWithoutText(issue: IssueId): Promise<StatementRecord[]>;
  /** One actor's statements said after `after` and at or before `upTo`, in said order. */
  /** References only (keys): a long-open episode can have many; the few an alert quotes are loaded by loadStatements. */
  loadHistoryWindow(issue: IssueId, actor: ActorId, after: SaidKey, upTo: SaidKey): Promise<StatementRef[]>;
  /** The statements named (missing ones are left out). */
  loadStatements(refs: readonly StatementRef[]): Promise<StatementRecord[]>;
  loadEpisodes(issue: IssueId): Promise<StoredEpisode[]>;
  loadEpisode(issue: IssueId, pointer: Pick<OpenPointer, 'divergenceId' | 'openedAt' | 'episodeId'>): Promise<StoredEpisode | undefined>;
  /** Creates the episode unless it exists: `false` when it was already there. */
  createEpisode(episode: StoredEpisode): Promise<boolean>;
  /** Overwrites the episode if its stored revision is still `expectedRevision`: `false` otherwise. */
  replaceEpisode(episode: StoredEpisode, expectedRevision: number): Promise<boolean>;
  /**
   * Records the alert (kept for good, first recording wins) and, when it is pushed, queues it in
   * the issue's outbox first, both idempotently: `true` when the alert was not recorded before. A
   * pushed alert recorded before as not pushed is pushed now, with the detail given.
   */
  recordAlert(alert: AlertRecord, options?: { queued?: boolean }): Promise<boolean>;
  /**
   * The outbox entry of a pushed alert about to be recorded, alone (idempotent), so it can be
   * written side by side with the reads the alert needs; `recordAlert(alert, { queued: true })`
   * then skips it. Only once this resolved may the alert be recorded.
   */
  queueAlert(issue: IssueId, alertId: string): Promise<void>;
  /** Every alert recorded for the issue, pushed or not (a replay's view of what subscribers heard). */
  loadAlertEntries(issue: IssueId): Promise<AlertEntry[]>;
  /**
   * Brings a recorded alert's detail in line with the episode as a replay now tells it (a late
   * statement changed its evidence), keeping its id and recording time; it is not queued again,
   * since subscribers dedupe on the id. `false` when the alert was never recorded.
   */
  reviseAlert(alert: AlertRecord): Promise<boolean>;
  loadAlerts(issue: IssueId, alertIds: readonly string[]): Promise<AlertRecord[]>;
  /** Deletes published alerts from the outbox. */
  clearOutbox(issue: IssueId, alertIds: readonly string[]): Promise<void>;
  /**
   * Points the divergence at the episode. With `replacing` undefined the divergence must not be
   * open; otherwise it must still point at episode `replacing`. `false` when that condition fails.
   */
  openPointer(pointer: OpenPointer, replacing?: string): Promise<boolean>;
  /** Removes the pointer if it still points at `episodeId`: `false` otherwise. */
  closePointer(issue: IssueId, divergenceId: string, episodeId: string): Promise<boolean>;
}

export type RegistryWrite = 'applied' | 'stale';

export interface RegistryRepository {
  loadRegistry(): Promise<Registry>;
  /**
   * Keeps the record with the latest updatedAt (ties broken as the core does). Throws a
   * ValidationError when the record cannot be stored at all (too large): the event is at fault.
   */
  applyUpdate(update: RegistryUpdate): Promise<RegistryWrite>;
}

/**
 * Why an event was kept aside: it breaks its contract (`invalid-event`), names what the registry
 * does not know (`unknown-reference`) or a name several registry entries share
 * (`ambiguous-reference`), is the tracker's own or an outbound type (`not-an-input`),
 * has a detail-type no contract describes (`unknown-detail-type`), or is a registry event from a
 * source not allowed to publish them (`unauthorised-source`), or reuses a statement id for other
 * content than the statement recorded under it (`conflicting-id`).
 */
export const QUARANTINE_REASONS = [
  'invalid-event', 'unknown-reference', 'ambiguous-reference', 'not-an-input', 'unknown-detail-type', 'unauthorised-source', 'conflicting-id',
] as const;

export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export interface QuarantinedEvent {
  /** The SQS body exactly as received. */
  body: string;
  messageId: string;
  reason: QuarantineReason;
  problems: FieldProblem[];
  receivedAt: string;
  detailType?: string;
}

export interface StoredQuarantinedEvent extends QuarantinedEvent {
  fingerprint: string;
  /** As read back: the size of the body as received, in UTF-8 bytes. */
  bodyBytes?: number;
  /** As read back: true when only the head of an oversized body was kept. */
  truncated?: boolean;
}

export interface QuarantineRepository {
  /** Keeps the event once however often it is delivered: `false` when it was already kept. */
  quarantine(event: QuarantinedEvent): Promise<boolean>;
  /** Latest first. */
  list(limit?: number): Promise<StoredQuarantinedEvent[]>;
}
