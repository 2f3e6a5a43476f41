/**
 * The desk request parser: what the web app's form sends, refused with every problem named inside
 * the detail (as the form names its fields), or accepted with the detail kept as sent.
 */
import { describe, expect, it } from 'vitest';
import { parseDeskRequest, readDeskBody, sourceFor, MAX_DESK_BODY_BYTES } from '../../../../functions/application/desk/desk-request.ts';

const SOURCES = { statements: 'newsroom.desk', registryAndRevisions: 'newsroom.registry' };

const statement = {
  schemaVersion: '1',
  statementId: 'desk-unit-1',
  speaker: 'قائد الكرملين',
  issue: 'western-troops-in-ukraine',
  stance: -2,
  quote: { text: 'لا قوات غربية <img src=x onerror=alert(1)>', lang: 'ar' },
  saidAt: '2025-09-05T10:00:00+03:00',
  source: { outlet: 'Wire' },
  recordedBy: 'desk',
};

describe('a desk request', () => {
  it('is accepted with its detail as sent: no default added, Arabic and markup byte for byte', () => {
    const result = parseDeskRequest({ detailType: 'Statement Recorded', detail: statement }, SOURCES);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.detailJson).toBe(JSON.stringify(statement));
    expect(result.value.event.detailType).toBe('Statement Recorded');
    expect(result.value.event.source).toBe('newsroom.desk');
  });

  it('lists every problem, each named inside the detail', () => {
    const result = parseDeskRequest({ detailType: 'Statement Recorded', detail: { ...statement, stance: 3, quote: { text: '', lang: 'xx' }, issue: undefined } }, SOURCES);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.field).sort()).toEqual(['issue', 'quote.lang', 'quote.text', 'stance']);
    expect(result.problems.find((problem) => problem.field === 'stance')?.reason).toContain('-2');
  });

  it('names detailType for an unknown or outbound type, and fields that are not a desk request\'s', () => {
    const unknown = parseDeskRequest({ detailType: 'Positions Diverged', detail: statement, extra: 1 }, SOURCES);

    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.problems.map((problem) => problem.field).sort()).toEqual(['detailType', 'extra']);
  });

  it('refuses a body that is not an object, and a detail that is not one', () => {
    expect(parseDeskRequest([], SOURCES)).toMatchObject({ ok: false, problems: [{ field: 'body' }] });
    expect(parseDeskRequest({ detailType: 'Statement Recorded', detail: 'x' }, SOURCES)).toMatchObject({ ok: false, problems: [{ field: 'detail' }] });
  });

  it('is published as the desk for statements, as a registry source for registry records and revisions', () => {
    expect(sourceFor('Statement Recorded', SOURCES)).toBe('newsroom.desk');
    expect(sourceFor('Speaker Registered', SOURCES)).toBe('newsroom.registry');
    expect(sourceFor('Statement Retracted', SOURCES)).toBe('newsroom.registry');
  });
});

describe('a desk body', () => {
  it('must be UTF-8 JSON within one EventBridge entry', () => {
    expect(readDeskBody(Buffer.from('{"a":"ب"}', 'utf8'))).toEqual({ ok: true, value: { a: 'ب' } });
    expect(readDeskBody(Buffer.from([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, problems: [{ field: 'body', reason: 'is not valid UTF-8' }] });
    expect(readDeskBody(Buffer.from('{"a":'))).toMatchObject({ ok: false, problems: [{ field: 'body' }] });
    expect(readDeskBody(Buffer.alloc(MAX_DESK_BODY_BYTES + 1, 0x20))).toMatchObject({ ok: false, problems: [{ field: 'body' }] });
  });
});
