/**
 * Item shapes of the tracker table and their mapping to and from the domain. Positions, open
 * pointers and outbox entries use one- or two-letter attribute names on purpose: every statement
 * reads all of them for its issue, and at 50 members a few bytes per item decide between 2 and 3
 * read units. History, episodes and alerts are read rarely and keep readable names.
 */
import type { Stance } from '../../../events/common.ts';
import { refOf } from '../../core/positions.ts';
import type {
  AlertEntry, AlertRecord, AlertTransition, ChangeKind, ChangeRecord, OpenPointer, RecordedStatement, RevisedStatement, StatementRef, StoredEpisode,
  StoredQuarantinedEvent,
} from '../../application/ports.ts';
import type { Revision, RevisionIdentity, TrailEntry } from '../../core/corrections.ts';
import type { ShownStatement } from '../../application/read-store.ts';
import type { RegistryUpdate } from '../../core/registry.ts';
import type { FieldSummary, StatementIdentity } from '../../core/identity.ts';
import type { DivergenceKind, Position, StatementRecord } from '../../core/types.ts';
import type { Item } from './document-client.ts';
import { toEvidence } from '../../application/contracts-v1.ts';
import {
  ISSUE, NO_SAID_KEY, REVISION_PREFIX, STATEMENT_PK_PREFIX, alertKey, changeIndexKey, claimKey, episodeFeedKey, episodeKey, evidenceRef,
  historyKey, openPointerKey, parseEvidenceRef, parseSaidKey, quarantineFeedKey, quarantineKey, registryLogKey, revisionKey, statementChangeKey,
} from './keys.ts';

/** Current position: `ck` said key, `s` stance, `h` hedged; previous: `p` said key (or NO_SAID_KEY), `ps`, `ph`. */
export interface PositionItem {
  pk: string;
  sk: string;
  ck: string;
  s: number;
  h: boolean;
  p: string;
  ps: number;
  ph: boolean;
}

export const positionFromItem = (item: Item): Position => {
  const row = item as unknown as PositionItem;
  const current = parseSaidKey(row.ck);
  const position: Position = {
    issue: ISSUE.issueOf(row.pk),
    actor: row.sk.slice(ISSUE.positionPrefix.length),
    stance: row.s as Stance,
    hedged: row.h,
    ...current,
  };
  if (row.p !== undefined && row.p !== NO_SAID_KEY) {
    position.previous = { stance: row.ps as Stance, hedged: row.ph, ...parseSaidKey(row.p) };
  }
  return position;
};

/** Open pointer: `ep` episode, `ob`/`oa` opened by/at, `k` kind, `a` actor, `b` bloc, `t` threshold, `as`/`os`/`g` at opening. */
export const pointerToItem = (pointer: OpenPointer): Item => ({
  ...openPointerKey(pointer.issue, pointer.divergenceId),
  ep: pointer.episodeId,
  ob: pointer.openedBy,
  oa: pointer.openedAt,
  k: pointer.kind,
  a: pointer.actor,
  ...(pointer.bloc === null ? {} : { b: pointer.bloc }),
  t: pointer.threshold,
  as: pointer.actorStance,
  os: pointer.otherStance,
  g: pointer.gap,
});

export const pointerFromItem = (item: Item): OpenPointer => ({
  issue: ISSUE.issueOf(item['pk'] as string),
  divergenceId: (item['sk'] as string).slice(ISSUE.openPrefix.length),
  episodeId: item['ep'] as string,
  kind: item['k'] as DivergenceKind,
  actor: item['a'] as string,
  bloc: (item['b'] as string | undefined) ?? null,
  threshold: item['t'] as number,
  openedBy: item['ob'] as string,
  openedAt: item['oa'] as string,
  actorStance: item['as'] as number,
  otherStance: item['os'] as number,
  gap: item['g'] as number,
});

/** The statement as published, quote and all, byte-exact, with the names as the publisher wrote them. */
export const historyToItem = (statement: StatementRecord): Item => ({
  ...historyKey(refOf(statement)),
  statementId: statement.statementId,
  kind: statement.kind,
  actor: statement.actor,
  speaker: statement.speaker,
  speakerAsWritten: statement.speakerAsWritten,
  actorAsWritten: statement.actorAsWritten,
  issue: statement.issue,
  stance: statement.stance,
  hedged: statement.hedged,
  quote: statement.quote,
  reason: statement.reason,
  saidAt: statement.saidAt,
  source: statement.source,
  recordedBy: statement.recordedBy,
  recordedAt: statement.recordedAt,
});

/**
 * A revised statement's history item: the record as it now reads (what every reader sees), and
 * beside it what it is made from and how it came to read so (REVISION_ATTRIBUTES).
 */
export const revisedHistoryToItem = (revised: RevisedStatement): Item => {
  const { effective } = revised;
  return {
    ...historyToItem(effective.record),
    original: revised.original,
    status: effective.status,
    trail: effective.trail,
    ...(effective.retraction === undefined ? {} : { retraction: effective.retraction }),
    redacted: effective.redacted,
    rn: revised.revisions,
  };
};

/** What a revised history item holds beside the record; none of it belongs to the statement. */
const REVISION_ATTRIBUTES = ['original', 'status', 'trail', 'retraction', 'redacted', 'rn'] as const;

export const historyFromItem = (item: Item): StatementRecord => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  for (const name of REVISION_ATTRIBUTES) delete rest[name];
  return rest as unknown as StatementRecord;
};

/** The history item as the read side shows it: the record, and once revised its status and trail. */
export const shownFromItem = (item: Item): ShownStatement => {
  const record = historyFromItem(item);
  if (item['trail'] === undefined) return record;
  const trail = item['trail'] as TrailEntry[];
  const corrected = trail.some((entry) => entry.kind === 'correction' && entry.outcome === 'applied');
  const status = item['status'] === 'retracted' ? 'retracted' : corrected ? 'corrected' : 'recorded';
  return { ...record, revision: { status, trail, redacted: item['redacted'] === true } };
};

/** The history item as the revision path reads it: the record shown and, once revised, what it is made from. */
export const recordedFromItem = (item: Item): RecordedStatement => {
  const shown = historyFromItem(item);
  if (item['original'] === undefined) return { shown, original: shown, retracted: false, revisions: 0 };
  return {
    shown,
    original: item['original'] as StatementRecord,
    retracted: item['status'] === 'retracted',
    revisions: item['rn'] as number,
  };
};

/** A retracted statement stays in history (readable, with its trail) but counts for nothing. */
export const isRetractedItem = (item: Item): boolean => item['status'] === 'retracted';

/**
 * Where a correction moved a statement from (another issue, actor or said time): a pointer to its
 * place now, with no text of it (a redaction has nothing to reach here), and `rn` like the item it
 * replaced, so a stale application never overwrites a later one.
 */
export const movedToItem = (ref: StatementRef, movedTo: StatementRef, revisions: number): Item => ({
  ...historyKey(ref),
  statementId: ref.statementId,
  status: 'moved',
  movedTo,
  rn: revisions,
});

/** A place a statement left: replays, positions and every history read skip it; references to it follow `movedTo`. */
export const isMovedItem = (item: Item): boolean => item['status'] === 'moved';

export const movedToOf = (item: Item): StatementRef => item['movedTo'] as StatementRef;

/** A history item that counts for positions and divergences: neither retracted nor moved away. */
export const countsInHistory = (item: Item): boolean => !isRetractedItem(item) && !isMovedItem(item);

/** The statement reference a history item's sort key names. */
export const historyRefOf = (item: Item): StatementRef =>
  parseEvidenceRef(ISSUE.issueOf(item['pk'] as string), (item['sk'] as string).slice(ISSUE.historyPrefix.length));

/** A position item can hold only the said keys of its actor's retracted statements (`rx`), and no position. */
export const holdsPosition = (item: Item): boolean => item['ck'] !== undefined;

/** `|<said key>|` for each retracted statement of the actor: what `contains(rx, :rk)` looks for. */
export const retractedKeysAttribute = (keys: readonly string[]): string => (keys.length === 0 ? '' : `|${keys.join('|')}|`);
export const retractedKeyNeedle = (key: string): string => `|${key}|`;

const CLAIM_VALUE = 'v:';
const CLAIM_TEXT = 't:';

/** One attribute per field: `v:<path>` its value, or for free text `t:<path>` as `<bytes>:<digest>`. */
const summaryAttributes = (fields: Record<string, FieldSummary>): Item => {
  const item: Item = {};
  for (const [path, summary] of Object.entries(fields)) {
    if (summary.kind === 'value') item[`${CLAIM_VALUE}${path}`] = summary.value;
    else item[`${CLAIM_TEXT}${path}`] = `${summary.bytes}:${summary.digest}`;
  }
  return item;
};

const summariesOf = (item: Item): Record<string, FieldSummary> => {
  const fields: Record<string, FieldSummary> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(CLAIM_VALUE)) {
      fields[name.slice(CLAIM_VALUE.length)] = { kind: 'value', value: value as string | number | boolean };
    } else if (name.startsWith(CLAIM_TEXT)) {
      const [bytes, digest] = String(value).split(':');
      fields[name.slice(CLAIM_TEXT.length)] = { kind: 'text', bytes: Number(bytes), digest: digest ?? '' };
    }
  }
  return fields;
};

/**
 * Statement claim: `fp` the content fingerprint, then one attribute per field of the record (see
 * summaryAttributes). Scalars only, so the item returned by a failed condition reads without the
 * DocumentClient, and it stays under 1 KB.
 */
export const claimToItem = (identity: StatementIdentity): Item => ({
  ...claimKey(identity.statementId),
  fp: identity.fingerprint,
  ...summaryAttributes(identity.fields),
});

export const claimFromItem = (item: Item): StatementIdentity => ({
  statementId: (item['pk'] as string).slice(STATEMENT_PK_PREFIX.length),
  fingerprint: item['fp'] as string,
  fields: summariesOf(item),
});

/** Where the claimed statement sits in history, from the values its claim keeps. */
export const claimedRef = (identity: StatementIdentity): StatementRef => {
  const value = (path: string): string => {
    const field = identity.fields[path];
    if (field?.kind !== 'value') throw new Error(`the claim of statement ${identity.statementId} has no ${path}`);
    return String(field.value);
  };
  return { issue: value('issue'), actor: value('actor'), saidAt: value('saidAt'), statementId: identity.statementId };
};

/**
 * A correction or a retraction: its identity as a claim keeps it (what a conflict is told by) and
 * the revision itself (what the effective statement is made from; redacted with its statement).
 */
export const revisionToItem = (identity: RevisionIdentity, revision: Revision): Item => ({
  ...revisionKey(revision.statementId, identity.revisionId),
  fp: identity.fingerprint,
  ...summaryAttributes(identity.fields),
  revision,
});

export const revisionIdentityFromItem = (item: Item): RevisionIdentity => ({
  revisionId: (item['sk'] as string).slice(REVISION_PREFIX.length),
  fingerprint: item['fp'] as string,
  fields: summariesOf(item),
});

export const revisionFromItem = (item: Item): Revision => item['revision'] as Revision;

const encodeRefs = (refs: readonly StatementRef[]): string[] => refs.map((ref) => evidenceRef(ref));

export const episodeToItem = (stored: StoredEpisode): Item => {
  const { episode } = stored;
  return {
    ...episodeKey(episode.issue, episode),
    ...episodeFeedKey(episode),
    episodeId: episode.episodeId,
    divergenceId: episode.divergenceId,
    kind: episode.kind,
    issue: episode.issue,
    actor: episode.actor,
    bloc: episode.bloc,
    threshold: episode.threshold,
    status: stored.status,
    openedBy: episode.openedBy,
    openedAt: episode.openedAt,
    closedBy: episode.closedBy,
    closedAt: episode.closedAt,
    actorStance: episode.actorStance,
    otherStance: episode.otherStance,
    gap: episode.gap,
    evidence: { actor: encodeRefs(stored.evidenceRefs.actor), other: encodeRefs(stored.evidenceRefs.other) },
    revision: stored.revision,
    withdrawnReason: stored.withdrawnReason,
  };
};

export const episodeFromItem = (item: Item): StoredEpisode => {
  const issue = item['issue'] as string;
  const evidence = item['evidence'] as { actor: string[]; other: string[] };
  const actorRefs = evidence.actor.map((value) => parseEvidenceRef(issue, value));
  const otherRefs = evidence.other.map((value) => parseEvidenceRef(issue, value));
  const closedBy = item['closedBy'] as string | undefined;
  const closedAt = item['closedAt'] as string | undefined;
  const withdrawnReason = item['withdrawnReason'] as string | undefined;
  return {
    episode: {
      episodeId: item['episodeId'] as string,
      divergenceId: item['divergenceId'] as string,
      kind: item['kind'] as DivergenceKind,
      issue,
      actor: item['actor'] as string,
      bloc: (item['bloc'] as string | null | undefined) ?? null,
      threshold: item['threshold'] as number,
      openedBy: item['openedBy'] as string,
      openedAt: item['openedAt'] as string,
      ...(closedBy === undefined ? {} : { closedBy }),
      ...(closedAt === undefined ? {} : { closedAt }),
      actorStance: item['actorStance'] as number,
      otherStance: item['otherStance'] as number,
      gap: item['gap'] as number,
      evidence: { actor: actorRefs.map((r) => r.statementId), other: otherRefs.map((r) => r.statementId) },
    },
    status: item['status'] as StoredEpisode['status'],
    revision: (item['revision'] as number | undefined) ?? 0,
    evidenceRefs: { actor: actorRefs, other: otherRefs },
    ...(withdrawnReason === undefined ? {} : { withdrawnReason }),
  };
};

/**
 * An alert keeps its detail with the evidence as references into history instead of the quotes
 * themselves: history already holds every quote byte-exact, and an alert can carry twenty of
 * them, which would make each alert write cost twenty-odd units. Loading an alert rebuilds the
 * detail exactly as published from those statements.
 */
export interface StoredAlert {
  record: Omit<AlertRecord, 'detail'> & { detail: Record<string, unknown> };
  evidence: { actor: StatementRef[]; other: StatementRef[] };
}

type EvidenceLike = { statementId: string; actor: string; saidAt: string; issue: string };

/** An alert is a change to the record of its own: the feed lists it by its transition. */
export const ALERT_CHANGE_KINDS: Readonly<Record<AlertTransition, ChangeKind>> = {
  opened: 'divergence-opened',
  closed: 'divergence-closed',
  withdrawn: 'divergence-withdrawn',
  reinstated: 'divergence-reinstated',
};

export const alertToItem = (alert: AlertRecord): Item => {
  const { evidence, ...detail } = alert.detail as typeof alert.detail & { evidence: { actor: EvidenceLike[]; other: EvidenceLike[] } };
  const refs = (items: EvidenceLike[]) => items.map((e) => evidenceRef(e));
  return {
    ...alertKey(alert.issue, alert.alertId),
    ...changeIndexKey(ALERT_CHANGE_KINDS[alert.transition], alert.recordedAt, alert.alertId, alert.issue),
    alertId: alert.alertId,
    issue: alert.issue,
    episodeId: alert.episodeId,
    transition: alert.transition,
    detailType: alert.detailType,
    detail,
    evidence: { actor: refs(evidence.actor), other: refs(evidence.other) },
    recordedAt: alert.recordedAt,
    pushed: alert.pushed,
  };
};

/** Alerts recorded before some were recorded only (not pushed) carry no flag: every one of them was pushed. */
const pushedOf = (item: Item): boolean => item['pushed'] !== false;

export const alertEntryFromItem = (item: Item): AlertEntry => ({
  alertId: item['alertId'] as string,
  episodeId: item['episodeId'] as string,
  transition: item['transition'] as AlertRecord['transition'],
  pushed: pushedOf(item),
  divergenceId: (item['detail'] as { divergenceId: string }).divergenceId,
});

/** The compact form, for a revision: same shape as alertToItem's detail and evidence attributes. */
export const alertDetailAttributes = (alert: AlertRecord): { detail: Item; evidence: Item } => {
  const item = alertToItem(alert);
  return { detail: item['detail'] as Item, evidence: item['evidence'] as Item };
};

export const storedAlertFromItem = (item: Item): StoredAlert => {
  const issue = item['issue'] as string;
  const evidence = item['evidence'] as { actor: string[]; other: string[] };
  return {
    record: {
      alertId: item['alertId'] as string,
      issue,
      episodeId: item['episodeId'] as string,
      transition: item['transition'] as AlertRecord['transition'],
      detailType: item['detailType'] as AlertRecord['detailType'],
      detail: item['detail'] as Record<string, unknown>,
      recordedAt: item['recordedAt'] as string,
      pushed: pushedOf(item),
    } as StoredAlert['record'],
    evidence: {
      actor: evidence.actor.map((value) => parseEvidenceRef(issue, value)),
      other: evidence.other.map((value) => parseEvidenceRef(issue, value)),
    },
  };
};

/** The alert as published, from its stored form and the statements its evidence names. */
export const alertFromStored = (stored: StoredAlert, statementsById: ReadonlyMap<string, StatementRecord>): AlertRecord => {
  const resolve = (refs: StatementRef[]) =>
    refs.map((ref) => {
      const statement = statementsById.get(ref.statementId);
      if (statement === undefined) throw new Error(`evidence ${ref.statementId} of alert ${stored.record.alertId} is not in history`);
      return toEvidence(statement);
    });
  return {
    ...stored.record,
    detail: { ...stored.record.detail, evidence: { actor: resolve(stored.evidence.actor), other: resolve(stored.evidence.other) } },
  } as AlertRecord;
};

// ---------------------------------------------------------------------------------------------
// The change feed. Items written for it hold what the change changed as one `changed` map; an alert
// item, which already holds it as its detail, lends that instead.

/** What recording a statement changed, listed in the change feed (a few hundred bytes: no quote). */
export const statementChangeToItem = (statementId: string, change: ChangeRecord): Item => {
  if (change.issue === null) throw new TypeError(`the change ${change.changeId} of statement ${statementId} names no issue`);
  return {
    ...statementChangeKey(change.issue, statementId),
    ...changeIndexKey(change.kind, change.recordedAt, change.changeId, change.issue),
    changed: change.changed,
  };
};

/** One applied version of a registry record, for the change feed (registry items themselves are overwritten). */
export const registryLogToItem = (update: RegistryUpdate, fingerprint: string, recordedAt: string): Item => {
  const changeId = `rg-${fingerprint.slice(0, 20)}`;
  const issue = update.type === 'issue' ? update.record.id : undefined;
  return {
    ...registryLogKey(update.type, update.record.id, update.record.updatedAt, fingerprint),
    ...changeIndexKey('registry-changed', recordedAt, changeId, issue),
    changed: { registryKind: update.type, id: update.record.id, updatedAt: update.record.updatedAt, record: update.record },
  };
};

const alertChanged = (item: Item): Record<string, unknown> => {
  const { schemaVersion: _version, ...detail } = item['detail'] as Record<string, unknown>;
  // Recorded-only alerts (episodes wholly in the past) are part of the record, so the feed lists
  // them too, and says which ones subscribers were sent.
  return { transition: item['transition'], pushed: pushedOf(item), ...detail };
};

/** A change-feed entry from any item the feed lists. */
export const changeFromItem = (item: Item): ChangeRecord => {
  const position = item['gsi1sk'] as string;
  const at = position.indexOf('#');
  return {
    changeId: position.slice(at + 1),
    kind: item['changeKind'] as ChangeKind,
    recordedAt: position.slice(0, at),
    issue: (item['changeIssue'] as string | undefined) ?? null,
    changed: (item['changed'] as Record<string, unknown> | undefined) ?? alertChanged(item),
  };
};

/** DynamoDB's item limit is 400 KB; a larger body is kept as its head, flagged, with its fingerprint. */
export const MAX_QUARANTINED_BODY_BYTES = 350_000;
const MAX_ITEM_BYTES = 400 * 1024;
/** Attribute names, type tags and the keys, over-estimated. */
const ITEM_OVERHEAD_BYTES = 2_048;

/** Where to cut UTF-8 at or below `limit` bytes without splitting a character: before any continuation byte. */
const characterBoundary = (bytes: Buffer, limit: number): number => {
  let cut = limit;
  while (cut > 0 && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return cut;
};

export const quarantineToItem = (event: StoredQuarantinedEvent): Item => {
  const bytes = Buffer.from(event.body, 'utf8');
  // The body gets what the rest of the item leaves, so even long problems never make it unstorable.
  const rest = Buffer.byteLength(JSON.stringify([event.problems, event.detailType, event.messageId, event.receivedAt, event.reason]), 'utf8');
  const budget = Math.min(MAX_QUARANTINED_BODY_BYTES, MAX_ITEM_BYTES - ITEM_OVERHEAD_BYTES - rest);
  const truncated = bytes.byteLength > budget;
  return {
    ...quarantineKey(event.fingerprint),
    ...quarantineFeedKey(event.receivedAt, event.fingerprint),
    fingerprint: event.fingerprint,
    // The head is the body's first bytes exactly (no character split into U+FFFD); the fingerprint names the whole.
    body: truncated ? bytes.subarray(0, characterBoundary(bytes, budget)).toString('utf8') : event.body,
    bodyBytes: bytes.byteLength,
    ...(truncated ? { truncated: true } : {}),
    messageId: event.messageId,
    reason: event.reason,
    problems: event.problems,
    receivedAt: event.receivedAt,
    detailType: event.detailType,
  };
};

export const quarantineFromItem = (item: Item): StoredQuarantinedEvent => ({
  fingerprint: item['fingerprint'] as string,
  body: item['body'] as string,
  messageId: item['messageId'] as string,
  reason: item['reason'] as StoredQuarantinedEvent['reason'],
  problems: item['problems'] as StoredQuarantinedEvent['problems'],
  receivedAt: item['receivedAt'] as string,
  ...(item['detailType'] === undefined ? {} : { detailType: item['detailType'] as string }),
  ...(typeof item['bodyBytes'] === 'number' ? { bodyBytes: item['bodyBytes'] } : {}),
  truncated: item['truncated'] === true,
});

