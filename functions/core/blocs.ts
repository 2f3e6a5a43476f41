/** A bloc's stance is derived from its members' current stances, never stored. */
import type { ActorId, Bloc, Position } from './types.ts';

/** The median; for an even count the mean of the two middle values, so it may fall on a half point. */
export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
};

/**
 * Members without a position are ignored rather than counted as undecided: silence is not a stance.
 * A member listed twice counts once, so a data slip in the registry cannot double a vote.
 * `exclude` leaves out the actor being compared with the bloc, so it is not measured against itself.
 */
export const blocStance = (
  bloc: Bloc,
  positions: ReadonlyMap<ActorId, Position>,
  exclude?: ActorId,
): { stance: number | null; members: Position[] } => {
  const members: Position[] = [];
  for (const member of new Set(bloc.members)) {
    if (member === exclude) continue;
    const position = positions.get(member);
    if (position !== undefined) members.push(position);
  }
  return { stance: median(members.map((m) => m.stance)), members };
};
