/**
 * Domain results as what the write path stores and publishes: alert records and outbound events.
 * The only module of the write path that builds v1 details, so a change of the translation layer
 * is a change of this file's imports.
 */
import { alertEvidenceIds, convergedDetail, divergedDetail, fitEvidence, positionChangedDetail } from '../contracts-v1.ts';
import { positionChangeOf } from '../../core/positions.ts';
import type { Episode, Position, PositionChange, StatementRecord } from '../../core/types.ts';
import { POSITION_CHANGED } from '../../../events/catalog.ts';
import type { AlertRecord, OutboundEvent } from '../ports.ts';

type EpisodeFacts = Omit<Episode, 'status'>;

interface AlertFacts {
  alertId: string;
  /** The statements the alert quotes, by id (at least those `evidenceIdsOf` names). */
  statements: ReadonlyMap<string, StatementRecord>;
  recordedAt: string;
  /** Told to subscribers; the incremental path's transitions are at the latest said time, so always. */
  pushed?: boolean;
}

/** A Positions Diverged alert: an opening, or the reinstatement of one withdrawn or closed since. */
export const divergedAlert = (
  opening: EpisodeFacts,
  transition: 'opened' | 'reinstated',
  { alertId, statements, recordedAt, pushed = true }: AlertFacts,
): AlertRecord => ({
  alertId,
  issue: opening.issue,
  episodeId: opening.episodeId,
  transition,
  detailType: 'Positions Diverged',
  detail: divergedDetail({ type: 'opened', alertId, episode: { ...opening, status: 'open' } }, statements),
  recordedAt,
  pushed,
});

/** A Positions Converged alert: a closing, or the withdrawal of an episode a replay no longer has. */
export const convergedAlert = (
  closing: EpisodeFacts,
  transition: 'closed' | 'withdrawn',
  { alertId, statements, recordedAt, pushed = true }: AlertFacts,
): AlertRecord => ({
  alertId,
  issue: closing.issue,
  episodeId: closing.episodeId,
  transition,
  detailType: 'Positions Converged',
  detail: convergedDetail({ type: 'closed', alertId, episode: { ...closing, status: 'closed' } }, statements),
  recordedAt,
  pushed,
});

/** The statements an alert about this episode quotes: the only ones worth loading for it. */
export const evidenceIdsOf = (episode: Episode): string[] => {
  const ids = alertEvidenceIds(episode);
  return [...ids.actor, ...ids.other];
};

/**
 * The alert as it goes on the bus. An alert recorded before evidence was capped by bytes may be too
 * large for one entry, and would hold up the issue's outbox for good; for every other alert fitting
 * changes nothing.
 */
export const outboundAlert = (alert: AlertRecord): OutboundEvent => ({ detailType: alert.detailType, detail: fitEvidence(alert.detail) });

/**
 * The Position Changed event of a statement, when it is (still) its actor's current position once
 * the issue has settled; a statement said before the current one changed nothing to announce.
 */
export const positionChangedEvent = (statement: StatementRecord, current: Position | undefined): OutboundEvent | undefined => {
  const change = settledPositionChange(statement, current);
  return change === undefined ? undefined : { detailType: POSITION_CHANGED, detail: positionChangedDetail(change, statement) };
};

/** The position change a statement made, when it is (still) its actor's current position once the issue has settled. */
export const settledPositionChange = (statement: StatementRecord, current: Position | undefined): PositionChange | undefined =>
  current === undefined || current.statementId !== statement.statementId ? undefined : positionChangeOf(statement, current.previous);
