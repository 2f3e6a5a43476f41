/**
 * The domain vocabulary of the pure core. Plain data only: no SDK, no environment, no clock.
 * Times are ISO 8601 strings normalised to UTC with milliseconds (`2026-01-06T14:30:00.000Z`),
 * so lexical order is time order.
 */
// The core owns this vocabulary; the wire contracts (events/) are checked against it where they
// are translated (functions/application/contracts-v1.ts), so a contract that drifts fails `tsc`.

/** The fixed scale relative to an issue's proposition: -2 reject, -1 oppose, 0 undecided, +1 support, +2 commit. */
export type Stance = -2 | -1 | 0 | 1 | 2;

/** A name in English and in Arabic; the Arabic is kept byte-exact. */
export interface Names {
  en: string;
  ar: string;
}

/** A text and the language it is written in (a tag such as `ar`, `en-GB`). */
export interface LocalisedText {
  text: string;
  lang: string;
}

/** A quote in its original language, byte-exact, with an optional translation. */
export interface Quote extends LocalisedText {
  translation?: LocalisedText;
}

/** Where a statement was reported. */
export interface SourceRef {
  outlet: string;
  url?: string;
}

/** What a divergence measures: an actor against a bloc, a member against its own bloc, or an actor's own flip. */
export type DivergenceKind = 'actor-vs-bloc' | 'bloc-split' | 'reversal';

export type ActorId = string;
export type SpeakerId = string;
export type IssueId = string;
export type BlocId = string;

export interface Actor {
  id: ActorId;
  kind: 'state' | 'organisation' | 'group';
  names: Names;
  aliases: string[];
  updatedAt: string;
}

export interface Speaker {
  id: SpeakerId;
  actor: ActorId;
  names: Names;
  role?: Names;
  aliases: string[];
  updatedAt: string;
}

export interface Issue {
  id: IssueId;
  title: Names;
  proposition: Names;
  status: 'open' | 'closed';
  /** Reaches the public feeds. Absent on records stored before publication existed: not published. */
  published?: boolean;
  updatedAt: string;
}

/** A period of membership in said time: from `since` (inclusive) to `until` (exclusive); open ends are unbounded. */
export interface Tenure {
  since?: string;
  until?: string;
}

export interface Bloc {
  id: BlocId;
  names: Names;
  /** Every actor that is, was or will be a member, sorted, once each. */
  members: ActorId[];
  /**
   * The periods of membership of the members that have dates; a member without an entry is a
   * member at every time. Absent on blocs registered without dates.
   */
  tenure?: Readonly<Record<ActorId, readonly Tenure[]>>;
  updatedAt: string;
}

export interface Watch {
  id: string;
  kind: 'actor-vs-bloc' | 'bloc-split';
  /** The watched actor (actor-vs-bloc only). */
  actor?: ActorId;
  bloc: BlocId;
  issues: IssueId[] | '*';
  threshold: number;
  /** How many of the bloc's members must have a stance before the bloc has one (core/blocs.ts). */
  quorum: number;
  /** A retired watch watches nothing (core/registry.ts `watchesFor`). */
  status: 'active' | 'retired';
  updatedAt: string;
}

export interface Registry {
  actors: ReadonlyMap<ActorId, Actor>;
  speakers: ReadonlyMap<SpeakerId, Speaker>;
  issues: ReadonlyMap<IssueId, Issue>;
  blocs: ReadonlyMap<BlocId, Bloc>;
  watches: ReadonlyMap<string, Watch>;
}

/**
 * One entry of history: a quoted statement or a documented stance change, resolved to the actor
 * whose position it moves. This is also what travels as evidence.
 */
export interface StatementRecord {
  statementId: string;
  kind: 'statement' | 'stance-change';
  actor: ActorId;
  speaker?: SpeakerId;
  /**
   * The speaker and the actor as the publisher wrote them, when that was a name or an alias
   * rather than the id (`قائد الكرملين` for `putin`). Kept so the record shows what was sent;
   * not part of what the statement says (see identity.ts).
   */
  speakerAsWritten?: string;
  actorAsWritten?: string;
  issue: IssueId;
  stance: Stance;
  hedged: boolean;
  quote?: Quote;
  /** The reason of a stance change. */
  reason?: string;
  /** When it was said (or took effect), UTC, milliseconds. */
  saidAt: string;
  source: SourceRef;
  recordedBy: string;
  recordedAt?: string;
}

/** A reference to the statement a position rests on; small, so position reads stay cheap. */
export interface PositionRef {
  stance: Stance;
  hedged: boolean;
  statementId: string;
  saidAt: string;
}

/** An actor's current position on an issue: the latest statement said, and the one said before it. */
export interface Position extends PositionRef {
  issue: IssueId;
  actor: ActorId;
  /** The statement said just before the current one (drives reversal detection). */
  previous?: PositionRef;
}

/** Where a statement lives in history; episodes keep these as evidence so no lookup by id is needed. */
export interface StatementRef {
  issue: IssueId;
  actor: ActorId;
  saidAt: string;
  statementId: string;
}

/** A watched pair: who is measured against what, on which issue, from which gap on. */
export interface DivergencePair {
  divergenceId: string;
  kind: DivergenceKind;
  issue: IssueId;
  actor: ActorId;
  bloc: BlocId | null;
  threshold: number;
}

/** A divergence episode: opened by one statement, possibly closed by a later one. */
export interface Episode extends DivergencePair {
  episodeId: string;
  status: 'open' | 'closed';
  openedBy: string;
  openedAt: string;
  closedBy?: string;
  closedAt?: string;
  /** Stances and gap when it opened (and, once closed, when it closed). */
  actorStance: number;
  otherStance: number;
  gap: number;
  /** Statement ids behind the actor's side and the other side, in said order, without repeats. */
  evidence: { actor: string[]; other: string[] };
}

/** What applying one statement did, for the adapters to persist and publish. */
export type Transition =
  | { type: 'opened'; alertId: string; episode: Episode }
  | { type: 'closed'; alertId: string; episode: Episode }
  | { type: 'evidence'; episode: Episode; side: 'actor' | 'other'; statementId: string };
export type OpenedTransition = Extract<Transition, { type: 'opened' }>;
export type ClosedTransition = Extract<Transition, { type: 'closed' }>;

export interface PositionChange {
  changeId: string;
  issue: IssueId;
  actor: ActorId;
  previous: PositionRef | null;
  current: PositionRef;
  statementId: string;
}

/**
 * A statement as its publisher reported it, before it is resolved against the registry: the
 * speaker and the actor as written (a registry id, or any name or alias, English or Arabic),
 * times already in canonical UTC. Resolution (resolution.ts) turns it into a StatementRecord.
 */
export type ReportedStatement = ReportedQuote | ReportedStanceChange;

interface ReportedBase {
  statementId: string;
  issue: IssueId;
  stance: Stance;
  hedged: boolean;
  saidAt: string;
  source: SourceRef;
  recordedBy: string;
}

export interface ReportedQuote extends ReportedBase {
  kind: 'statement';
  speaker: string;
  /** The actor spoken for, when the publisher names one (it wins over the speaker's own actor). */
  actor?: string;
  quote: Quote;
  recordedAt?: string;
}

export interface ReportedStanceChange extends ReportedBase {
  kind: 'stance-change';
  actor: string;
  reason: string;
}
