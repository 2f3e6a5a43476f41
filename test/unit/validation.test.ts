import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvent, type FieldProblem } from '../../events/validation.ts';

const FIXTURE = new URL('../fixtures/contracts/statement-recorded.valid.json', import.meta.url);

/** A fresh copy of a valid Statement Recorded event (Arabic quote) for each case to break. */
const validEvent = (): { source: string; 'detail-type': string; detail: Record<string, any> } =>
  JSON.parse(readFileSync(FIXTURE, 'utf8'));

const problemsOf = (raw: unknown): FieldProblem[] => {
  const result = parseEvent(raw);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.problems;
};

const stanceChangeEvent = (detail: Record<string, unknown> = {}) => ({
  source: 'newsroom.desk',
  'detail-type': 'Stance Changed',
  detail: {
    schemaVersion: '1', changeId: 'c-1', actor: 'germany', issue: 'western-troops-in-ukraine', stance: 1,
    reason: 'vote', effectiveAt: '2025-09-05T09:00:00+02:00', source: { outlet: 'Bundestag' }, recordedBy: 'desk', ...detail,
  },
});

const deleteAt = (object: Record<string, any>, path: string): void => {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce((inner, key) => inner[key], object);
  delete parent[last];
};

describe('parseEvent accepts a valid event', () => {
  it('returns the typed detail with defaults applied', () => {
    // Prepare
    const event = validEvent();
    delete event.detail['hedged'];
    // Act
    const result = parseEvent(event);
    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok || result.event.detailType !== 'Statement Recorded') throw new Error('unreachable');
    expect(result.event.source).toBe('newsroom.desk');
    expect(result.event.schemaVersion).toBe('1');
    expect(result.event.detail.hedged).toBe(false);
    expect(result.event.detail.speaker).toBe('putin');
  });

  it('accepts a speaker and an actor written as a name or an alias, byte for byte, as well as by id', () => {
    // Prepare: Arabic with a diacritic and a tatweel, which only lookup folds.
    const event = validEvent();
    event.detail['speaker'] = 'قائد الكرملـين';
    event.detail['actor'] = 'روسيا الاتحاديَّة';
    const change = stanceChangeEvent({ actor: 'Germany' });
    // Act
    const statement = parseEvent(event);
    const changed = parseEvent(change);
    // Assess
    if (!statement.ok || statement.event.detailType !== 'Statement Recorded') throw new Error(JSON.stringify(statement));
    expect(statement.event.detail.speaker).toBe('قائد الكرملـين');
    expect(statement.event.detail.actor).toBe('روسيا الاتحاديَّة');
    expect(changed.ok && changed.event.detail).toMatchObject({ actor: 'Germany' });
  });

  it('accepts the detail as a JSON string, and the whole event as an SQS body', () => {
    // Prepare
    const event = validEvent();
    const withStringDetail = { ...event, detail: JSON.stringify(event.detail) };
    // Act / Assess
    expect(parseEvent(withStringDetail).ok).toBe(true);
    expect(parseEvent(JSON.stringify(event)).ok).toBe(true);
  });

  it('keeps the EventBridge id and time for tracing', () => {
    // Prepare
    const event = { version: '0', id: 'abc-123', time: '2025-09-04T10:00:00Z', region: 'eu-west-3', resources: [], ...validEvent() };
    // Act
    const result = parseEvent(event);
    // Assess
    expect(result.ok && result.event.id).toBe('abc-123');
    expect(result.ok && result.event.time).toBe('2025-09-04T10:00:00Z');
  });

  it('accepts markup in a quote and keeps it verbatim (escaping is the renderer’s job)', () => {
    // Prepare
    const event = validEvent();
    event.detail['quote'].text = '<script>alert(1)</script>';
    // Act
    const result = parseEvent(event);
    // Assess
    expect(result.ok && result.event.detailType === 'Statement Recorded' && result.event.detail.quote.text).toBe(
      '<script>alert(1)</script>',
    );
  });

  it('accepts a quote of exactly 8192 UTF-8 bytes of Arabic (4096 two-byte letters)', () => {
    // Prepare
    const event = validEvent();
    event.detail['quote'].text = 'ب'.repeat(4096);
    // Act / Assess
    expect(parseEvent(event).ok).toBe(true);
  });

  it.each(['ar', 'en', 'en-GB', 'fr', 'uk', 'ru'])('accepts the language tag %s', (lang) => {
    // Prepare
    const event = validEvent();
    event.detail['quote'].lang = lang;
    // Act / Assess
    expect(parseEvent(event).ok).toBe(true);
  });

  it('ignores fields it does not know (a publisher ahead of us does not break us)', () => {
    // Prepare
    const event = validEvent();
    event.detail['mood'] = 'tense';
    // Act
    const result = parseEvent(event);
    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && 'mood' in result.event.detail).toBe(false);
  });
});

describe('parseEvent rejects a bad event, naming the field and the reason', () => {
  it.each([
    'statementId', 'speaker', 'issue', 'stance', 'quote', 'quote.text', 'quote.lang', 'saidAt', 'source',
    'source.outlet', 'recordedBy', 'schemaVersion',
  ])('missing detail.%s → "is required"', (path) => {
    // Prepare
    const event = validEvent();
    deleteAt(event.detail, path);
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toEqual([{ field: `detail.${path}`, reason: 'is required' }]);
  });

  it.each([
    ['stance 3', 'stance', 3, 'must be between -2 (reject) and +2 (commit)'],
    ['stance -3', 'stance', -3, 'must be between -2 (reject) and +2 (commit)'],
    ['stance 1.5', 'stance', 1.5, 'must be a whole number on the scale -2..+2'],
    ['stance as a string', 'stance', '2', 'must be a number'],
    ['hedged as a string', 'hedged', 'maybe', 'must be true or false, got a string'],
    ['an empty speaker', 'speaker', '', 'must not be empty'],
    ['a speaker name over 2048 bytes', 'speaker', 'ب'.repeat(1_025), 'is longer than 2048 UTF-8 bytes'],
    ['an empty actor', 'actor', '', 'must not be empty'],
    ['an issue name instead of an id', 'issue', 'Western troops in Ukraine', 'must be a lower-case slug (a-z, 0-9, single hyphens)'],
    ['a statement id with spaces', 'statementId', 'my statement', 'must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit'],
    ['a date without a time', 'saidAt', '2025-09-04', 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-06T14:30:00Z'],
    ['a date-time without a zone', 'saidAt', '2025-09-04T10:00:00', 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-06T14:30:00Z'],
    ['a non-ISO date', 'saidAt', '04/09/2025 10:00', 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-06T14:30:00Z'],
    ['an impossible date', 'saidAt', '2025-02-30T10:00:00Z', 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-06T14:30:00Z'],
    ['an empty recordedBy', 'recordedBy', '', 'must not be empty'],
  ])('%s', (_case, field, value, reason) => {
    // Prepare
    const event = validEvent();
    event.detail[field] = value;
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toEqual([{ field: `detail.${field}`, reason }]);
  });

  it.each(['xx', 'arabic', 'AR', 'en-gb', 'en-GB-oxendict', ''])('an unknown language tag %j', (lang) => {
    // Prepare
    const event = validEvent();
    event.detail['quote'].lang = lang;
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toEqual([
      {
        field: 'detail.quote.lang',
        reason: 'must be a supported language tag (ar, en, fr, de, ru, uk, es, it, pl, tr, fa, he, zh, ja, pt, nl, optionally with a region such as en-GB)',
      },
    ]);
  });

  it('a quote over 8192 UTF-8 bytes, counted in bytes not characters (4097 Arabic letters)', () => {
    // Prepare: 4097 characters, well under 8192 characters, but 8194 bytes.
    const event = validEvent();
    event.detail['quote'].text = 'ب'.repeat(4097);
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toEqual([{ field: 'detail.quote.text', reason: 'is longer than 8192 UTF-8 bytes' }]);
  });

  it('a source URL over 2048 UTF-8 bytes (it travels in every event that quotes the statement)', () => {
    // Prepare
    const event = validEvent();
    event.detail['source'] = { outlet: 'wire', url: `https://example.org/${'a'.repeat(2_029)}` };
    const atLimit = validEvent();
    atLimit.detail['source'] = { outlet: 'wire', url: `https://example.org/${'a'.repeat(2_028)}` };
    // Act / Assess
    expect(problemsOf(event)).toEqual([{ field: 'detail.source.url', reason: 'is longer than 2048 UTF-8 bytes' }]);
    expect(parseEvent(atLimit).ok).toBe(true);
  });

  it('a translation over 8192 UTF-8 bytes', () => {
    // Prepare
    const event = validEvent();
    event.detail['quote'].translation.text = 'x'.repeat(8193);
    // Act / Assess
    expect(problemsOf(event)).toEqual([{ field: 'detail.quote.translation.text', reason: 'is longer than 8192 UTF-8 bytes' }]);
  });

  it('a lone UTF-16 surrogate in the quote', () => {
    // Prepare
    const event = validEvent();
    event.detail['quote'].text = `${event.detail['quote'].text}\uD83D`;
    // Act / Assess
    expect(problemsOf(event)).toEqual([
      { field: 'detail.quote.text', reason: 'contains a lone UTF-16 surrogate (not valid Unicode text)' },
    ]);
  });

  it('a lone surrogate spelled as a JSON escape inside a string detail', () => {
    // Prepare
    const event = validEvent();
    const detail = JSON.stringify(event.detail).replace('"recordedBy":"validation fixture"', '"recordedBy":"\\udc00"');
    // Act / Assess
    expect(problemsOf({ ...event, detail })).toEqual([
      { field: 'detail.recordedBy', reason: 'contains a lone UTF-16 surrogate (not valid Unicode text)' },
    ]);
  });

  it('a lone surrogate anywhere in the envelope, even in a field name', () => {
    // Prepare
    const event = { ...validEvent(), resources: ['arn:\uD800'], ['x-\uDFFF']: 1 };
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems.map((p) => p.field)).toEqual(['resources.0', 'x-\uFFFD']);
    expect(problems.every((p) => p.field.isWellFormed() && p.reason.isWellFormed())).toBe(true);
  });

  it('an unknown schemaVersion', () => {
    // Prepare
    const event = validEvent();
    event.detail['schemaVersion'] = '2';
    // Act / Assess
    expect(problemsOf(event)).toEqual([
      { field: 'detail.schemaVersion', reason: 'unknown schema version "2" for "Statement Recorded" (known: "1")' },
    ]);
  });

  it('a schemaVersion that is a number', () => {
    // Prepare
    const event = validEvent();
    event.detail['schemaVersion'] = 1;
    // Act / Assess
    expect(problemsOf(event)).toEqual([
      { field: 'detail.schemaVersion', reason: 'unknown schema version the number 1 for "Statement Recorded" (known: "1")' },
    ]);
  });

  it('an unknown detail-type', () => {
    // Prepare
    const event = { ...validEvent(), 'detail-type': 'Statement Recordet' };
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('detail-type');
    expect(problems[0]?.reason).toMatch(/^unknown detail-type "Statement Recordet" \(expected one of "Statement Recorded", /);
  });

  it.each([
    ['detail-type', 'detail-type', 'is required'],
    ['source', 'source', 'is required'],
    ['detail', 'detail', 'is required'],
  ])('a missing envelope field: %s', (key, field, reason) => {
    // Prepare
    const event: Record<string, unknown> = validEvent();
    delete event[key];
    // Act / Assess
    expect(problemsOf(event)).toEqual([{ field, reason }]);
  });

  it.each([
    ['a list', []],
    ['a number', 42],
    ['null', null],
  ])('a detail that is %s', (_case, detail) => {
    // Prepare
    const event = { ...validEvent(), detail };
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('detail');
    expect(problems[0]?.reason).toMatch(/^must be an object \(or a JSON string of one\)/);
  });

  it('a detail string that is not JSON', () => {
    // Prepare
    const event = { ...validEvent(), detail: '{"schemaVersion": "1",' };
    // Act / Assess
    expect(problemsOf(event)).toEqual([{ field: 'detail', reason: 'is a string that is not valid JSON' }]);
  });

  it('an actor-vs-bloc watch without its actor (a cross-field rule)', () => {
    // Prepare
    const event = {
      source: 'newsroom.desk',
      'detail-type': 'Watch Registered',
      detail: { schemaVersion: '1', watch: 'x-vs-allies', kind: 'actor-vs-bloc', bloc: 'allies', updatedAt: '2025-09-01T00:00:00Z' },
    };
    // Act / Assess
    expect(problemsOf(event)).toEqual([{ field: 'detail.actor', reason: 'is required when kind is actor-vs-bloc' }]);
  });

  it('a watch with an empty issue list and an unknown kind', () => {
    // Prepare
    const event = {
      source: 'newsroom.desk',
      'detail-type': 'Watch Registered',
      detail: { schemaVersion: '1', watch: 'split', kind: 'split', bloc: 'allies', issues: [], updatedAt: '2025-09-01T00:00:00Z' },
    };
    // Act / Assess
    expect(problemsOf(event)).toEqual([
      { field: 'detail.kind', reason: 'must be one of "actor-vs-bloc", "bloc-split"' },
      { field: 'detail.issues', reason: 'must have at least 1 item' },
    ]);
  });
});

describe('parseEvent refuses an instant whose UTC value leaves the years 0000-9999', () => {
  const YEAR_EDGE = 'must fall within the years 0000-9999 once converted to UTC (its offset moves it past the edge)';

  it.each([
    ['half an hour into year 0000, east of UTC', 'saidAt', '0000-01-01T00:30:00+01:00'],
    ['half an hour before year 10000, west of UTC', 'saidAt', '9999-12-31T23:30:00-01:00'],
    ['the latest offset on the first day', 'saidAt', '0000-01-01T23:58:00+23:59'],
    ['a recordedAt past the end', 'recordedAt', '9999-12-31T23:59:59.999-00:01'],
  ])('%s', (_case, field, value) => {
    // Prepare
    const event = validEvent();
    event.detail[field] = value;
    // Act
    const problems = problemsOf(event);
    // Assess
    expect(problems).toEqual([{ field: `detail.${field}`, reason: YEAR_EDGE }]);
  });

  it('in a registry event and a stance change too', () => {
    // Prepare
    const actor = {
      source: 'newsroom.desk',
      'detail-type': 'Actor Registered',
      detail: { schemaVersion: '1', actor: 'atlantis', kind: 'state', names: { en: 'Atlantis', ar: 'أطلانطس' }, updatedAt: '0000-01-01T00:00:00+00:01' },
    };
    const change = stanceChangeEvent({ effectiveAt: '9999-12-31T23:00:00-02:00' });
    // Act / Assess
    expect(problemsOf(actor)).toEqual([{ field: 'detail.updatedAt', reason: YEAR_EDGE }]);
    expect(problemsOf(change)).toEqual([{ field: 'detail.effectiveAt', reason: YEAR_EDGE }]);
  });

  it.each(['0000-01-01T00:00:00Z', '0000-01-01T00:30:00-01:00', '9999-12-31T23:59:59.999Z', '9999-12-31T23:30:00+01:00'])(
    'accepts %j, which stays within them',
    (value) => {
      // Prepare
      const event = validEvent();
      event.detail['saidAt'] = value;
      // Act
      const result = parseEvent(event);
      // Assess
      expect(result.ok).toBe(true);
    },
  );
});

describe('parseEvent never throws on input that is not JSON', () => {
  const cyclic: Record<string, unknown> = validEvent();
  (cyclic['detail'] as Record<string, unknown>)['self'] = cyclic;
  const throwing = new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('trap');
      },
    },
  );
  const deep = { ...validEvent(), extra: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) };

  it.each([
    ['undefined', undefined, 'event'],
    ['a number', 7, 'event'],
    ['a string that is not JSON', 'not json', 'event'],
    ['a list', [validEvent()], 'event'],
    ['a cycle (stopped by the depth limit)', cyclic, `detail${'.self.detail'.repeat(31)}.self`],
    ['NaN', { ...validEvent(), extra: Number.NaN }, 'extra'],
    ['a number JSON.parse makes infinite', `{"detail-type":"Statement Recorded","source":"newsroom.desk","detail":{},"extra":1e999}`, 'extra'],
    ['an infinite number in a string detail', { ...validEvent(), detail: '{"stance":-1e999}' }, 'detail.stance'],
    ['a Map', { ...validEvent(), detail: new Map() }, 'detail'],
    ['a proxy that throws', throwing, 'event'],
    ['nesting 100 levels deep', deep, 'extra.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0'],
  ])('%s', (_case, raw, field) => {
    // Prepare: the raw input above.
    // Act
    const act = () => parseEvent(raw);
    // Assess
    expect(act).not.toThrow();
    const result = act();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.field)).toContain(field);
  });
});
