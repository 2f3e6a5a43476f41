/**
 * The local PutEvents endpoint driven by the real clients: AWS SDK v3's EventBridgeClient and the
 * AWS CLI, exactly as a developer would point them at it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EventBridgeClient, ListRulesCommand, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_ENTRY_BYTES,
  DEFAULT_MAX_REQUEST_BYTES,
  LEGACY_MAX_REQUEST_BYTES,
  LocalEventBus,
  MAX_DETAIL_DEPTH,
  putEventsEntrySize,
  type EventBridgeEvent,
} from '../../local/bus/local-event-bus.ts';
import { startPutEventsServer, type PutEventsServer } from '../../local/bus/put-events-server.ts';

const run = promisify(execFile);

const PROCESSOR_PATTERN = {
  source: [{ 'anything-but': ['position-tracker'] }],
  'detail-type': ['Statement Recorded'],
};

/** Arabic with diacritics, a right-to-left mark, tatweel, Arabic-Indic digits and an emoji. */
const ARABIC = 'قالَ وزيرُ الخارجيةِ: «لا تفاوضَ قبلَ وقفِ إطلاقِ النار» \u200F— ١٢٣ ـــ 🕊️';

let bus: LocalEventBus;
let server: PutEventsServer;
let client: EventBridgeClient;
let delivered: EventBridgeEvent[];

function sdkClient(endpoint: string): EventBridgeClient {
  return new EventBridgeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** An entry whose detail carries a marker, so each test finds its own deliveries. */
function entry(marker: string, overrides: Partial<PutEventsRequestEntry> = {}, extra: Record<string, unknown> = {}): PutEventsRequestEntry {
  return {
    Source: 'newsroom.desk',
    DetailType: 'Statement Recorded',
    Detail: JSON.stringify({ marker, ...extra }),
    ...overrides,
  };
}

function deliveredFor(marker: string): EventBridgeEvent[] {
  return delivered.filter((event) => event.detail['marker'] === marker);
}

/** Rejection of a promise, for asserting on error objects the SDK throws. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  delivered = [];
  bus = new LocalEventBus();
  bus.addRule({
    name: 'InboundToProcessor',
    pattern: PROCESSOR_PATTERN,
    target: (event) => {
      delivered.push(event);
    },
  });
  server = await startPutEventsServer({ bus, port: 0 });
  client = sdkClient(server.url);
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

describe('PutEvents over HTTP with the AWS SDK v3', () => {
  it('listens on the ephemeral port it reports and answers /health', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('delivers a matching entry to the rule target, and not the others', async () => {
    const marker = randomUUID();
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry(marker, { Time: new Date('2026-01-06T10:00:00.750Z'), Resources: ['arn:aws:events:us-east-1:000000000000:x'] }),
          entry(marker, { DetailType: 'Stance Changed' }),
          entry(marker, { Source: 'position-tracker' }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(3);
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Delivery is asynchronous: nothing may rely on it having happened when PutEvents returns.
    await bus.drain();

    const events = deliveredFor(marker);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      version: '0',
      id: result.Entries?.[0]?.EventId,
      'detail-type': 'Statement Recorded',
      source: 'newsroom.desk',
      account: '000000000000',
      time: '2026-01-06T10:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:x'],
      detail: { marker },
    });
  });

  it('stamps entries put without Time with the current time, to the second', async () => {
    const marker = randomUUID();
    const before = Math.floor(Date.now() / 1000) * 1000;
    await client.send(new PutEventsCommand({ Entries: [entry(marker)] }));
    await bus.drain();
    const [event] = deliveredFor(marker);
    expect(event?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(event?.time ?? '')).toBeGreaterThanOrEqual(before);
  });

  it('carries Arabic text in Detail byte-exact', async () => {
    const marker = randomUUID();
    const detail = JSON.stringify({ marker, quote: { text: ARABIC, lang: 'ar' } });
    const result = await client.send(new PutEventsCommand({ Entries: [entry(marker, { Detail: detail })] }));
    expect(result.FailedEntryCount).toBe(0);
    await bus.drain();

    const [event] = deliveredFor(marker);
    const quote = event?.detail['quote'] as { text: string } | undefined;
    expect(Buffer.from(quote?.text ?? '', 'utf8').equals(Buffer.from(ARABIC, 'utf8'))).toBe(true);
    expect(Buffer.from(JSON.stringify(event?.detail), 'utf8').equals(Buffer.from(detail, 'utf8'))).toBe(true);
  });

  it('fails entries one by one: missing DetailType, missing Source, malformed Detail', async () => {
    const marker = randomUUID();
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry(marker, { DetailType: undefined }),
          entry(marker),
          entry(marker, { Source: undefined }),
          entry(marker, { Detail: '["not", "an", "object"]' }),
          entry(marker, { Detail: '{"unterminated": ' }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.[0]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    });
    expect(result.Entries?.[1]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.[2]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
    });
    expect(result.Entries?.[3]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(result.Entries?.[4]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });

    await bus.drain();
    expect(deliveredFor(marker).map((event) => event.id)).toEqual([result.Entries?.[1]?.EventId]);
  });

  it('throws ValidationException for more than 10 entries and puts none of them', async () => {
    const marker = randomUUID();
    const error = await rejectionOf(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry(marker)) })),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^1 validation error detected: Value '\[PutEventsRequestEntry\(/);
    expect(error.message).toMatch(/at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/);
    await bus.drain();
    expect(deliveredFor(marker)).toHaveLength(0);
  });

  it('throws ValidationException for an empty Entries list', async () => {
    const error = await rejectionOf(client.send(new PutEventsCommand({ Entries: [] })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('Member must have length greater than or equal to 1');
  });

  it('surfaces operations the local bus does not serve as UnknownOperationException', async () => {
    const error = await rejectionOf(client.send(new ListRulesCommand({})));
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('PutEvents size limits: 1 MB per request (as AWS), 256 KB per entry (the tracker\'s)', () => {
  const paddedEntry = (marker: string, detailBytes: number): PutEventsRequestEntry => {
    const base = entry(marker, {}, { padding: '' });
    const overhead = Buffer.byteLength(base.Detail ?? '', 'utf8');
    return entry(marker, {}, { padding: 'x'.repeat(detailBytes - overhead) });
  };
  /** An entry of exactly `size` bytes as putEventsEntrySize counts them. */
  const entryOfSize = (marker: string, size: number): PutEventsRequestEntry => {
    const base = entry(marker);
    return paddedEntry(marker, size - putEventsEntrySize({ ...base, Detail: '' }));
  };

  it('refuses an entry over 256 KB on its own and accepts and delivers the others', async () => {
    const marker = randomUUID();
    const big = paddedEntry(marker, 300 * 1024);
    const bigSize = putEventsEntrySize(big);
    const result = await client.send(new PutEventsCommand({ Entries: [entry(marker), big, entry(marker)] }));

    expect(result.FailedEntryCount).toBe(1);
    expect(typeof result.Entries?.[0]?.EventId).toBe('string');
    expect(result.Entries?.[1]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter Entry is not valid. Reason: the entry is ${bigSize} bytes, over the limit of ${DEFAULT_MAX_ENTRY_BYTES} bytes per entry.`,
    });
    expect(typeof result.Entries?.[2]?.EventId).toBe('string');
    await bus.drain();
    expect(deliveredFor(marker)).toHaveLength(2);
  });

  it('accepts an entry of exactly 262,144 bytes, not one byte more', async () => {
    const marker = randomUUID();
    const exact = entryOfSize(marker, DEFAULT_MAX_ENTRY_BYTES);
    expect(putEventsEntrySize(exact)).toBe(DEFAULT_MAX_ENTRY_BYTES);
    const accepted = await client.send(new PutEventsCommand({ Entries: [exact] }));
    expect(accepted.FailedEntryCount).toBe(0);

    const refused = await client.send(new PutEventsCommand({ Entries: [entryOfSize(marker, DEFAULT_MAX_ENTRY_BYTES + 1)] }));
    expect(refused.FailedEntryCount).toBe(1);
    expect(refused.Entries?.[0]?.ErrorCode).toBe('InvalidArgument');
  });

  it('accepts a request of exactly 1,048,576 bytes of entries, not one byte more', async () => {
    const marker = randomUUID();
    const quarter = DEFAULT_MAX_REQUEST_BYTES / 4;
    // Four entries at the per-entry limit fill the request exactly; a fifth byte-sized one tips it over.
    const exact = [0, 1, 2, 3].map(() => entryOfSize(marker, quarter));
    expect(quarter).toBe(DEFAULT_MAX_ENTRY_BYTES);
    expect(exact.reduce((sum, e) => sum + putEventsEntrySize(e), 0)).toBe(DEFAULT_MAX_REQUEST_BYTES);

    const result = await client.send(new PutEventsCommand({ Entries: exact }));
    expect(result.FailedEntryCount).toBe(0);

    const small = entry(marker);
    const oneByteMore = [...exact.slice(0, 3), entryOfSize(marker, quarter - putEventsEntrySize(small) + 1), small];
    expect(oneByteMore.reduce((sum, e) => sum + putEventsEntrySize(e), 0)).toBe(DEFAULT_MAX_REQUEST_BYTES + 1);
    const error = await rejectionOf(client.send(new PutEventsCommand({ Entries: oneByteMore })));
    expect(error.name).toBe('ValidationException');
  });

  it('refuses the whole request when the entries add up to more than 1 MB: none is delivered', async () => {
    const marker = randomUUID();
    const entries = [entry(marker), paddedEntry(marker, DEFAULT_MAX_REQUEST_BYTES), entry(marker)];
    const error = await rejectionOf(client.send(new PutEventsCommand({ Entries: entries })));

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Total size of the entries in the request is over the limit.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    await bus.drain();
    expect(deliveredFor(marker)).toHaveLength(0);
  });

  it('counts Time as 14 bytes and Resources by their UTF-8 bytes', () => {
    expect(putEventsEntrySize({ Source: 'a', DetailType: 'bc', Detail: '{}' })).toBe(5);
    expect(putEventsEntrySize({ Source: 'a', DetailType: 'bc', Detail: '{}', Time: new Date() })).toBe(19);
    expect(putEventsEntrySize({ Source: 'ص', DetailType: 'b', Detail: '{}', Resources: ['ق', 'r'] })).toBe(2 + 1 + 2 + 2 + 1);
  });

  it('mimics AWS exactly with a 1 MiB entry limit: a 300 KB entry is put and delivered', async () => {
    const awsBus = new LocalEventBus({ maxEntryBytes: DEFAULT_MAX_REQUEST_BYTES });
    const received: EventBridgeEvent[] = [];
    awsBus.addRule({ name: 'All', pattern: PROCESSOR_PATTERN, target: (event) => void received.push(event) });
    const aws = await startPutEventsServer({ bus: awsBus, port: 0 });
    const awsClient = sdkClient(aws.url);
    try {
      const marker = randomUUID();
      const result = await awsClient.send(new PutEventsCommand({ Entries: [entry(marker), paddedEntry(marker, 300 * 1024), entry(marker)] }));
      expect(result.FailedEntryCount).toBe(0);
      await awsBus.drain();
      expect(received).toHaveLength(3);
      expect((received[1]?.detail['padding'] as string).length).toBeGreaterThan(256 * 1024);
    } finally {
      awsClient.destroy();
      await aws.close();
    }
  });

  it('reproduces the former 256 KB request limit when configured with it', async () => {
    const legacyBus = new LocalEventBus({ maxRequestBytes: LEGACY_MAX_REQUEST_BYTES });
    const legacy = await startPutEventsServer({ bus: legacyBus, port: 0 });
    const legacyClient = sdkClient(legacy.url);
    try {
      const marker = randomUUID();
      const error = await rejectionOf(
        legacyClient.send(new PutEventsCommand({ Entries: [entry(marker), paddedEntry(marker, 200 * 1024), paddedEntry(marker, 100 * 1024)] })),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Total size of the entries in the request is over the limit.');
    } finally {
      legacyClient.destroy();
      await legacy.close();
    }
  });
});

describe('malformed requests get AWS JSON 1.1 errors', () => {
  const post = (body: string, target = 'AWSEvents.PutEvents') =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
      body,
    });

  it('answers a body that is not JSON with 400 SerializationException', async () => {
    const response = await post('{"Entries": [');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(response.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('answers wrongly typed members with SerializationException', async () => {
    const response = await post(JSON.stringify({ Entries: [{ Source: 1, DetailType: 'x', Detail: '{}' }] }));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('answers a missing Entries member with ValidationException', async () => {
    const response = await post('{}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    });
  });

  it('answers an unknown X-Amz-Target with UnknownOperationException', async () => {
    const response = await post('{}', 'AWSEvents.DescribeEventBus');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('answers a raw, well-formed PutEvents call with the AWS response shape', async () => {
    const marker = randomUUID();
    const response = await post(
      JSON.stringify({ Entries: [{ Source: 'curl', DetailType: 'Statement Recorded', Detail: JSON.stringify({ marker }), Time: 1767693600 }] }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { FailedEntryCount: number; Entries: Array<{ EventId: string }> };
    expect(body.FailedEntryCount).toBe(0);
    await bus.drain();
    expect(deliveredFor(marker)[0]?.time).toBe('2026-01-06T10:00:00Z');
  });
});

/** A POST with a Host header of our choosing (fetch does not let a caller set Host) and raw bytes. */
function rawPost(url: string, body: Buffer, host?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      {
        hostname,
        port,
        method: 'POST',
        path: '/',
        headers: {
          'X-Amz-Target': 'AWSEvents.PutEvents',
          'Content-Type': 'application/x-amz-json-1.1',
          'Content-Length': String(body.length),
          ...(host === undefined ? {} : { Host: host }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/** A Detail whose objects nest exactly `depth` levels, with the marker at the top. */
const nested = (marker: string, depth: number): string => `{"marker":"${marker}","n":${'{"a":'.repeat(depth - 2)}{}${'}'.repeat(depth - 2)}}`;

describe('hostile requests', () => {
  it('refuses a body that is not valid UTF-8 with 400 SerializationException, and delivers none of its entries', async () => {
    // Prepare: a good entry, and one whose Detail holds the bytes C3 28 (a lead byte without its continuation).
    const marker = randomUUID();
    const good = JSON.stringify({ Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: JSON.stringify({ marker }) });
    const body = Buffer.concat([
      Buffer.from(`{"Entries":[${good},{"Source":"newsroom.desk","DetailType":"Statement Recorded","Detail":"{\\"marker\\":\\"${marker}\\",\\"q\\":\\"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\\"}"}]}'),
    ]);

    // Act
    const response = await rawPost(server.url, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('SerializationException');
    expect(JSON.parse(response.body)).toEqual({ __type: 'SerializationException', message: 'Request body is not valid UTF-8' });
    await bus.drain();
    expect(deliveredFor(marker)).toEqual([]);
  });

  it(`fails an entry nested deeper than ${MAX_DETAIL_DEPTH} levels on its own, and delivers the others exactly once`, async () => {
    // Prepare: a client that retries, as publishers do: a failed request would deliver the good entries twice.
    const marker = randomUUID();
    const retrying = new EventBridgeClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 });
    const entries = [entry(marker), entry(marker, { Detail: nested(marker, 1_619) }), entry(marker, { Detail: nested(marker, MAX_DETAIL_DEPTH) }), entry(marker, { Detail: nested(marker, 20_000) })];

    // Act
    const result = await retrying.send(new PutEventsCommand({ Entries: entries })).finally(() => retrying.destroy());

    // Assess
    expect(result.$metadata.attempts).toBe(1);
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.[1]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter Detail is not valid. Reason: Detail nests 1619 levels deep, over the limit of ${MAX_DETAIL_DEPTH}.`,
    });
    expect(result.Entries?.[3]?.ErrorCode).toBe('InvalidArgument');
    await bus.drain();
    const ids = deliveredFor(marker).map((event) => event.id).sort();
    expect(ids).toEqual([result.Entries?.[0]?.EventId, result.Entries?.[2]?.EventId].sort());
  });

  it.each([
    ['another site (DNS rebinding)', (port: number) => `evil.example:${port}`],
    ['a name that merely starts like loopback', (port: number) => `127.0.0.1.nip.io:${port}`],
    ['loopback on another port', (port: number) => `127.0.0.1:${port + 1}`],
    ['loopback without the port', () => '127.0.0.1'],
  ])('refuses a request addressed to %s with 421, and delivers nothing', async (_case, hostFor) => {
    // Prepare
    const marker = randomUUID();
    const body = Buffer.from(JSON.stringify({ Entries: [{ Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: JSON.stringify({ marker }) }] }));

    // Act
    const response = await rawPost(server.url, body, hostFor(server.port));

    // Assess
    expect(response.status).toBe(421);
    expect(response.headers['x-amzn-errortype']).toBe('MisdirectedRequestException');
    await bus.drain();
    expect(deliveredFor(marker)).toEqual([]);
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('serves a request addressed to %s with the port', async (name) => {
    // Prepare
    const marker = randomUUID();
    const body = Buffer.from(JSON.stringify({ Entries: [{ Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: JSON.stringify({ marker }) }] }));

    // Act
    const response = await rawPost(server.url, body, `${name}:${server.port}`);

    // Assess
    expect(response.status).toBe(200);
    await bus.drain();
    expect(deliveredFor(marker)).toHaveLength(1);
  });
});

describe('a reserved source', () => {
  let ownedBus: LocalEventBus;
  let owned: PutEventsServer;
  let ownedClient: EventBridgeClient;
  const subscribers: EventBridgeEvent[] = [];

  beforeAll(async () => {
    ownedBus = new LocalEventBus({ reservedSources: ['position-tracker'] });
    ownedBus.addRule({ name: 'AlertsToNotifier', pattern: { source: ['position-tracker'] }, target: (event) => void subscribers.push(event) });
    owned = await startPutEventsServer({ bus: ownedBus, port: 0 });
    ownedClient = sdkClient(owned.url);
  });

  afterAll(async () => {
    ownedClient?.destroy();
    await owned?.close();
  });

  it('is refused from an HTTP caller, entry by entry, as AWS refuses a source the caller may not use', async () => {
    // Prepare
    const marker = randomUUID();
    const forged = { Source: 'position-tracker', DetailType: 'Positions Diverged', Detail: JSON.stringify({ marker }) };

    // Act
    const result = await ownedClient.send(new PutEventsCommand({ Entries: [forged, entry(marker)] }));

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: "You do not have permissions to publish events with this source onto this event bus: 'position-tracker' is reserved for the tracker.",
    });
    expect(result.Entries?.[1]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await ownedBus.drain();
    expect(subscribers.filter((event) => event.detail['marker'] === marker)).toEqual([]);
  });

  it('is published by the owner in-process', async () => {
    // Prepare
    const marker = randomUUID();

    // Act
    const result = await ownedBus.putEvents(
      [{ Source: 'position-tracker', DetailType: 'Positions Diverged', Detail: JSON.stringify({ marker }) }],
      { mayUseReservedSources: true },
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    await ownedBus.drain();
    expect(subscribers.filter((event) => event.detail['marker'] === marker)).toHaveLength(1);
  });
});

describe('delivery', () => {
  it('routes target failures to onTargetError, and drain() still settles', async () => {
    const failures: Array<{ rule: string; message: string }> = [];
    const localBus = new LocalEventBus({
      onTargetError: (error, context) => failures.push({ rule: context.rule, message: (error as Error).message }),
    });
    const seen: string[] = [];
    localBus.addRule({ name: 'Broken', pattern: { source: ['desk'] }, target: async () => Promise.reject(new Error('queue down')) });
    localBus.addRule({ name: 'Working', pattern: { source: ['desk'] }, target: (event) => void seen.push(event.id) });
    const unsubscribe = localBus.subscribe((event) => seen.push(`observed:${event.id}`));

    const result = await localBus.putEvents([{ Source: 'desk', DetailType: 'x', Detail: '{}' }]);
    const id = (result.Entries[0] as { EventId: string }).EventId;
    // Targets have not run yet when putEvents resolves; the observer has.
    expect(seen).toEqual([`observed:${id}`]);

    await localBus.drain();
    expect(seen).toEqual([`observed:${id}`, id]);
    expect(failures).toEqual([{ rule: 'Broken', message: 'queue down' }]);

    unsubscribe();
    await localBus.putEvents([{ Source: 'desk', DetailType: 'x', Detail: '{}' }]);
    await localBus.drain();
    expect(seen.filter((s) => s.startsWith('observed:'))).toHaveLength(1);
  });

  it('gives each target its own copy of the event', async () => {
    const localBus = new LocalEventBus();
    const copies: EventBridgeEvent[] = [];
    localBus.addRule({ name: 'Mutating', pattern: { source: ['desk'] }, target: (event) => { event.detail['touched'] = true; copies.push(event); } });
    localBus.addRule({ name: 'Reading', pattern: { source: ['desk'] }, target: (event) => void copies.push(event) });
    await localBus.putEvents([{ Source: 'desk', DetailType: 'x', Detail: '{"a":1}' }]);
    await localBus.drain();
    expect(copies.map((event) => event.detail)).toEqual([{ a: 1, touched: true }, { a: 1 }]);
  });

  it('refuses a rule whose pattern EventBridge would reject', () => {
    expect(() => new LocalEventBus().addRule({ name: 'Bad', pattern: { source: 'desk' }, target: () => undefined })).toThrow(
      /"source" must be an object or an array/,
    );
  });
});

const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const hasAwsCli = awsCli.error === undefined && awsCli.status === 0;
const cliSkipNote = hasAwsCli ? '' : ' [skipped: the aws CLI is not on PATH]';

describe('PutEvents with the AWS CLI', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'put-events-cli-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Only the variables the CLI needs: no profile, config file or real credentials of the machine leak in. */
  const cliEnv = (): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'],
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  const putEvents = async (entries: unknown[]) => {
    const file = join(dir, `${randomUUID()}.json`);
    await writeFile(file, JSON.stringify(entries), 'utf8');
    return run(
      'aws',
      ['events', 'put-events', '--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', '--entries', `file://${file}`],
      { env: cliEnv(), timeout: 60_000 },
    );
  };

  it.skipIf(!hasAwsCli)(`aws events put-events delivers to the rule and prints the AWS response${cliSkipNote}`, async () => {
    const marker = randomUUID();
    const detail = JSON.stringify({ marker, quote: { text: ARABIC, lang: 'ar' } });
    const { stdout } = await putEvents([
      { Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: detail, Time: '2026-01-06T10:00:00Z' },
      { Source: 'newsroom.desk', Detail: detail },
    ]);

    const printed = JSON.parse(stdout) as { FailedEntryCount: number; Entries: Array<Record<string, string>> };
    expect(printed.FailedEntryCount).toBe(1);
    expect(printed.Entries[0]?.['EventId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(printed.Entries[1]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    });

    await bus.drain();
    const events = deliveredFor(marker);
    expect(events).toHaveLength(1);
    expect(events[0]?.id).toBe(printed.Entries[0]?.['EventId']);
    expect(events[0]?.time).toBe('2026-01-06T10:00:00Z');
    const quote = events[0]?.detail['quote'] as { text: string } | undefined;
    expect(Buffer.from(quote?.text ?? '', 'utf8').equals(Buffer.from(ARABIC, 'utf8'))).toBe(true);
  });

  it.skipIf(!hasAwsCli)(`aws events put-events reports a ValidationException for 11 entries${cliSkipNote}`, async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: '{}' }));
    const failure = await rejectionOf(putEvents(entries));
    const { stderr, code } = failure as Error & { stderr?: string; code?: number };
    expect(code).not.toBe(0);
    expect(stderr).toContain('An error occurred (ValidationException) when calling the PutEvents operation');
    expect(stderr).toContain('Member must have length less than or equal to 10');
  });
});
