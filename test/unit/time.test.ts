import { describe, expect, it } from 'vitest';
import { compareInstants, isAfter, isBefore, latestOf, normaliseInstant } from '../../functions/core/time.ts';

describe('normaliseInstant', () => {
  it.each([
    ['UTC without milliseconds', '2026-01-06T14:30:00Z', '2026-01-06T14:30:00.000Z'],
    ['a positive offset', '2025-09-04T10:30:00+02:00', '2025-09-04T08:30:00.000Z'],
    ['a negative offset across midnight', '2025-09-03T22:00:00-05:00', '2025-09-04T03:00:00.000Z'],
    ['no seconds', '2026-01-06T14:30Z', '2026-01-06T14:30:00.000Z'],
    ['microseconds (truncated)', '2026-01-06T14:30:00.123456Z', '2026-01-06T14:30:00.123Z'],
    ['a leap day', '2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('%s', (_case, input, expected) => {
    expect(normaliseInstant(input)).toBe(expected);
  });

  it.each([
    '2025-09-04', '2025-09-04T10:00:00', '04/09/2025 10:00', '2025-02-30T10:00:00Z', '2027-02-29T00:00:00Z',
    '2025-09-04T24:00:00Z', '2025-09-04T10:00:00+25:00', '', 'yesterday',
  ])('rejects %j', (input) => {
    expect(() => normaliseInstant(input)).toThrow(RangeError);
  });

  it('makes lexical order time order across offsets', () => {
    // Prepare: Moscow 10:00 is earlier than Paris 09:30.
    const moscow = normaliseInstant('2025-09-04T10:00:00+03:00');
    const paris = normaliseInstant('2025-09-04T09:30:00+02:00');
    // Act / Assess
    expect(isBefore(moscow, paris)).toBe(true);
    expect(isAfter(paris, moscow)).toBe(true);
    expect([paris, moscow].sort(compareInstants)).toEqual([moscow, paris]);
    expect(latestOf(moscow, paris)).toBe(paris);
  });
});
