/**
 * A bloc's stance is derived from its members' current stances, never stored. Membership may have
 * dates (a member joins or leaves), so "the members" always means the members at a said time.
 */
import type { ActorId, Bloc, Position, Tenure } from './types.ts';

/** The median; for an even count the mean of the two middle values, so it may fall on a half point. */
export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
};

const within = (tenure: Tenure, at: string): boolean =>
  (tenure.since === undefined || tenure.since <= at) && (tenure.until === undefined || at < tenure.until);

/**
 * `isMemberAt` for an actor known to be listed: only its dates are looked at, so taking the members
 * of a bloc is linear in its size (it runs at every step of a replay).
 */
const listedMemberAt = (bloc: Bloc, actor: ActorId, at: string | undefined): boolean => {
  const periods = bloc.tenure?.[actor];
  return periods === undefined || at === undefined || periods.some((tenure) => within(tenure, at));
};

/**
 * Whether `actor` is a member of the bloc at said time `at`. Without `at` every member ever listed
 * counts: a caller that has no time in hand (a bloc without dates needs none) asks about the list.
 */
export const isMemberAt = (bloc: Bloc, actor: ActorId, at?: string): boolean =>
  bloc.members.includes(actor) && listedMemberAt(bloc, actor, at);

/** Each member once, in the bloc's order; registries are immutable values, so once per bloc. */
const uniqueMembers = new WeakMap<Bloc, readonly ActorId[]>();

const listedOnce = (bloc: Bloc): readonly ActorId[] => {
  let unique = uniqueMembers.get(bloc);
  if (unique === undefined) {
    unique = [...new Set(bloc.members)];
    uniqueMembers.set(bloc, unique);
  }
  return unique;
};

/** The members at said time `at`, in the bloc's (sorted) order, once each. */
export const membersAt = (bloc: Bloc, at?: string): ActorId[] =>
  listedOnce(bloc).filter((actor) => listedMemberAt(bloc, actor, at));

/** Whether any member's membership has dates, so that the bloc is not the same at every time. */
export const hasDatedMembership = (bloc: Bloc): boolean => Object.keys(bloc.tenure ?? {}).length > 0;

/**
 * Members without a position are ignored rather than counted as undecided: silence is not a stance.
 * A member listed twice counts once, so a data slip in the registry cannot double a vote.
 * `exclude` leaves out the actor being compared with the bloc, so it is not measured against itself;
 * `at` takes the membership in force at that said time.
 */
export const blocStance = (
  bloc: Bloc,
  positions: ReadonlyMap<ActorId, Position>,
  exclude?: ActorId,
  at?: string,
): { stance: number | null; members: Position[] } => {
  const members = speakingMembers(bloc, positions, exclude, at);
  return { stance: median(members.map((m) => m.stance)), members };
};

/** `blocStance`'s members without its median: the positions of the members at `at`, less `exclude`, in the bloc's order. */
export const speakingMembers = (bloc: Bloc, positions: ReadonlyMap<ActorId, Position>, exclude?: ActorId, at?: string): Position[] => {
  const members: Position[] = [];
  for (const member of listedOnce(bloc)) {
    if (member === exclude || !listedMemberAt(bloc, member, at)) continue;
    const position = positions.get(member);
    if (position !== undefined) members.push(position);
  }
  return members;
};

/**
 * A bloc has a stance only when at least `quorum` of its members have one: the median of one or
 * two voices is not the bloc's. `speaking` counts the members with a position, the actor compared
 * with the bloc included when it is a member (a bloc split measures each member against the rest).
 */
export const hasQuorum = (speaking: number, quorum: number): boolean => speaking >= quorum;
