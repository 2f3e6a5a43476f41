/**
 * Random registries and statement sets for property tests of the timeline and of what is built on
 * it: few actors, issues and minutes, so ties, repeats and late statements are common.
 */
import fc from 'fast-check';
import type { Registry, Stance, StatementRecord } from '../../../functions/core/types.ts';
import { makeRegistry, said, type WatchSpec } from './helpers.ts';

export const RUNS = { numRuns: 1000 };
const ACTORS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const ISSUES = ['i0', 'i1', 'i2'];

export const stanceArb = fc.constantFrom<Stance>(-2, -1, 0, 1, 2);

export const registryArb: fc.Arbitrary<{ registry: Registry; issues: string[] }> = fc
  .record({
    issues: fc.shuffledSubarray(ISSUES, { minLength: 1, maxLength: 3 }),
    members: fc.shuffledSubarray(ACTORS, { minLength: 3, maxLength: 6 }),
    splitThreshold: fc.integer({ min: 1, max: 4 }),
    watched: fc.array(
      fc.record({ actor: fc.constantFrom(...ACTORS), threshold: fc.integer({ min: 1, max: 4 }), everyIssue: fc.boolean() }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ issues, members, splitThreshold, watched }) => {
    const watches: WatchSpec[] = [
      { id: 'split', kind: 'bloc-split', bloc: 'bloc', threshold: splitThreshold },
      ...watched.map((w, index): WatchSpec => ({
        id: `against-${index}`,
        actor: w.actor,
        bloc: 'bloc',
        threshold: w.threshold,
        issues: w.everyIssue ? '*' : issues.slice(0, 1),
      })),
    ];
    return { registry: makeRegistry({ actors: ACTORS, issues, blocs: { bloc: members }, watches }), issues };
  });

/** Few distinct minutes, so equal said times (and the id tie-break) are common. */
export const statementsArb = (issues: string[]): fc.Arbitrary<StatementRecord[]> =>
  fc
    .uniqueArray(
      fc.record({
        id: fc.string({ unit: fc.constantFrom(...'abcxyz019'), minLength: 1, maxLength: 3 }),
        actor: fc.constantFrom(...ACTORS),
        issue: fc.constantFrom(...issues),
        stance: stanceArb,
        minute: fc.integer({ min: 0, max: 8 }),
      }),
      { selector: (s) => s.id, minLength: 1, maxLength: 30, size: 'max' },
    )
    .map((specs) => specs.map((s) => said({ id: s.id, actor: s.actor, issue: s.issue, stance: s.stance, at: s.minute })));

/** The same statements delivered in any order, some of them more than once. */
export const deliveryArb = (statements: StatementRecord[]): fc.Arbitrary<StatementRecord[]> =>
  fc
    .array(fc.nat({ max: Math.max(0, statements.length - 1) }), { maxLength: statements.length === 0 ? 0 : 12 })
    .chain((repeats) => {
      const copies = [...statements, ...repeats.map((i) => structuredClone(statements[i]!))];
      return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length });
    });

export const scenarioArb = registryArb.chain(({ registry, issues }) =>
  statementsArb(issues).chain((statements) =>
    deliveryArb(statements).map((delivered) => ({ registry, statements, delivered })),
  ),
);
