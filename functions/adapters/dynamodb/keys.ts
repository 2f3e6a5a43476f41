/**
 * Every key format of the tracker table, and nothing else. Repositories (and the read side) build
 * keys only through these functions, so the single-table layout can be read, reviewed and changed
 * in one place. Ids are slugs or publisher ids that cannot contain '#', so '#' is an unambiguous
 * separator, and times are canonical UTC instants, so string order is time order.
 *
 * Issue partition `ISSUE#<issue>`, the unit of consistency of the processor:
 *   S#POS#<actor>                               current position of an actor (tiny)
 *   S#OPEN#<divergenceId>                       open-episode pointer of a divergence (tiny)
 *   S#OUTBOX#<alertId>                          alert recorded but not yet published (tiny)
 *   H#<actor>#<saidAt>#<statementId>            history: every statement, by actor then said time
 *   E#<divergenceId>#<openedAt>#<episodeId>     every divergence episode, open, closed or withdrawn
 *   A#<alertId>                                 every alert, its evidence as references into history
 *   CH#<statementId>                            what recording the statement changed (a change-feed entry)
 * Statement partition `STATEMENT#<statementId>`, sort key `CLAIM`: which content the id names, for good
 * (and `rv`, set once a revision of it is known; `rd` once it is redacted); `REVISION#<revisionId>`: each correction or
 * retraction of it; `QUARANTINED#<fingerprint>`: each event quarantined as `conflicting-id` that names it.
 * Registry partition `REGISTRY`: `<KIND>#<id>` for actors, speakers, issues, blocs and watches.
 * Registry log partition `REGISTRY#LOG`: `<KIND>#<id>#<updatedAt>#<fp>`, every version applied (registry
 *   items are overwritten by newer versions, so the change feed lists these instead).
 * Quarantine partition `QUARANTINE#<fingerprint>`, sort key `EVENT`.
 * Index gsi1 (cross-partition feeds):
 *   EPISODES  / <lastActivityAt>#<episodeId>    the alert feed: episodes by the said-time of their last transition
 *   QUARANTINE/ <receivedAt>#<fingerprint>      rejected events, in arrival order
 *   CHANGES   / <recordedAt>#<changeId>         the change feed (`changeIndexKey`): every change to the record in
 *                                               the order it was recorded. Carried by items written once with
 *                                               `attribute_not_exists` (alerts, statement changes, registry log,
 *                                               revisions), so a redelivery lists nothing twice and the first
 *                                               recording time stands; `changeKind` and `changeIssue` beside it
 *                                               say what kind of change and which issue (the feed's filter).
 */
import { isCanonicalInstant } from '../../core/time.ts';
import type { ActorId, IssueId } from '../../core/types.ts';
import type { RegistryUpdate } from '../../core/registry.ts';
import type { ChangeKind, StatementRef } from '../../application/ports.ts';

export interface TableKey {
  pk: string;
  sk: string;
}

export interface IndexKey {
  gsi1pk: string;
  gsi1sk: string;
}

/** Where an item sits in a gsi1 feed: its table key and its index key, what a Query resumes from. */
export type FeedPosition = { [K in keyof (TableKey & IndexKey)]: string };

/** The feed position of an item read from gsi1 (the key attributes are named as in TableKey and IndexKey). */
export const feedPositionOf = (item: Record<string, unknown>): FeedPosition => ({
  pk: item['pk'] as string,
  sk: item['sk'] as string,
  gsi1pk: item['gsi1pk'] as string,
  gsi1sk: item['gsi1sk'] as string,
});

export type RegistryKind = RegistryUpdate['type'];

const SEP = '#';

/** `<saidAt>#<statementId>`: sorts exactly like `compareSaid` (said time, then statement id). */
export const saidKey = (ref: { saidAt: string; statementId: string }): string => `${ref.saidAt}${SEP}${ref.statementId}`;

export const parseSaidKey = (key: string): { saidAt: string; statementId: string } => {
  const at = key.indexOf(SEP);
  if (at < 0) throw new RangeError(`not a said key: '${key}'`);
  return { saidAt: key.slice(0, at), statementId: key.slice(at + 1) };
};

/**
 * Stands for "no previous statement" in a position. It sorts before every said key (a '-' is
 * below any digit), so "the previous one is older than X" needs no special case for "none".
 */
export const NO_SAID_KEY = '-';

export const ISSUE = {
  pk: (issue: IssueId): string => `ISSUE${SEP}${issue}`,
  issueOf: (pk: string): IssueId => pk.slice('ISSUE#'.length),
  /** Every item one Query must read to evaluate the issue: positions, open pointers, outbox. */
  statePrefix: 'S#',
  positionPrefix: 'S#POS#',
  openPrefix: 'S#OPEN#',
  outboxPrefix: 'S#OUTBOX#',
  historyPrefix: 'H#',
  episodePrefix: 'E#',
  alertPrefix: 'A#',
} as const;

export const positionKey = (issue: IssueId, actor: ActorId): TableKey => ({
  pk: ISSUE.pk(issue),
  sk: `${ISSUE.positionPrefix}${actor}`,
});

export const openPointerKey = (issue: IssueId, divergenceId: string): TableKey => ({
  pk: ISSUE.pk(issue),
  sk: `${ISSUE.openPrefix}${divergenceId}`,
});

export const outboxKey = (issue: IssueId, alertId: string): TableKey => ({
  pk: ISSUE.pk(issue),
  sk: `${ISSUE.outboxPrefix}${alertId}`,
});

/**
 * A statement's place in history. Episodes keep these as evidence: they name the item without a
 * lookup by id (an index on statement ids would double the cost of every history write).
 */
export const historyKey = (ref: StatementRef): TableKey => ({
  pk: ISSUE.pk(ref.issue),
  sk: `${ISSUE.historyPrefix}${ref.actor}${SEP}${saidKey(ref)}`,
});

/** Prefix of one actor's history on an issue. The trailing '#' keeps `russia` from matching `russia-today`. */
export const actorHistoryPrefix = (actor: ActorId): string => `${ISSUE.historyPrefix}${actor}${SEP}`;

/** Sort key bound of an actor's history at a said key (inclusive bounds for BETWEEN). */
export const actorHistoryBound = (actor: ActorId, key: string): string => `${actorHistoryPrefix(actor)}${key}`;

/** Sorts after every said key, all of which start with the digits of a year. */
const AFTER_EVERY_SAID_KEY = '~';

/** Inclusive BETWEEN bounds of an actor's history from a said key on (from the start without one). */
export const actorHistoryFrom = (actor: ActorId, key?: string): { from: string; to: string } => ({
  from: key === undefined ? actorHistoryPrefix(actor) : actorHistoryBound(actor, key),
  to: actorHistoryBound(actor, AFTER_EVERY_SAID_KEY),
});

/** Compact evidence reference `<actor>#<saidAt>#<statementId>` (the history sort key without `H#`). */
export const evidenceRef = (ref: Omit<StatementRef, 'issue'>): string => `${ref.actor}${SEP}${saidKey(ref)}`;

export const parseEvidenceRef = (issue: IssueId, value: string): StatementRef => {
  const at = value.indexOf(SEP);
  if (at < 0) throw new RangeError(`not an evidence reference: '${value}'`);
  return { issue, actor: value.slice(0, at), ...parseSaidKey(value.slice(at + 1)) };
};

export const episodeKey = (
  issue: IssueId,
  episode: { divergenceId: string; openedAt: string; episodeId: string },
): TableKey => ({
  pk: ISSUE.pk(issue),
  sk: `${ISSUE.episodePrefix}${episode.divergenceId}${SEP}${episode.openedAt}${SEP}${episode.episodeId}`,
});

export const EPISODES_FEED = 'EPISODES';

/** Episodes feed: by the said-time of the last transition (closing, else opening). */
export const episodeFeedKey = (episode: { episodeId: string; openedAt: string; closedAt?: string }): IndexKey => ({
  gsi1pk: EPISODES_FEED,
  gsi1sk: `${episode.closedAt ?? episode.openedAt}${SEP}${episode.episodeId}`,
});

export const alertKey = (issue: IssueId, alertId: string): TableKey => ({
  pk: ISSUE.pk(issue),
  sk: `${ISSUE.alertPrefix}${alertId}`,
});

export const CHANGES_FEED = 'CHANGES';

export type { ChangeKind } from '../../application/ports.ts';

/** The change-feed attributes of an item: its place in the feed and what the feed filters on. */
export interface ChangeIndexKey extends IndexKey {
  changeKind: ChangeKind;
  changeIssue?: IssueId;
}

/**
 * Spread into an item written once (`attribute_not_exists`), it lists the item in the change feed
 * at `recordedAt` (a canonical instant, the tracker's clock at the first recording). `id` must be
 * derived from facts (a statement, alert or revision id), so a redelivery names the same entry.
 */
export const changeIndexKey = (kind: ChangeKind, recordedAt: string, id: string, issue?: IssueId): ChangeIndexKey => ({
  gsi1pk: CHANGES_FEED,
  gsi1sk: `${recordedAt}${SEP}${id}`,
  changeKind: kind,
  ...(issue === undefined ? {} : { changeIssue: issue }),
});

export const STATEMENT_CHANGE_PREFIX = 'CH#';

/** What recording one statement changed: one per statement id, whatever the redeliveries. */
export const statementChangeKey = (issue: IssueId, statementId: string): TableKey => ({
  pk: ISSUE.pk(issue),
  sk: `${STATEMENT_CHANGE_PREFIX}${statementId}`,
});

export const STATEMENT_PK_PREFIX = `STATEMENT${SEP}`;

/**
 * Keyed by the statement id alone, whatever the issue, actor or said time: history keys carry
 * those, so two contents under one id would otherwise land on two keys and both be kept.
 */
export const claimKey = (statementId: string): TableKey => ({
  pk: `${STATEMENT_PK_PREFIX}${statementId}`,
  sk: 'CLAIM',
});

export const REVISION_PREFIX = 'REVISION#';

/** A correction or a retraction, beside the claim of the statement it revises (one Query reads them all). */
export const revisionKey = (statementId: string, revisionId: string): TableKey => ({
  pk: claimKey(statementId).pk,
  sk: `${REVISION_PREFIX}${revisionId}`,
});

export const QUARANTINED_PREFIX = 'QUARANTINED#';

/**
 * A quarantined event that names the statement (a reused id, a revision of it): found again here
 * when a retraction redacts the statement, for the quarantined body holds its text too.
 */
export const quarantinedLinkKey = (statementId: string, fingerprint: string): TableKey => ({
  pk: claimKey(statementId).pk,
  sk: `${QUARANTINED_PREFIX}${fingerprint}`,
});

export const REGISTRY_PK = 'REGISTRY';

export const registryKey = (kind: RegistryKind, id: string): TableKey => ({
  pk: REGISTRY_PK,
  sk: `${kind.toUpperCase()}${SEP}${id}`,
});

export const REGISTRY_LOG_PK = `${REGISTRY_PK}${SEP}LOG`;

/** One applied version of a registry record: its updatedAt and content fingerprint name it. */
export const registryLogKey = (kind: RegistryKind, id: string, updatedAt: string, fingerprint: string): TableKey => ({
  pk: REGISTRY_LOG_PK,
  sk: `${kind.toUpperCase()}${SEP}${id}${SEP}${updatedAt}${SEP}${fingerprint}`,
});

export const QUARANTINE_FEED = 'QUARANTINE';

/**
 * Keyed by a fingerprint of the raw body, so the same rejected event delivered again (SQS retry,
 * EventBridge duplicate) is kept once, with its first arrival time.
 */
export const quarantineKey = (fingerprint: string): TableKey => ({
  pk: `QUARANTINE${SEP}${fingerprint}`,
  sk: 'EVENT',
});

export const quarantineFeedKey = (receivedAt: string, fingerprint: string): IndexKey => ({
  gsi1pk: QUARANTINE_FEED,
  gsi1sk: `${receivedAt}${SEP}${fingerprint}`,
});

/**
 * What every part of a key this table writes is made of: slugs, publisher ids, derived ids, instants.
 * Checking a position handed back against it keeps DynamoDB from ever seeing an empty key part or
 * one past its key size limits (2048 bytes for a partition key, 1024 for a sort key).
 */
const KEY_PART = /^[A-Za-z0-9._:+-]{1,256}$/;

const isKeyPart = (value: string | undefined): value is string => value !== undefined && KEY_PART.test(value);

const samePosition = (a: FeedPosition, b: FeedPosition): boolean =>
  (['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const).every((name) => a[name] === b[name]);

/** Whether a feed position is exactly that of a quarantined event (a cursor handed back is checked with it). */
export const isQuarantineFeedPosition = (position: FeedPosition): boolean => {
  const [receivedAt, fingerprint, ...rest] = position.gsi1sk.split(SEP);
  if (!isKeyPart(receivedAt) || !isKeyPart(fingerprint) || rest.length > 0) return false;
  return samePosition(position, { ...quarantineKey(fingerprint), ...quarantineFeedKey(receivedAt, fingerprint) });
};

/** Whether a feed position is exactly that of a divergence episode (a cursor handed back is checked with it). */
export const isEpisodeFeedPosition = (position: FeedPosition): boolean => {
  const issue = position.pk.startsWith(ISSUE.pk('')) ? ISSUE.issueOf(position.pk) : undefined;
  const [divergenceId, openedAt, episodeId] = position.sk.startsWith(ISSUE.episodePrefix)
    ? position.sk.slice(ISSUE.episodePrefix.length).split(SEP)
    : [];
  // The index key holds the time of the last transition, the closing one or else the opening.
  const [lastActivityAt] = position.gsi1sk.split(SEP);
  if (!isKeyPart(issue) || !isKeyPart(divergenceId) || !isKeyPart(openedAt) || !isKeyPart(episodeId) || !isKeyPart(lastActivityAt)) {
    return false;
  }
  const episode = { divergenceId, openedAt, episodeId, closedAt: lastActivityAt };
  return samePosition(position, { ...episodeKey(issue, episode), ...episodeFeedKey(episode) });
};

/**
 * Whether a feed position is one the change feed can hold (a cursor handed back is checked with it):
 * every part of its keys a key part, the index key an instant and an id.
 */
export const isChangeFeedPosition = (position: FeedPosition): boolean => {
  const [recordedAt, id, ...rest] = position.gsi1sk.split(SEP);
  const keyParts = (key: string) => key.split(SEP).every(isKeyPart);
  return (
    position.gsi1pk === CHANGES_FEED && isKeyPart(recordedAt) && isCanonicalInstant(recordedAt) && isKeyPart(id) && rest.length === 0 &&
    keyParts(position.pk) && keyParts(position.sk) && position.sk.length <= 1024
  );
};
