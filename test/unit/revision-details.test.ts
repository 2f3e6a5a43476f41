import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../events/validation.ts';
import { DESK_SOURCE } from '../../events/common.ts';
import { RevisionFlagError, correctionDetail, retractionDetail } from '../../local/cli/revision-details.ts';

const NOW = () => '2026-01-06T14:30:00.000Z';

describe('tracker correct: a Statement Corrected detail from flags', () => {
  it('sets only what the flags say, and the contract accepts it', () => {
    // Act
    const detail = correctionDetail({
      statement: 'seed-09-germany-western-troops-in-ukraine', stance: '2', 'not-hedged': true, quote: 'نص', translation: 'text',
      reason: 'misread', by: 'standards-desk', 'correction-id': 'corr-1',
    }, NOW);

    // Assess
    expect(detail).toEqual({
      schemaVersion: '1', statementId: 'seed-09-germany-western-troops-in-ukraine', correctionId: 'corr-1',
      changes: { stance: 2, hedged: false, quote: { text: 'نص', lang: 'ar', translation: { text: 'text', lang: 'en' } } },
      reason: 'misread', correctedAt: NOW(), recordedBy: 'standards-desk',
    });
    const parsed = parseEvent({ source: DESK_SOURCE, 'detail-type': 'Statement Corrected', detail });
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it.each([
    [{ reason: 'r', stance: '1' }, '--statement'],
    [{ statement: 's', stance: '1' }, '--reason'],
    [{ statement: 's', reason: 'r' }, 'nothing to correct'],
    [{ statement: 's', reason: 'r', stance: '3' }, '--stance'],
    [{ statement: 's', reason: 'r', hedged: true, 'not-hedged': true }, 'contradict'],
    [{ statement: 's', reason: 'r', translation: 'x' }, '--quote'],
  ])('refuses %j naming what is wrong', (flags, named) => {
    expect(() => correctionDetail(flags, NOW)).toThrow(RevisionFlagError);
    expect(() => correctionDetail(flags, NOW)).toThrow(named);
  });
});

describe('tracker retract: a Statement Retracted detail from flags', () => {
  it('redacts only when asked, and the contract accepts it', () => {
    const plain = retractionDetail({ statement: 's-1', reason: 'misattributed' }, NOW);
    const legal = retractionDetail({ statement: 's-1', reason: 'counsel', redact: true, 'retraction-id': 'retr-1' }, NOW);

    expect(plain).not.toHaveProperty('redact');
    expect(legal).toMatchObject({ retractionId: 'retr-1', redact: true, retractedAt: NOW(), recordedBy: 'cli' });
    for (const detail of [plain, legal]) {
      const parsed = parseEvent({ source: DESK_SOURCE, 'detail-type': 'Statement Retracted', detail });
      expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    }
  });
});
