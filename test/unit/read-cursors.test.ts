/**
 * The feed cursors the read API hands out and takes back. DynamoDB answers a start key with an
 * empty part, or one past its key size limits, with a ValidationException (a 500 to the client),
 * so whatever comes back is either exactly a position the API could have issued or refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAlertCursor, decodeQuarantineCursor } from '../../functions/adapters/dynamodb/read.repository.ts';
import { episodeFeedKey, episodeKey, quarantineFeedKey, quarantineKey, type FeedPosition } from '../../functions/adapters/dynamodb/keys.ts';
import { InvalidCursorError, encodeCursor } from '../../functions/application/read-store.ts';

const bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/** What DynamoDB takes as a start key of the table and gsi1: no empty part, keys within their limits. */
const isValidStartKey = (key: FeedPosition): boolean =>
  Object.values(key).every((part) => part.length > 0) &&
  bytes(key.pk) <= 2048 && bytes(key.gsi1pk) <= 2048 && bytes(key.sk) <= 1024 && bytes(key.gsi1sk) <= 1024;

const part = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('a', '0', ':', '-', '.', 'é', '𝔸', '\u0000'), minLength: 200, maxLength: 1100 }),
  fc.constantFrom('western-troops-in-ukraine', 'actor-vs-bloc:western-troops-in-ukraine:russia:allies', '2025-09-04T08:30:00.000Z', 'ep-19cb62b059db8ece671b'),
);
const shaped = fc.oneof(
  fc.tuple(part, part, part, part, part).map(([issue, divergence, openedAt, episode, activity]) => ({
    pk: `ISSUE#${issue}`, sk: `E#${divergence}#${openedAt}#${episode}`, gsi1pk: 'EPISODES', gsi1sk: `${activity}#${episode}`,
  })),
  fc.tuple(part, part).map(([receivedAt, fingerprint]) => ({
    pk: `QUARANTINE#${fingerprint}`, sk: 'EVENT', gsi1pk: 'QUARANTINE', gsi1sk: `${receivedAt}#${fingerprint}`,
  })),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
);
const anyCursor = fc.oneof(fc.string({ maxLength: 300 }), shaped.map((value) => encodeCursor(value as Record<string, string>)));

const outcome = (decode: () => FeedPosition): 'refused' | FeedPosition => {
  try {
    return decode();
  } catch (error) {
    if (error instanceof InvalidCursorError) return 'refused';
    throw error;
  }
};

describe('feed cursors', () => {
  it.each([
    ['alert feed', (cursor: string) => decodeAlertCursor(cursor, undefined)],
    ['quarantine feed', decodeQuarantineCursor],
  ])('of the %s: any string is refused or names a start key DynamoDB takes', (_feed, decode) => {
    fc.assert(
      fc.property(anyCursor, (cursor) => {
        const result = outcome(() => decode(cursor));
        expect(result === 'refused' || isValidStartKey(result)).toBe(true);
      }),
      // Shrinking kilobyte-long strings takes minutes; the first counterexample says enough.
      { numRuns: 2_000, endOnFailure: true },
    );
  });

  it('of the alert feed: the position of an open or a closed episode comes back as it went out', () => {
    // Prepare
    const episode = { divergenceId: 'actor-vs-bloc:western-troops-in-ukraine:russia:allies', openedAt: '2025-09-04T08:30:00.000Z', episodeId: 'ep-19cb62b059db8ece671b' };
    const open = { ...episodeKey('western-troops-in-ukraine', episode), ...episodeFeedKey(episode) };
    const closed = { ...episodeKey('western-troops-in-ukraine', episode), ...episodeFeedKey({ ...episode, closedAt: '2025-09-05T07:00:00.000Z' }) };

    // Act
    const decoded = [open, closed].map((position) => decodeAlertCursor(encodeCursor(position), undefined));

    // Assess
    expect(decoded).toEqual([open, closed]);
  });

  it('of the quarantine feed: the position of a rejected event comes back as it went out', () => {
    // Prepare
    const position = { ...quarantineKey('0f1e2d3c4b5a69788796a5b4c3d2e1f0'), ...quarantineFeedKey('2026-01-06T14:30:00.000Z', '0f1e2d3c4b5a69788796a5b4c3d2e1f0') };

    // Act
    const decoded = decodeQuarantineCursor(encodeCursor(position));

    // Assess
    expect(decoded).toEqual(position);
  });

  it.each([
    ['an empty index key', { pk: 'ISSUE#x', sk: 'E#', gsi1pk: 'EPISODES', gsi1sk: '' }],
    ['a sort key past 1024 bytes', { pk: 'ISSUE#x', sk: `E#d#2025-09-04T08:30:00.000Z#${'e'.repeat(1100)}`, gsi1pk: 'EPISODES', gsi1sk: `2025-09-04T08:30:00.000Z#${'e'.repeat(1100)}` }],
    ['a partition key past 2048 bytes', { pk: `ISSUE#${'x'.repeat(2100)}`, sk: 'E#d#o#e', gsi1pk: 'EPISODES', gsi1sk: 'o#e' }],
    ['an episode of another feed', { pk: 'ISSUE#x', sk: 'E#d#o#e', gsi1pk: 'QUARANTINE', gsi1sk: 'o#e' }],
    ['an index key naming another episode', { pk: 'ISSUE#x', sk: 'E#d#o#e', gsi1pk: 'EPISODES', gsi1sk: 'o#f' }],
  ])('of the alert feed: %s is refused', (_case, position) => {
    expect(() => decodeAlertCursor(encodeCursor(position), undefined)).toThrow(InvalidCursorError);
  });
});
