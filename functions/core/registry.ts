/**
 * The registry: actors, speakers, issues, blocs and watches, kept as data. Registry events are
 * upserts that can arrive late, twice and out of order (EventBridge, SQS), so every update is
 * applied by a rule that makes the result depend only on the SET of updates: per id, the record
 * with the latest `updatedAt` wins, and equal `updatedAt` is broken by the record's canonical JSON.
 */
import { STANCE_CHANGED, type StanceChangedV1 } from '../../events/inbound/stance-changed.v1.ts';
import { STATEMENT_RECORDED, type StatementRecordedV1 } from '../../events/inbound/statement-recorded.v1.ts';
import {
  ACTOR_REGISTERED, BLOC_REGISTERED, ISSUE_REGISTERED, SPEAKER_REGISTERED, WATCH_REGISTERED,
  type ActorRegisteredV1, type BlocRegisteredV1, type IssueRegisteredV1, type SpeakerRegisteredV1,
  type WatchRegisteredV1,
} from '../../events/registry/registry-events.v1.ts';
import { normaliseForLookup } from './arabic.ts';
import { UnknownReferenceError, ValidationError, type FieldProblem, type RegistryReference } from './errors.ts';
import { canonicalJson } from './ids.ts';
import { normaliseInstant } from './time.ts';
import type {
  Actor, ActorId, Bloc, Issue, IssueId, Registry, Speaker, SpeakerId, StatementRecord, Watch,
} from './types.ts';

export type RegistryUpdate =
  | { type: 'actor'; record: Actor }
  | { type: 'speaker'; record: Speaker }
  | { type: 'issue'; record: Issue }
  | { type: 'bloc'; record: Bloc }
  | { type: 'watch'; record: Watch };

export type RegistryDetail =
  | { detailType: typeof ACTOR_REGISTERED; detail: ActorRegisteredV1 }
  | { detailType: typeof SPEAKER_REGISTERED; detail: SpeakerRegisteredV1 }
  | { detailType: typeof ISSUE_REGISTERED; detail: IssueRegisteredV1 }
  | { detailType: typeof BLOC_REGISTERED; detail: BlocRegisteredV1 }
  | { detailType: typeof WATCH_REGISTERED; detail: WatchRegisteredV1 };

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

/**
 * A time of a detail in canonical UTC. Validation refuses what cannot be normalised, so this only
 * throws on a contract that lets too much through; it then names the field, because the event, not
 * the moment, is at fault and retrying it cannot help.
 */
const instantAt = (field: string, value: string): string => {
  try {
    return normaliseInstant(value);
  } catch (error) {
    throw new ValidationError([{ field, reason: error instanceof Error ? error.message : String(error) }]);
  }
};

/** Turns a validated registry event detail (defaults applied) into an update of the core registry. */
export function toRegistryUpdate(detailType: typeof ACTOR_REGISTERED, detail: ActorRegisteredV1): RegistryUpdate;
export function toRegistryUpdate(detailType: typeof SPEAKER_REGISTERED, detail: SpeakerRegisteredV1): RegistryUpdate;
export function toRegistryUpdate(detailType: typeof ISSUE_REGISTERED, detail: IssueRegisteredV1): RegistryUpdate;
export function toRegistryUpdate(detailType: typeof BLOC_REGISTERED, detail: BlocRegisteredV1): RegistryUpdate;
export function toRegistryUpdate(detailType: typeof WATCH_REGISTERED, detail: WatchRegisteredV1): RegistryUpdate;
export function toRegistryUpdate(detailType: string, detail: unknown): RegistryUpdate;
export function toRegistryUpdate(detailType: string, detail: unknown): RegistryUpdate {
  const input = { detailType, detail } as RegistryDetail;
  switch (input.detailType) {
    case ACTOR_REGISTERED: {
      const d = input.detail;
      return {
        type: 'actor',
        record: { id: d.actor, kind: d.kind, names: d.names, aliases: [...d.aliases], updatedAt: instantAt('detail.updatedAt', d.updatedAt) },
      };
    }
    case SPEAKER_REGISTERED: {
      const d = input.detail;
      return {
        type: 'speaker',
        record: {
          id: d.speaker,
          actor: d.actor,
          names: d.names,
          ...(d.role ? { role: d.role } : {}),
          aliases: [...d.aliases],
          updatedAt: instantAt('detail.updatedAt', d.updatedAt),
        },
      };
    }
    case ISSUE_REGISTERED: {
      const d = input.detail;
      return {
        type: 'issue',
        record: { id: d.issue, title: d.title, proposition: d.proposition, status: d.status, updatedAt: instantAt('detail.updatedAt', d.updatedAt) },
      };
    }
    case BLOC_REGISTERED: {
      const d = input.detail;
      return {
        type: 'bloc',
        // Member order carries no meaning; sorting and de-duplicating keeps equal blocs equal.
        record: { id: d.bloc, names: d.names, members: [...new Set(d.members)].sort(), updatedAt: instantAt('detail.updatedAt', d.updatedAt) },
      };
    }
    case WATCH_REGISTERED: {
      const d = input.detail;
      return {
        type: 'watch',
        record: {
          id: d.watch,
          kind: d.kind,
          ...(d.actor !== undefined ? { actor: d.actor } : {}),
          bloc: d.bloc,
          issues: d.issues === '*' ? '*' : [...new Set(d.issues)].sort(),
          threshold: d.threshold,
          updatedAt: instantAt('detail.updatedAt', d.updatedAt),
        },
      };
    }
    default:
      throw new TypeError(`'${detailType}' is not a registry detail-type`);
  }
}

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

export interface AliasMatch {
  type: 'actor' | 'speaker';
  id: string;
  /** The actor whose position the match moves: the actor itself, or the one the speaker speaks for. */
  actor: ActorId;
}

/**
 * Lookup keys, from strongest to weakest claim: an exact id beats a name, a name beats an alias,
 * and a speaker beats an actor on the same key (it is the more specific reading and still yields
 * the actor). Remaining ties go to the smaller id, so the answer never depends on load order.
 */
interface Candidate extends AliasMatch {
  rank: number;
}
const RANK = { speakerId: 0, actorId: 1, speakerName: 2, actorName: 3, speakerAlias: 4, actorAlias: 5 } as const;

const aliasIndexes = new WeakMap<Registry, ReadonlyMap<string, Candidate>>();

const aliasIndex = (registry: Registry): ReadonlyMap<string, Candidate> => {
  const cached = aliasIndexes.get(registry);
  if (cached) return cached;
  const index = new Map<string, Candidate>();
  const offer = (text: string, candidate: Candidate): void => {
    const key = normaliseForLookup(text);
    if (key === '') return;
    const held = index.get(key);
    if (held === undefined || candidate.rank < held.rank || (candidate.rank === held.rank && candidate.id < held.id)) {
      index.set(key, candidate);
    }
  };
  for (const actor of registry.actors.values()) {
    const match = { type: 'actor', id: actor.id, actor: actor.id } as const;
    offer(actor.id, { ...match, rank: RANK.actorId });
    offer(actor.names.en, { ...match, rank: RANK.actorName });
    offer(actor.names.ar, { ...match, rank: RANK.actorName });
    for (const alias of actor.aliases) offer(alias, { ...match, rank: RANK.actorAlias });
  }
  for (const speaker of registry.speakers.values()) {
    const match = { type: 'speaker', id: speaker.id, actor: speaker.actor } as const;
    offer(speaker.id, { ...match, rank: RANK.speakerId });
    offer(speaker.names.en, { ...match, rank: RANK.speakerName });
    offer(speaker.names.ar, { ...match, rank: RANK.speakerName });
    for (const alias of speaker.aliases) offer(alias, { ...match, rank: RANK.speakerAlias });
  }
  aliasIndexes.set(registry, index);
  return index;
};

/** Resolves a name as written in copy (`قائد الكرملين`, `Vladimir Putin`, `russia`) to a speaker or an actor. */
export const resolveAlias = (registry: Registry, text: string): AliasMatch | undefined => {
  const found = aliasIndex(registry).get(normaliseForLookup(text));
  return found && { type: found.type, id: found.id, actor: found.actor };
};

/** The watches that cover an issue (listed explicitly or by "*"), by id. */
export const watchesFor = (registry: Registry, issue: IssueId): Watch[] =>
  [...registry.watches.values()]
    .filter((watch) => watch.issues === '*' || watch.issues.includes(issue))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export type InboundDetail =
  | { detailType: typeof STATEMENT_RECORDED; detail: StatementRecordedV1 }
  | { detailType: typeof STANCE_CHANGED; detail: StanceChangedV1 };

const asInbound = (input: InboundDetail | StatementRecordedV1 | StanceChangedV1): InboundDetail => {
  if ('detailType' in input) return input;
  return 'statementId' in input
    ? { detailType: STATEMENT_RECORDED, detail: input }
    : { detailType: STANCE_CHANGED, detail: input };
};

const speakerActor = (registry: Registry, speaker: SpeakerId): ActorId | undefined => {
  const actor = registry.speakers.get(speaker)?.actor;
  return actor !== undefined && registry.actors.has(actor) ? actor : undefined;
};

/**
 * Resolves a validated inbound detail (or `{ detailType, detail }`, e.g. a parsed event) into the
 * history entry the core works on: the actor filled in from the speaker when the publisher left it
 * out, times in canonical UTC. Every id must be known to the registry: a typo must not create a
 * phantom actor with a position of its own. All unknown ids are reported at once.
 */
export const resolveStatement = (
  input: InboundDetail | StatementRecordedV1 | StanceChangedV1,
  registry: Registry,
): StatementRecord => {
  const inbound = asInbound(input);
  const problems: FieldProblem[] = [];
  const missing: RegistryReference[] = [];
  const issueKnown = registry.issues.has(inbound.detail.issue);
  if (!issueKnown) missing.push({ type: 'issue', id: inbound.detail.issue });

  if (inbound.detailType === STANCE_CHANGED) {
    const d = inbound.detail;
    if (!registry.actors.has(d.actor)) {
      problems.push({ field: 'detail.actor', reason: `unknown actor '${d.actor}'` });
      missing.push({ type: 'actor', id: d.actor });
    }
    if (!issueKnown) problems.push({ field: 'detail.issue', reason: `unknown issue '${d.issue}'` });
    if (problems.length > 0) throw new UnknownReferenceError(problems, missing);
    return {
      statementId: d.changeId,
      kind: 'stance-change',
      actor: d.actor,
      issue: d.issue,
      stance: d.stance,
      hedged: d.hedged,
      reason: d.reason,
      saidAt: instantAt('detail.effectiveAt', d.effectiveAt),
      source: d.source,
      recordedBy: d.recordedBy,
    };
  }

  const d = inbound.detail;
  const speakerKnown = registry.speakers.has(d.speaker);
  const fromSpeaker = speakerActor(registry, d.speaker);
  let actor: ActorId | undefined;
  if (d.actor !== undefined) {
    if (registry.actors.has(d.actor)) {
      actor = d.actor;
    } else {
      const fallback = fromSpeaker === undefined ? ` and speaker '${d.speaker}' does not resolve to an actor` : '';
      problems.push({ field: 'detail.actor', reason: `unknown actor '${d.actor}'${fallback}` });
      missing.push({ type: 'actor', id: d.actor });
    }
  } else if (fromSpeaker !== undefined) {
    actor = fromSpeaker;
  }
  if (!speakerKnown) {
    problems.push({
      field: 'detail.speaker',
      reason: d.actor === undefined ? `unknown speaker '${d.speaker}' and no actor given` : `unknown speaker '${d.speaker}'`,
    });
    missing.push({ type: 'speaker', id: d.speaker });
  } else if (d.actor === undefined && fromSpeaker === undefined) {
    const named = registry.speakers.get(d.speaker)?.actor ?? '';
    problems.push({ field: 'detail.speaker', reason: `speaker '${d.speaker}' speaks for unknown actor '${named}' and no actor given` });
    missing.push({ type: 'actor', id: named });
  }
  if (!issueKnown) problems.push({ field: 'detail.issue', reason: `unknown issue '${d.issue}'` });
  if (problems.length > 0 || actor === undefined) throw new UnknownReferenceError(problems, missing);

  return {
    statementId: d.statementId,
    kind: 'statement',
    actor,
    speaker: d.speaker,
    issue: d.issue,
    stance: d.stance,
    hedged: d.hedged,
    quote: d.quote,
    saidAt: instantAt('detail.saidAt', d.saidAt),
    source: d.source,
    recordedBy: d.recordedBy,
    ...(d.recordedAt !== undefined ? { recordedAt: instantAt('detail.recordedAt', d.recordedAt) } : {}),
  };
};
