/**
 * Corrections and retractions in the core: the record reads as if the statement had been recorded
 * correctly (or never made), keeps the revision trail, and depends only on which revisions exist.
 */
import { describe, expect, it } from 'vitest';
import {
  REMOVAL_NOTICE, effectiveStatement, revisionConflicts, revisionIdentity, revisionImpact,
  type Correction, type Retraction, type StatementChanges,
} from '../../../functions/core/corrections.ts';
import type { StatementRecord } from '../../../functions/core/types.ts';
import { at, ISSUE } from './helpers.ts';

const ARABIC = 'اعتبرت ألمانيا أن الوقت ما زال مبكراً للالتزام من هذا النوع';
const TRANSLATION = 'Germany considered that it is still too early for a commitment of this kind';

/** Germany's "too early to commit", recorded as a commitment by mistake. */
const recorded = (overrides: Partial<StatementRecord> = {}): StatementRecord => ({
  statementId: 'seed-09-germany',
  kind: 'statement',
  actor: 'germany',
  speaker: 'german-government',
  issue: ISSUE,
  stance: 2,
  hedged: false,
  quote: { text: ARABIC, lang: 'ar', translation: { text: TRANSLATION, lang: 'en' } },
  saidAt: at(0),
  source: { outlet: 'Paris summit report', url: 'https://example.org/paris' },
  recordedBy: 'seed',
  ...overrides,
});

const stanceChange = (overrides: Partial<StatementRecord> = {}): StatementRecord => ({
  statementId: 'desk-germany-troops',
  kind: 'stance-change',
  actor: 'germany',
  issue: ISSUE,
  stance: 1,
  hedged: true,
  reason: 'Government spokesperson: air policing, not ground troops, for now',
  saidAt: at(60),
  source: { outlet: 'Government press conference' },
  recordedBy: 'berlin-desk',
  ...overrides,
});

const correction = (id: string, minutes: number, changes: StatementChanges, statementId = 'seed-09-germany'): Correction => ({
  kind: 'correction',
  correctionId: id,
  statementId,
  changes,
  reason: `reason of ${id}`,
  correctedAt: at(minutes),
  recordedBy: 'standards-desk',
});

const retraction = (id: string, minutes: number, redact = false, statementId = 'seed-09-germany'): Retraction => ({
  kind: 'retraction',
  retractionId: id,
  statementId,
  reason: `reason of ${id}`,
  retractedAt: at(minutes),
  recordedBy: 'legal',
  redact,
});

describe('effectiveStatement: corrections', () => {
  it('without revisions is the statement as recorded, standing, with an empty trail', () => {
    // Act
    const effective = effectiveStatement(recorded(), []);
    // Assess
    expect(effective).toEqual({ record: recorded(), status: 'standing', redacted: false, trail: [], conflicts: [] });
  });

  it('reads as if recorded correctly, and the trail says what changed, from what to what, when, why and by whom', () => {
    // Act
    const effective = effectiveStatement(recorded(), [correction('c-stance', 30, { stance: 0 })]);
    // Assess
    expect(effective.record).toEqual(recorded({ stance: 0 }));
    expect(effective.trail).toEqual([{
      kind: 'correction',
      correctionId: 'c-stance',
      correctedAt: at(30),
      reason: 'reason of c-stance',
      recordedBy: 'standards-desk',
      outcome: 'applied',
      changes: [{ field: 'stance', from: 2, to: 0 }],
    }]);
  });

  it('drops the spelling of a speaker or an actor it corrects, and keeps the one of a field it leaves alone', () => {
    // Prepare: recorded by the names a desk wrote.
    const byNames = recorded({ speakerAsWritten: 'الحكومة الألمانية', actorAsWritten: 'ألمانيا' });
    // Act
    const speakerCorrected = effectiveStatement(byNames, [correction('c-speaker', 30, { speaker: 'macron', actor: 'france' })]);
    const stanceCorrected = effectiveStatement(byNames, [correction('c-stance', 30, { stance: 0 })]);
    // Assess
    expect(speakerCorrected.record).toEqual(recorded({ speaker: 'macron', actor: 'france' }));
    expect(stanceCorrected.record).toEqual({ ...byNames, stance: 0 });
  });

  it('applies corrections in correctedAt order, later ones overriding earlier ones field by field', () => {
    // Prepare: delivered latest first.
    const later = correction('c-a', 40, { stance: -1 });
    const earlier = correction('c-b', 10, { stance: 1, hedged: true });
    // Act
    const effective = effectiveStatement(recorded(), [later, earlier]);
    // Assess
    expect(effective.record).toMatchObject({ stance: -1, hedged: true });
    expect(effective.trail.map((entry) => entry.kind === 'correction' && entry.changes)).toEqual([
      [{ field: 'stance', from: 2, to: 1 }, { field: 'hedged', from: false, to: true }],
      [{ field: 'stance', from: 1, to: -1 }],
    ]);
  });

  it('breaks a tie in correctedAt by correctionId', () => {
    // Act
    const effective = effectiveStatement(recorded(), [correction('c-2', 10, { stance: -2 }), correction('c-1', 10, { stance: 1 })]);
    // Assess
    expect(effective.trail.map((entry) => entry.kind === 'correction' && entry.correctionId)).toEqual(['c-1', 'c-2']);
    expect(effective.record.stance).toBe(-2);
  });

  it('counts a correction delivered twice once', () => {
    // Prepare
    const fix = correction('c-stance', 30, { stance: 0 });
    // Act / Assess
    expect(effectiveStatement(recorded(), [fix, { ...fix }, fix])).toEqual(effectiveStatement(recorded(), [fix]));
  });

  it('keeps a correction that changes nothing on the trail as unchanged, and lists only the fields that do change', () => {
    // Act
    const effective = effectiveStatement(recorded(), [
      correction('c-same', 10, { stance: 2, actor: 'germany' }),
      correction('c-some', 20, { stance: 2, hedged: true }),
    ]);
    // Assess
    expect(effective.trail).toMatchObject([
      { correctionId: 'c-same', outcome: 'unchanged', changes: [] },
      { correctionId: 'c-some', outcome: 'applied', changes: [{ field: 'hedged', from: false, to: true }] },
    ]);
    expect(effective.record).toEqual(recorded({ hedged: true }));
  });

  it('replaces the whole quote and keeps the corrected text byte for byte', () => {
    // Prepare: the same words, one with a shadda the first recording lost.
    const quote = { text: 'يدّعي أن قوات بلاده تتقدم', lang: 'ar' };
    // Act
    const effective = effectiveStatement(recorded(), [correction('c-quote', 5, { quote })]);
    // Assess: the translation went with the recorded quote.
    expect(effective.record.quote).toEqual(quote);
    expect(Buffer.from(effective.record.quote!.text, 'utf8').equals(Buffer.from(quote.text, 'utf8'))).toBe(true);
    expect(effective.trail[0]).toMatchObject({ changes: [{ field: 'quote', from: recorded().quote, to: quote }] });
  });

  it('corrects a stance change by its changeId, and refuses whole a correction setting a field it lacks', () => {
    // Prepare
    const fixTime = correction('c-time', 10, { saidAt: at(45), stance: 0 }, 'desk-germany-troops');
    const withSpeaker = correction('c-speaker', 20, { stance: -1, speaker: 'scholz', quote: { text: 'x', lang: 'en' } }, 'desk-germany-troops');
    // Act
    const effective = effectiveStatement(stanceChange(), [fixTime, withSpeaker]);
    // Assess
    expect(effective.record).toEqual(stanceChange({ saidAt: at(45), stance: 0 }));
    expect(effective.trail[1]).toMatchObject({
      correctionId: 'c-speaker',
      outcome: 'inapplicable',
      changes: [{ field: 'stance', from: 0, to: -1 }, { field: 'speaker', to: 'scholz' }, { field: 'quote', to: { text: 'x', lang: 'en' } }],
      problems: [
        { field: 'detail.changes.speaker', reason: 'statement desk-germany-troops is a stance-change, which has no speaker' },
        { field: 'detail.changes.quote', reason: 'statement desk-germany-troops is a stance-change, which has no quote' },
      ],
    });
  });

  it('refuses a revision of another statement: the caller grouped them wrongly', () => {
    expect(() => effectiveStatement(recorded(), [correction('c-1', 1, { stance: 0 }, 'someone-else')])).toThrow(
      'revision c-1 is of statement someone-else, not seed-09-germany',
    );
  });
});

describe('effectiveStatement: retractions', () => {
  it('withdraws the statement but keeps it on the record with the retraction on its trail', () => {
    // Act
    const effective = effectiveStatement(recorded(), [], [retraction('r-1', 30)]);
    // Assess
    const entry = {
      kind: 'retraction', retractionId: 'r-1', retractedAt: at(30), reason: 'reason of r-1', recordedBy: 'legal', redact: false, outcome: 'retracted',
    };
    expect(effective).toEqual({ record: recorded(), status: 'retracted', retraction: entry, redacted: false, trail: [entry], conflicts: [] });
  });

  it('of a corrected statement keeps the corrections made before it, applied', () => {
    // Act
    const effective = effectiveStatement(recorded(), [correction('c-stance', 10, { stance: 0 })], [retraction('r-1', 30)]);
    // Assess
    expect(effective.status).toBe('retracted');
    expect(effective.record.stance).toBe(0);
    expect(effective.trail.map((entry) => [entry.kind, entry.outcome])).toEqual([['correction', 'applied'], ['retraction', 'retracted']]);
  });

  it('is final: a correction dated after it stays on the trail, not applied, whatever the delivery order', () => {
    // Prepare: the late correction is delivered first.
    const late = correction('c-late', 50, { issue: 'another-issue', stance: -2 });
    // Act
    const effective = effectiveStatement(recorded(), [late], [retraction('r-1', 30)]);
    // Assess
    expect(effective.record).toEqual(recorded());
    expect(effective.trail[1]).toMatchObject({
      correctionId: 'c-late',
      outcome: 'after-retraction',
      changes: [{ field: 'stance', from: 2, to: -2 }, { field: 'issue', from: ISSUE, to: 'another-issue' }],
      problems: [{ field: 'detail.correctedAt', reason: expect.stringContaining(`comes after retraction r-1 (${at(30)})`) }],
    });
  });

  it('counts only the first retraction as withdrawing it; a later one joins the trail and may add a redaction', () => {
    // Act
    const effective = effectiveStatement(recorded(), [], [retraction('r-legal', 90, true), retraction('r-first', 30)]);
    // Assess
    expect(effective.retraction).toMatchObject({ retractionId: 'r-first' });
    expect(effective.redacted).toBe(true);
    expect(effective.trail.map((entry) => entry.kind === 'retraction' && [entry.retractionId, entry.outcome])).toEqual([
      ['r-first', 'retracted'],
      ['r-legal', 'already-retracted'],
    ]);
  });

  it('with redact replaces the quote and translation everywhere in the result, and keeps the fact and the reasons', () => {
    // Prepare: an earlier correction put another text on the trail.
    const fix = correction('c-quote', 10, { quote: { text: 'نص آخر مصحح', lang: 'ar', translation: { text: 'another corrected text', lang: 'en' } } });
    const late = correction('c-late', 40, { quote: { text: 'نص بعد السحب', lang: 'ar' } });
    // Act
    const effective = effectiveStatement(recorded(), [fix, late], [retraction('r-legal', 30, true)]);
    // Assess
    const json = JSON.stringify(effective);
    for (const text of [ARABIC, TRANSLATION, 'نص آخر مصحح', 'another corrected text', 'نص بعد السحب']) expect(json).not.toContain(text);
    expect(effective.record).toEqual(recorded({ quote: REMOVAL_NOTICE }));
    expect(effective.trail).toMatchObject([
      { correctionId: 'c-quote', reason: 'reason of c-quote', changes: [{ field: 'quote', from: REMOVAL_NOTICE, to: REMOVAL_NOTICE }] },
      { retractionId: 'r-legal', reason: 'reason of r-legal', redact: true },
      { correctionId: 'c-late', outcome: 'after-retraction', changes: [{ field: 'quote', from: REMOVAL_NOTICE, to: REMOVAL_NOTICE }] },
    ]);
  });

  it('with redact replaces a stance change\'s reason, its only text', () => {
    // Act
    const effective = effectiveStatement(stanceChange(), [], [retraction('r-legal', 90, true, 'desk-germany-troops')]);
    // Assess
    expect(effective.record).toEqual(stanceChange({ reason: REMOVAL_NOTICE.translation.text }));
    expect(JSON.stringify(effective)).not.toContain('air policing');
  });
});

describe('effectiveStatement: one id names one revision', () => {
  it('applies neither of two different corrections under one id, and names the fields that differ', () => {
    // Prepare
    const first = correction('c-1', 10, { stance: 0 });
    const other = { ...correction('c-1', 10, { stance: -1 }), reason: 'a longer reason than the first' };
    // Act
    const effective = effectiveStatement(recorded(), [first, other]);
    // Assess
    expect(effective.record).toEqual(recorded());
    expect(effective.trail).toEqual([]);
    expect(effective.conflicts).toEqual([{ revisionId: 'c-1', problems: expect.arrayContaining([
      { field: 'detail.changes.stance', reason: expect.stringMatching(/^differs from the revision recorded under this id \(recorded -?\d, received -?\d\)$/) },
      { field: 'detail.reason', reason: expect.stringMatching(/recorded \d+ bytes, received \d+ bytes; text is not repeated here/) },
    ]) }]);
    expect(effectiveStatement(recorded(), [other, first])).toEqual(effective);
  });

  it('shares the id space between corrections and retractions', () => {
    // Act
    const effective = effectiveStatement(recorded(), [correction('rev-1', 10, { stance: 0 })], [retraction('rev-1', 10)]);
    // Assess
    expect(effective.status).toBe('standing');
    expect(effective.conflicts).toEqual([{
      revisionId: 'rev-1',
      problems: [{
        field: 'detail-type',
        reason: expect.stringMatching(/^differs from the revision recorded under this id \(recorded a (correction|retraction), received a (retraction|correction)\)$/),
      }],
    }]);
  });
});

describe('revisionIdentity and revisionConflicts: the claim a store keeps per revision id', () => {
  it('finds nothing between two copies of one revision', () => {
    const fix = correction('c-1', 10, { stance: 0 });
    expect(revisionConflicts(revisionIdentity(fix), revisionIdentity({ ...fix, changes: { ...fix.changes } }))).toEqual([]);
  });

  it('names each differing field where the publisher wrote it, and shows no quote text', () => {
    // Prepare
    const recordedFix = correction('c-1', 10, { quote: { text: ARABIC, lang: 'ar' } });
    const received = correction('c-1', 20, { quote: { text: `${ARABIC}.`, lang: 'ar' } }, 'seed-10-ukraine');
    // Act
    const problems = revisionConflicts(revisionIdentity(recordedFix), revisionIdentity(received));
    // Assess
    expect(problems).toEqual([
      {
        field: 'detail.changes.quote.text',
        reason: `differs from the revision recorded under this id (recorded ${Buffer.byteLength(ARABIC)} bytes, received ${Buffer.byteLength(ARABIC) + 1} bytes; text is not repeated here)`,
      },
      { field: 'detail.correctedAt', reason: `differs from the revision recorded under this id (recorded '${at(10)}', received '${at(20)}')` },
      { field: 'detail.statementId', reason: "differs from the revision recorded under this id (recorded 'seed-09-germany', received 'seed-10-ukraine')" },
    ]);
    expect(JSON.stringify(problems)).not.toContain(ARABIC);
  });

  it('names a redaction added to a retraction', () => {
    expect(revisionConflicts(revisionIdentity(retraction('r-1', 5)), revisionIdentity(retraction('r-1', 5, true)))).toEqual([
      { field: 'detail.redact', reason: 'differs from the revision recorded under this id (recorded false, received true)' },
    ]);
  });
});

describe('revisionImpact: what a replay re-evaluates after a revision', () => {
  const original = effectiveStatement(recorded(), []);
  const after = (...changes: StatementChanges[]) => effectiveStatement(recorded(), changes.map((c, i) => correction(`c-${i}`, i + 1, c)));

  it('a corrected stance, hedge or time replays the issue and recomputes the position it moves', () => {
    for (const changes of [{ stance: 0 }, { hedged: true }, { saidAt: at(-30) }] satisfies StatementChanges[]) {
      expect(revisionImpact(original, after(changes))).toEqual({ issues: [ISSUE], positions: [{ issue: ISSUE, actor: 'germany' }], rewrite: true });
    }
  });

  it('a corrected issue replays the old issue and the new one', () => {
    expect(revisionImpact(original, after({ issue: 'us-security-backstop' }))).toEqual({
      issues: ['us-security-backstop', ISSUE],
      positions: [{ issue: 'us-security-backstop', actor: 'germany' }, { issue: ISSUE, actor: 'germany' }],
      rewrite: true,
    });
  });

  it('a corrected speaker with its actor recomputes the wrong actor\'s position and the right one\'s', () => {
    expect(revisionImpact(original, after({ speaker: 'rutte', actor: 'nato' }))).toEqual({
      issues: [ISSUE],
      positions: [{ issue: ISSUE, actor: 'germany' }, { issue: ISSUE, actor: 'nato' }],
      rewrite: true,
    });
  });

  it('a corrected quote, source, or a speaker of the same actor replays nothing and rewrites the stored copies', () => {
    for (const changes of [{ quote: { text: 'x', lang: 'en' } }, { source: { outlet: 'Other' } }, { speaker: 'scholz' }] satisfies StatementChanges[]) {
      expect(revisionImpact(original, after(changes))).toEqual({ issues: [], positions: [], rewrite: true });
    }
  });

  it('a correction that changes nothing still rewrites the history item, whose trail grew', () => {
    expect(revisionImpact(original, after({ stance: 2 }))).toEqual({ issues: [], positions: [], rewrite: true });
  });

  it('the same effective statement again changes nothing', () => {
    expect(revisionImpact(after({ stance: 0 }), after({ stance: 0 }))).toEqual({ issues: [], positions: [], rewrite: false });
  });

  it('a retraction replays the issue it counted in', () => {
    const retracted = effectiveStatement(recorded(), [], [retraction('r-1', 5)]);
    expect(revisionImpact(original, retracted)).toEqual({ issues: [ISSUE], positions: [{ issue: ISSUE, actor: 'germany' }], rewrite: true });
  });

  it('a correction after a retraction replays nothing', () => {
    const retracted = effectiveStatement(recorded(), [], [retraction('r-1', 5)]);
    const corrected = effectiveStatement(recorded(), [correction('c-1', 9, { issue: 'us-security-backstop' })], [retraction('r-1', 5)]);
    expect(revisionImpact(retracted, corrected)).toEqual({ issues: [], positions: [], rewrite: true });
  });

  it('a statement arriving with its corrections waiting counts where it lands', () => {
    expect(revisionImpact(undefined, after({ issue: 'us-security-backstop' }))).toEqual({
      issues: ['us-security-backstop'], positions: [{ issue: 'us-security-backstop', actor: 'germany' }], rewrite: true,
    });
  });
});
