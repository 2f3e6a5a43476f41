import { describe, expect, it } from 'vitest';
import { blocStance, median } from '../../../functions/core/blocs.ts';
import { applyToPosition } from '../../../functions/core/positions.ts';
import type { Position, Stance } from '../../../functions/core/types.ts';
import { makeRegistry, said } from './helpers.ts';

const positionsOf = (stances: Record<string, Stance>): Map<string, Position> =>
  new Map(
    Object.entries(stances).map(([actor, stance], index) => [
      actor,
      applyToPosition(undefined, said({ id: `${actor}-1`, actor, stance, at: index })).position as Position,
    ]),
  );

describe('median', () => {
  it('is the middle value of an odd count', () => {
    expect(median([2, -2, 1])).toBe(1);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([2, -1, 0, 2])).toBe(1);
    expect(median([2, 1])).toBe(1.5);
  });

  it('is the value itself for a single value', () => {
    expect(median([-1])).toBe(-1);
  });

  it('is null without values', () => {
    expect(median([])).toBeNull();
  });

  it('does not reorder its input', () => {
    const values = [2, -2, 0];
    median(values);
    expect(values).toEqual([2, -2, 0]);
  });
});

describe('blocStance', () => {
  const registry = makeRegistry({ blocs: { allies: ['france', 'uk', 'germany', 'poland'] } });
  const allies = registry.blocs.get('allies')!;

  it('is the median of the members that have a position, ignoring the silent ones', () => {
    // Prepare
    const positions = positionsOf({ france: 2, uk: 2, germany: 0, russia: -2 });

    // Act
    const { stance, members } = blocStance(allies, positions);

    // Assess
    expect(stance).toBe(2);
    expect(members.map((m) => m.actor)).toEqual(['france', 'uk', 'germany']);
  });

  it('leaves out the excluded actor', () => {
    // Prepare
    const positions = positionsOf({ france: 2, uk: 1, germany: -2 });

    // Act
    const { stance, members } = blocStance(allies, positions, 'germany');

    // Assess
    expect(stance).toBe(1.5);
    expect(members.map((m) => m.actor)).toEqual(['france', 'uk']);
  });

  it('is null when no member has a position', () => {
    // Prepare
    const positions = positionsOf({ russia: -2, germany: 0 });

    // Act
    const { stance, members } = blocStance(allies, positions, 'germany');

    // Assess
    expect(stance).toBeNull();
    expect(members).toEqual([]);
  });

  it('counts a member listed twice once', () => {
    // Prepare
    const doubled = { ...allies, members: ['france', 'france', 'germany'] };
    const positions = positionsOf({ france: 2, germany: -2 });

    // Act
    const { stance } = blocStance(doubled, positions);

    // Assess
    expect(stance).toBe(0);
  });
});
