/**
 * The read side's storage port (`ReadStore`), its errors, its cursors and its one paging rule:
 * what the read steps (`read-positions.ts`, `read-feeds.ts`) and the store behind them agree on.
 */
import type { TrailEntry } from '../core/corrections.ts';
import type { SaidKey } from '../core/positions.ts';
import type { Actor, ActorId, Issue, IssueId, Position, Registry, StatementRecord } from '../core/types.ts';
import type { ChangeRecord, StatementRef, StoredEpisode, StoredQuarantinedEvent } from './ports.ts';

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

export interface ChangeFilter {
  /** Canonical UTC instant: only changes recorded at or after it. */
  since?: string;
  issue?: IssueId;
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

/**
 * The one paging rule of every feed, whatever reads it: read up to one item past the page, in feed
 * order; the page is the first `limit` of them, each with the cursor that resumes right after it,
 * and more follow exactly when the extra one came back (so the last page says so, never an empty one after it).
 */
export const pageOf = <I, T>(read: readonly I[], limit: number, entry: (item: I) => { value: T; cursor: string }): StorePage<T> => ({
  items: read.slice(0, limit).map(entry),
  more: read.length > limit,
});

/** What the read side needs from storage. Implementations only read. */
/**
 * A statement as history shows it: the record as it now reads and, once revised, how it came to
 * read so (`corrected` when a correction was applied) or that it was withdrawn (`retracted`).
 */
export type ShownStatement = StatementRecord & {
  readonly revision?: { readonly status: 'corrected' | 'retracted' | 'recorded'; readonly trail: readonly TrailEntry[]; readonly redacted: boolean };
};

export interface ReadStore {
  loadRegistry(): Promise<Registry>;
  /** Current positions of every actor on the issue. */
  issuePositions(issue: IssueId): Promise<Position[]>;
  /** Every statement on the issue said at or before `until` (all of them without it), as corrected; retracted ones left out. */
  issueHistory(issue: IssueId, until?: string): Promise<ShownStatement[]>;
  /** The statements named; unknown ones are left out. */
  statements(refs: readonly StatementRef[]): Promise<ShownStatement[]>;
  /** The actor's current positions on the given issues (those it has one on). */
  actorPositions(actor: ActorId, issues: readonly IssueId[]): Promise<Position[]>;
  /** The first `limit` statements moving the actor's position on the given issues said after `after`, in said order. */
  actorHistory(actor: ActorId, issues: readonly IssueId[], page: { after?: SaidKey; limit: number }): Promise<ShownStatement[]>;
  /** Divergence episodes, latest activity first. Throws InvalidCursorError on a cursor it did not issue. */
  episodes(filter: AlertFilter): Promise<StorePage<StoredEpisode>>;
  /** Changes to the record in the order recorded. Throws InvalidCursorError on a cursor it did not issue. */
  changes(filter: ChangeFilter): Promise<StorePage<ChangeRecord>>;
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

/** What each step of the read side reads from: the store, and the registry as this reader caches it. */
export interface ReadContext {
  store: ReadStore;
  registry(): Promise<Registry>;
}

/** The registry and the issue it knows as `issue`; NotFoundError naming `parameter` when it does not. */
export const knownIssue = async ({ registry }: ReadContext, issue: IssueId, parameter = 'issue'): Promise<{ reg: Registry; found: Issue }> => {
  const reg = await registry();
  const found = reg.issues.get(issue);
  if (found === undefined) throw new NotFoundError(parameter, 'issue', issue);
  return { reg, found };
};

/** The registry and the actor it knows as `actor`; NotFoundError naming `parameter` when it does not. */
export const knownActor = async ({ registry }: ReadContext, actor: ActorId, parameter = 'actor'): Promise<{ reg: Registry; found: Actor }> => {
  const reg = await registry();
  const found = reg.actors.get(actor);
  if (found === undefined) throw new NotFoundError(parameter, 'actor', actor);
  return { reg, found };
};
