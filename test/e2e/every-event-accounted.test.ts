/**
 * Every event accounted for, under hostile and sloppy input: a seeded mix of valid and invalid
 * events goes through the local runtime's PutEvents endpoint over HTTP, from several senders at
 * once with the real EventBridge SDK client. Each entry is either refused by PutEvents, with the
 * AWS error code, or accepted; and every accepted event ends applied, a duplicate or quarantined
 * with its reason: none is dead-lettered for being bad input, none vanishes.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { POSITIONS_DIVERGED } from '../../events/catalog.ts';
import { loadSeedRegistryDetails } from '../../local/seed/seed-files.ts';
import type { QuarantineReason } from '../../functions/application/ports.ts';
import { pageAll } from '../../local/page-all.ts';
import { LOCAL_CREDENTIALS } from '../../local/store/embedded-dynamodb.ts';
import { randomChunks, seededRandom, shuffled } from '../../support/shuffle.ts';
import { readTableState } from '../support/tracker-table.ts';
import { apiGet, startTestRuntime, type TestRuntime } from './support.ts';

const SEED = 20_250_904;
const EVENTS = 2_100;
const SENDERS = 4;
/** The allow-list of this runtime: the seed registry goes out under it, the desk's own registry events are refused. */
const REGISTRY_SOURCE = 'newsroom.registry';

type Expected = 'applied' | 'duplicate' | 'refused' | QuarantineReason;

interface FuzzEntry {
  kind: string;
  entry: PutEventsRequestEntry;
  expected: Expected;
  /** For a refused entry: the PutEvents error code. */
  errorCode?: string;
  /** For a quarantined one: a field its problems must name. */
  field?: string;
  /** Sent by the tracker's own in-process publisher, the one caller that may use its source. */
  asTracker?: boolean;
  /** The statement, change or registry id it records, when it is applied. */
  recordId?: string;
  /** Statements of one issue go out through one sender, in said order, as one desk would send them. */
  sender?: number;
}

const SPEAKERS = loadSeedRegistryDetails().find((file) => file.detailType === 'Speaker Registered')!.details as Array<{ speaker: string; actor: string }>;
const ISSUES = (loadSeedRegistryDetails().find((file) => file.detailType === 'Issue Registered')!.details as Array<{ issue: string }>).map((i) => i.issue);
const ACTORS = [...new Set(SPEAKERS.map((s) => s.actor))];
const QUOTES: Array<{ text: string; lang: string }> = [
  { text: 'أكدت موسكو أنها ترفض نشر قوات غربية على أرض أوكرانيا', lang: 'ar' },
  { text: 'قالَ الرئيسُ: «ربما» ـــ ١٢٣ \u200F', lang: 'ar' },
  { text: 'Russia has no veto over troops', lang: 'en' },
  { text: '=HYPERLINK("https://evil.example","click") <script>alert(1)</script> @channel', lang: 'en' },
  { text: 'Trop tôt pour s’engager', lang: 'fr' },
];
const OFFSETS = ['Z', '+02:00', '-05:00', '+05:30', '+14:00', '-12:00', '+00:00'];
const YEAR_EDGES = ['0000-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00', '0000-01-01T05:00:00+05:30', '9999-12-31T20:00:00-04:00'];
const UNKNOWN_TYPES = ['Statement Recordet', 'statement recorded', 'Statement Recorded ', 'Stance Changed v2', 'Wire Story Filed', 'بيان مسجل'];
const ALERT = readFileSync(new URL('../fixtures/alerts/positions-diverged.russia-vs-allies.json', import.meta.url), 'utf8');

/** A zoned ISO 8601 string for `millis`, written in the given offset. */
const zoned = (millis: number, offset: string): string => {
  if (offset === 'Z') return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number) as [number, number];
  const local = new Date(millis + sign * (hours * 60 + minutes) * 60_000).toISOString();
  return `${local.slice(0, 19)}${offset}`;
};

const nestedValue = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { deeper: value };
  return value;
};

/** Deterministic for a seed: the same entries, expectations and senders on every run. */
function generate(seed: number, count: number): FuzzEntry[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const start = Date.parse('2025-09-01T00:00:00Z');
  const entries: FuzzEntry[] = [];
  const validStatements: FuzzEntry[] = [];
  const validRegistrations: FuzzEntry[] = [];
  let serial = 0;

  // Said-times move forward with the stream (a day of news), so statements arrive in said order
  // but for the late ones, said a day before.
  const saidAt = (n: number, late = false): string => zoned(start + n * 60_000 - (late ? 86_400_000 : 0), pick(OFFSETS));
  // Actors mostly hold their line, as in the seed: a flip now and then opens and closes alerts
  // without turning every statement into one.
  const held = new Map<string, number>();
  const stanceOf = (actor: string, issue: string): number => {
    const key = `${actor} ${issue}`;
    if (!held.has(key)) held.set(key, Math.floor(random() * 5) - 2);
    return random() < 0.03 ? Math.floor(random() * 5) - 2 : (held.get(key) as number);
  };

  const statement = (n: number, source = pick([DESK_SOURCE, 'wire.ingest', 'factcheck.bot']), late = false) => {
    const speaker = pick(SPEAKERS);
    const issue = pick(ISSUES);
    const detail: Record<string, unknown> = {
      schemaVersion: '1',
      statementId: `fuzz-s-${n}`,
      speaker: speaker.speaker,
      issue,
      stance: stanceOf(speaker.actor, issue),
      hedged: random() < 0.2,
      quote: { ...pick(QUOTES) },
      saidAt: saidAt(n, late),
      source: { outlet: 'Fuzz wire', ...(random() < 0.3 ? { url: `https://example.org/story/${n}` } : {}) },
      recordedBy: 'fuzz',
    };
    return { source, detail };
  };
  const stanceChange = (n: number) => {
    const [actor, issue] = [pick(ACTORS), pick(ISSUES)];
    return {
      schemaVersion: '1', changeId: `fuzz-c-${n}`, actor, issue, stance: stanceOf(actor, issue),
      hedged: false, effectiveAt: saidAt(n), reason: 'Communiqué', source: { outlet: 'Fuzz wire' }, recordedBy: 'fuzz',
    };
  };
  const senderOf = (detail: unknown): number => ISSUES.indexOf((detail as { issue: string }).issue) % SENDERS;
  const actor = (id: string, updatedAt: string) => ({
    schemaVersion: '1', actor: id, kind: 'group', names: { en: `Fuzz ${id}`, ar: 'مجموعة' }, aliases: [], updatedAt,
  });
  const put = (source: string, detailType: string | undefined, detail: unknown): PutEventsRequestEntry => ({
    Source: source,
    ...(detailType === undefined ? {} : { DetailType: detailType }),
    Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
  });
  const statementEntry = (n: number, change: (detail: Record<string, unknown>) => void, detailType = 'Statement Recorded') => {
    const { source, detail } = statement(n);
    change(detail);
    return put(source, detailType, detail);
  };

  const kinds: Array<[weight: number, make: (n: number) => FuzzEntry]> = [
    [35, (n) => {
      const { source, detail } = statement(n);
      const made = { kind: 'statement', entry: put(source, 'Statement Recorded', detail), expected: 'applied' as const, recordId: `fuzz-s-${n}`, sender: senderOf(detail) };
      validStatements.push(made);
      return made;
    }],
    [1, (n) => {
      const { source, detail } = statement(n, undefined, true);
      return { kind: 'late-statement', entry: put(source, 'Statement Recorded', detail), expected: 'applied', recordId: `fuzz-s-${n}`, sender: senderOf(detail) };
    }],
    [5, (n) => {
      const detail = stanceChange(n);
      const made = { kind: 'stance-change', entry: put(DESK_SOURCE, 'Stance Changed', detail), expected: 'applied' as const, recordId: `fuzz-c-${n}`, sender: senderOf(detail) };
      validStatements.push(made);
      return made;
    }],
    [8, () => {
      const original = validStatements.length > 0 ? pick(validStatements) : undefined;
      return original === undefined
        ? { kind: 'malformed-detail', entry: put(DESK_SOURCE, 'Statement Recorded', '{"schemaVersion": "1",'), expected: 'refused', errorCode: 'MalformedDetail' }
        : { kind: 'repeat', entry: { ...original.entry }, expected: 'duplicate', ...(original.sender === undefined ? {} : { sender: original.sender }) };
    }],
    [4, (n) => {
      const made = { kind: 'registration', entry: put(REGISTRY_SOURCE, 'Actor Registered', actor(`fuzz-actor-${n}`, '2025-09-01T00:00:00Z')), expected: 'applied' as const, recordId: `fuzz-actor-${n}` };
      validRegistrations.push(made);
      return made;
    }],
    [2, () => {
      const original = validRegistrations.length > 0 ? pick(validRegistrations) : undefined;
      return original === undefined
        ? { kind: 'missing-detail-type', entry: put(DESK_SOURCE, undefined, '{}'), expected: 'refused', errorCode: 'InvalidArgument' }
        : { kind: 'registration-repeat', entry: { ...original.entry }, expected: 'duplicate' };
    }],
    [4, (n) => ({ kind: 'year-edge', entry: statementEntry(n, (d) => void (d['saidAt'] = pick(YEAR_EDGES))), expected: 'invalid-event', field: 'detail.saidAt' })],
    [2, (n) => ({
      kind: 'registration-year-edge', entry: put(REGISTRY_SOURCE, 'Actor Registered', actor(`fuzz-edge-${n}`, pick(YEAR_EDGES))), expected: 'invalid-event', field: 'detail.updatedAt',
    })],
    [3, (n) => ({
      kind: 'registration-unauthorised', entry: put(pick([DESK_SOURCE, 'wire.ingest']), 'Actor Registered', actor(`fuzz-stranger-${n}`, '2025-09-02T00:00:00Z')),
      expected: 'unauthorised-source', field: 'source',
    })],
    [2, (n) => ({
      kind: 'registration-invalid', entry: put(REGISTRY_SOURCE, 'Speaker Registered', { schemaVersion: '1', speaker: `Fuzz Speaker ${n}`, actor: 'russia', names: { en: 'x' }, updatedAt: '2025-09-01T00:00:00Z' }),
      expected: 'invalid-event', field: 'detail.speaker',
    })],
    [5, (n) => ({ kind: 'unknown-detail-type', entry: statementEntry(n, () => undefined, pick(UNKNOWN_TYPES)), expected: 'unknown-detail-type', field: 'detail-type' })],
    [3, () => ({ kind: 'forged-alert', entry: put(pick([DESK_SOURCE, 'wire.ingest']), POSITIONS_DIVERGED, ALERT), expected: 'not-an-input', field: 'detail-type' })],
    [3, (n) => ({ kind: 'tracker-source', entry: { ...statementEntry(n, () => undefined), Source: TRACKER_SOURCE }, expected: 'refused', errorCode: 'NotAuthorizedForSourceException' })],
    [1, (n) => ({ kind: 'tracker-source-in-process', entry: { ...statementEntry(n, () => undefined), Source: TRACKER_SOURCE }, expected: 'not-an-input', field: 'source', asTracker: true })],
    [3, (n) => ({ kind: 'bad-stance', entry: statementEntry(n, (d) => void (d['stance'] = pick([3, -3, 1.5, '2']))), expected: 'invalid-event', field: 'detail.stance' })],
    [2, (n) => ({ kind: 'oversize-quote', entry: statementEntry(n, (d) => void (d['quote'] = { text: 'ب'.repeat(4_097), lang: 'ar' })), expected: 'invalid-event', field: 'detail.quote.text' })],
    [2, (n) => ({ kind: 'oversize-outlet', entry: statementEntry(n, (d) => void (d['source'] = { outlet: 'x'.repeat(2_049) })), expected: 'invalid-event', field: 'detail.source.outlet' })],
    [2, (n) => ({ kind: 'lone-surrogate', entry: statementEntry(n, (d) => void (d['quote'] = { text: 'قال \ud800', lang: 'ar' })), expected: 'invalid-event', field: 'detail.quote.text' })],
    [2, (n) => ({ kind: 'too-deep-for-the-contract', entry: statementEntry(n, (d) => void (d['extra'] = nestedValue(100))), expected: 'invalid-event', field: 'detail.extra' })],
    [2, (n) => ({ kind: 'unknown-version', entry: statementEntry(n, (d) => void (d['schemaVersion'] = '2')), expected: 'invalid-event', field: 'detail.schemaVersion' })],
    [2, (n) => ({ kind: 'missing-field', entry: statementEntry(n, (d) => void delete d['speaker']), expected: 'invalid-event', field: 'detail.speaker' })],
    [2, (n) => ({ kind: 'wrong-type-detail', entry: statementEntry(n, (d) => void (d['quote'] = 'just a string')), expected: 'invalid-event', field: 'detail.quote' })],
    [4, (n) => ({ kind: 'unknown-speaker', entry: statementEntry(n, (d) => void (d['speaker'] = `nobody-${n}`)), expected: 'unknown-reference', field: 'detail.speaker' })],
    [2, (n) => ({ kind: 'unknown-issue', entry: statementEntry(n, (d) => void (d['issue'] = `fuzz-issue-${n}`)), expected: 'unknown-reference', field: 'detail.issue' })],
    [2, () => ({ kind: 'malformed-detail', entry: put(DESK_SOURCE, 'Statement Recorded', pick(['{"schemaVersion": "1",', '[1,2,3]', '"a string"', 'NaN'])), expected: 'refused', errorCode: 'MalformedDetail' })],
    [1, (n) => ({ kind: 'too-deep-for-the-bus', entry: put(DESK_SOURCE, 'Statement Recorded', nestedValue(1_200 + n % 500)), expected: 'refused', errorCode: 'InvalidArgument' })],
    [1, (n) => ({ kind: 'missing-detail-type', entry: put(DESK_SOURCE, undefined, statement(n).detail), expected: 'refused', errorCode: 'InvalidArgument' })],
  ];
  const total = kinds.reduce((sum, [weight]) => sum + weight, 0);
  for (; entries.length < count; serial++) {
    let roll = random() * total;
    const [, make] = kinds.find(([weight]) => (roll -= weight) < 0) ?? kinds[0]!;
    entries.push(make(serial));
  }
  // A few near or over the entry limit: costly to send, so not weighted among the rest. A URL that
  // fills the entry once made a valid-looking statement whose Position Changed could not be published.
  for (let i = 0; i < 4; i++) {
    entries.splice(Math.floor(random() * entries.length), 0, {
      kind: 'oversize-entry', entry: statementEntry(serial++, (d) => void (d['padding'] = 'x'.repeat(300 * 1024))), expected: 'refused', errorCode: 'InvalidArgument',
    });
    entries.splice(Math.floor(random() * entries.length), 0, {
      kind: 'oversize-url',
      entry: statementEntry(serial++, (d) => void (d['source'] = { outlet: 'Fuzz wire', url: `https://example.org/${'a'.repeat(255 * 1024)}` })),
      expected: 'invalid-event',
      field: 'detail.source.url',
    });
  }
  return entries;
}

interface Sent {
  fuzz: FuzzEntry;
  eventId?: string;
  errorCode?: string;
}

describe(`${EVENTS} seeded events from ${SENDERS} senders at once, through PutEvents over HTTP`, () => {
  let test: TestRuntime;
  let dynamodb: DynamoDBClient;
  const sent: Sent[] = [];
  let fuzz: FuzzEntry[];

  beforeAll(async () => {
    test = await startTestRuntime({ registrySources: [REGISTRY_SOURCE] });
    dynamodb = new DynamoDBClient({ endpoint: test.runtime.endpoints.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
    fuzz = generate(SEED, EVENTS);

    // Prepare: deal the entries to the senders round-robin; each sends its share in requests of 1-10.
    const random = seededRandom(SEED + 1);
    const shares = Array.from({ length: SENDERS }, (_, sender) => fuzz.filter((f, index) => !f.asTracker && (f.sender ?? index % SENDERS) === sender));
    const clients = shares.map(() => new EventBridgeClient({
      endpoint: test.runtime.endpoints.bus, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1,
    }));
    const send = async (client: EventBridgeClient, share: FuzzEntry[]): Promise<void> => {
      for (const chunk of randomChunks(share, 10, random)) {
        const result = await client.send(new PutEventsCommand({ Entries: chunk.map((f) => f.entry) }));
        chunk.forEach((f, index) => {
          const outcome = result.Entries?.[index];
          sent.push({ fuzz: f, ...(outcome?.EventId === undefined ? {} : { eventId: outcome.EventId }), ...(outcome?.ErrorCode === undefined ? {} : { errorCode: outcome.ErrorCode }) });
        });
      }
    };
    // The tracker's own publisher is the one in-process caller that may put its source on the bus.
    const asTracker = async (): Promise<void> => {
      for (const f of shuffled(fuzz.filter((entry) => entry.asTracker), random)) {
        const result = await test.runtime.bus.putEvents([f.entry as never], { mayUseReservedSources: true });
        const outcome = result.Entries[0];
        sent.push({ fuzz: f, ...(outcome !== undefined && 'EventId' in outcome ? { eventId: outcome.EventId } : { errorCode: outcome?.ErrorCode ?? '?' }) });
      }
    };

    // Act
    try {
      await Promise.all([...shares.map((share, sender) => send(clients[sender]!, share)), asTracker()]);
    } finally {
      for (const client of clients) client.destroy();
    }
    await test.runtime.settle();
  }, 180_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await test?.stop();
  });

  const accepted = () => sent.filter((s) => s.eventId !== undefined);
  const expectedOf = (outcome: Expected) => fuzz.filter((f) => f.expected === outcome).length;
  const quarantineReasons: QuarantineReason[] = ['invalid-event', 'unknown-reference', 'not-an-input', 'unknown-detail-type', 'unauthorised-source'];

  it('mixes at least 2,000 events of every kind, valid and invalid', () => {
    expect(test.runtime.registry.clean).toBe(true);
    expect(fuzz.length).toBeGreaterThanOrEqual(2_000);
    expect(sent).toHaveLength(fuzz.length);
    for (const outcome of ['applied', 'duplicate', 'refused', ...quarantineReasons] as const) expect(expectedOf(outcome), outcome).toBeGreaterThan(0);
    expect(new Set(fuzz.map((f) => f.kind)).size).toBeGreaterThanOrEqual(25);
  });

  it('refuses at PutEvents exactly the entries the bus must refuse, each with its AWS error code', () => {
    const refused = sent.filter((s) => s.eventId === undefined);
    expect(refused.map((s) => `${s.fuzz.kind}: ${s.errorCode}`).sort()).toEqual(
      fuzz.filter((f) => f.expected === 'refused').map((f) => `${f.kind}: ${f.errorCode}`).sort(),
    );
  });

  it('accounts for every accepted event: accepted = applied + duplicates + quarantined, none failed for good, none dead-lettered, none dropped', async () => {
    const status = await test.runtime.status();
    const processor = status.queues['processor']!;
    const registryLoad = test.runtime.registry.accepted.length;
    const { processed } = status;

    // Every accepted event reached the processor's queue exactly once, and left it done.
    expect(processor.sent - registryLoad).toBe(accepted().length);
    expect(processor.deleted - registryLoad).toBe(accepted().length);
    expect(processor.deadLettered).toBe(0);
    expect(status.deadLetters).toBe(0);
    expect(processed.failed).toBe(0);
    expect(processed.applied - registryLoad).toBe(expectedOf('applied'));
    expect(processed.duplicates).toBe(expectedOf('duplicate'));
    expect(processed.quarantined).toBe(quarantineReasons.reduce((sum, reason) => sum + expectedOf(reason), 0));
    expect(processed.applied - registryLoad + processed.duplicates + processed.quarantined).toBe(accepted().length);
  });

  it('quarantines exactly the events expected, each once, with its reason and the field at fault', async () => {
    type Kept = { reason: string; problems: Array<{ field: string }>; detailType: string | null; body: string };
    const all = await pageAll(async (cursor) => {
      const page = await apiGet<{ events: Kept[]; nextCursor: string | null }>(test.runtime, `/quarantine?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.status).toBe(200);
      return { items: page.body.events, nextCursor: page.body.nextCursor };
    });
    const kept = new Map(all.map((event) => [(JSON.parse(event.body) as { id: string }).id, event]));

    const expected = accepted().filter((s) => quarantineReasons.includes(s.fuzz.expected as QuarantineReason));
    expect(kept.size).toBe(expected.length);
    const wrong = expected.flatMap(({ fuzz: f, eventId }) => {
      const event = kept.get(eventId!);
      if (event?.reason !== f.expected) return [`${f.kind}: ${event?.reason ?? 'not quarantined'} (expected ${f.expected})`];
      if (f.field !== undefined && !event.problems.some((p) => p.field.startsWith(f.field!))) return [`${f.kind}: ${JSON.stringify(event.problems)} names no ${f.field}`];
      if (f.expected === 'unknown-detail-type' && event.detailType !== f.entry.DetailType) return [`${f.kind}: detail-type ${event.detailType}`];
      // The body is the event the bus delivered: the detail exactly as published.
      if (JSON.stringify((JSON.parse(event.body) as { detail: unknown }).detail) !== JSON.stringify(JSON.parse(f.entry.Detail!))) return [`${f.kind}: body differs`];
      return [];
    });
    expect(wrong).toEqual([]);
  });

  it('records exactly the statements, changes and registrations expected, once each', async () => {
    const table = await readTableState(dynamodb, test.runtime.tableName);
    const recorded = table.history.map((statement) => statement.statementId).filter((id) => id.startsWith('fuzz-'));
    expect(recorded.sort()).toEqual(fuzz.filter((f) => f.expected === 'applied' && (f.recordId?.startsWith('fuzz-s-') === true || f.recordId?.startsWith('fuzz-c-') === true)).map((f) => f.recordId).sort());
    const registered = table.registry.map((item) => String(item['sk'])).filter((sk) => sk.startsWith('ACTOR#fuzz-')).map((sk) => sk.slice('ACTOR#'.length));
    expect(registered.sort()).toEqual(fuzz.filter((f) => f.kind === 'registration').map((f) => f.recordId).sort());
  });
});
