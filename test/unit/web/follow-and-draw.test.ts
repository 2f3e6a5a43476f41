import { describe, expect, it } from 'vitest';
import type { ChangeItem, ChangesPage } from '../../../functions/api/schemas.ts';
import type { Evidence } from '../../../events/outbound/evidence.ts';
import { readConfig } from '../../../web/src/auth/config.ts';
import { keyFromFragment } from '../../../web/src/auth/api-key.ts';
import { affected, ChangeFollower } from '../../../web/src/model/change-follower.ts';
import { safeHref } from '../../../web/src/model/links.ts';
import { formatStance, stanceClass } from '../../../web/src/model/stance.ts';
import { timelineShape } from '../../../web/src/model/timeline.ts';

const change = (changeId: string, recordedAt: string, kind: ChangeItem['kind'] = 'position-changed', issue: string | null = 'troops'): ChangeItem => ({
  changeId, kind, recordedAt, issue, changed: {},
});

describe('following the change feed', () => {
  it('pages to the end, then asks from the last instant and answers only what it has not seen', async () => {
    const feed: ChangeItem[] = [change('a', 't1'), change('b', 't2'), change('c', 't2')];
    const asked: Array<Record<string, string | undefined>> = [];
    const follower = new ChangeFollower(async (query): Promise<ChangesPage> => {
      asked.push(query);
      const from = query.since === undefined ? feed : feed.filter((item) => item.recordedAt >= query.since!);
      const start = query.cursor === undefined ? 0 : Number(query.cursor);
      const page = from.slice(start, start + 2);
      return { changes: page, nextCursor: start + 2 < from.length ? String(start + 2) : null };
    });

    expect((await follower.poll()).map((item) => item.changeId)).toEqual(['a', 'b', 'c']);
    expect(await follower.poll()).toEqual([]);
    feed.push(change('d', 't2'), change('e', 't3'));
    expect((await follower.poll()).map((item) => item.changeId)).toEqual(['d', 'e']);
    expect(asked.map((query) => query.since)).toEqual([undefined, undefined, 't2', 't2', 't2']);
  });

  it('names the issues a batch touched, and whether alerts or the registry changed', () => {
    expect(affected([change('a', 't', 'statement-applied', 'troops'), change('b', 't', 'registry-changed', null)])).toEqual({
      issues: new Set(['troops']), alerts: true, registry: true,
    });
    expect(affected([change('c', 't', 'registry-changed', null)])).toEqual({ issues: new Set(), alerts: false, registry: true });
  });
});

describe('drawing', () => {
  const statement = (statementId: string, saidAt: string, stance: -2 | -1 | 0 | 1 | 2): Evidence => ({
    statementId, kind: 'statement', actor: 'russia', issue: 'troops', stance, hedged: false, saidAt, source: { outlet: 'x' },
  });

  it('draws the timeline as steps in said order, each statement a point, higher stances higher up', () => {
    const shape = timelineShape([statement('late', '2025-09-05T00:00:00Z', 2), statement('early', '2025-09-01T00:00:00Z', -2)]);

    expect(shape.points.map((point) => point.statement.statementId)).toEqual(['early', 'late']);
    expect(shape.points[0]!.x).toBeLessThan(shape.points[1]!.x);
    expect(shape.points[0]!.y).toBeGreaterThan(shape.points[1]!.y);
    expect(shape.path).toMatch(/^M [\d.]+ [\d.]+ H [\d.]+ V [\d.]+ H [\d.]+$/);
    expect(timelineShape([]).path).toBe('');
  });

  it('writes stances with their sign and colours half points like the step further from undecided', () => {
    expect([-2, -1, 0, 1, 2, 1.5, -0.5, null].map(formatStance)).toEqual(['-2', '-1', '0', '+1', '+2', '+1.5', '-0.5', '–']);
    expect([-2, -0.5, 0, 0.5, 2, null].map(stanceClass)).toEqual(['stance-m2', 'stance-m1', 'stance-0', 'stance-p1', 'stance-p2', 'stance-none']);
  });

  it('links only http(s) sources', () => {
    expect(safeHref('https://example.org/a?b=<c>')).toBe('https://example.org/a?b=%3Cc%3E');
    expect([safeHref('javascript:alert(1)'), safeHref('data:text/html,x'), safeHref('not a url'), safeHref(undefined)]).toEqual([null, null, null, null]);
  });
});

describe('sign-in settings', () => {
  it('reads config.json for the local key or Cognito, naming what is wrong', () => {
    expect(readConfig({ apiUrl: '', auth: { type: 'api-key' } })).toEqual({ apiUrl: '', auth: { type: 'api-key' } });
    expect(readConfig({ apiUrl: 'https://api.example.org/', auth: { type: 'cognito', domain: 'auth.example.org', clientId: 'c', region: 'eu-west-1', scopes: ['tracker/read'] } }).apiUrl).toBe('https://api.example.org');
    expect(() => readConfig({ apiUrl: 'http://evil.example', auth: { type: 'api-key' } })).toThrow('apiUrl');
    expect(() => readConfig({ apiUrl: '', auth: { type: 'cognito', domain: 'd', region: 'r', scopes: [] } })).toThrow('auth.clientId');
  });

  it('takes the key from a #key= fragment', () => {
    expect(keyFromFragment('#key=local-abc_123')).toBe('local-abc_123');
    expect([keyFromFragment(''), keyFromFragment('#key='), keyFromFragment('#other=1')]).toEqual([null, null, null]);
  });
});
