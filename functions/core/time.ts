/**
 * Instants are carried as ISO 8601 strings in one canonical form, UTC with milliseconds
 * (`2026-01-06T14:30:00.000Z`), so that comparing two strings compares two instants. That is what
 * lets the store sort and range-query by said-time, and the core compare without parsing.
 */

/** ISO 8601 date-time that carries its own zone (`Z` or `±hh:mm`); a zoneless time is ambiguous. */
const ZONED_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * `2026-01-06T16:30:00+02:00` → `2026-01-06T14:30:00.000Z`. Fractions beyond milliseconds are
 * truncated (the contracts carry at most what a desk tool can tell apart). Throws a RangeError on
 * anything that is not a zoned ISO 8601 date-time: validation has already run, so that is a bug.
 */
export const normaliseInstant = (iso: string): string => {
  const parts = ZONED_DATE_TIME.exec(iso);
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = (parts ?? [])
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  // Date.parse rolls 2026-02-30 over into March and reads 24:00 as midnight: check the calendar first.
  const valid =
    parts !== null &&
    year !== undefined && month !== undefined && day !== undefined && hour !== undefined && minute !== undefined &&
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
  const millis = valid ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new RangeError(`not an ISO 8601 date-time with a time zone: '${iso}'`);
  }
  const instant = new Date(millis).toISOString();
  // An offset can push year 0000 or 9999 across the edge; ±YYYYYY would break lexical order.
  if (!/^\d{4}-/.test(instant)) {
    throw new RangeError(`not a representable instant (years 0000-9999): '${iso}'`);
  }
  return instant;
};

/** Whether `value` is an instant in the canonical form, exactly as `normaliseInstant` returns it. */
export const isCanonicalInstant = (value: string): boolean => {
  try {
    return normaliseInstant(value) === value;
  } catch {
    return false;
  }
};

/** Orders canonical instants (as returned by `normaliseInstant`); usable as a sort comparator. */
export const compareInstants = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
