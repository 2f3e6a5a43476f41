/**
 * Outbound event details built from core data. Pure: the adapters put them on the bus as they are.
 * Quotes are copied by reference, never re-encoded or trimmed, so they stay byte-exact; an alert
 * whose evidence would not fit one EventBridge entry leaves out whole statements, and says so.
 */
import type { PositionChangedV1 } from '../../events/outbound/position-changed.v1.ts';
import type { PositionsConvergedV1, PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import { MAX_EVIDENCE_PER_SIDE, type Evidence } from '../../events/outbound/evidence.ts';
import { compareSaid } from './positions.ts';
import type { Episode, PositionChange, StatementRecord, Transition } from './types.ts';

export type OpenedTransition = Extract<Transition, { type: 'opened' }>;
export type ClosedTransition = Extract<Transition, { type: 'closed' }>;

/** A statement as evidence: who recorded it and when stay internal. */
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

const resolve = (ids: readonly string[], statementsById: ReadonlyMap<string, StatementRecord>, episode: Episode): Evidence[] =>
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
      actor: resolve(ids.actor, statementsById, episode),
      other: resolve(ids.other, statementsById, episode),
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
