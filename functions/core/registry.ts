/**
 * The registry: actors, speakers, issues, blocs and watches, kept as data. Registry events are
 * upserts that can arrive late, twice and out of order (EventBridge, SQS), so every update is
 * applied by a rule that makes the result depend only on the SET of updates: per id, the record
 * with the latest `updatedAt` wins, and equal `updatedAt` is broken by the record's canonical JSON.
 */
import { canonicalJson } from './ids.ts';
import type { FieldProblem } from './errors.ts';
import { normaliseInstant } from './time.ts';
import type { Actor, Bloc, Issue, IssueId, Registry, Speaker, Watch } from './types.ts';

export type RegistryUpdate =
  | { type: 'actor'; record: Actor }
  | { type: 'speaker'; record: Speaker }
  | { type: 'issue'; record: Issue }
  | { type: 'bloc'; record: Bloc }
  | { type: 'watch'; record: Watch };

type RecordOf<T extends RegistryUpdate['type']> = Extract<RegistryUpdate, { type: T }>['record'];

const COLLECTIONS = {
  actor: 'actors',
  speaker: 'speakers',
  issue: 'issues',
  bloc: 'blocs',
  watch: 'watches',
} as const satisfies Record<RegistryUpdate['type'], keyof Registry>;

export const emptyRegistry = (): Registry => ({
  actors: new Map(),
  speakers: new Map(),
  issues: new Map(),
  blocs: new Map(),
  watches: new Map(),
});

/** True when `candidate` should replace `current`: a later updatedAt, or on a tie the greater canonical JSON. */
const supersedes = (candidate: { updatedAt: string }, current: { updatedAt: string }): boolean => {
  const a = normaliseInstant(candidate.updatedAt);
  const b = normaliseInstant(current.updatedAt);
  if (a !== b) return a > b;
  return canonicalJson(candidate) > canonicalJson(current);
};

/** Applies one update without touching `registry`; returns `registry` itself when nothing changes. */
export const applyRegistryUpdate = (registry: Registry, update: RegistryUpdate): Registry => {
  const key = COLLECTIONS[update.type];
  const collection = registry[key] as ReadonlyMap<string, RecordOf<typeof update.type>>;
  const current = collection.get(update.record.id);
  if (current !== undefined && !supersedes(update.record, current)) return registry;
  const next = new Map(collection);
  next.set(update.record.id, update.record);
  return { ...registry, [key]: next };
};

/** The registry the given updates describe, whatever order they come in. */
export const buildRegistry = (updates: readonly RegistryUpdate[]): Registry =>
  updates.reduce(applyRegistryUpdate, emptyRegistry());

/** How many members a bloc's stance rests on at least, when a watch does not say. */
export const DEFAULT_QUORUM = 3 as const;

/**
 * A record as stored before watches had a quorum and a status, brought to the current shape: the
 * default quorum, and active. Records of every other kind come back as they are.
 */
export const withRegistryDefaults = (update: RegistryUpdate): RegistryUpdate => {
  if (update.type !== 'watch') return update;
  const record: Partial<Watch> & Omit<Watch, 'quorum' | 'status'> = update.record;
  return { type: 'watch', record: { ...record, quorum: record.quorum ?? DEFAULT_QUORUM, status: record.status ?? 'active' } };
};

/**
 * The watches that cover an issue (listed explicitly or by "*"), by id. A retired watch covers
 * nothing: the record is what it would be had the watch never been registered.
 */
export const watchesFor = (registry: Registry, issue: IssueId): Watch[] =>
  [...registry.watches.values()]
    .filter((watch) => watch.status !== 'retired' && (watch.issues === '*' || watch.issues.includes(issue)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * How far ahead of the processing clock a record's `updatedAt` may be. The latest `updatedAt` wins
 * for good, so a record dated in the far future (a typo of the year) would lock its id against
 * every correction until that date; a day covers any clock skew between newsroom tools.
 */
export const MAX_REGISTRY_LEAD_MS = 24 * 60 * 60 * 1000;

/** The problem with a record dated more than a day ahead of `now`, or undefined. */
export const farFutureProblem = (update: RegistryUpdate, now: string): FieldProblem | undefined => {
  const lead = Date.parse(update.record.updatedAt) - Date.parse(now);
  if (lead <= MAX_REGISTRY_LEAD_MS) return undefined;
  return {
    field: 'updatedAt',
    reason:
      `is ${update.record.updatedAt}, more than a day ahead of the processing clock (${now}); the latest updatedAt wins, ` +
      `so this record would lock ${update.type} '${update.record.id}' against every later change until then`,
  };
};

/**
 * The issues whose divergences a registry record can change, sorted: an issue itself; for a watch,
 * every issue (a changed list of issues leaves the ones it no longer covers to be re-evaluated too,
 * and which those were is known only to the record it replaced); for a bloc, every issue watched
 * against it. Names of actors and speakers change how statements resolve, not what was recorded.
 */
export const affectedIssues = (update: RegistryUpdate, registry: Registry): IssueId[] => {
  switch (update.type) {
    case 'issue':
      return [update.record.id];
    case 'watch':
      return [...registry.issues.keys()].sort();
    case 'bloc': {
      const id = update.record.id;
      const issues = new Set<IssueId>();
      for (const watch of registry.watches.values()) {
        if (watch.bloc !== id) continue;
        for (const issue of watch.issues === '*' ? registry.issues.keys() : watch.issues) issues.add(issue);
      }
      return [...issues].sort();
    }
    default:
      return [];
  }
};

/** Whether `update` is the record in force in `registry` (not one a later record replaced). */
export const isInForce = (registry: Registry, update: RegistryUpdate): boolean => {
  const current = (registry[COLLECTIONS[update.type]] as ReadonlyMap<string, { updatedAt: string }>).get(update.record.id);
  return current !== undefined && canonicalJson(current) === canonicalJson(update.record);
};
