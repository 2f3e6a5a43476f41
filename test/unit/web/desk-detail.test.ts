import { describe, expect, it } from 'vitest';
import { assignProblems, buildDetail, validateDetail } from '../../../web/src/desk/detail.ts';
import { FORMS, initialValues } from '../../../web/src/desk/forms.ts';
import { parseEvent } from '../../../events/validation.ts';

const form = (detailType: string) => {
  const found = FORMS.find((candidate) => candidate.detailType === detailType);
  if (found === undefined) throw new Error(detailType);
  return found;
};

const statementValues = () => ({
  ...initialValues(form('Statement Recorded'), new Date('2026-01-06T10:00:00Z')),
  speaker: 'بوتين',
  issue: 'western-troops-in-ukraine',
  stance: '-2',
  'quote.text': 'نص الاقتباس «كما هو»',
  'quote.lang': 'ar',
  'quote.translation.text': 'The quote as said',
  'quote.translation.lang': 'en',
  saidAt: '2026-01-06T10:00:00Z',
  'source.outlet': 'Desk',
  'source.url': 'https://example.org/a',
});

describe('desk forms on the processor contracts', () => {
  it('builds a Statement Recorded the processor accepts, the quote byte for byte, a fresh statement id', () => {
    const values = statementValues();
    const detail = buildDetail(form('Statement Recorded').fields, values, form('Statement Recorded').fixed);

    expect(validateDetail('Statement Recorded', detail)).toEqual([]);
    expect(detail).toMatchObject({ schemaVersion: '1', stance: -2, hedged: false, quote: { text: 'نص الاقتباس «كما هو»', lang: 'ar' }, recordedBy: 'desk' });
    expect(detail['statementId']).toMatch(/^desk-[0-9a-f-]{36}$/);
    expect(detail).not.toHaveProperty('actor');
    expect(parseEvent({ 'detail-type': 'Statement Recorded', source: 'newsroom.desk', detail }).ok).toBe(true);
  });

  it('names each bad field with the contract’s reason, and places it on the form field', () => {
    const values = { ...statementValues(), 'source.url': 'javascript:alert(1)', stance: '', 'quote.translation.lang': '' };
    const detail = buildDetail(form('Statement Recorded').fields, values, form('Statement Recorded').fixed);
    const problems = validateDetail('Statement Recorded', detail);

    expect(problems).toEqual(expect.arrayContaining([
      { field: 'source.url', reason: 'must be an http(s) URL' },
      { field: 'stance', reason: 'is required' },
      { field: 'quote.translation.lang', reason: 'is required' },
    ]));
    const { byField, unplaced } = assignProblems(problems, form('Statement Recorded').fields.map((field) => field.path));
    expect(byField.get('source.url')).toEqual(['must be an http(s) URL']);
    expect(byField.get('stance')).toEqual(['is required']);
    expect(unplaced).toEqual([]);
  });

  it('places a problem about a whole object on its first field, a deeper one on its list, the rest apart', () => {
    const { byField, unplaced } = assignProblems(
      [{ field: 'changes', reason: 'must change at least one field' }, { field: 'members.2', reason: 'must be a lower-case slug' }, { field: 'detailType', reason: 'unknown' }],
      ['statementId', 'changes.stance', 'changes.hedged', 'members'],
    );
    expect(byField.get('changes.stance')).toEqual(['must change at least one field']);
    expect(byField.get('members')).toEqual(['must be a lower-case slug']);
    expect(unplaced).toEqual([{ field: 'detailType', reason: 'unknown' }]);
  });

  it('sends a correction with only the fields changed, and refuses one that changes nothing', () => {
    const correction = form('Statement Corrected');
    const values = { ...initialValues(correction, new Date()), statementId: 'seed-09-germany-western-troops-in-ukraine', reason: 'Berlin backs the troops', 'changes.stance': '2' };
    const detail = buildDetail(correction.fields, values, correction.fixed);

    expect(validateDetail('Statement Corrected', detail)).toEqual([]);
    expect(detail['changes']).toEqual({ stance: 2 });
    const unchanged = buildDetail(correction.fields, { ...values, 'changes.stance': '' }, correction.fixed);
    expect(validateDetail('Statement Corrected', unchanged).map((problem) => problem.field)).toEqual(['changes']);
  });

  it('every form, filled with its defaults, names what is still missing rather than passing or crashing', () => {
    for (const spec of FORMS) {
      const detail = buildDetail(spec.fields, initialValues(spec, new Date()), spec.stampUpdatedAt === true ? { ...spec.fixed, updatedAt: '2026-01-01T00:00:00Z' } : spec.fixed);
      const problems = validateDetail(spec.detailType, detail);
      expect(problems.length, spec.detailType).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.reason, `${spec.detailType} ${problem.field}`).not.toBe('');
    }
  });
});
