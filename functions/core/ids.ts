/**
 * Deterministic ids. Every id is derived from the facts it names, never from a clock or a random
 * source, so a redelivery or a replay recomputes the very same ids and subscribers can dedupe on them.
 */
import { createHash } from 'node:crypto';
import type { ActorId, BlocId, DivergenceKind, IssueId } from './types.ts';

export type AlertKind = 'opened' | 'closed';

/** 80 bits of sha256: short enough for URLs and keys, far from colliding at newsroom volumes. */
const digest = (parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('|'), 'utf8').digest('hex').slice(0, 20);

/**
 * The watched pair itself, kept readable (`actor-vs-bloc:western-troops-in-ukraine:russia:allies`)
 * because editors and filters see it. Registry ids are slugs, so ':' cannot be ambiguous.
 */
export const divergenceId = (kind: DivergenceKind, issue: IssueId, actor: ActorId, bloc: BlocId | null): string =>
  bloc === null ? `${kind}:${issue}:${actor}` : `${kind}:${issue}:${actor}:${bloc}`;

/** One statement opens a given divergence at most once, so the pair names the episode. */
export const episodeId = (divergence: string, openedByStatementId: string): string =>
  `ep-${digest([divergence, openedByStatementId])}`;

export const alertId = (episode: string, transition: AlertKind): string =>
  `al-${digest([episode, transition])}-${transition}`;

export const positionChangeId = (issue: IssueId, actor: ActorId, statementId: string): string =>
  `pc-${digest([issue, actor, statementId])}`;
