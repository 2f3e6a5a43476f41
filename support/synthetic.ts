/**
 * Synthetic registries and statements, for tests and the bench that need more actors, issues or
 * statements than the seed: a bloc of N members, outsiders watched against it, and quotes of a
 * chosen size in Arabic.
 */
import {
  ACTOR_REGISTERED, BLOC_REGISTERED, ISSUE_REGISTERED, SPEAKER_REGISTERED, WATCH_REGISTERED,
} from '../events/registry/registry-events.v1.ts';
import { STATEMENT_RECORDED } from '../events/inbound/statement-recorded.v1.ts';
import { DESK_SOURCE, type Stance } from '../events/common.ts';
import type { PublishedEvent } from './sqs-events.ts';

export interface SyntheticWorld {
  bloc: string;
  members: string[];
  outsiders: string[];
  issues: string[];
}

export const member = (i: number): string => `member-${String(i).padStart(3, '0')}`;

export const syntheticWorld = (options: { members: number; outsiders?: number; issues?: number; bloc?: string }): SyntheticWorld => ({
  bloc: options.bloc ?? 'bloc',
  members: Array.from({ length: options.members }, (_, i) => member(i + 1)),
  outsiders: Array.from({ length: options.outsiders ?? 1 }, (_, i) => `outsider-${i + 1}`),
  issues: Array.from({ length: options.issues ?? 1 }, (_, i) => `issue-${i + 1}`),
});

const UPDATED_AT = '2026-01-01T00:00:00Z';
const names = (id: string) => ({ en: id, ar: `اسم ${id}` });

export const speakerOf = (actor: string): string => `spk-${actor}`;

/** Registry events: every actor with one speaker, the issues, the bloc, an actor-vs-bloc watch per outsider and a bloc-split watch. */
export const syntheticRegistryEvents = (world: SyntheticWorld, options: { blocSplit?: boolean; threshold?: number } = {}): PublishedEvent[] => {
  const actors = [...world.members, ...world.outsiders];
  const event = (detailType: string, detail: Record<string, unknown>): PublishedEvent => ({
    source: DESK_SOURCE,
    'detail-type': detailType,
    detail: { schemaVersion: '1', updatedAt: UPDATED_AT, ...detail },
  });
  const threshold = options.threshold ?? 2;
  return [
    ...actors.map((actor) => event(ACTOR_REGISTERED, { actor, kind: 'state', names: names(actor), aliases: [] })),
    ...actors.map((actor) => event(SPEAKER_REGISTERED, { speaker: speakerOf(actor), actor, names: names(speakerOf(actor)), aliases: [] })),
    ...world.issues.map((issue) => event(ISSUE_REGISTERED, { issue, title: names(issue), proposition: names(issue) })),
    event(BLOC_REGISTERED, { bloc: world.bloc, names: names(world.bloc), members: world.members }),
    ...world.outsiders.map((outsider) =>
      event(WATCH_REGISTERED, { watch: `${outsider}-vs-${world.bloc}`, kind: 'actor-vs-bloc', actor: outsider, bloc: world.bloc, threshold }),
    ),
    ...(options.blocSplit === false ? [] : [event(WATCH_REGISTERED, { watch: `${world.bloc}-split`, kind: 'bloc-split', bloc: world.bloc, threshold })]),
  ];
};

const ARABIC_FILLER = 'قالت المصادر إن الموقف لم يتغير بعد الاجتماع في باريس، وإن المفاوضات مستمرة. ';

/** Arabic text of exactly `bytes` UTF-8 bytes (ASCII padding at the end to land on the byte). */
export const quoteOfBytes = (bytes: number): string => {
  let text = '';
  while (Buffer.byteLength(text + ARABIC_FILLER, 'utf8') <= bytes) text += ARABIC_FILLER;
  return text + '.'.repeat(bytes - Buffer.byteLength(text, 'utf8'));
};

export interface StatementSpec {
  statementId: string;
  actor: string;
  issue: string;
  stance: Stance;
  saidAt: string;
  hedged?: boolean;
  quoteBytes?: number;
}

export const statementEvent = (spec: StatementSpec): PublishedEvent => ({
  source: DESK_SOURCE,
  'detail-type': STATEMENT_RECORDED,
  detail: {
    schemaVersion: '1',
    statementId: spec.statementId,
    speaker: speakerOf(spec.actor),
    actor: spec.actor,
    issue: spec.issue,
    stance: spec.stance,
    hedged: spec.hedged ?? false,
    quote: { text: quoteOfBytes(spec.quoteBytes ?? 120), lang: 'ar' },
    saidAt: spec.saidAt,
    source: { outlet: 'Synthetic wire' },
    recordedBy: 'test',
  },
});

/** `2026-02-01T00:00:00.000Z` plus `minutes`. */
export const minutesAfter = (minutes: number, base = Date.parse('2026-02-01T00:00:00.000Z')): string =>
  new Date(base + minutes * 60_000).toISOString();
