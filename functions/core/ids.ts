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

/** JSON with object keys sorted, so two equal records always print the same. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/** The whole sha256 of a value's canonical JSON: equal exactly when the content is (what ids are not asked to be). */
export const contentFingerprint = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');

/** A short sha256 of one text, to tell two texts apart without keeping either. */
export const textDigest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

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

/**
 * A withdrawal or reinstatement of an episode already announced, or its closing once more after a
 * reinstatement: derived from the episode and the number of the correction, so a replay that
 * corrects the same episode again names the same alert.
 */
export const correctionAlertId = (episode: string, kind: 'withdrawn' | 'reinstated' | 'closed', revision: number): string =>
  `al-${digest([episode, kind, String(revision)])}-${kind}`;
