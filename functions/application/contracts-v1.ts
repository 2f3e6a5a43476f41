/**
 * The v1 contracts at the edge of the application: the one place where versioned event details
 * (events/) become records of the core, and where the core's results become the details the
 * tracker publishes. The core imports nothing from events/: a v2 contract gets a module of its
 * own beside this one, and the core stays as it is.
 *
 * In: registry details become registry updates, inbound details become reported statements (times
 * in canonical UTC, speaker and actor still as written; the core resolves them). Out: records
 * become evidence, position changes and alert transitions become Position Changed, Positions
 * Diverged and Positions Converged details, cut to fit one EventBridge entry.
 */
import type { Names as ContractNames, Quote as ContractQuote, SourceRef as ContractSourceRef, Stance as ContractStance } from '../../events/common.ts';
import { STANCE_CHANGED, type StanceChangedV1 } from '../../events/inbound/stance-changed.v1.ts';
import { STATEMENT_RECORDED, type StatementRecordedV1 } from '../../events/inbound/statement-recorded.v1.ts';
import type {
  DivergenceKind as ContractDivergenceKind, PositionsConvergedV1, PositionsDivergedV1,
} from '../../events/outbound/divergence-alert.v1.ts';
import { MAX_EVIDENCE_PER_SIDE, type Evidence } from '../../events/outbound/evidence.ts';
import type { PositionChangedV1 } from '../../events/outbound/position-changed.v1.ts';
import {
  ACTOR_REGISTERED, BLOC_REGISTERED, DEFAULT_QUORUM, ISSUE_REGISTERED, SPEAKER_REGISTERED, WATCH_REGISTERED,
  type ActorRegisteredV1, type BlocRegisteredV1, type IssueRegisteredV1, type SpeakerRegisteredV1, type WatchRegisteredV1,
} from '../../events/registry/registry-events.v1.ts';
import type { ParsedEvent } from '../../events/validation.ts';
import { ValidationError } from '../core/errors.ts';
import { DETAIL_TYPE_OF_KIND } from '../core/identity.ts';
import { canonicalJson } from '../core/ids.ts';
import { DEFAULT_QUORUM as CORE_DEFAULT_QUORUM } from '../core/registry.ts';
import { compareSaid } from '../core/positions.ts';
import type { RegistryUpdate } from '../core/registry.ts';
import { normaliseInstant } from '../core/time.ts';
import type {
  Actor, Bloc, ClosedTransition, DivergenceKind, Episode, Issue, Names, OpenedTransition, PositionChange, Quote, ReportedStatement,
  SourceRef, Stance, StatementRecord, Tenure, Watch,
} from '../core/types.ts';

// ---------------------------------------------------------------------------------------------
// The core's vocabulary, checked against the contracts: a contract that drifts fails `tsc` here.

/** True exactly when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const CORE_VOCABULARY_MATCHES_V1 = {
  stance: true,
  names: true,
  quote: true,
  sourceRef: true,
  divergenceKind: true,
  actorKind: true,
  issueStatus: true,
  watchKind: true,
  watchStatus: true,
  defaultQuorum: true,
  statementKind: true,
  detailTypeOfKind: true,
} as const satisfies {
  stance: Same<Stance, ContractStance>;
  names: Same<Names, ContractNames>;
  quote: Same<Quote, ContractQuote>;
  sourceRef: Same<SourceRef, ContractSourceRef>;
  divergenceKind: Same<DivergenceKind, ContractDivergenceKind>;
  actorKind: Same<Actor['kind'], ActorRegisteredV1['kind']>;
  issueStatus: Same<Issue['status'], IssueRegisteredV1['status']>;
  watchKind: Same<Watch['kind'], WatchRegisteredV1['kind']>;
  watchStatus: Same<Watch['status'], WatchRegisteredV1['status']>;
  /** A watch stored before quorums existed gets the core's default; a new one the contract's: the same. */
  defaultQuorum: Same<typeof CORE_DEFAULT_QUORUM, typeof DEFAULT_QUORUM>;
  statementKind: Same<StatementRecord['kind'], Evidence['kind']>;
  detailTypeOfKind: Same<typeof DETAIL_TYPE_OF_KIND, { readonly statement: typeof STATEMENT_RECORDED; readonly 'stance-change': typeof STANCE_CHANGED }>;
};

// ---------------------------------------------------------------------------------------------
// In: registry and inbound details.

export type RegistryDetailV1 =
  | { detailType: typeof ACTOR_REGISTERED; detail: ActorRegisteredV1 }
  | { detailType: typeof SPEAKER_REGISTERED; detail: SpeakerRegisteredV1 }
  | { detailType: typeof ISSUE_REGISTERED; detail: IssueRegisteredV1 }
  | { detailType: typeof BLOC_REGISTERED; detail: BlocRegisteredV1 }
  | { detailType: typeof WATCH_REGISTERED; detail: WatchRegisteredV1 };

export type InboundDetailV1 =
  | { detailType: typeof STATEMENT_RECORDED; detail: StatementRecordedV1 }
  | { detailType: typeof STANCE_CHANGED; detail: StanceChangedV1 };

export type RegistryEventV1 = Extract<ParsedEvent, RegistryDetailV1>;
export type InboundEventV1 = Extract<ParsedEvent, InboundDetailV1>;

const REGISTRY_DETAIL_TYPES: ReadonlySet<string> = new Set([ACTOR_REGISTERED, SPEAKER_REGISTERED, ISSUE_REGISTERED, BLOC_REGISTERED, WATCH_REGISTERED]);
const INBOUND_DETAIL_TYPES: ReadonlySet<string> = new Set([STATEMENT_RECORDED, STANCE_CHANGED]);

export const isRegistryEvent = (event: ParsedEvent): event is RegistryEventV1 =>
  event.schemaVersion === '1' && REGISTRY_DETAIL_TYPES.has(event.detailType);
export const isInboundEvent = (event: ParsedEvent): event is InboundEventV1 =>
  event.schemaVersion === '1' && INBOUND_DETAIL_TYPES.has(event.detailType);

/**
 * A time of a detail in canonical UTC. Validation refuses what cannot be normalised, so this only
 * throws on a contract that lets too much through; it then names the field, because the event, not
 * the moment, is at fault and retrying it cannot help.
 */
const instantAt = (field: string, value: string): string => {
  try {
    return normaliseInstant(value);
  } catch (error) {
    throw new ValidationError([{ field, reason: error instanceof Error ? error.message : String(error) }]);
  }
};

/**
 * A bloc's members as the core keeps them: every actor once, sorted, and the periods of those listed
 * with dates. Order carries no meaning, so sorting keeps equal blocs equal; an actor also listed
 * without dates is a member at every time, whatever periods it is listed for besides.
 */
export const membershipOf = (members: BlocRegisteredV1['members']): Pick<Bloc, 'members' | 'tenure'> => {
  const always = new Set<string>();
  const periods = new Map<string, Tenure[]>();
  members.forEach((member, index) => {
    if (typeof member === 'string') {
      always.add(member);
      return;
    }
    const tenure: Tenure = {
      ...(member.since === undefined ? {} : { since: instantAt(`detail.members.${index}.since`, member.since) }),
      ...(member.until === undefined ? {} : { until: instantAt(`detail.members.${index}.until`, member.until) }),
    };
    periods.set(member.actor, [...(periods.get(member.actor) ?? []), tenure]);
  });
  const dated = [...periods].filter(([actor]) => !always.has(actor)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tenure = Object.fromEntries(dated.map(([actor, list]) => [actor, [...list].sort((a, b) => canonicalJson(a) < canonicalJson(b) ? -1 : 1)]));
  return {
    members: [...new Set([...always, ...periods.keys()])].sort(),
    ...(dated.length === 0 ? {} : { tenure }),
  };
};

/** A validated registry detail (defaults applied) as an update of the core registry. */
export const toRegistryUpdate = (input: RegistryDetailV1): RegistryUpdate => {
  // Callers are typed, but a detail can still come from plain JSON (a seed file, a tool).
  if (!REGISTRY_DETAIL_TYPES.has(input.detailType)) throw new TypeError(`'${input.detailType}' is not a registry detail-type`);
  const updatedAt = instantAt('detail.updatedAt', input.detail.updatedAt);
  switch (input.detailType) {
    case ACTOR_REGISTERED: {
      const d = input.detail;
      return { type: 'actor', record: { id: d.actor, kind: d.kind, names: d.names, aliases: [...d.aliases], updatedAt } };
    }
    case SPEAKER_REGISTERED: {
      const d = input.detail;
      return {
        type: 'speaker',
        record: { id: d.speaker, actor: d.actor, names: d.names, ...(d.role ? { role: d.role } : {}), aliases: [...d.aliases], updatedAt },
      };
    }
    case ISSUE_REGISTERED: {
      const d = input.detail;
      return {
        type: 'issue',
        record: { id: d.issue, title: d.title, proposition: d.proposition, status: d.status, published: d.published, updatedAt },
      };
    }
    case BLOC_REGISTERED: {
      const d = input.detail;
      return { type: 'bloc', record: { id: d.bloc, names: d.names, ...membershipOf(d.members), updatedAt } };
    }
    case WATCH_REGISTERED: {
      const d = input.detail;
      return {
        type: 'watch',
        record: {
          id: d.watch,
          kind: d.kind,
          ...(d.actor !== undefined ? { actor: d.actor } : {}),
          bloc: d.bloc,
          issues: d.issues === '*' ? '*' : [...new Set(d.issues)].sort(),
          threshold: d.threshold,
          quorum: d.quorum,
          status: d.status,
          updatedAt,
        },
      };
    }
    default: {
      const unexpected: never = input;
      return unexpected;
    }
  }
};

/**
 * A validated inbound detail as the statement its publisher reported: times in canonical UTC, the
 * speaker and the actor as written (an id, a name or an alias), for the core to resolve.
 */
export const toReportedStatement = (input: InboundDetailV1): ReportedStatement => {
  if (input.detailType === STANCE_CHANGED) {
    const d = input.detail;
    return {
      kind: 'stance-change',
      statementId: d.changeId,
      actor: d.actor,
      issue: d.issue,
      stance: d.stance,
      hedged: d.hedged,
      reason: d.reason,
      saidAt: instantAt('detail.effectiveAt', d.effectiveAt),
      source: d.source,
      recordedBy: d.recordedBy,
    };
  }
  const d = input.detail;
  return {
    kind: 'statement',
    statementId: d.statementId,
    speaker: d.speaker,
    ...(d.actor !== undefined ? { actor: d.actor } : {}),
    issue: d.issue,
    stance: d.stance,
    hedged: d.hedged,
    quote: d.quote,
    saidAt: instantAt('detail.saidAt', d.saidAt),
    source: d.source,
    recordedBy: d.recordedBy,
    ...(d.recordedAt !== undefined ? { recordedAt: instantAt('detail.recordedAt', d.recordedAt) } : {}),
  };
};

const DETAIL_TYPES_V1 = { statement: STATEMENT_RECORDED, 'stance-change': STANCE_CHANGED } as const;

/** The inbound detail-type a record was resolved from. */
export const detailTypeOf = (statement: Pick<StatementRecord, 'kind'>): string => DETAIL_TYPES_V1[statement.kind];

// ---------------------------------------------------------------------------------------------
// Out: evidence, Position Changed, Positions Diverged and Positions Converged. Quotes are copied
// by reference, never re-encoded or trimmed, so they stay byte-exact; an alert whose evidence would
// not fit one EventBridge entry leaves out whole statements, and says so.

/** A statement as evidence: who recorded it and when, and how the publisher spelt names, stay internal. */
export const toEvidence = (statement: StatementRecord): Evidence => ({
  statementId: statement.statementId,
  kind: statement.kind,
  actor: statement.actor,
  ...(statement.speaker === undefined ? {} : { speaker: statement.speaker }),
  issue: statement.issue,
  stance: statement.stance,
  hedged: statement.hedged,
  ...(statement.quote === undefined ? {} : { quote: statement.quote }),
  ...(statement.reason === undefined ? {} : { reason: statement.reason }),
  saidAt: statement.saidAt,
  source: statement.source,
});

/**
 * UTF-8 bytes an alert's detail may take as JSON. EventBridge refuses an entry over 256 KB, counted
 * as the UTF-8 bytes of Source, DetailType, Detail and Resources, plus 14 for Time. Read strictly
 * (256,000 bytes), less the longest Source (256) and DetailType (128) EventBridge accepts and a
 * Time, that leaves 255,602; the rest is a margin, so the alert fits whatever the publisher adds.
 */
export const MAX_ALERT_DETAIL_BYTES = 250_000;

export type EvidenceOmitted = { actor: number; other: number };
/** An alert event's detail, or the read API's alert: both carry evidence latest first, side by side. */
type WithEvidence = { evidence: { actor: Evidence[]; other: Evidence[] }; evidenceOmitted?: EvidenceOmitted };

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * The detail with as much of its evidence as fits `maxBytes`: each side keeps its latest
 * statements, taken in turns so that neither side crowds the other out; a side stops at its first
 * statement that does not fit, so what is left out is always its oldest. The statements left out
 * are added to `evidenceOmitted`. A detail that already fits comes back as it was.
 */
export const fitEvidence = <D extends WithEvidence>(detail: D, maxBytes = MAX_ALERT_DETAIL_BYTES): D & { evidenceOmitted: EvidenceOmitted } => {
  const before = detail.evidenceOmitted ?? { actor: 0, other: 0 };
  const { evidence } = detail;
  const allOmitted = { actor: before.actor + evidence.actor.length, other: before.other + evidence.other.length };
  // The detail without evidence, its counts at their largest: smaller counts take no more digits.
  let used = jsonBytes({ ...detail, evidence: { actor: [], other: [] }, evidenceOmitted: allOmitted });
  const kept: EvidenceOmitted = { actor: 0, other: 0 };
  const open = { actor: true, other: true };
  for (let rank = 0; open.actor || open.other; rank += 1) {
    for (const side of ['actor', 'other'] as const) {
      if (!open[side]) continue;
      const item = evidence[side][rank];
      // A comma before every item but the first.
      const cost = item === undefined ? Infinity : jsonBytes(item) + (rank === 0 ? 0 : 1);
      if (used + cost > maxBytes) {
        open[side] = false;
        continue;
      }
      used += cost;
      kept[side] += 1;
    }
  }
  return {
    ...detail,
    evidence: { actor: evidence.actor.slice(0, kept.actor), other: evidence.other.slice(0, kept.other) },
    evidenceOmitted: { actor: allOmitted.actor - kept.actor, other: allOmitted.other - kept.other },
  } as D & { evidenceOmitted: EvidenceOmitted };
};

/**
 * The statement ids an alert about this episode carries, latest first, capped per side. Episode
 * evidence is kept in said order, so these are the ones the adapter needs to load, and no more.
 */
export const alertEvidenceIds = (episode: Episode): { actor: string[]; other: string[] } => ({
  actor: episode.evidence.actor.slice(-MAX_EVIDENCE_PER_SIDE).reverse(),
  other: episode.evidence.other.slice(-MAX_EVIDENCE_PER_SIDE).reverse(),
});

const evidenceOf = (ids: readonly string[], statementsById: ReadonlyMap<string, StatementRecord>, episode: Episode): Evidence[] =>
  ids
    .map((id) => {
      const statement = statementsById.get(id);
      // Publishing an alert without the quote that proves it would defeat its purpose.
      if (statement === undefined) throw new Error(`evidence statement ${id} of episode ${episode.episodeId} was not provided`);
      return statement;
    })
    .sort((a, b) => compareSaid(b, a))
    .map(toEvidence);

const alertBody = (alertId: string, episode: Episode, statementsById: ReadonlyMap<string, StatementRecord>) => {
  const ids = alertEvidenceIds(episode);
  return {
    schemaVersion: '1' as const,
    alertId,
    episodeId: episode.episodeId,
    divergenceId: episode.divergenceId,
    kind: episode.kind,
    issue: episode.issue,
    actor: episode.actor,
    bloc: episode.bloc,
    actorStance: episode.actorStance,
    otherStance: episode.otherStance,
    gap: episode.gap,
    threshold: episode.threshold,
    openedAt: episode.openedAt,
    evidence: {
      actor: evidenceOf(ids.actor, statementsById, episode),
      other: evidenceOf(ids.other, statementsById, episode),
    },
    evidenceOmitted: {
      actor: episode.evidence.actor.length - ids.actor.length,
      other: episode.evidence.other.length - ids.other.length,
    },
  };
};

export const positionChangedDetail = (change: PositionChange, evidence: StatementRecord): PositionChangedV1 => {
  if (evidence.statementId !== change.statementId) {
    throw new Error(`evidence ${evidence.statementId} is not the statement behind change ${change.changeId} (${change.statementId})`);
  }
  return {
    schemaVersion: '1',
    changeId: change.changeId,
    issue: change.issue,
    actor: change.actor,
    previous: change.previous === null ? null : { ...change.previous },
    current: { ...change.current },
    evidence: toEvidence(evidence),
  };
};

/** The Positions Diverged detail of an opening; stances and gap are those at opening. */
export const divergedDetail = (
  transition: OpenedTransition,
  statementsById: ReadonlyMap<string, StatementRecord>,
): PositionsDivergedV1 => fitEvidence(alertBody(transition.alertId, transition.episode, statementsById));

/** The Positions Converged detail of a closing; stances and gap are those at closing. */
export const convergedDetail = (
  transition: ClosedTransition,
  statementsById: ReadonlyMap<string, StatementRecord>,
): PositionsConvergedV1 => {
  const { episode } = transition;
  if (episode.closedAt === undefined) throw new Error(`episode ${episode.episodeId} has no closing time`);
  return fitEvidence({ ...alertBody(transition.alertId, episode, statementsById), closedAt: episode.closedAt });
};
