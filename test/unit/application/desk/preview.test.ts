/**
 * The desk's dry run over the seed, in memory: the effects the pure core says an event would have
 * on the issue as recorded, with the registry's names in both languages, and none for an event
 * that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseEvent, type ParsedEvent } from '../../../../events/validation.ts';
import { previewEvent, type PreviewDeps } from '../../../../functions/application/desk/preview.ts';
import { replaySeed } from '../../../../local/seed/replay.ts';

const seed = replaySeed();

const deps: PreviewDeps = {
  registry: async () => seed.registry,
  history: { loadHistory: async (issue) => seed.statements.filter((statement) => statement.issue === issue) },
};

const event = (detailType: string, detail: object, source = 'newsroom.desk'): ParsedEvent => {
  const parsed = parseEvent({ source, 'detail-type': detailType, detail });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.event;
};

const germanyCommits = event('Stance Changed', {
  schemaVersion: '1',
  changeId: 'preview-germany-commits',
  actor: 'germany',
  issue: 'western-troops-in-ukraine',
  stance: 2,
  reason: 'Berlin commits troops',
  effectiveAt: '2025-09-06T10:00:00Z',
  source: { outlet: 'Wire' },
  recordedBy: 'desk',
});

describe('the desk preview', () => {
  it('says Germany moves to +2, a reversal opens and its split from the allies closes, in English and Arabic', async () => {
    const preview = await previewEvent(germanyCommits, deps);

    expect(preview.effects).toEqual([
      { kind: 'position', actor: 'germany', issue: 'western-troops-in-ukraine', from: 0, to: 2 },
      {
        kind: 'divergence-opens',
        watch: null,
        issue: 'western-troops-in-ukraine',
        divergenceId: 'reversal:western-troops-in-ukraine:germany',
        label: { en: 'Reversal by Germany', ar: 'انقلاب في موقف ألمانيا' },
      },
      {
        kind: 'divergence-closes',
        watch: 'allies-split',
        issue: 'western-troops-in-ukraine',
        divergenceId: 'bloc-split:western-troops-in-ukraine:germany:allies',
        label: { en: 'Germany against its bloc (Ukraine and its Western allies)', ar: 'ألمانيا ضد كتلتها (أوكرانيا وحلفاؤها)' },
      },
    ]);
    expect(preview.summary.en).toEqual([
      'Germany moves from 0 to +2', 'Reversal by Germany opens', 'Germany against its bloc (Ukraine and its Western allies) closes',
    ]);
    expect(preview.summary.ar[0]).toBe('ألمانيا تنتقل من \u200E0 إلى \u200E+2');
  });

  it('finds nothing to move for a statement already recorded', async () => {
    const recorded = seed.statements.find((statement) => statement.statementId === 'seed-09-germany-western-troops-in-ukraine');
    const copy = event('Statement Recorded', {
      schemaVersion: '1', statementId: recorded?.statementId, speaker: 'german-government', issue: 'western-troops-in-ukraine', stance: 0,
      quote: recorded?.quote, saidAt: recorded?.saidAt, source: recorded?.source, recordedBy: 'seed',
    });

    const preview = await previewEvent(copy, deps);

    expect(preview.effects).toEqual([]);
    expect(preview.summary.en).toEqual(['Nothing moves: this statement is already recorded']);
  });

  it('previews a correction in memory: Germany corrected to -2 moves, and its split stays open', async () => {
    const correction = event('Statement Corrected', {
      schemaVersion: '1',
      statementId: 'seed-09-germany-western-troops-in-ukraine',
      correctionId: 'preview-correction-1',
      changes: { stance: -2 },
      reason: 'Misread the quote',
      correctedAt: '2025-09-07T10:00:00Z',
      recordedBy: 'desk',
    }, 'newsroom.registry');

    const preview = await previewEvent(correction, deps);

    expect(preview.effects).toEqual([{ kind: 'position', actor: 'germany', issue: 'western-troops-in-ukraine', from: 0, to: -2 }]);
  });

  it('previews a registry record: a watch retired closes what it measured', async () => {
    const watch = seed.registry.watches.get('allies-split');
    const retired = event('Watch Registered', {
      schemaVersion: '1', watch: 'allies-split', kind: 'bloc-split', bloc: 'allies', issues: '*', threshold: watch?.threshold, quorum: watch?.quorum,
      status: 'retired', updatedAt: '2025-09-10T00:00:00Z',
    }, 'newsroom.registry');

    const preview = await previewEvent(retired, deps);

    expect(preview.effects).toEqual([expect.objectContaining({ kind: 'divergence-closes', divergenceId: 'bloc-split:western-troops-in-ukraine:germany:allies' })]);
  });
});
