import { describe, expect, it } from 'vitest';
import { positionChangeId } from '../../../functions/core/ids.ts';
import { applyToPosition, compareSaid, positionAsOf, positionChangeOf } from '../../../functions/core/positions.ts';
import type { Position, StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, at, said } from './helpers.ts';

const fold = (statements: readonly StatementRecord[]): Position | undefined =>
  statements.reduce<Position | undefined>((position, statement) => applyToPosition(position, statement).position, undefined);

describe('compareSaid', () => {
  it('orders by the time said, then by statement id', () => {
    // Prepare
    const early = { saidAt: at(0), statementId: 'z' };
    const lateA = { saidAt: at(1), statementId: 'a' };
    const lateB = { saidAt: at(1), statementId: 'b' };

    // Act
    const sorted = [lateB, early, lateA].sort(compareSaid);

    // Assess
    expect(sorted).toEqual([early, lateA, lateB]);
    expect(compareSaid(lateA, { ...lateA })).toBe(0);
  });
});

describe('applyToPosition', () => {
  it('makes the latest said statement current, whatever the delivery order', () => {
    // Prepare
    const first = said({ id: 's1', actor: 'russia', stance: -1, at: 0 });
    const second = said({ id: 's2', actor: 'russia', stance: -2, at: 10 });
    const third = said({ id: 's3', actor: 'russia', stance: 0, at: 20 });

    // Act
    const inOrder = fold([first, second, third]);
    const reversed = fold([third, second, first]);
    const shuffled = fold([second, third, first]);

    // Assess
    expect(inOrder).toMatchObject({ statementId: 's3', stance: 0, previous: { statementId: 's2', stance: -2 } });
    expect(reversed).toEqual(inOrder);
    expect(shuffled).toEqual(inOrder);
  });

  it('breaks a tie in said time by statement id', () => {
    // Prepare
    const a = said({ id: 'a', actor: 'russia', stance: -2, at: 5 });
    const b = said({ id: 'b', actor: 'russia', stance: 1, at: 5 });

    // Act
    const ab = fold([a, b]);
    const ba = fold([b, a]);

    // Assess
    expect(ab).toMatchObject({ statementId: 'b', previous: { statementId: 'a' } });
    expect(ba).toEqual(ab);
  });

  it('reports each effect: current, previous, older, duplicate', () => {
    // Prepare
    const position = fold([
      said({ id: 's1', actor: 'russia', stance: -1, at: 10 }),
      said({ id: 's3', actor: 'russia', stance: -2, at: 30 }),
    ]);

    // Act
    const later = applyToPosition(position, said({ id: 's4', actor: 'russia', stance: 0, at: 40 }));
    const between = applyToPosition(position, said({ id: 's2', actor: 'russia', stance: 2, at: 20 }));
    const older = applyToPosition(position, said({ id: 's0', actor: 'russia', stance: 2, at: 0 }));
    const duplicate = applyToPosition(position, said({ id: 's3', actor: 'russia', stance: -2, at: 30 }));

    // Assess
    expect(later.effect).toBe('current');
    expect(later.position).toMatchObject({ statementId: 's4', previous: { statementId: 's3' } });
    expect(between.effect).toBe('previous');
    expect(between.position).toMatchObject({ statementId: 's3', previous: { statementId: 's2', stance: 2 } });
    expect(older.effect).toBe('older');
    expect(older.position).toBe(position);
    expect(duplicate.effect).toBe('duplicate');
    expect(duplicate.position).toBe(position);
  });

  it('starts a position with no previous statement', () => {
    // Prepare
    const first = said({ id: 's1', actor: 'germany', stance: 0, at: 0, hedged: true });

    // Act
    const { position, effect } = applyToPosition(undefined, first);

    // Assess
    expect(effect).toBe('current');
    expect(position).toEqual({ issue: ISSUE, actor: 'germany', stance: 0, hedged: true, statementId: 's1', saidAt: at(0) });
  });

  it('rejects a statement about another actor', () => {
    // Prepare
    const position = fold([said({ id: 's1', actor: 'russia', stance: -1, at: 0 })]);

    // Act
    const act = () => applyToPosition(position, said({ id: 's2', actor: 'france', stance: 2, at: 1 }));

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('positionAsOf', () => {
  const history = [
    said({ id: 's2', actor: 'russia', stance: -2, at: 20 }),
    said({ id: 's1', actor: 'russia', stance: -1, at: 10 }),
    said({ id: 'f1', actor: 'france', stance: 2, at: 15 }),
    said({ id: 'o1', actor: 'russia', stance: 2, at: 15, issue: 'other-issue' }),
  ];

  it('is the latest statement said at or before the time asked', () => {
    // Act
    const atFirst = positionAsOf(history, 'russia', ISSUE, at(10));
    const between = positionAsOf(history, 'russia', ISSUE, at(15));
    const after = positionAsOf(history, 'russia', ISSUE, at(60));

    // Assess
    expect(atFirst).toEqual({ stance: -1, hedged: false, statementId: 's1', saidAt: at(10) });
    expect(between?.statementId).toBe('s1');
    expect(after?.statementId).toBe('s2');
  });

  it('is undefined before the first statement', () => {
    // Act
    const before = positionAsOf(history, 'russia', ISSUE, at(9));

    // Assess
    expect(before).toBeUndefined();
  });
});

describe('positionChangeOf', () => {
  it('names the change by issue, actor and statement, with the position said before it as previous', () => {
    // Prepare
    const before = said({ id: 's1', actor: 'russia', stance: -1, at: 0 });
    const statement = said({ id: 's2', actor: 'russia', stance: 2, at: 10, hedged: true });

    // Act
    const change = positionChangeOf(statement, fold([before]));
    const first = positionChangeOf(before, undefined);

    // Assess
    expect(change).toEqual({
      changeId: positionChangeId(ISSUE, 'russia', 's2'),
      issue: ISSUE,
      actor: 'russia',
      previous: { stance: -1, hedged: false, statementId: 's1', saidAt: at(0) },
      current: { stance: 2, hedged: true, statementId: 's2', saidAt: at(10) },
      statementId: 's2',
    });
    expect(first.previous).toBeNull();
  });
});
