/**
 * The read side's paged feeds: an actor's history, the alert feed and the quarantine. Every page is
 * cut by the same rule (`pageOf`: one item read past the page says whether another follows) and then
 * to what one response can carry (`withinBudget`).
 */
import { eventId } from '../../events/common.ts';
import type { ActorHistory, AlertItem, AlertsPage, QuarantinedEventItem, QuarantinePage } from '../api/schemas.ts';
import { fitEvidence } from './contracts-v1.ts';
import { compareSaid, type SaidKey } from '../core/positions.ts';
import { isCanonicalInstant } from '../core/time.ts';
import type { ActorId, StatementRecord } from '../core/types.ts';
import type { StoredEpisode, StoredQuarantinedEvent } from './ports.ts';
import { withEvidenceSoFar } from './read-evidence.ts';
import { toShownEvidence } from './read-trail.ts';
import { indexById, requireStatement } from './read-positions.ts';
import {
  InvalidCursorError, decodeCursorFields, encodeCursor, knownActor, knownIssue, pageOf, type AlertFilter, type HistoryFilter,
  type QuarantineFilter, type ReadContext, type ShownStatement, type StorePage,
} from './read-store.ts';

/**
 * What the items of one page may take in the function's response. Lambda answers at most 6 MB, and
 * the body travels in that answer as one JSON string, escaped once more, so items are measured the
 * same way; the rest is room for the envelope, headers, names and CSV framing.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

export const responseBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(JSON.stringify(value)), 'utf8');

/**
 * The leading items that fit MAX_PAGE_BYTES, and the cursor after the last of them (null when
 * nothing follows). At least one item, so that paging always moves on.
 */
export const withinBudget = <T>(page: StorePage<T>, size: (value: T) => number, budget = MAX_PAGE_BYTES): { values: T[]; nextCursor: string | null } => {
  let used = 0;
  let count = 0;
  for (const { value } of page.items) {
    used += size(value);
    if (count > 0 && used > budget) break;
    count += 1;
  }
  const last = page.items[count - 1];
  const more = count < page.items.length || page.more;
  return { values: page.items.slice(0, count).map((item) => item.value), nextCursor: more && last !== undefined ? last.cursor : null };
};

// ---------------------------------------------------------------------------------------------
// An actor's history

const HISTORY_CURSOR = ['actor', 'saidAt', 'statementId'] as const;

export const historyCursor = (statement: StatementRecord): string =>
  encodeCursor({ actor: statement.actor, saidAt: statement.saidAt, statementId: statement.statementId });

/** The statement a history cursor resumes after, checked to be one this actor's history can hold. */
export const historyPosition = (cursor: string, actor: ActorId): SaidKey => {
  const fields = decodeCursorFields(cursor, HISTORY_CURSOR, 'history');
  if (fields.actor !== actor) throw new InvalidCursorError("it belongs to another actor's history");
  if (!isCanonicalInstant(fields.saidAt) || !eventId.safeParse(fields.statementId).success) {
    throw new InvalidCursorError('it does not name a statement of the history');
  }
  return { saidAt: fields.saidAt, statementId: fields.statementId };
};

export const actorHistory = async (context: ReadContext, actor: ActorId, { issue, cursor, limit }: HistoryFilter): Promise<ActorHistory> => {
  const { reg, found } = await knownActor(context, actor);
  if (issue !== undefined) await knownIssue(context, issue);
  const after = cursor === undefined ? undefined : historyPosition(cursor, actor);
  const issues = issue === undefined ? [...reg.issues.keys()] : [issue];
  const read = await context.store.actorHistory(actor, issues, { ...(after === undefined ? {} : { after }), limit: limit + 1 });
  const page = withinBudget(
    pageOf([...read].sort(compareSaid), limit, (statement) => ({ value: statement, cursor: historyCursor(statement) })),
    // A CSV row repeats the actor's and the speaker's names.
    (statement) => responseBytes([toShownEvidence(statement), found.names, reg.speakers.get(statement.speaker ?? '')?.names ?? null]),
  );
  return { actor, names: found.names, issue: issue ?? null, statements: page.values.map(toShownEvidence), nextCursor: page.nextCursor };
};

// ---------------------------------------------------------------------------------------------
// The alert feed

/** The API's alert: the stored episode with the statements its evidence names, latest first. */
export const toAlertItem = (stored: StoredEpisode, statements: ReadonlyMap<string, ShownStatement>): AlertItem => {
  const { episode } = stored;
  const resolve = (ids: readonly string[]) =>
    ids
      .map((id) => requireStatement(statements, id, `episode ${episode.episodeId}`))
      .sort((a, b) => compareSaid(b, a))
      .map(toShownEvidence);
  return {
    episodeId: episode.episodeId,
    divergenceId: episode.divergenceId,
    kind: episode.kind,
    issue: episode.issue,
    actor: episode.actor,
    bloc: episode.bloc,
    status: stored.status,
    threshold: episode.threshold,
    actorStance: episode.actorStance,
    otherStance: episode.otherStance,
    gap: episode.gap,
    openedAt: episode.openedAt,
    closedAt: episode.closedAt ?? null,
    evidence: { actor: resolve(episode.evidence.actor), other: resolve(episode.evidence.other) },
    evidenceOmitted: { actor: 0, other: 0 },
  };
};

/**
 * An episode open for long can hold more evidence than one response carries: it then keeps its
 * latest statements, and says how many it leaves out. Escaping it once more at most doubles it.
 */
export const fitAlert = (alert: AlertItem, budget = MAX_PAGE_BYTES): AlertItem =>
  responseBytes(alert) <= budget ? alert : fitEvidence(alert, budget / 2);

export const alerts = async (context: ReadContext, filter: AlertFilter): Promise<AlertsPage> => {
  if (filter.issue !== undefined) await knownIssue(context, filter.issue);
  if (filter.actor !== undefined) await knownActor(context, filter.actor);
  const page = await context.store.episodes(filter);
  const sofar = await withEvidenceSoFar(context.store, await context.registry(), page.items.map(({ value }) => value));
  const known = indexById(sofar.statements);
  const refs = sofar.episodes.flatMap(({ evidenceRefs }) => [...evidenceRefs.actor, ...evidenceRefs.other]).filter((ref) => !known.has(ref.statementId));
  const statements = indexById([...sofar.statements, ...(await context.store.statements(refs))]);
  const items = page.items.map(({ cursor }, i) => ({ value: fitAlert(toAlertItem(sofar.episodes[i]!, statements)), cursor }));
  const fitted = withinBudget({ ...page, items }, responseBytes);
  return { alerts: fitted.values, nextCursor: fitted.nextCursor };
};

// ---------------------------------------------------------------------------------------------
// The quarantine

export const toQuarantineItem = (event: StoredQuarantinedEvent): QuarantinedEventItem => ({
  fingerprint: event.fingerprint,
  messageId: event.messageId ?? null,
  receivedAt: event.receivedAt,
  reason: event.reason,
  detailType: event.detailType ?? null,
  problems: event.problems.map(({ field, reason }) => ({ field, reason })),
  body: event.body,
  bodyBytes: event.bodyBytes ?? new TextEncoder().encode(event.body).byteLength,
  truncated: event.truncated ?? false,
});

export const quarantine = async ({ store }: ReadContext, filter: QuarantineFilter): Promise<QuarantinePage> => {
  const page = await store.quarantined(filter);
  const items = page.items.map(({ value, cursor }) => ({ value: toQuarantineItem(value), cursor }));
  const fitted = withinBudget({ ...page, items }, responseBytes);
  return { events: fitted.values, nextCursor: fitted.nextCursor };
};
