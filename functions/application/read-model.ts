/**
 * The read side: the questions newsroom tools ask (the matrix of an issue, an actor's positions and
 * timeline, the alert feed) answered from what the processor stored. The storage port `ReadStore`
 * hides the table; the use cases here assemble its answers with the pure core (bloc stances,
 * positions as of a date) into the API's shapes.
 */
import { eventId } from '../../events/common.ts';
import type {
  ActorHistory, ActorIssuePosition, ActorPositions, AlertItem, AlertsPage, BlocPosition, IssueSummary, Matrix,
  MatrixPosition, QuarantinedEventItem, QuarantinePage,
} from '../api/schemas.ts';
import { fitEvidence, toEvidence } from '../core/alerts.ts';
import { blocStance } from '../core/blocs.ts';
import { compareSaid, positionAsOf, refOf, type SaidKey } from '../core/positions.ts';
import { isCanonicalInstant } from '../core/time.ts';
import type { ActorId, IssueId, Names, Position, Registry, StatementRecord } from '../core/types.ts';
import type { StatementRef, StoredEpisode, StoredQuarantinedEvent } from './ports.ts';

export interface AlertFilter {
  /** Canonical UTC instant: only episodes whose last transition (closing, else opening) was said at or after it. */
  since?: string;
  issue?: IssueId;
  actor?: ActorId;
  /** true: status open; false: any other status (closed, withdrawn). */
  open?: boolean;
  /** Opaque, from the previous page. */
  cursor?: string;
  limit: number;
}

export interface QuarantineFilter {
  /** Opaque, from the previous page. */
  cursor?: string;
  limit: number;
}

export interface HistoryFilter {
  issue?: IssueId;
  /** Opaque, from the previous page. */
  cursor?: string;
  limit: number;
}

/** A page as the store reads it, in feed order: each item with the cursor that resumes right after it. */
export interface StorePage<T> {
  items: Array<{ value: T; cursor: string }>;
  /** Items follow the last one. */
  more: boolean;
}

/** What the read side needs from storage. Implementations only read. */
export interface ReadStore {
  loadRegistry(): Promise<Registry>;
  /** Current positions of every actor on the issue. */
  issuePositions(issue: IssueId): Promise<Position[]>;
  /** Every statement on the issue said at or before `until` (all of them without it). */
  issueHistory(issue: IssueId, until?: string): Promise<StatementRecord[]>;
  /** The statements named; unknown ones are left out. */
  statements(refs: readonly StatementRef[]): Promise<StatementRecord[]>;
  /** The actor's current positions on the given issues (those it has one on). */
  actorPositions(actor: ActorId, issues: readonly IssueId[]): Promise<Position[]>;
  /** The first `limit` statements moving the actor's position on the given issues said after `after`, in said order. */
  actorHistory(actor: ActorId, issues: readonly IssueId[], page: { after?: SaidKey; limit: number }): Promise<StatementRecord[]>;
  /** Divergence episodes, latest activity first. Throws InvalidCursorError on a cursor it did not issue. */
  episodes(filter: AlertFilter): Promise<StorePage<StoredEpisode>>;
  /** Rejected events, newest first. Throws InvalidCursorError on a cursor it did not issue. */
  quarantined(filter: QuarantineFilter): Promise<StorePage<StoredQuarantinedEvent>>;
}

/** A path or query parameter names an issue or actor the registry does not know. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly parameter: string,
    readonly kind: 'issue' | 'actor',
    readonly id: string,
  ) {
    super(`unknown ${kind} '${id}'`);
  }
}

/** The cursor was not issued by this API (or has been tampered with). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(reason: string) {
    super(`not a cursor issued by this API: ${reason}`);
  }
}

/** A cursor is a base64url JSON object of strings: opaque to clients, checked field by field when it comes back. */
export const encodeCursor = (fields: Readonly<Record<string, string>>): string =>
  Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');

/** The fields of a cursor, exactly `names`, each a string; InvalidCursorError for anything else. */
export const decodeCursorFields = <K extends string>(cursor: string, names: readonly K[], feed: string): Record<K, string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('it does not decode');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidCursorError('it does not decode to a position');
  const entries = Object.entries(parsed);
  const valid =
    entries.length === names.length && entries.every(([name, value]) => (names as readonly string[]).includes(name) && typeof value === 'string');
  if (!valid) throw new InvalidCursorError(`it does not name a position in the ${feed}`);
  return parsed as Record<K, string>;
};

const HISTORY_CURSOR = ['actor', 'saidAt', 'statementId'] as const;

const historyCursor = (statement: StatementRecord): string =>
  encodeCursor({ actor: statement.actor, saidAt: statement.saidAt, statementId: statement.statementId });

/** The statement a history cursor resumes after, checked to be one this actor's history can hold. */
const historyPosition = (cursor: string, actor: ActorId): SaidKey => {
  const fields = decodeCursorFields(cursor, HISTORY_CURSOR, 'history');
  if (fields.actor !== actor) throw new InvalidCursorError("it belongs to another actor's history");
  if (!isCanonicalInstant(fields.saidAt) || !eventId.safeParse(fields.statementId).success) {
    throw new InvalidCursorError('it does not name a statement of the history');
  }
  return { saidAt: fields.saidAt, statementId: fields.statementId };
};

/**
 * What the items of one page may take in the function's response. Lambda answers at most 6 MB, and
 * the body travels in that answer as one JSON string, escaped once more, so items are measured the
 * same way; the rest is room for the envelope, headers, names and CSV framing.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

const responseBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(JSON.stringify(value)), 'utf8');

/**
 * The leading items that fit MAX_PAGE_BYTES, and the cursor after the last of them (null when
 * nothing follows). At least one item, so that paging always moves on.
 */
const withinBudget = <T>(page: StorePage<T>, size: (value: T) => number): { values: T[]; nextCursor: string | null } => {
  let used = 0;
  let count = 0;
  for (const { value } of page.items) {
    used += size(value);
    if (count > 0 && used > MAX_PAGE_BYTES) break;
    count += 1;
  }
  const last = page.items[count - 1];
  const more = count < page.items.length || page.more;
  return { values: page.items.slice(0, count).map((item) => item.value), nextCursor: more && last !== undefined ? last.cursor : null };
};

/** The read API's use cases. */
export interface PositionReader {
  registry(): Promise<Registry>;
  listIssues(): Promise<IssueSummary[]>;
  issueMatrix(issue: IssueId, asOf?: string): Promise<Matrix>;
  actorPositions(actor: ActorId): Promise<ActorPositions>;
  actorHistory(actor: ActorId, filter: HistoryFilter): Promise<ActorHistory>;
  alerts(filter: AlertFilter): Promise<AlertsPage>;
  quarantine(filter: QuarantineFilter): Promise<QuarantinePage>;
}

export interface PositionReaderOptions {
  store: ReadStore;
  /**
   * How long a loaded registry is reused. The registry changes rarely and every request needs it;
   * a minute of staleness only delays a newly registered name, never a position.
   */
  registryTtlMs?: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  now?: () => number;
}

const byId = <T>(key: (item: T) => string) => (a: T, b: T): number => {
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const fallbackNames = (id: string): Names => ({ en: id, ar: id });

const requireStatement = (statements: ReadonlyMap<string, StatementRecord>, id: string, context: string): StatementRecord => {
  const statement = statements.get(id);
  // The processor puts a statement in history before it can become a position: a missing one is a bug, not a 404.
  if (statement === undefined) throw new Error(`statement ${id} behind ${context} was not found`);
  return statement;
};

const indexById = (statements: readonly StatementRecord[]): Map<string, StatementRecord> =>
  new Map(statements.map((s) => [s.statementId, s]));

export const createPositionReader = ({ store, registryTtlMs = 60_000, now = Date.now }: PositionReaderOptions): PositionReader => {
  let cached: { registry: Promise<Registry>; loadedAt: number } | undefined;

  const registry = (): Promise<Registry> => {
    const at = now();
    if (cached === undefined || at - cached.loadedAt >= registryTtlMs) {
      const loading = store.loadRegistry();
      cached = { registry: loading, loadedAt: at };
      // A failed load must not be served from the cache to the next request.
      loading.catch(() => {
        if (cached?.registry === loading) cached = undefined;
      });
    }
    return cached.registry;
  };

  const knownIssue = async (issue: IssueId, parameter = 'issue') => {
    const reg = await registry();
    const found = reg.issues.get(issue);
    if (found === undefined) throw new NotFoundError(parameter, 'issue', issue);
    return { reg, found };
  };

  const knownActor = async (actor: ActorId, parameter = 'actor') => {
    const reg = await registry();
    const found = reg.actors.get(actor);
    if (found === undefined) throw new NotFoundError(parameter, 'actor', actor);
    return { reg, found };
  };

  const matrixFrom = (
    reg: Registry,
    positions: readonly Position[],
    statements: ReadonlyMap<string, StatementRecord>,
  ): { positions: MatrixPosition[]; blocs: BlocPosition[] } => {
    const byActor = new Map(positions.map((p) => [p.actor, p]));
    const rows = [...positions].sort(byId((p) => p.actor)).map(
      (p): MatrixPosition => ({
        actor: p.actor,
        names: reg.actors.get(p.actor)?.names ?? fallbackNames(p.actor),
        stance: p.stance,
        hedged: p.hedged,
        saidAt: p.saidAt,
        statementId: p.statementId,
        evidence: toEvidence(requireStatement(statements, p.statementId, `${p.actor}'s position on ${p.issue}`)),
      }),
    );
    const blocs = [...reg.blocs.values()].sort(byId((b) => b.id)).map((bloc): BlocPosition => {
      const { stance, members } = blocStance(bloc, byActor);
      return { bloc: bloc.id, names: bloc.names, stance, members: members.map((m) => m.actor).sort() };
    });
    return { positions: rows, blocs };
  };

  return {
    registry,

    async listIssues() {
      const reg = await registry();
      return [...reg.issues.values()].sort(byId((i) => i.id)).map((issue) => ({
        issue: issue.id,
        title: issue.title,
        proposition: issue.proposition,
        status: issue.status,
      }));
    },

    async issueMatrix(issue, asOf) {
      const { reg, found } = await knownIssue(issue);
      let positions: Position[];
      let statements: Map<string, StatementRecord>;
      if (asOf === undefined) {
        positions = await store.issuePositions(issue);
        statements = indexById(await store.statements(positions.map(refOf)));
      } else {
        // The stored positions are only the latest; the past is rebuilt from the history.
        const history = await store.issueHistory(issue, asOf);
        statements = indexById(history);
        positions = [...new Set(history.map((s) => s.actor))].flatMap((actor) => {
          const ref = positionAsOf(history, actor, issue, asOf);
          return ref === undefined ? [] : [{ issue, actor, ...ref }];
        });
      }
      return {
        issue,
        title: found.title,
        proposition: found.proposition,
        asOf: asOf ?? null,
        ...matrixFrom(reg, positions, statements),
      };
    },

    async actorPositions(actor) {
      const { reg, found } = await knownActor(actor);
      const positions = await store.actorPositions(actor, [...reg.issues.keys()]);
      const statements = indexById(await store.statements(positions.map(refOf)));
      return {
        actor,
        names: found.names,
        positions: positions.sort(byId((p) => p.issue)).map(
          (p): ActorIssuePosition => ({
            issue: p.issue,
            title: reg.issues.get(p.issue)?.title ?? fallbackNames(p.issue),
            stance: p.stance,
            hedged: p.hedged,
            saidAt: p.saidAt,
            statementId: p.statementId,
            previous: p.previous === undefined ? null : { ...p.previous },
            evidence: toEvidence(requireStatement(statements, p.statementId, `${actor}'s position on ${p.issue}`)),
          }),
        ),
      };
    },

    async actorHistory(actor, { issue, cursor, limit }) {
      const { reg, found } = await knownActor(actor);
      if (issue !== undefined) await knownIssue(issue);
      const after = cursor === undefined ? undefined : historyPosition(cursor, actor);
      const issues = issue === undefined ? [...reg.issues.keys()] : [issue];
      // One more than asked: whether it comes back says whether another page follows.
      const read = [...(await store.actorHistory(actor, issues, { ...(after === undefined ? {} : { after }), limit: limit + 1 }))].sort(compareSaid);
      const page = withinBudget(
        { items: read.slice(0, limit).map((statement) => ({ value: statement, cursor: historyCursor(statement) })), more: read.length > limit },
        // A CSV row repeats the actor's and the speaker's names.
        (statement) => responseBytes([toEvidence(statement), found.names, reg.speakers.get(statement.speaker ?? '')?.names ?? null]),
      );
      return { actor, names: found.names, issue: issue ?? null, statements: page.values.map(toEvidence), nextCursor: page.nextCursor };
    },

    async alerts(filter) {
      if (filter.issue !== undefined) await knownIssue(filter.issue);
      if (filter.actor !== undefined) await knownActor(filter.actor);
      const page = await store.episodes(filter);
      const refs = page.items.flatMap(({ value: { evidenceRefs } }) => [...evidenceRefs.actor, ...evidenceRefs.other]);
      const statements = indexById(await store.statements(refs));
      const resolve = ({ episode }: StoredEpisode, ids: readonly string[]) =>
        ids
          .map((id) => requireStatement(statements, id, `episode ${episode.episodeId}`))
          .sort((a, b) => compareSaid(b, a))
          .map(toEvidence);
      const toAlert = (stored: StoredEpisode): AlertItem => ({
        episodeId: stored.episode.episodeId,
        divergenceId: stored.episode.divergenceId,
        kind: stored.episode.kind,
        issue: stored.episode.issue,
        actor: stored.episode.actor,
        bloc: stored.episode.bloc,
        status: stored.status,
        threshold: stored.episode.threshold,
        actorStance: stored.episode.actorStance,
        otherStance: stored.episode.otherStance,
        gap: stored.episode.gap,
        openedAt: stored.episode.openedAt,
        closedAt: stored.episode.closedAt ?? null,
        evidence: { actor: resolve(stored, stored.episode.evidence.actor), other: resolve(stored, stored.episode.evidence.other) },
        evidenceOmitted: { actor: 0, other: 0 },
      });
      // An episode open for long can hold more evidence than one response carries: it then keeps its
      // latest statements, and says how many it leaves out. Escaping it once more at most doubles it.
      const fitted = (alert: AlertItem): AlertItem =>
        responseBytes(alert) <= MAX_PAGE_BYTES ? alert : fitEvidence(alert, MAX_PAGE_BYTES / 2);
      const alerts = withinBudget({ ...page, items: page.items.map(({ value, cursor }) => ({ value: fitted(toAlert(value)), cursor })) }, responseBytes);
      return { alerts: alerts.values, nextCursor: alerts.nextCursor };
    },

    async quarantine(filter) {
      const page = await store.quarantined(filter);
      const toItem = (event: StoredQuarantinedEvent): QuarantinedEventItem => ({
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
      const events = withinBudget({ ...page, items: page.items.map(({ value, cursor }) => ({ value: toItem(value), cursor })) }, responseBytes);
      return { events: events.values, nextCursor: events.nextCursor };
    },
  };
};
