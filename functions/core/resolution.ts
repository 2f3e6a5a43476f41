/**
 * Resolution: where a statement as reported, its speaker and actor written as an id, a name or an
 * alias (`putin`, `Vladimir Putin`, `قائد الكرملين`), becomes the history record the core works on,
 * which holds registry ids. Every reference must resolve to exactly one registry entry: a typo must
 * not create a phantom actor with a position of its own, and a name two speakers share must not
 * silently pick one of them. All problems of a statement are reported at once.
 *
 * Names are matched whole after `normaliseForLookup` (arabic.ts), among the entries of the type the
 * field asks for: a statement's speaker among speakers, an actor among actors. An exact id is the
 * strongest claim on a name, then a registered name, then an alias; when two entries share the
 * strongest claim, the name is ambiguous. Issues are named by id only.
 */
import { normaliseForLookup } from './arabic.ts';
import {
  AmbiguousReferenceError, UnknownReferenceError, type FieldProblem, type RegistryReference,
} from './errors.ts';
import type { RegistryUpdate } from './registry.ts';
import type {
  Actor, ActorId, Registry, ReportedQuote, ReportedStanceChange, ReportedStatement, Speaker, StatementRecord,
} from './types.ts';

/** The registry entries that can be named by a name or an alias. */
export type NamedType = 'actor' | 'speaker';

export type NameLookup =
  | { status: 'found'; id: string }
  | { status: 'ambiguous'; ids: string[] }
  | { status: 'unknown' };

/** How strongly an entry claims a name: the lower, the stronger. */
const CLAIM = { id: 0, name: 1, alias: 2 } as const;

interface Claim {
  id: string;
  strength: number;
}

type NameIndex = Record<NamedType, ReadonlyMap<string, readonly Claim[]>>;

/** Every text an entry answers to, with the strength of its claim on it. */
const namesOf = (entry: Actor | Speaker): Array<[text: string, strength: number]> => [
  [entry.id, CLAIM.id],
  [entry.names.en, CLAIM.name],
  [entry.names.ar, CLAIM.name],
  ...entry.aliases.map((alias): [string, number] => [alias, CLAIM.alias]),
];

const indexOf = (entries: Iterable<Actor | Speaker>): Map<string, Claim[]> => {
  const index = new Map<string, Claim[]>();
  for (const entry of entries) {
    for (const [text, strength] of namesOf(entry)) {
      const key = normaliseForLookup(text);
      if (key === '') continue;
      const claims = index.get(key) ?? [];
      const own = claims.find((claim) => claim.id === entry.id);
      if (own === undefined) claims.push({ id: entry.id, strength });
      else own.strength = Math.min(own.strength, strength);
      index.set(key, claims);
    }
  }
  return index;
};

/** Registries are immutable values, so an index built once serves every statement resolved against one. */
const nameIndexes = new WeakMap<Registry, NameIndex>();

const nameIndex = (registry: Registry): NameIndex => {
  const cached = nameIndexes.get(registry);
  if (cached) return cached;
  const index = { actor: indexOf(registry.actors.values()), speaker: indexOf(registry.speakers.values()) };
  nameIndexes.set(registry, index);
  return index;
};

/** The actor or speaker a name as written in copy (`قائد الكرملين`, `Vladimir Putin`, `putin`) stands for. */
export const lookupName = (registry: Registry, type: NamedType, text: string): NameLookup => {
  const entries: ReadonlyMap<string, unknown> = type === 'actor' ? registry.actors : registry.speakers;
  // Most publishers send ids: an id is the strongest claim there is, so the index is not needed.
  if (entries.has(text)) return { status: 'found', id: text };
  const claims = nameIndex(registry)[type].get(normaliseForLookup(text));
  if (claims === undefined) return { status: 'unknown' };
  const strongest = Math.min(...claims.map((claim) => claim.strength));
  const ids = claims.filter((claim) => claim.strength === strongest).map((claim) => claim.id).sort();
  return ids.length === 1 ? { status: 'found', id: ids[0] as string } : { status: 'ambiguous', ids };
};

/** Matches a reference whatever spelling it was written in, so a batch can tell which registration it waits for. */
export const referenceKey = (reference: RegistryReference): string => `${reference.type}:${normaliseForLookup(reference.name)}`;

/** The keys of every reference a registration would resolve: its id and, for an actor or a speaker, its names and aliases. */
export const referenceKeysOf = (update: RegistryUpdate): string[] => {
  switch (update.type) {
    case 'actor':
    case 'speaker': {
      const { type } = update;
      return namesOf(update.record).map(([name]) => referenceKey({ type, name }));
    }
    case 'issue':
      return [referenceKey({ type: 'issue', name: update.record.id })];
    default:
      return [];
  }
};

/** Input echoed in a reason: names are free text, so a long one is cut to stay readable. */
const echo = (text: string): string => `'${text.length > 64 ? `${text.slice(0, 64)}…` : text}'`;

const listed = (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * The problems found while resolving one event, and the registrations that could fix them; what
 * resolves a correction's names (application/corrections-v1.ts) reports through it too.
 */
export class ReferenceProblems {
  readonly problems: FieldProblem[] = [];
  readonly references: RegistryReference[] = [];
  private unknown = false;

  reference(reference: RegistryReference): void {
    this.references.push(reference);
  }

  unknownName(field: string, reason: string): void {
    this.unknown = true;
    this.problems.push({ field, reason });
  }

  /** A name that did not resolve to one entry; `suffix` says what else the statement lacks. */
  name(registry: Registry, field: string, type: NamedType, text: string, lookup: NameLookup, suffix = ''): void {
    if (lookup.status === 'ambiguous') {
      const candidates = lookup.ids.map((id) => (type === 'speaker' ? `${echo(id)} (for ${echo(registry.speakers.get(id)?.actor ?? '')})` : echo(id)));
      this.problems.push({
        field,
        reason: `ambiguous ${type} ${echo(text)}${suffix}: it names ${listed(candidates)}; write the id of the one meant`,
      });
      this.references.push({ type, name: text }, ...lookup.ids.map((id) => ({ type, name: id })));
      return;
    }
    this.unknownName(field, `unknown ${type} ${echo(text)}${suffix}${otherTypeHint(registry, type, text)}`);
    this.references.push({ type, name: text });
  }

  /** The id `text` names among entries of `type`, or undefined with the problem recorded. */
  resolve(registry: Registry, field: string, type: NamedType, text: string, suffix = ''): string | undefined {
    const lookup = lookupName(registry, type, text);
    if (lookup.status === 'found') return lookup.id;
    this.name(registry, field, type, text, lookup, suffix);
    return undefined;
  }

  /** An issue is named by its id only. */
  issue(registry: Registry, field: string, id: string): void {
    if (registry.issues.has(id)) return;
    this.unknownName(field, `unknown issue ${echo(id)}`);
    this.reference({ type: 'issue', name: id });
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    // An unknown name cannot be fixed by choosing between candidates: it is the first thing to report.
    if (this.unknown) throw new UnknownReferenceError(this.problems, this.references);
    throw new AmbiguousReferenceError(this.problems, this.references);
  }
}

/** A name sent in the wrong field (an actor's as the speaker, a speaker's as the actor) says so. */
const otherTypeHint = (registry: Registry, type: NamedType, text: string): string => {
  const other = lookupName(registry, type === 'actor' ? 'speaker' : 'actor', text);
  if (other.status !== 'found') return '';
  if (type === 'speaker') return `; ${echo(text)} names the actor ${echo(other.id)}, not a speaker`;
  return `; ${echo(text)} names the speaker ${echo(other.id)}, who speaks for ${echo(registry.speakers.get(other.id)?.actor ?? '')}`;
};

const speakerActor = (registry: Registry, speaker: string): ActorId | undefined => {
  const actor = registry.speakers.get(speaker)?.actor;
  return actor !== undefined && registry.actors.has(actor) ? actor : undefined;
};

const resolveQuote = (reported: ReportedQuote, registry: Registry): StatementRecord => {
  const found = new ReferenceProblems();
  const issueKnown = registry.issues.has(reported.issue);
  if (!issueKnown) found.reference({ type: 'issue', name: reported.issue });
  const speaker = lookupName(registry, 'speaker', reported.speaker);
  const fromSpeaker = speaker.status === 'found' ? speakerActor(registry, speaker.id) : undefined;

  const fallback = fromSpeaker === undefined ? ` and speaker ${echo(reported.speaker)} does not resolve to an actor` : '';
  const actor: ActorId | undefined =
    reported.actor === undefined ? fromSpeaker : found.resolve(registry, 'detail.actor', 'actor', reported.actor, fallback);
  if (speaker.status !== 'found') {
    found.name(registry, 'detail.speaker', 'speaker', reported.speaker, speaker, reported.actor === undefined ? ' and no actor given' : '');
  } else if (reported.actor === undefined && fromSpeaker === undefined) {
    const named = registry.speakers.get(speaker.id)?.actor ?? '';
    found.unknownName('detail.speaker', `speaker ${echo(speaker.id)} speaks for unknown actor ${echo(named)} and no actor given`);
    found.reference({ type: 'actor', name: named });
  }
  if (!issueKnown) found.unknownName('detail.issue', `unknown issue ${echo(reported.issue)}`);
  found.throwIfAny();
  if (actor === undefined || speaker.status !== 'found') throw new Error('unreachable: a statement without problems resolves');

  return {
    statementId: reported.statementId,
    kind: 'statement',
    actor,
    speaker: speaker.id,
    ...(reported.speaker === speaker.id ? {} : { speakerAsWritten: reported.speaker }),
    ...(reported.actor === undefined || reported.actor === actor ? {} : { actorAsWritten: reported.actor }),
    issue: reported.issue,
    stance: reported.stance,
    hedged: reported.hedged,
    quote: reported.quote,
    saidAt: reported.saidAt,
    source: reported.source,
    recordedBy: reported.recordedBy,
    ...(reported.recordedAt === undefined ? {} : { recordedAt: reported.recordedAt }),
  };
};

const resolveStanceChange = (reported: ReportedStanceChange, registry: Registry): StatementRecord => {
  const found = new ReferenceProblems();
  const issueKnown = registry.issues.has(reported.issue);
  if (!issueKnown) found.reference({ type: 'issue', name: reported.issue });
  const actor = found.resolve(registry, 'detail.actor', 'actor', reported.actor);
  if (!issueKnown) found.unknownName('detail.issue', `unknown issue ${echo(reported.issue)}`);
  found.throwIfAny();
  if (actor === undefined) throw new Error('unreachable: a stance change without problems resolves');

  return {
    statementId: reported.statementId,
    kind: 'stance-change',
    actor,
    ...(reported.actor === actor ? {} : { actorAsWritten: reported.actor }),
    issue: reported.issue,
    stance: reported.stance,
    hedged: reported.hedged,
    reason: reported.reason,
    saidAt: reported.saidAt,
    source: reported.source,
    recordedBy: reported.recordedBy,
  };
};

/**
 * The history entry a reported statement stands for: speaker and actor resolved to registry ids
 * (the actor filled in from the speaker when the publisher left it out; an actor given wins), the
 * spelling the publisher used kept beside them when it was not the id. Throws an
 * UnknownReferenceError (or, when every problem is a name shared by several entries, an
 * AmbiguousReferenceError) naming each field at fault.
 */
export const resolveStatement = (reported: ReportedStatement, registry: Registry): StatementRecord =>
  reported.kind === 'stance-change' ? resolveStanceChange(reported, registry) : resolveQuote(reported, registry);
