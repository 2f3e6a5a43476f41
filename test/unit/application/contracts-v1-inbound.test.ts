import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StanceChangedV1 } from '../../../events/inbound/stance-changed.v1.ts';
import type { StatementRecordedV1 } from '../../../events/inbound/statement-recorded.v1.ts';
import { loadSeedRegistryUpdates, loadSeedSamples } from '../../../local/seed/seed-files.ts';
import { parseEvent } from '../../../events/validation.ts';
import {
  detailTypeOf, isInboundEvent, isRegistryEvent, toRegistryUpdate, toReportedStatement,
} from '../../../functions/application/contracts-v1.ts';
import { ValidationError } from '../../../functions/core/errors.ts';
import { buildRegistry } from '../../../functions/core/registry.ts';
import { resolveStatement } from '../../../functions/core/resolution.ts';

const validStatement = (): StatementRecordedV1 => {
  const raw = JSON.parse(readFileSync(new URL('../../fixtures/contracts/statement-recorded.valid.json', import.meta.url), 'utf8'));
  const result = parseEvent(raw);
  if (!result.ok || result.event.detailType !== 'Statement Recorded') throw new Error('fixture must be a valid Statement Recorded');
  return result.event.detail;
};

const problemsOf = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('toReportedStatement', () => {
  it('keeps a Statement Recorded as reported, speaker as written, times in canonical UTC', () => {
    // Prepare: Putin by the epithet of the article, no actor, said at 18:00 Beijing time.
    const detail = { ...validStatement(), speaker: 'قائد الكرملين', recordedAt: '2025-09-04T20:00:00+02:00' };
    // Act
    const reported = toReportedStatement({ detailType: 'Statement Recorded', detail });
    // Assess
    expect(reported).toEqual({
      kind: 'statement', statementId: 'fixture-putin-ceasefire', speaker: 'قائد الكرملين', issue: 'ceasefire-before-peace-deal',
      stance: -2, hedged: false, quote: detail.quote, saidAt: '2025-09-03T10:00:00.000Z', source: detail.source,
      recordedBy: 'validation fixture', recordedAt: '2025-09-04T18:00:00.000Z',
    });
    expect(reported).not.toHaveProperty('actor');
  });

  it('takes a stance change with effectiveAt as said-time', () => {
    // Prepare
    const detail: StanceChangedV1 = {
      schemaVersion: '1', changeId: 'change-1', actor: 'ألمانيا', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
      effectiveAt: '2025-09-10T09:00:00+02:00', reason: 'Cabinet statement', source: { outlet: 'Bundesregierung' }, recordedBy: 'desk',
    };
    // Act
    const reported = toReportedStatement({ detailType: 'Stance Changed', detail });
    // Assess
    expect(reported).toEqual({
      kind: 'stance-change', statementId: 'change-1', actor: 'ألمانيا', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
      reason: 'Cabinet statement', saidAt: '2025-09-10T07:00:00.000Z', source: { outlet: 'Bundesregierung' }, recordedBy: 'desk',
    });
  });

  it.each([
    ['saidAt', { saidAt: '0000-01-01T00:30:00+01:00' }],
    ['recordedAt', { recordedAt: '9999-12-31T23:30:00-01:00' }],
  ])('names %s when a time slipped past validation cannot be stored, rather than throwing a RangeError', (field, override) => {
    // Prepare: a detail built without parseEvent, as a contract that let too much through would pass it.
    const detail = { ...validStatement(), ...override };
    // Act / Assess
    expect(problemsOf(() => toReportedStatement({ detailType: 'Statement Recorded', detail }))).toEqual([
      { field: `detail.${field}`, reason: expect.stringContaining('not a representable instant (years 0000-9999)') },
    ]);
  });

  it('translates and resolves every seed sample', () => {
    const registry = buildRegistry(loadSeedRegistryUpdates());
    for (const { file, event } of loadSeedSamples()) {
      const result = parseEvent(event);
      expect(result.ok && isInboundEvent(result.event), file).toBe(true);
      if (result.ok && isInboundEvent(result.event)) {
        const { event: parsed } = result;
        expect(() => resolveStatement(toReportedStatement(parsed), registry), file).not.toThrow();
      }
    }
  });

  it('names the detail-type each kind of record is sent as', () => {
    expect(detailTypeOf({ kind: 'statement' })).toBe('Statement Recorded');
    expect(detailTypeOf({ kind: 'stance-change' })).toBe('Stance Changed');
  });
});

describe('isRegistryEvent and isInboundEvent', () => {
  it('tell the parsed v1 events apart by detail-type', () => {
    // Prepare
    const statement = parseEvent({ source: 'newsroom.desk', 'detail-type': 'Statement Recorded', detail: validStatement() });
    const registration = parseEvent({
      source: 'newsroom.desk', 'detail-type': 'Issue Registered',
      detail: { schemaVersion: '1', issue: 'sea-level', title: { en: 'Sea', ar: 'بحر' }, proposition: { en: 'Sea', ar: 'بحر' }, updatedAt: '2025-09-01T00:00:00Z' },
    });
    if (!statement.ok || !registration.ok) throw new Error('fixtures must parse');
    // Act / Assess
    expect([isInboundEvent(statement.event), isRegistryEvent(statement.event)]).toEqual([true, false]);
    expect([isInboundEvent(registration.event), isRegistryEvent(registration.event)]).toEqual([false, true]);
  });
});

describe('toRegistryUpdate', () => {
  it('names updatedAt when it cannot be stored, rather than throwing a RangeError', () => {
    // Prepare: a detail built without parseEvent.
    const detail = { schemaVersion: '1' as const, actor: 'atlantis', kind: 'state' as const, names: { en: 'Atlantis', ar: 'أطلانطس' }, aliases: [], updatedAt: '9999-12-31T23:30:00-01:00' };
    // Act / Assess
    expect(problemsOf(() => toRegistryUpdate({ detailType: 'Actor Registered', detail }))).toEqual([
      { field: 'detail.updatedAt', reason: expect.stringContaining('years 0000-9999') },
    ]);
  });

  it('keeps a speaker with its names and aliases as registered', () => {
    // Act
    const update = toRegistryUpdate({
      detailType: 'Speaker Registered',
      detail: {
        schemaVersion: '1', speaker: 'meloni', actor: 'italy', names: { en: 'Giorgia Meloni', ar: 'جورجيا ميلوني' }, aliases: ['ميلوني'],
        updatedAt: '2025-09-01T02:00:00+02:00',
      },
    });
    // Assess
    expect(update).toEqual({
      type: 'speaker',
      record: { id: 'meloni', actor: 'italy', names: { en: 'Giorgia Meloni', ar: 'جورجيا ميلوني' }, aliases: ['ميلوني'], updatedAt: '2025-09-01T00:00:00.000Z' },
    });
  });

  it('sorts and de-duplicates bloc members and watched issues', () => {
    // Prepare / Act
    const bloc = toRegistryUpdate({
      detailType: 'Bloc Registered',
      detail: { schemaVersion: '1', bloc: 'b', names: { en: 'B', ar: 'ب' }, members: ['z', 'a', 'z'], updatedAt: '2025-09-01T00:00:00Z' },
    });
    const watch = toRegistryUpdate({
      detailType: 'Watch Registered',
      detail: { schemaVersion: '1', watch: 'w', kind: 'bloc-split', bloc: 'b', issues: ['y', 'x', 'y'], threshold: 2, quorum: 3, status: 'active', updatedAt: '2025-09-01T00:00:00Z' },
    });
    // Assess
    expect(bloc.type === 'bloc' && bloc.record.members).toEqual(['a', 'z']);
    expect(bloc.type === 'bloc' && bloc.record.tenure).toBeUndefined();
    expect(watch.type === 'watch' && watch.record.issues).toEqual(['x', 'y']);
  });

  it('keeps dated members as periods in UTC, an actor listed without dates being a member at every time', () => {
    // Prepare / Act
    const bloc = toRegistryUpdate({
      detailType: 'Bloc Registered',
      detail: {
        schemaVersion: '1',
        bloc: 'b',
        names: { en: 'B', ar: 'ب' },
        members: [
          'france',
          { actor: 'poland', since: '2026-02-01T02:00:00+02:00' },
          { actor: 'hungary', until: '2026-03-01T00:00:00Z' },
          { actor: 'hungary', since: '2026-05-01T00:00:00Z' },
          { actor: 'france', since: '2026-04-01T00:00:00Z' },
        ],
        updatedAt: '2025-09-01T00:00:00Z',
      },
    });
    // Assess
    expect(bloc.type === 'bloc' && bloc.record).toMatchObject({
      members: ['france', 'hungary', 'poland'],
      tenure: {
        hungary: [{ since: '2026-05-01T00:00:00.000Z' }, { until: '2026-03-01T00:00:00.000Z' }],
        poland: [{ since: '2026-02-01T00:00:00.000Z' }],
      },
    });
  });

  it('refuses a detail-type that is not a registry event, should untyped input reach it', () => {
    // @ts-expect-error: the types let only registry details through; plain JSON may still try.
    expect(() => toRegistryUpdate({ detailType: 'Statement Recorded', detail: {} })).toThrow(TypeError);
  });
});
