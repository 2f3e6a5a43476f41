/**
 * Divergence detection for one issue: what is diverged now (evaluate), and what that means for the
 * episodes already open (reconcile). Both are pure functions of the positions, the open episodes and
 * the registry, so a redelivery after a crash recomputes the same transitions with the same ids.
 */
import { blocStance, hasQuorum, speakingMembers } from './blocs.ts';
import { alertId, divergenceId as makeDivergenceId, episodeId as makeEpisodeId } from './ids.ts';
import { compareSaid } from './positions.ts';
import { watchesFor } from './registry.ts';
import type {
  ActorId, Bloc, BlocId, DivergenceKind, DivergencePair, Episode, IssueId, Position, Registry, StatementRecord, Transition,
} from './types.ts';

/** A flip of two scale points (support → oppose, undecided → commit) is news on its own. */
export const REVERSAL_THRESHOLD = 2;

/** One watched pair measured now, whatever its gap. */
export interface DivergenceEvaluation extends DivergencePair {
  actorStance: number;
  otherStance: number;
  gap: number;
  /** The statement the actor's stance rests on. */
  actorEvidence: string[];
  /** The other members' current statements (said order), or for a reversal the previous statement. */
  otherEvidence: string[];
}

/**
 * The other side of a measured pair, listed as evidence only when an evaluation needs the list
 * (`evaluateAll`, an opening): either the ids already listed, or the positions behind it (said
 * order once listed) less the measured member's own (`skip`). A replay measures every member of a
 * bloc at every step and opens on almost none of them: listing each member's 49 others would make
 * every step quadratic in the bloc's size. `counts` (how often each statement id is among
 * `members`, shared by a bloc's members) tells whether a statement is among them without a list.
 */
type OtherSide =
  | { ids: readonly string[] }
  | { members: readonly Position[]; skip?: Position; counts?: ReadonlyMap<string, number> };

/** A watched pair measured now, with its other side's evidence not yet listed: what reconcile works on. */
export interface Measurement extends Omit<DivergenceEvaluation, 'otherEvidence'> {
  other: OtherSide;
}

/** Each members list in said order, sorted once: a bloc's members share one list, and `evaluateAll` lists them all. */
const inSaidOrderOf = new WeakMap<readonly Position[], readonly Position[]>();

const listOther = (other: OtherSide): string[] => {
  if ('ids' in other) return [...other.ids];
  let inSaidOrder = inSaidOrderOf.get(other.members);
  if (inSaidOrder === undefined) {
    inSaidOrder = [...other.members].sort(compareSaid);
    inSaidOrderOf.set(other.members, inSaidOrder);
  }
  const rest = other.skip === undefined ? inSaidOrder : inSaidOrder.toSpliced(inSaidOrder.indexOf(other.skip), 1);
  return rest.map((p) => p.statementId);
};

const otherHas = (other: OtherSide, statementId: string): boolean => {
  if ('ids' in other) return other.ids.includes(statementId);
  const { members, skip, counts } = other;
  if (counts === undefined) return members.some((p) => p !== skip && p.statementId === statementId);
  return (counts.get(statementId) ?? 0) > (skip?.statementId === statementId ? 1 : 0);
};

const toEvaluation = ({ other, ...measured }: Measurement): DivergenceEvaluation => ({ ...measured, otherEvidence: listOther(other) });

const toMeasurement = ({ otherEvidence, ...measured }: DivergenceEvaluation): Measurement => ({ ...measured, other: { ids: otherEvidence } });

/**
 * Divergence ids, built once per pair: a replay measures every pair at every step, and a fresh
 * string would be hashed again by every Map it meets.
 */
const pairIds = new Map<string, Map<string, string>>();

/** The divergence id of each actor measured by one kind of watch on one issue (and bloc). */
const pairIdsOf = (kind: DivergenceKind, issue: IssueId, bloc: BlocId | null): ((actor: ActorId) => string) => {
  const pair = `${kind}:${issue}:${bloc ?? ''}`;
  let ofPair = pairIds.get(pair);
  if (ofPair === undefined) {
    ofPair = new Map();
    pairIds.set(pair, ofPair);
  }
  const ids = ofPair;
  return (actor) => {
    let id = ids.get(actor);
    if (id === undefined) {
      id = makeDivergenceId(kind, issue, actor, bloc);
      ids.set(actor, id);
    }
    return id;
  };
};

/** What a watch asks of one pair: the gap that opens it, and how many members the bloc's stance must rest on. */
interface Measure {
  threshold: number;
  quorum: number;
  /** The said time whose membership counts. */
  at: string | undefined;
}

const againstBloc = (
  kind: 'actor-vs-bloc' | 'bloc-split',
  issue: IssueId,
  actor: Position,
  bloc: Bloc,
  { threshold, quorum, at }: Measure,
  positions: ReadonlyMap<ActorId, Position>,
): Measurement | undefined => {
  const others = blocStance(bloc, positions, actor.actor, at);
  // No known stance on the other side: the gap is unknown, not zero.
  if (others.stance === null || !hasQuorum(others.members.length, quorum)) return undefined;
  return {
    divergenceId: pairIdsOf(kind, issue, bloc.id)(actor.actor),
    kind,
    issue,
    actor: actor.actor,
    bloc: bloc.id,
    threshold,
    actorStance: actor.stance,
    otherStance: others.stance,
    gap: Math.abs(actor.stance - others.stance),
    actorEvidence: [actor.statementId],
    other: { members: others.members },
  };
};

/** The median of `sorted` (ascending) without its element at `skip`: `median` of the rest, without copying it. */
const medianWithout = (sorted: readonly number[], skip: number): number | null => {
  const length = sorted.length - 1;
  if (length <= 0) return null;
  const at = (i: number): number => sorted[i < skip ? i : i + 1] as number;
  const middle = Math.floor(length / 2);
  const upper = at(middle);
  return length % 2 === 1 ? upper : (at(middle - 1) + upper) / 2;
};

/**
 * `againstBloc('bloc-split', ...)` for every member with a position, in the bloc's member order,
 * with the same results: the stances are sorted once per bloc rather than once per member, and
 * every member's other side is the one list of members less itself, put in said order only if it
 * is listed. A stable sort of all members, less one, is the stable sort of the others; and the
 * median of the others is the median of the sorted stances less one copy of the member's own
 * (which copy is removed does not change the values left).
 */
const blocSplits = (
  issue: IssueId,
  bloc: Bloc,
  measure: Measure,
  positions: ReadonlyMap<ActorId, Position>,
): Measurement[] => {
  const { threshold, at } = measure;
  const members = speakingMembers(bloc, positions, undefined, at);
  // The quorum is the bloc's: with it, each member is measured against the rest, however few.
  if (members.length === 0 || !hasQuorum(members.length, measure.quorum)) return [];
  const rest: Measure = { ...measure, quorum: 0 };
  const idOf = pairIdsOf('bloc-split', issue, bloc.id);
  // Each member's other side is all of them less itself: one list of positions and one count of ids for all.
  const counts = new Map<string, number>();
  for (const p of members) counts.set(p.statementId, (counts.get(p.statementId) ?? 0) + 1);
  const stances = members.map((m) => m.stance).sort((a, b) => a - b);
  const evaluations: Measurement[] = [];
  for (const actor of members) {
    // The same value, zero's sign included, so the values left are exactly the others'.
    const skip = actor.stance === 0 ? stances.findIndex((v) => Object.is(v, actor.stance)) : stances.indexOf(actor.stance);
    // Positions filed under another actor's id (or a stance that is not a number, NaN) would not
    // be left out by identity as blocStance leaves them out by id: those take the general path.
    if (skip < 0 || positions.get(actor.actor) !== actor) {
      const evaluation = againstBloc('bloc-split', issue, actor, bloc, rest, positions);
      if (evaluation !== undefined) evaluations.push(evaluation);
      continue;
    }
    const otherStance = medianWithout(stances, skip);
    // No known stance on the other side: the gap is unknown, not zero.
    if (otherStance === null) continue;
    evaluations.push({
      divergenceId: idOf(actor.actor),
      kind: 'bloc-split',
      issue,
      actor: actor.actor,
      bloc: bloc.id,
      threshold,
      actorStance: actor.stance,
      otherStance,
      gap: Math.abs(actor.stance - otherStance),
      actorEvidence: [actor.statementId],
      other: { members, skip: actor, counts },
    });
  }
  return evaluations;
};

/** The latest said time among the positions: the issue's "now" when the caller names none. */
const latestSaid = (positions: ReadonlyMap<ActorId, Position>): string | undefined => {
  let latest: string | undefined;
  for (const position of positions.values()) if (latest === undefined || position.saidAt > latest) latest = position.saidAt;
  return latest;
};

/**
 * Whether the issue was closed before `at`: a closed issue's record stands as it was when it closed
 * (its `updatedAt`), so nothing said after that opens, closes or adds to a divergence.
 */
export const closedBefore = (registry: Registry, issue: IssueId, at: string | undefined): boolean => {
  const found = registry.issues.get(issue);
  return found?.status === 'closed' && at !== undefined && found.updatedAt < at;
};

/**
 * Every divergence of the issue that can be measured at said time `at` (by default the latest
 * position's), at any gap, sorted by divergenceId. Blocs are taken with the membership in force at
 * `at`. Anything missing from the result cannot be evaluated (no position on one side, a bloc below
 * its quorum, an unknown bloc, a closed issue), which reconcile reads as "leave it as it is".
 */
export const evaluateAll = (
  issue: IssueId,
  positions: ReadonlyMap<ActorId, Position>,
  registry: Registry,
  at: string | undefined = latestSaid(positions),
): DivergenceEvaluation[] => measureAll(issue, positions, registry, at).map(toEvaluation);

/** `evaluateAll` with each other side left unlisted: what a step of a replay measures. */
export const measureAll = (
  issue: IssueId,
  positions: ReadonlyMap<ActorId, Position>,
  registry: Registry,
  at: string | undefined,
): Measurement[] => {
  if (closedBefore(registry, issue, at)) return [];
  const byId = new Map<string, Measurement>();
  // Two watches may name the same pair (e.g. one on '*' and one on a list): the most sensitive wins.
  const keep = (evaluation: Measurement | undefined): void => {
    if (evaluation === undefined) return;
    const known = byId.get(evaluation.divergenceId);
    if (known === undefined || evaluation.threshold < known.threshold) byId.set(evaluation.divergenceId, evaluation);
  };

  for (const watch of watchesFor(registry, issue)) {
    const bloc = registry.blocs.get(watch.bloc);
    if (bloc === undefined) continue;
    const measure: Measure = { threshold: watch.threshold, quorum: watch.quorum, at };
    if (watch.kind === 'actor-vs-bloc') {
      const actor = watch.actor === undefined ? undefined : positions.get(watch.actor);
      if (actor !== undefined) keep(againstBloc('actor-vs-bloc', issue, actor, bloc, measure, positions));
    } else {
      for (const evaluation of blocSplits(issue, bloc, measure, positions)) keep(evaluation);
    }
  }

  const reversalIdOf = pairIdsOf('reversal', issue, null);
  for (const position of positions.values()) {
    const previous = position.previous;
    if (previous === undefined) continue;
    keep({
      divergenceId: reversalIdOf(position.actor),
      kind: 'reversal',
      issue,
      actor: position.actor,
      bloc: null,
      threshold: REVERSAL_THRESHOLD,
      actorStance: position.stance,
      otherStance: previous.stance,
      gap: Math.abs(position.stance - previous.stance),
      actorEvidence: [position.statementId],
      other: { ids: [previous.statementId] },
    });
  }

  return [...byId.values()].sort(byDivergenceId);
};

export const byDivergenceId = (a: Pick<DivergencePair, 'divergenceId'>, b: Pick<DivergencePair, 'divergenceId'>): number =>
  a.divergenceId < b.divergenceId ? -1 : a.divergenceId > b.divergenceId ? 1 : 0;

export const isDiverged = (evaluation: Pick<DivergenceEvaluation, 'gap' | 'threshold'>): boolean => evaluation.gap >= evaluation.threshold;

export interface ReconcileArgs {
  /** The issue's open episodes, keyed by divergenceId (at most one open episode per divergence). */
  open: ReadonlyMap<string, Episode>;
  /** `evaluateAll` over the positions after the cause was applied (not only the diverged ones: closing needs the gap). */
  evaluations: readonly DivergenceEvaluation[];
  /** The statement just applied; it must be its actor's current statement to count as evidence. */
  cause: StatementRecord;
}

const withEvidence = (ids: readonly string[], id: string): string[] => (ids.includes(id) ? [...ids] : [...ids, id]);

/** Which side of a divergence a statement stands on, if it is one of the statements behind it now. */
const sideOf = (evaluation: Measurement, statementId: string): 'actor' | 'other' | undefined =>
  evaluation.actorEvidence.includes(statementId)
    ? 'actor'
    : otherHas(evaluation.other, statementId)
      ? 'other'
      : undefined;

/**
 * Opens what is diverged and not open, closes what is open and measurably no longer diverged, and
 * adds the cause as evidence to what stays open. An open divergence that cannot be measured now
 * stays open untouched: an unknown gap is no proof of convergence. Transitions come sorted by
 * divergenceId.
 */
export const reconcile = ({ open, evaluations, cause }: ReconcileArgs): Transition[] =>
  reconcileMeasured(open, [...evaluations].sort(byDivergenceId).map(toMeasurement), cause);

/** How an open episode that stays diverged takes a statement as evidence on one side; undefined when it has it already. */
export type AddEvidence = (episode: Episode, side: 'actor' | 'other', statementId: string) => Transition | undefined;

/** A new episode with the side's list copied and the statement added: the given one is never changed. */
export const copyingEvidence: AddEvidence = (episode, side, statementId) => {
  if (episode.evidence[side].includes(statementId)) return undefined;
  const evidence = { ...episode.evidence, [side]: withEvidence(episode.evidence[side], statementId) };
  return { type: 'evidence', episode: { ...episode, evidence }, side, statementId };
};

/** `reconcile` of measurements sorted by divergenceId (`measureAll`'s); `addEvidence` lets a replay that owns its episodes grow them in place. */
export const reconcileMeasured = (
  open: ReadonlyMap<string, Episode>,
  ordered: readonly Measurement[],
  cause: StatementRecord,
  addEvidence: AddEvidence = copyingEvidence,
): Transition[] => {
  const transitions: Transition[] = [];
  // Open divergences missing from the evaluations are not visited at all: that is how they stay open.

  for (const evaluation of ordered) {
    const id = evaluation.divergenceId;
    const episode = open.get(id);
    const side = sideOf(evaluation, cause.statementId);

    if (episode === undefined) {
      if (!isDiverged(evaluation)) continue;
      const opened: Episode = {
        episodeId: makeEpisodeId(id, cause.statementId),
        divergenceId: id,
        kind: evaluation.kind,
        issue: evaluation.issue,
        actor: evaluation.actor,
        bloc: evaluation.bloc,
        threshold: evaluation.threshold,
        status: 'open',
        openedBy: cause.statementId,
        openedAt: cause.saidAt,
        actorStance: evaluation.actorStance,
        otherStance: evaluation.otherStance,
        gap: evaluation.gap,
        evidence: { actor: [...evaluation.actorEvidence], other: listOther(evaluation.other) },
      };
      transitions.push({ type: 'opened', alertId: alertId(opened.episodeId, 'opened'), episode: opened });
      continue;
    }

    if (isDiverged(evaluation)) {
      const added = side === undefined ? undefined : addEvidence(episode, side, cause.statementId);
      if (added !== undefined) transitions.push(added);
      continue;
    }

    // The statement that closes it is the quote that proves the convergence, so it joins the evidence.
    const evidence = side === undefined
      ? { actor: [...episode.evidence.actor], other: [...episode.evidence.other] }
      : { ...episode.evidence, [side]: withEvidence(episode.evidence[side], cause.statementId) };
    const closed: Episode = {
      ...episode,
      threshold: evaluation.threshold,
      status: 'closed',
      closedBy: cause.statementId,
      closedAt: cause.saidAt,
      actorStance: evaluation.actorStance,
      otherStance: evaluation.otherStance,
      gap: evaluation.gap,
      evidence,
    };
    transitions.push({ type: 'closed', alertId: alertId(episode.episodeId, 'closed'), episode: closed });
  }
  return transitions;
};
