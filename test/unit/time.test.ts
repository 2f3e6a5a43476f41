import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateTime } from '../../events/common.ts';
import { compareInstants, normaliseInstant } from '../../functions/core/time.ts';

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
    expect(moscow < paris).toBe(true);
    expect([paris, moscow].sort(compareInstants)).toEqual([moscow, paris]);
    expect([paris, moscow].sort()).toEqual([moscow, paris]);
  });
});

describe('every date-time the contracts accept', () => {
  const two = (n: number): string => String(n).padStart(2, '0');
  const dateTimeArb = fc
    .record({
      year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 9998, 9999)),
      // The edges of the year are where an offset can carry an instant out of 0000-9999.
      month: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, 12)),
      day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(1, 31)),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
      zone: fc.oneof(
        fc.constant('Z'),
        fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(
          ([sign, hours, minutes]) => `${sign}${two(hours)}:${two(minutes)}`,
        ),
      ),
    })
    .map(({ year, month, day, hour, minute, second, fraction, zone }) =>
      `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${fraction === undefined ? '' : `.${fraction}`}${zone}`);

  it('normalises to the canonical UTC form without throwing (the year edges included)', () => {
    fc.assert(
      fc.property(dateTimeArb, (value) => {
        // Prepare / Act
        const accepted = isoDateTime.safeParse(value).success;
        // Assess: what validation lets through, resolution can always store.
        if (accepted) expect(normaliseInstant(value)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }),
      { numRuns: 5_000, seed: 20_260_106 },
    );
  });
});
