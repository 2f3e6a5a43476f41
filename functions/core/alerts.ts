/**
 * Outbound event details built from core data. Pure: the adapters put them on the bus as they are.
 * Quotes are copied by reference, never re-encoded or trimmed, so they stay byte-exact.
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
): PositionsDivergedV1 => alertBody(transition.alertId, transition.episode, statementsById);

/** The Positions Converged detail of a closing; stances and gap are those at closing. */
export const convergedDetail = (
  transition: ClosedTransition,
  statementsById: ReadonlyMap<string, StatementRecord>,
): PositionsConvergedV1 => {
  const { episode } = transition;
  if (episode.closedAt === undefined) throw new Error(`episode ${episode.episodeId} has no closing time`);
  return { ...alertBody(transition.alertId, episode, statementsById), closedAt: episode.closedAt };
};
