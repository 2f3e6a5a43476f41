/**
 * The quiet path's rule (core/restatement.ts): a restatement it lets through changes no
 * divergence's status, whatever the registry (dated members, a closed issue, retired watches).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesNoDivergence } from '../../../functions/core/restatement.ts';
import { compareSaid } from '../../../functions/core/positions.ts';
import { emptyIssueState, isStatusTransition, step, type IssueState } from '../../../functions/core/tracker.ts';
import type { Registry, StatementRecord } from '../../../functions/core/types.ts';
import { at, makeRegistry, said } from './helpers.ts';
import { registryArb, stanceArb } from './timeline-arbitraries.ts';

/** Replays `statements` in said order; for each, whether the rule called it quiet and whether it transitioned. */
const verdicts = (issue: string, statements: readonly StatementRecord[], registry: Registry) => {
  let state: IssueState = emptyIssueState(issue);
  const seen: Array<{ quiet: boolean; transitioned: boolean }> = [];
  for (const statement of [...statements].sort(compareSaid)) {
    const quiet = changesNoDivergence(statement, state.positions.get(statement.actor), registry);
    const result = step(state, statement, registry);
    seen.push({ quiet, transitioned: result.transitions.some(isStatusTransition) });
    state = result.state;
  }
  return seen;
};

/** The same registry with every membership undated: the case the quiet path serves. */
const withoutDates = (registry: Registry): Registry => ({
  ...registry,
  blocs: new Map([...registry.blocs].map(([id, { tenure: _tenure, ...bloc }]) => [id, bloc])),
});

/** Streams where most statements restate: each actor's stance moves by a point now and then. */
const restatingStreamArb = (issue: string) =>
  fc
    .array(fc.record({ actor: fc.constantFrom('a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'), move: fc.constantFrom(0, 0, 0, 0, 1, -1, 2), start: stanceArb }), {
      minLength: 1,
      maxLength: 40,
    })
    .map((steps) => {
      const stances = new Map<string, number>();
      return steps.map(({ actor, move, start }, i) => {
        const stance = Math.max(-2, Math.min(2, (stances.get(actor) ?? start) + move));
        stances.set(actor, stance);
        return said({ id: `s${String(i).padStart(3, '0')}`, actor, issue, stance: stance as -2, at: i });
      });
    });

describe('a restatement the quiet path records without reading', () => {
  it('never opens or closes a divergence in the replay of its issue (1,000 random registries and streams)', () => {
    let quiet = 0;
    fc.assert(
      fc.property(
        fc.tuple(registryArb, fc.boolean()).map(([{ registry, issues }, undated]) => ({ registry: undated ? withoutDates(registry) : registry, issues })).chain(({ registry, issues }) => restatingStreamArb(issues[0] as string).map((statements) => ({ registry, issue: issues[0] as string, statements }))),
        ({ registry, issue, statements }) => {
          for (const verdict of verdicts(issue, statements, registry)) {
            if (verdict.quiet) quiet += 1;
            expect(verdict.quiet && verdict.transitioned).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The rule lets most restatements through: the property is not about an empty set.
    expect(quiet).toBeGreaterThan(500);
  });

  it('is not one that closes its actor\'s reversal: a flip restated makes current and previous equal', () => {
    const registry = makeRegistry({ actors: ['a'], issues: ['i'] });
    const [first, flip, restated] = [said({ id: 's1', actor: 'a', issue: 'i', stance: -2, at: 0 }), said({ id: 's2', actor: 'a', issue: 'i', stance: 2, at: 1 }), said({ id: 's3', actor: 'a', issue: 'i', stance: 2, at: 2 })];
    const seen = verdicts('i', [first, flip, restated], registry);
    expect(seen.map((v) => v.transitioned)).toEqual([false, true, true]);
    expect(seen[2]?.quiet).toBe(false);
  });

  it('is not one said on an issue watched against a bloc with dated members, which a later said time can change', () => {
    const undated = makeRegistry({ actors: ['x', 'm1', 'm2'], issues: ['i'], blocs: { b: ['m1', 'm2'] }, watches: [{ actor: 'x', bloc: 'b', threshold: 2 }] });
    const bloc = undated.blocs.get('b')!;
    const registry: Registry = { ...undated, blocs: new Map([['b', { ...bloc, tenure: { m2: [{ until: at(5) }] } }]]) };
    const statements = [
      said({ id: 's1', actor: 'm1', issue: 'i', stance: 2, at: 0 }),
      said({ id: 's2', actor: 'm2', issue: 'i', stance: -2, at: 1 }),
      said({ id: 's3', actor: 'x', issue: 'i', stance: 0, at: 2 }),
      // m2 leaves at minute 5: the bloc's median moves from 0 to 2 with nobody's stance changing.
      said({ id: 's4', actor: 'x', issue: 'i', stance: 0, at: 6 }),
    ];
    const seen = verdicts('i', statements, registry);
    expect(seen[3]).toEqual({ quiet: false, transitioned: true });
    expect(changesNoDivergence(statements[3]!, { issue: 'i', actor: 'x', stance: 0, hedged: false, statementId: 's3', saidAt: at(2) }, undated)).toBe(true);
  });

  it('is not a statement that moves the stance or the hedge, nor an actor\'s first', () => {
    const registry = makeRegistry({ actors: ['a'], issues: ['i'] });
    const one = said({ id: 's1', actor: 'a', issue: 'i', stance: 1, at: 0 });
    const state = step(emptyIssueState('i'), one, registry).state;
    const before = state.positions.get('a');
    expect(changesNoDivergence(one, undefined, registry)).toBe(false);
    expect(changesNoDivergence(said({ id: 's2', actor: 'a', issue: 'i', stance: 2, at: 1 }), before, registry)).toBe(false);
    expect(changesNoDivergence(said({ id: 's2', actor: 'a', issue: 'i', stance: 1, hedged: true, at: 1 }), before, registry)).toBe(false);
    expect(changesNoDivergence(said({ id: 's2', actor: 'a', issue: 'i', stance: 1, at: 1 }), before, registry)).toBe(true);
  });
});
