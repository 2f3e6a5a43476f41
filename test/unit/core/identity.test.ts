/**
 * Statement identity: one id names one statement. Copies with the same content are the same
 * statement; any difference is named field by field, by where the publisher wrote it, without
 * repeating free text; and the replay de-duplicates by that same identity, refusing what the
 * store's claim makes impossible rather than choosing between two statements.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityConflicts, sameStatement, statementIdentity } from '../../../functions/core/identity.ts';
import { replayAll } from '../../../functions/core/tracker.ts';
import type { Stance, StatementRecord } from '../../../functions/core/types.ts';
import { at, ISSUE, makeRegistry, said } from './helpers.ts';

const RUNS = { numRuns: 500 };

const stanceChange = (id: string, overrides: Partial<StatementRecord> = {}): StatementRecord => ({
  statementId: id,
  kind: 'stance-change',
  actor: 'germany',
  issue: ISSUE,
  stance: 0,
  hedged: false,
  reason: 'Cabinet communiqué: too early to commit',
  saidAt: at(5),
  source: { outlet: 'Bundesregierung' },
  recordedBy: 'desk',
  ...overrides,
});

/** One change to a statement's content, and the event fields it must be reported under. */
interface Edit {
  fields: string[];
  apply: (s: StatementRecord) => StatementRecord;
}

const EDITS: readonly Edit[] = [
  { fields: ['detail.stance'], apply: (s) => ({ ...s, stance: (s.stance === 2 ? -1 : 2) as Stance }) },
  { fields: ['detail.hedged'], apply: (s) => ({ ...s, hedged: !s.hedged }) },
  { fields: ['detail.saidAt'], apply: (s) => ({ ...s, saidAt: at(999) }) },
  { fields: ['detail.actor'], apply: (s) => ({ ...s, actor: `${s.actor}-other` }) },
  { fields: ['detail.speaker'], apply: (s) => ({ ...s, speaker: 'someone-else' }) },
  { fields: ['detail.issue'], apply: (s) => ({ ...s, issue: 'another-issue' }) },
  { fields: ['detail.quote.text'], apply: (s) => ({ ...s, quote: { ...s.quote!, text: `${s.quote!.text} (updated)` } }) },
  { fields: ['detail.quote.lang'], apply: (s) => ({ ...s, quote: { ...s.quote!, lang: 'fr' } }) },
  { fields: ['detail.quote.translation.text', 'detail.quote.translation.lang'], apply: (s) => ({ ...s, quote: { ...s.quote!, translation: { text: 'a translation', lang: 'en' } } }) },
  { fields: ['detail.source.outlet'], apply: (s) => ({ ...s, source: { ...s.source, outlet: 'Other Wire' } }) },
  { fields: ['detail.source.url'], apply: (s) => ({ ...s, source: { outlet: s.source.outlet } }) },
  { fields: ['detail.recordedBy'], apply: (s) => ({ ...s, recordedBy: 'another-desk' }) },
  { fields: ['detail.recordedAt'], apply: (s) => ({ ...s, recordedAt: at(1_000) }) },
];

const statementArb: fc.Arbitrary<StatementRecord> = fc
  .record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9:-]{0,20}$/),
    actor: fc.constantFrom('russia', 'france', 'germany'),
    stance: fc.constantFrom<Stance>(-2, -1, 0, 1, 2),
    minute: fc.integer({ min: 0, max: 600 }),
    hedged: fc.boolean(),
    text: fc.string({ minLength: 1, maxLength: 60 }),
  })
  .map((s) => said({ id: s.id, actor: s.actor, stance: s.stance, at: s.minute, hedged: s.hedged, quote: { text: s.text, lang: 'ar' } }));

describe('statement identity', () => {
  it('is the same for copies of a statement, whatever their key order', () => {
    fc.assert(
      fc.property(statementArb, (statement) => {
        // Prepare
        const reordered = Object.fromEntries(Object.entries(structuredClone(statement)).reverse()) as unknown as StatementRecord;

        // Act
        const a = statementIdentity(statement);
        const b = statementIdentity(reordered);

        // Assess
        expect(sameStatement(a, b)).toBe(true);
        expect(identityConflicts(a, b)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('names exactly the fields that differ, by their place in the event', () => {
    fc.assert(
      fc.property(statementArb, fc.subarray([...EDITS], { minLength: 1 }), (statement, edits) => {
        // Prepare
        const changed = edits.reduce((s, edit) => edit.apply(s), statement);

        // Act
        const problems = identityConflicts(statementIdentity(statement), statementIdentity(changed));

        // Assess
        expect(statementIdentity(changed).fingerprint).not.toBe(statementIdentity(statement).fingerprint);
        expect(problems.map((p) => p.field).sort()).toEqual(edits.flatMap((e) => e.fields).sort());
        for (const problem of problems) expect(problem.reason).toMatch(/^differs from the statement recorded under this id \(recorded .+, received .+\)$/);
      }),
      RUNS,
    );
  });

  it('leaves out how the publisher spelt the speaker and the actor: an alias and the id are one statement', () => {
    // Prepare: recorded by id, received by alias (and the reverse for the actor of a stance change).
    const byId = said({ id: 's1', actor: 'russia', stance: 2, at: 0 });
    const byAlias: StatementRecord = { ...byId, speakerAsWritten: 'قائد الكرملين' };
    const change = stanceChange('desk-1');
    const changeByName: StatementRecord = { ...change, actorAsWritten: 'ألمانيا' };

    // Act / Assess
    expect(statementIdentity(byAlias)).toEqual(statementIdentity(byId));
    expect(identityConflicts(statementIdentity(changeByName), statementIdentity(change))).toEqual([]);
    expect(sameStatement(statementIdentity(byAlias), statementIdentity({ ...byId, speaker: 'other' }))).toBe(false);
  });

  it('shows recorded and received values of ids, times and stances', () => {
    // Prepare
    const recorded = said({ id: 's1', actor: 'russia', stance: 2, at: 0 });
    const received = { ...recorded, stance: -1 as const, saidAt: at(60), actor: 'france' };

    // Act
    const problems = identityConflicts(statementIdentity(recorded), statementIdentity(received));

    // Assess
    expect(problems).toEqual([
      { field: 'detail.actor', reason: "differs from the statement recorded under this id (recorded 'russia', received 'france')" },
      { field: 'detail.stance', reason: 'differs from the statement recorded under this id (recorded 2, received -1)' },
      { field: 'detail.saidAt', reason: `differs from the statement recorded under this id (recorded '${at(0)}', received '${at(60)}')` },
    ]);
  });

  it('never repeats a quote, an outlet or a reason: only their sizes', () => {
    // Prepare: hostile text must stay out of the refusal altogether.
    const recorded = said({ id: 's1', actor: 'russia', stance: 2, at: 0, quote: { text: 'ترفض موسكو نشر قوات غربية '.repeat(200), lang: 'ar' } });
    const received = { ...recorded, quote: { text: '=HYPERLINK("http://evil.example")', lang: 'ar' }, source: { outlet: '<b>@here</b>' } };

    // Act
    const problems = identityConflicts(statementIdentity(recorded), statementIdentity(received));

    // Assess
    const quoteBytes = Buffer.byteLength(recorded.quote!.text, 'utf8');
    expect(problems).toEqual([
      {
        field: 'detail.quote.text',
        reason: `differs from the statement recorded under this id (recorded ${quoteBytes} bytes, received 33 bytes; text is not repeated here)`,
      },
      { field: 'detail.source.outlet', reason: expect.stringMatching(/^differs .*\(recorded 9 bytes, received 12 bytes; text is not repeated here\)$/) },
      { field: 'detail.source.url', reason: expect.stringMatching(/\(recorded 24 bytes, received none; text is not repeated here\)$/) },
    ]);
    expect(JSON.stringify(problems)).not.toMatch(/HYPERLINK|@here|ترفض|Test Wire/);
  });

  it('names the fields of a stance change as its event does, and a change of kind as the detail-type', () => {
    // Prepare
    const recorded = stanceChange('desk-1');
    const asStatement = said({ id: 'desk-1', actor: 'germany', stance: 0, at: 5 });

    // Act
    const moved = identityConflicts(statementIdentity(recorded), statementIdentity({ ...recorded, saidAt: at(6) }));
    const kind = identityConflicts(statementIdentity(recorded), statementIdentity(asStatement));

    // Assess
    expect(moved.map((p) => p.field)).toEqual(['detail.effectiveAt']);
    expect(kind[0]).toEqual({
      field: 'detail-type',
      reason: "differs from the statement recorded under this id (recorded 'Stance Changed', received 'Statement Recorded')",
    });
    expect(kind.map((p) => p.field)).toEqual(expect.arrayContaining(['detail.speaker', 'detail.quote.text', 'detail.reason']));
  });
});

describe('the replay, by the same identity', () => {
  const registry = makeRegistry({ actors: ['russia', 'france', 'germany'], issues: [ISSUE, 'another-issue'] });

  it('keeps copies with the same identity once, and refuses two different statements under one id', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(statementArb, { selector: (s) => s.statementId, minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom(...EDITS),
        (statements, pick, edit) => {
          // Prepare
          const original = statements[pick % statements.length]!;
          const conflicting = edit.apply(original);

          // Act
          const withCopy = replayAll([...statements, structuredClone(original)], registry);
          const withConflict = () => replayAll([...statements, conflicting], registry);

          // Assess: a copy changes nothing; a conflict is refused, never resolved by delivery order.
          expect(withCopy).toEqual(replayAll(statements, registry));
          expect(withConflict).toThrow(RangeError);
          expect(withConflict).toThrow(`two different statements under id ${original.statementId}: ${edit.fields[0]}`);
        },
      ),
      RUNS,
    );
  });
});
