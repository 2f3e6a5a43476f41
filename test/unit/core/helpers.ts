/**
 * Small builders for core tests: registries and statements written as data, so each test states
 * only what it is about.
 */
import { evaluateAll, isDiverged, type DivergenceEvaluation } from '../../../functions/core/divergence.ts';
import type { Actor, ActorId, Bloc, Issue, IssueId, Position, Registry, Stance, StatementRecord, Watch } from '../../../functions/core/types.ts';

const REGISTERED_AT = '2026-01-01T00:00:00.000Z';
const BASE = Date.parse('2026-01-06T12:00:00.000Z');

/** A said-time `minutes` after a fixed base, normalised as the core expects. */
export const at = (minutes: number): string => new Date(BASE + minutes * 60_000).toISOString();

const names = (id: string) => ({ en: id, ar: id });

export interface WatchSpec {
  id?: string;
  kind?: Watch['kind'];
  actor?: string;
  bloc: string;
  issues?: Watch['issues'];
  threshold?: number;
  /** 1 unless said: most core specifications are about one or two voices, not about the quorum. */
  quorum?: number;
  status?: Watch['status'];
}

export interface RegistrySpec {
  actors?: string[];
  issues?: string[];
  blocs?: Record<string, string[]>;
  watches?: WatchSpec[];
}

export const makeRegistry = ({ actors = [], issues = [], blocs = {}, watches = [] }: RegistrySpec): Registry => {
  const memberIds = Object.values(blocs).flat();
  const watchActors = watches.flatMap((w) => (w.actor === undefined ? [] : [w.actor]));
  const actorIds = [...new Set([...actors, ...memberIds, ...watchActors])];
  return {
    actors: new Map(
      actorIds.map((id): [string, Actor] => [id, { id, kind: 'state', names: names(id), aliases: [], updatedAt: REGISTERED_AT }]),
    ),
    speakers: new Map(),
    issues: new Map(
      issues.map((id): [string, Issue] => [
        id,
        { id, title: names(id), proposition: names(id), status: 'open', updatedAt: REGISTERED_AT },
      ]),
    ),
    blocs: new Map(
      Object.entries(blocs).map(([id, members]): [string, Bloc] => [id, { id, names: names(id), members, updatedAt: REGISTERED_AT }]),
    ),
    watches: new Map(
      watches.map((spec, index): [string, Watch] => {
        const kind = spec.kind ?? (spec.actor === undefined ? 'bloc-split' : 'actor-vs-bloc');
        const id = spec.id ?? `watch-${index}`;
        return [
          id,
          {
            id,
            kind,
            ...(spec.actor === undefined ? {} : { actor: spec.actor }),
            bloc: spec.bloc,
            issues: spec.issues ?? '*',
            threshold: spec.threshold ?? 2,
            quorum: spec.quorum ?? 1,
            status: spec.status ?? 'active',
            updatedAt: REGISTERED_AT,
          },
        ];
      }),
    ),
  };
};

export interface StatementSpec {
  id: string;
  actor: string;
  stance: Stance;
  /** Minutes after the base time, or an ISO string. */
  at: number | string;
  issue?: string;
  hedged?: boolean;
  quote?: StatementRecord['quote'];
}

export const ISSUE = 'western-troops-in-ukraine';

export const said = (spec: StatementSpec): StatementRecord => ({
  statementId: spec.id,
  kind: 'statement',
  actor: spec.actor,
  speaker: `${spec.actor}-speaker`,
  issue: spec.issue ?? ISSUE,
  stance: spec.stance,
  hedged: spec.hedged ?? false,
  quote: spec.quote ?? { text: `${spec.actor} says ${spec.stance}`, lang: 'en' },
  saidAt: typeof spec.at === 'number' ? at(spec.at) : spec.at,
  source: { outlet: 'Test Wire', url: 'https://example.org/wire' },
  recordedBy: 'test-desk',
});

/** The oracle the tests hold episodes to: every divergence at or above its threshold now, by divergenceId. */
export const divergedNow = (
  issue: IssueId,
  positions: ReadonlyMap<ActorId, Position>,
  registry: Registry,
  at?: string,
): DivergenceEvaluation[] => evaluateAll(issue, positions, registry, at).filter(isDiverged);
