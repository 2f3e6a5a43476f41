/** The key formats of the tracker table: orders and round trips the write path relies on. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHANGES_FEED, NO_SAID_KEY, actorHistoryPrefix, changeIndexKey, evidenceRef, historyKey, isChangeFeedPosition, parseEvidenceRef,
  parseSaidKey, positionKey, registryLogKey, saidKey, statementChangeKey,
} from '../../functions/adapters/dynamodb/keys.ts';
import { compareSaid } from '../../functions/core/positions.ts';

const instant = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
const statementId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/);
const said = fc.record({ saidAt: instant, statementId });

/** DynamoDB compares strings by UTF-8 bytes; for these ASCII keys that is code-unit order. */
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('said keys', () => {
  it('sort in the store exactly as compareSaid orders statements', () => {
    fc.assert(
      fc.property(said, said, (a, b) => {
        expect(Math.sign(byteOrder(saidKey(a), saidKey(b)))).toBe(Math.sign(compareSaid(a, b)));
      }),
      { numRuns: 500 },
    );
  });

  it('"no previous statement" sorts before every said key', () => {
    fc.assert(
      fc.property(said, (a) => {
        expect(byteOrder(NO_SAID_KEY, saidKey(a))).toBeLessThan(0);
      }),
    );
  });

  it('round-trip, and so do evidence references', () => {
    fc.assert(
      fc.property(said, (a) => {
        expect(parseSaidKey(saidKey(a))).toEqual(a);
        expect(parseEvidenceRef('issue-1', evidenceRef({ ...a, actor: 'russia' }))).toEqual({ ...a, actor: 'russia', issue: 'issue-1' });
      }),
    );
  });
});

describe('history keys', () => {
  it('keep one actor apart from another whose id starts the same', () => {
    const ref = { issue: 'troops', actor: 'russia-today', saidAt: '2026-01-01T00:00:00.000Z', statementId: 's1' };
    expect(historyKey(ref).sk.startsWith(actorHistoryPrefix('russia'))).toBe(false);
    expect(historyKey(ref).sk.startsWith(actorHistoryPrefix('russia-today'))).toBe(true);
  });

  it('put positions, pointers and outbox under the one prefix the processor queries', () => {
    expect(positionKey('troops', 'russia')).toEqual({ pk: 'ISSUE#troops', sk: 'S#POS#russia' });
    expect(historyKey({ issue: 'troops', actor: 'russia', saidAt: '2026-01-01T00:00:00.000Z', statementId: 's' }).sk.startsWith('S#')).toBe(false);
  });
});

describe('change feed keys', () => {
  it('order the feed by the time recorded, then by id, whatever the kind', () => {
    fc.assert(
      fc.property(said, said, (a, b) => {
        const x = changeIndexKey('position-changed', a.saidAt, a.statementId, 'troops');
        const y = changeIndexKey('registry-changed', b.saidAt, b.statementId);
        expect(Math.sign(byteOrder(x.gsi1sk, y.gsi1sk))).toBe(Math.sign(compareSaid(a, b)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('carry the kind and the issue the feed filters on, and no issue for a change without one', () => {
    expect(changeIndexKey('divergence-opened', '2026-01-06T10:00:00.000Z', 'al-1-opened', 'troops')).toEqual({
      gsi1pk: CHANGES_FEED, gsi1sk: '2026-01-06T10:00:00.000Z#al-1-opened', changeKind: 'divergence-opened', changeIssue: 'troops',
    });
    expect(changeIndexKey('registry-changed', '2026-01-06T10:00:00.000Z', 'rg-1')).not.toHaveProperty('changeIssue');
  });

  it('accept back as a cursor only positions the change feed can hold', () => {
    const statement = { ...statementChangeKey('troops', 'st-1'), ...changeIndexKey('statement-applied', '2026-01-06T10:00:00.000Z', 'st-1', 'troops') };
    const registry = { ...registryLogKey('bloc', 'allies', '2026-01-06T10:00:00.000Z', 'ab12'), ...changeIndexKey('registry-changed', '2026-01-06T10:00:01.000Z', 'rg-ab12') };
    const at = ({ pk, sk, gsi1pk, gsi1sk }: typeof statement) => ({ pk, sk, gsi1pk, gsi1sk });
    expect(isChangeFeedPosition(at(statement))).toBe(true);
    expect(isChangeFeedPosition(at(registry))).toBe(true);
    expect(isChangeFeedPosition({ ...at(statement), gsi1pk: 'EPISODES' })).toBe(false);
    expect(isChangeFeedPosition({ ...at(statement), gsi1sk: 'yesterday#st-1' })).toBe(false);
    expect(isChangeFeedPosition({ ...at(statement), sk: 'CH##' })).toBe(false);
    expect(isChangeFeedPosition({ ...at(statement), pk: '' })).toBe(false);
  });
});
