/**
 * The EventBridge publisher with the real SDK client over HTTP, against the local PutEvents
 * endpoint, with entries failed on purpose as EventBridge reports them (per entry, in a 200 response).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { EventBridgePublisher, PublishError, chunkEntries, entrySize } from '../../functions/adapters/eventbridge/event-publisher.ts';
import type { OutboundEvent } from '../../functions/application/ports.ts';
import { LocalEventBus, type EventBridgeEvent, type PutEventsEntry, type PutEventsResult } from '../../local/bus/local-event-bus.ts';
import { startPutEventsServer, type PutEventsServer } from '../../local/bus/put-events-server.ts';
import { quoteOfBytes } from '../../support/synthetic.ts';

/** A bus that refuses chosen entries, the way EventBridge throttles some entries of a request. */
class FlakyBus extends LocalEventBus {
  requests: number[] = [];
  refuse: (entry: PutEventsEntry, attempt: number) => boolean = () => false;
  attempts = new Map<string, number>();

  override async putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResult> {
    this.requests.push(entries.length);
    const accepted: PutEventsEntry[] = [];
    const results: PutEventsResult['Entries'] = [];
    const refusedAt = new Set<number>();
    entries.forEach((entry, index) => {
      const key = entry.Detail ?? '';
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      if (this.refuse(entry, attempt)) refusedAt.add(index);
      else accepted.push(entry);
    });
    const inner = accepted.length > 0 ? await super.putEvents(accepted) : { FailedEntryCount: 0, Entries: [] };
    let next = 0;
    entries.forEach((_entry, index) => {
      results.push(refusedAt.has(index) ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' } : inner.Entries[next++]!);
    });
    return { FailedEntryCount: refusedAt.size + inner.FailedEntryCount, Entries: results };
  }
}

let bus: FlakyBus;
let server: PutEventsServer;
let client: EventBridgeClient;
let seen: EventBridgeEvent[];

beforeAll(async () => {
  bus = new FlakyBus();
  bus.subscribe((event) => seen.push(event));
  server = await startPutEventsServer({ bus, port: 0 });
  client = new EventBridgeClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

const events = (count: number, prefix = 'e'): OutboundEvent[] =>
  Array.from({ length: count }, (_, i) => ({ detailType: 'Position Changed', detail: { changeId: `${prefix}-${i}`, note: 'موقف' } }));

const reset = () => {
  seen = [];
  bus.requests = [];
  bus.refuse = () => false;
  bus.attempts.clear();
};

describe('EventBridgePublisher', () => {
  it('publishes in calls of at most 10 entries, in order, as the tracker', async () => {
    reset();
    const publisher = new EventBridgePublisher({ client, eventBusName: 'tracker-bus' });
    await publisher.publish(events(23));
    expect(bus.requests).toEqual([10, 10, 3]);
    expect(seen.map((e) => (e.detail as { changeId: string }).changeId)).toEqual(events(23).map((e) => (e.detail as { changeId: string }).changeId));
    expect(new Set(seen.map((e) => e.source))).toEqual(new Set([TRACKER_SOURCE]));
  });

  it('retries only the entries that failed, until they go through', async () => {
    reset();
    bus.refuse = (entry, attempt) => attempt <= 2 && /"e-(3|7)"/.test(entry.Detail ?? '');
    let failedReports = 0;
    const publisher = new EventBridgePublisher({ client, eventBusName: 'tracker-bus', baseDelayMs: 1, onFailedEntries: (n) => (failedReports += n) });
    await publisher.publish(events(9));
    expect(bus.requests).toEqual([9, 2, 2]);
    expect(seen.map((e) => (e.detail as { changeId: string }).changeId).sort()).toEqual(events(9).map((e) => (e.detail as { changeId: string }).changeId).sort());
    expect(failedReports).toBe(4);
  });

  it('throws after the last attempt when an entry keeps failing, so the message is retried', async () => {
    reset();
    bus.refuse = (entry) => /"x-1"/.test(entry.Detail ?? '');
    const publisher = new EventBridgePublisher({ client, eventBusName: 'tracker-bus', maxAttempts: 3, baseDelayMs: 1 });
    await expect(publisher.publish(events(3, 'x'))).rejects.toBeInstanceOf(PublishError);
    expect(bus.requests).toEqual([3, 1, 1]);
  });

  it('keeps each call within the request size limit', () => {
    const big = { Source: TRACKER_SOURCE, DetailType: 'Positions Diverged', Detail: JSON.stringify({ quote: quoteOfBytes(100_000) }) };
    const chunks = chunkEntries([big, big, big, big, big]);
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 1]);
    for (const chunk of chunks) expect(chunk.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(256 * 1024);
  });
});
