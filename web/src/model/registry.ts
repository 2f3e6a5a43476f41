/**
 * The registry as the app knows it: rebuilt from the change feed's `registry-changed` entries
 * (each carries the record as applied; a later `updatedAt` wins, as in the processor), plus what
 * the feed says about revisions of statements. The read API has no registry route; the feed,
 * which the app follows anyway for live updates, holds every version.
 */
import type { Registry, Speaker } from '../../../functions/core/types.ts';
import type { ChangeItem, Names } from '../api/types.ts';

/** The feed's records are the core's registry records as stored. */
export type RegistrySpeaker = Speaker;

/** A correction or a retraction of a statement, as the feed reports it. */
export interface RevisionNote {
  revisionId: string;
  kind: 'correction' | 'retraction';
  statementId: string;
  reason: string;
}

/** The core's registry, kept current in place as the feed brings versions, with what the feed says of revisions. */
export type RegistryView = { [K in keyof Registry]: Registry[K] extends ReadonlyMap<infer Id, infer Entry> ? Map<Id, Entry> : never } & {
  revisions: Map<string, RevisionNote[]>;
  /** The revision that withdrew an episode, by episode id. */
  withdrawals: Map<string, RevisionNote>;
};

export const emptyRegistry = (): RegistryView => ({
  actors: new Map(), speakers: new Map(), issues: new Map(), blocs: new Map(), watches: new Map(), revisions: new Map(), withdrawals: new Map(),
});

const KIND_TO_MAP = { actor: 'actors', speaker: 'speakers', issue: 'issues', bloc: 'blocs', watch: 'watches' } as const;

const memberIds = (members: unknown): string[] =>
  Array.isArray(members)
    ? [...new Set(members.flatMap((member: unknown) => (typeof member === 'string' ? [member] : typeof member === 'object' && member !== null && 'actor' in member && typeof member.actor === 'string' ? [member.actor] : [])))]
    : [];

const updatedAt = (record: unknown): string =>
  typeof record === 'object' && record !== null && 'updatedAt' in record && typeof record.updatedAt === 'string' ? record.updatedAt : '';

const applyRegistryChange = (view: RegistryView, changed: Record<string, unknown>): void => {
  const kind = changed['registryKind'];
  const record = changed['record'] as Record<string, unknown> | undefined;
  if (typeof kind !== 'string' || !(kind in KIND_TO_MAP) || record === undefined || typeof record['id'] !== 'string') return;
  const map = view[KIND_TO_MAP[kind as keyof typeof KIND_TO_MAP]] as Map<string, unknown>;
  const known = map.get(record['id']);
  if (known !== undefined && updatedAt(known) > updatedAt(record)) return;
  if (kind === 'bloc') map.set(record['id'], { ...record, members: memberIds(record['members']) });
  else if (kind === 'actor' || kind === 'speaker') {
    const aliases = Array.isArray(record['aliases']) ? record['aliases'].filter((alias): alias is string => typeof alias === 'string') : [];
    map.set(record['id'], { ...record, aliases });
  } else map.set(record['id'], record);
};

const revisionOf = (value: unknown): RevisionNote | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  const { revisionId, kind, statementId, reason } = value as Record<string, unknown>;
  if (typeof statementId !== 'string' || typeof reason !== 'string') return undefined;
  return {
    revisionId: typeof revisionId === 'string' ? revisionId : `${statementId}:${reason}`,
    kind: kind === 'retraction' ? 'retraction' : 'correction',
    statementId,
    reason,
  };
};

const noteRevision = (view: RegistryView, note: RevisionNote | undefined): void => {
  if (note === undefined) return;
  const notes = view.revisions.get(note.statementId) ?? [];
  if (!notes.some((known) => known.revisionId === note.revisionId)) view.revisions.set(note.statementId, [...notes, note]);
};

/** Folds changes into the view (in place), whatever their order; answers whether the registry itself changed. */
export const applyChanges = (view: RegistryView, changes: readonly ChangeItem[]): boolean => {
  let registryChanged = false;
  for (const change of changes) {
    const changed = change.changed as Record<string, unknown>;
    if (change.kind === 'registry-changed') {
      applyRegistryChange(view, changed);
      registryChanged = true;
    } else if (change.kind === 'statement-corrected' || change.kind === 'statement-retracted') {
      noteRevision(view, revisionOf({ kind: change.kind === 'statement-retracted' ? 'retraction' : 'correction', ...(changed['revision'] as object ?? changed) }));
    } else if (change.kind === 'divergence-withdrawn') {
      const note = revisionOf(changed['revision']);
      noteRevision(view, note);
      if (note !== undefined && typeof changed['episodeId'] === 'string') view.withdrawals.set(changed['episodeId'], note);
    }
  }
  return registryChanged;
};

/** A name in the chosen language, or the id when the registry does not know it (yet). */
export const nameIn = (names: Names | undefined, lang: 'en' | 'ar', fallback: string): string => names?.[lang] ?? fallback;
