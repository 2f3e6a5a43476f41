/**
 * Statement Corrected v1 and Statement Retracted v1 details become the core's corrections and
 * retractions: resolved against the registry like the statements they revise, instants in UTC,
 * quotes byte for byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import { statementCorrectedV1, type StatementCorrectedV1 } from '../../events/inbound/statement-corrected.v1.ts';
import { statementRetractedV1 } from '../../events/inbound/statement-retracted.v1.ts';
import { resolveCorrection, resolveRevision, toRetraction } from '../../functions/application/corrections-v1.ts';
import { AmbiguousReferenceError, UnknownReferenceError } from '../../functions/core/errors.ts';
import { buildRegistry } from '../../functions/core/registry.ts';

const registry = buildRegistry(loadSeedRegistryUpdates());
const sample = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../events/samples/corrections/${file}`, import.meta.url), 'utf8')).detail;

const corrected = (changes: StatementCorrectedV1['changes']): StatementCorrectedV1 =>
  statementCorrectedV1.parse({
    schemaVersion: '1',
    statementId: 'seed-08-rutte-western-troops-in-ukraine',
    correctionId: 'corr-1',
    changes,
    reason: 'Attributed to the wrong speaker',
    correctedAt: '2025-09-05T12:00:00+02:00',
    recordedBy: 'standards-desk',
  });

const thrown = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
};

describe('resolveCorrection', () => {
  it('turns the seed sample into a correction: times in UTC, the corrected quote byte for byte', () => {
    // Prepare
    const detail = statementCorrectedV1.parse(sample('01-ukraine-russia-as-guarantor-corrected.json'));
    // Act
    const correction = resolveCorrection(detail, registry);
    // Assess
    expect(correction).toEqual({
      kind: 'correction',
      correctionId: 'corr-2025-09-05-ukraine-guarantor-quote',
      statementId: 'seed-05-ukraine-russia-as-guarantor',
      changes: { quote: detail.changes.quote },
      reason: detail.reason,
      correctedAt: '2025-09-05T07:15:00.000Z',
      recordedBy: 'standards-desk',
    });
    expect(Buffer.from(correction.changes.quote!.text).equals(Buffer.from('فكرة رفضتها كييف وحلفاؤها'))).toBe(true);
  });

  it('gives a corrected speaker the actor it speaks for', () => {
    expect(resolveCorrection(corrected({ speaker: 'german-government' }), registry).changes).toEqual({ speaker: 'german-government', actor: 'germany' });
  });

  it('keeps the actor a correction names beside the speaker', () => {
    expect(resolveCorrection(corrected({ speaker: 'rutte', actor: 'netherlands' }), registry).changes).toEqual({ speaker: 'rutte', actor: 'netherlands' });
  });

  it('resolves a corrected speaker and actor written by name or alias, as a statement does', () => {
    expect(resolveCorrection(corrected({ speaker: 'قائد الكرملين' }), registry).changes).toEqual({ speaker: 'putin', actor: 'russia' });
    expect(resolveCorrection(corrected({ speaker: 'rutte', actor: 'هولندا' }), registry).changes).toEqual({ speaker: 'rutte', actor: 'netherlands' });
  });

  it('refuses a corrected speaker written by an alias two speakers share, naming both', () => {
    // Prepare
    const shared = buildRegistry([
      ...loadSeedRegistryUpdates(),
      { type: 'speaker', record: { id: 'kremlin-aide', actor: 'russia', names: { en: 'Aide', ar: 'مساعد' }, aliases: ['قائد الكرملين'], updatedAt: '2025-09-01T00:00:00.000Z' } },
    ]);
    // Act
    const error = thrown(() => resolveCorrection(corrected({ speaker: 'قائد الكرملين' }), shared));
    // Assess
    expect(error).toBeInstanceOf(AmbiguousReferenceError);
    expect((error as AmbiguousReferenceError).problems).toEqual([
      { field: 'detail.changes.speaker', reason: expect.stringContaining("it names 'kremlin-aide' (for 'russia') and 'putin' (for 'russia')") },
    ]);
  });

  it('normalises a corrected said time to UTC and keeps every other field as sent', () => {
    // Prepare
    const changes = { stance: -1 as const, hedged: true, issue: 'us-security-backstop', saidAt: '2025-09-04T12:00:00+02:00', source: { outlet: 'NATO press point' } };
    // Act / Assess
    expect(resolveCorrection(corrected(changes), registry).changes).toEqual({ ...changes, saidAt: '2025-09-04T10:00:00.000Z' });
  });

  it('reports every unknown id at once, by the field of the correction, with the registrations that would resolve them', () => {
    // Act
    const error = thrown(() => resolveCorrection(corrected({ speaker: 'peskov', actor: 'atlantis', issue: 'moon-base' }), registry));
    // Assess
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect((error as UnknownReferenceError).problems).toEqual([
      { field: 'detail.changes.speaker', reason: "unknown speaker 'peskov'" },
      { field: 'detail.changes.actor', reason: "unknown actor 'atlantis'" },
      { field: 'detail.changes.issue', reason: "unknown issue 'moon-base'" },
    ]);
    expect((error as UnknownReferenceError).references).toEqual([
      { type: 'speaker', name: 'peskov' }, { type: 'actor', name: 'atlantis' }, { type: 'issue', name: 'moon-base' },
    ]);
  });

  it('refuses a corrected speaker who speaks for an actor the registry lacks, when no actor is given', () => {
    // Prepare: a speaker registered before the actor it speaks for.
    const orphaned = buildRegistry([
      ...loadSeedRegistryUpdates(),
      { type: 'speaker', record: { id: 'envoy', actor: 'vatican', names: { en: 'Envoy', ar: 'المبعوث' }, aliases: [], updatedAt: '2025-09-01T00:00:00.000Z' } },
    ]);
    // Act
    const error = thrown(() => resolveCorrection(corrected({ speaker: 'envoy' }), orphaned)) as UnknownReferenceError;
    // Assess
    expect(error.problems).toEqual([{ field: 'detail.changes.speaker', reason: "speaker 'envoy' speaks for unknown actor 'vatican' and no actor given" }]);
    expect(error.references).toEqual([{ type: 'actor', name: 'vatican' }]);
  });
});

describe('toRetraction', () => {
  it('turns the seed sample into a retraction that does not redact', () => {
    expect(toRetraction(statementRetractedV1.parse(sample('02-putin-ceasefire-before-peace-deal-retracted.json')))).toEqual({
      kind: 'retraction',
      retractionId: 'retr-2025-09-05-putin-ceasefire',
      statementId: 'seed-02-putin-ceasefire-before-peace-deal',
      reason: expect.stringMatching(/^Misattributed: /),
      retractedAt: '2025-09-05T08:00:00.000Z',
      recordedBy: 'standards-desk',
      redact: false,
    });
  });

  it('redacts when the retraction says redact: true', () => {
    const detail = statementRetractedV1.parse({ ...sample('02-putin-ceasefire-before-peace-deal-retracted.json'), redact: true });
    expect(toRetraction(detail).redact).toBe(true);
  });
});

describe('resolveRevision', () => {
  it('dispatches on the detail-type', () => {
    // Prepare
    const retracted = statementRetractedV1.parse(sample('02-putin-ceasefire-before-peace-deal-retracted.json'));
    const correction = corrected({ stance: 0 });
    // Act / Assess
    expect(resolveRevision({ detailType: 'Statement Retracted', detail: retracted }, registry)).toEqual(toRetraction(retracted));
    expect(resolveRevision({ detailType: 'Statement Corrected', detail: correction }, registry)).toEqual(resolveCorrection(correction, registry));
  });
});
