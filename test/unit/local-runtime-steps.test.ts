/**
 * The steps `startRuntime` is made of, each on its own: shutting down in reverse, the store's
 * client settings, the deliveries settling and draining, a run's publishing and its account,
 * redriving dead letters, and the seed as the runtime publishes it.
 */
import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { DEFAULT_REGISTRY_SOURCES } from '../../events/common.ts';
import type { RuleDefinition } from '../../events/rules.ts';
import type { PutEventsEntry, PutEventsResult } from '../../local/bus/local-event-bus.ts';
import type { Output } from '../../local/console/terminal.ts';
import { createMemoryDeadLetterQueue, type DeadLetter } from '../../local/delivery/dead-letter-queue.ts';
import { runtimeSettings } from '../../local/runtime.ts';
import { createDeliveries, drainOnShutdown, redriveDeadLetters } from '../../local/runtime/deliveries.ts';
import { publishAll, runProblems } from '../../local/runtime/run.ts';
import { seedRegistryFileEvents } from '../../local/runtime/seed.ts';
import { Shutdown } from '../../local/runtime/shutdown.ts';
import { externalClientConfig, isLoopback } from '../../local/runtime/store.ts';
import { loadSeedRegistryDetails } from '../../local/seed/seed-files.ts';

const captured = (): Output & { lines: string[]; errors: string[] } => {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, line: (text) => void lines.push(text), error: (text) => void errors.push(text) };
};

const letter = (messageId: string, queue: string): DeadLetter => ({
  messageId,
  queue,
  rule: 'InboundToProcessor',
  body: `{"id":"${messageId}"}`,
  receiveCount: 5,
  sentAt: '2026-01-06T10:00:00.000Z',
  deadLetteredAt: '2026-01-06T10:00:01.000Z',
  reason: 'the store is down',
});

describe('Shutdown', () => {
  it('stops what was started in reverse order, goes on past a step that fails, and reports it', async () => {
    const order: string[] = [];
    const reports: string[] = [];
    const shutdown = new Shutdown((message) => reports.push(message));
    shutdown.add(() => void order.push('lock'));
    shutdown.add(() => {
      order.push('store');
      throw new Error('the store would not close');
    });
    shutdown.add(async () => void order.push('endpoints'));

    await shutdown.run();
    await shutdown.run();

    expect(order).toEqual(['endpoints', 'store', 'lock']);
    expect(reports).toEqual(['[runtime] shutdown step failed: the store would not close']);
  });
});

describe('the store step', () => {
  it('knows loopback endpoints by name and address, IPv6 included', () => {
    expect(['http://127.0.0.1:8000', 'http://127.1.2.3:5000', 'http://localhost:4566', 'http://[::1]:8000'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['https://dynamodb.eu-west-1.amazonaws.com', 'http://10.0.0.1:8000', 'not a url'].map(isLoopback)).toEqual([false, false, false]);
  });

  it('signs with dummy credentials on loopback unless the developer has set some, and takes the region from the environment', () => {
    expect(externalClientConfig('http://127.0.0.1:5000', {})).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    expect(externalClientConfig('http://127.0.0.1:5000', { AWS_PROFILE: 'dev' })).not.toHaveProperty('credentials');
    expect(externalClientConfig('http://localhost:4566', { AWS_ACCESS_KEY_ID: 'AKIA…' })).not.toHaveProperty('credentials');
    expect(externalClientConfig('https://dynamodb.eu-west-1.amazonaws.com', { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({
      endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
    });
    expect(externalClientConfig('https://dynamodb.us-west-2.amazonaws.com', { AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe('us-west-2');
  });
});

describe('runtimeSettings', () => {
  it('fills in the defaults, resolves directories, and takes an empty source list for the default one', () => {
    const settings = runtimeSettings({ dataDir: 'relative/dir', registrySources: [] });

    expect(settings).toMatchObject({ host: '127.0.0.1', tableName: 'position-tracker-local', maxReceiveCount: 5, registrySources: DEFAULT_REGISTRY_SOURCES });
    expect(settings.dataDir).toBe(`${process.cwd()}/relative/dir`);
    expect(settings.snapshotsDir).toBe(`${process.cwd()}/.local-data/snapshots`);
    expect(runtimeSettings({}).dataDir).toBeNull();
    expect(runtimeSettings({ registrySources: ['newsroom.registry'] }).registrySources).toEqual(['newsroom.registry']);
  });
});

describe('the deliveries', () => {
  const RULE: RuleDefinition = { name: 'Everything', description: 'every desk event', pattern: { source: ['newsroom.desk'] } };
  const entry = (n: number): PutEventsEntry => ({ Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: JSON.stringify({ n }) });

  it('settles only once every event is delivered and every queue has finished with it', async () => {
    // Prepare: a handler that takes its time.
    const shutdown = new Shutdown(() => undefined);
    const deliveries = createDeliveries({ output: captured(), dataDir: null, maxReceiveCount: 5 }, shutdown);
    const handled: unknown[] = [];
    deliveries.addQueue({
      name: 'processor',
      rules: [RULE],
      handler: async (event: SQSEvent) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (const record of event.Records) handled.push((JSON.parse(record.body) as { detail: unknown }).detail);
      },
      reasonFor: () => undefined,
      batchWindowMs: 0,
      maxConcurrency: 1,
    });

    // Act
    await deliveries.bus.putEvents([entry(1), entry(2), entry(3)]);
    await deliveries.settle();

    // Assess
    expect(handled).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await shutdown.run();
  });

  it('drains on shutdown within its time, and says how many messages it drops after that', async () => {
    const output = captured();
    const shutdown = new Shutdown(() => undefined);
    const deliveries = createDeliveries({ output, dataDir: null, maxReceiveCount: 5 }, shutdown);
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    deliveries.addQueue({ name: 'processor', rules: [RULE], handler: () => stuck, reasonFor: () => undefined, batchWindowMs: 0, maxConcurrency: 1 });
    await deliveries.bus.putEvents([entry(1)]);
    await deliveries.bus.drain();
    await deliveries.bus.putEvents([entry(2), entry(3)]);

    await drainOnShutdown(deliveries, output, 50)();

    expect(output.errors).toEqual(['[runtime] 2 queued message(s) not processed after 50 ms; dropped at shutdown']);
    release();
    await shutdown.run();
  });
});

describe('a run', () => {
  it('publishes in requests of at most ten entries, in order, and keeps each refusal with its origin', async () => {
    const requests: number[] = [];
    const bus = {
      putEvents: async (entries: readonly PutEventsEntry[]): Promise<PutEventsResult> => {
        requests.push(entries.length);
        const results = entries.map((e, i) =>
          e.Source === 'position-tracker' ? { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'not yours' } : { EventId: `${requests.length}-${i}` },
        );
        return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
      },
    };
    const events = Array.from({ length: 23 }, (_, i) => ({ origin: `e${i}`, entry: { Source: i === 12 ? 'position-tracker' : 'newsroom.desk' } }));
    const seen: string[] = [];

    const outcome = await publishAll(bus, events, { accepted: (id) => seen.push(id), refused: (origin, code) => seen.push(`${origin} ${code}`) });

    expect(requests).toEqual([10, 10, 3]);
    expect(outcome.accepted).toHaveLength(22);
    expect(outcome.accepted[10]).toEqual({ origin: 'e10', eventId: '2-0' });
    expect(outcome.refused).toEqual([{ origin: 'e12', errorCode: 'NotAuthorizedForSourceException', errorMessage: 'not yours' }]);
    expect(seen[12]).toBe('e12 NotAuthorizedForSourceException');
  });

  it('is clean with nothing to report, and otherwise lists every reason, one line each', () => {
    const none = { refused: [], deadLettered: [], quarantined: [], failedDeliveries: 0, unseen: 0 };
    expect(runProblems(none)).toEqual([]);

    expect(
      runProblems({
        refused: [{ origin: 'a.json', errorCode: 'InvalidArgument', errorMessage: 'too large' }],
        deadLettered: [letter('m-1', 'notifier')],
        quarantined: [{ messageId: 'm-2', reason: 'unknown-reference', problems: 'detail.speaker: is not registered' }],
        failedDeliveries: 2,
        unseen: 1,
      }),
    ).toEqual([
      'PutEvents refused a.json: InvalidArgument too large',
      'dead-lettered from notifier: the store is down',
      'quarantined (unknown-reference): detail.speaker: is not registered',
      '2 bus deliveries failed (see the log above)',
    ]);
    expect(runProblems({ ...none, unseen: 3 })).toEqual(['3 accepted event(s) were never seen by the processor']);
  });
});

describe('redriveDeadLetters', () => {
  it('sends each chosen letter back to its queue with its message id, and keeps those whose queue this runtime lacks', async () => {
    const deadLetters = createMemoryDeadLetterQueue();
    for (const l of [letter('m-1', 'processor'), letter('m-2', 'retired-queue'), letter('m-3', 'notifier')]) await deadLetters.add(l);
    const sent: Array<[string, string | undefined]> = [];
    const processor = {
      send: (body: string, messageId?: string): string => {
        sent.push([body, messageId]);
        return messageId ?? 'new';
      },
    };

    const outcome = await redriveDeadLetters(deadLetters, new Map([['processor', processor]]), { messageIds: ['m-1', 'm-2'] });

    expect(outcome.redriven.map((l) => l.messageId)).toEqual(['m-1']);
    expect(outcome.unknownQueue.map((l) => l.messageId)).toEqual(['m-2']);
    expect(sent).toEqual([['{"id":"m-1"}', 'm-1']]);
    expect((await deadLetters.list()).map((l) => l.messageId).sort()).toEqual(['m-2', 'm-3']);
  });
});

describe('the seed registry as the runtime publishes it', () => {
  it('is every record of every registry file, in load order, with the source given and the detail as committed', () => {
    const events = seedRegistryFileEvents('newsroom.registry');
    const files = loadSeedRegistryDetails();

    expect(events).toHaveLength(files.reduce((sum, file) => sum + file.details.length, 0));
    expect(events[0]?.origin).toBe('registry/actors.json[0]');
    expect(new Set(events.map((e) => e.entry.Source))).toEqual(new Set(['newsroom.registry']));
    const speakers = files.find((file) => file.file === 'speakers.json')!;
    const firstSpeaker = events.find((e) => e.origin === 'registry/speakers.json[0]')!;
    expect(firstSpeaker.entry.DetailType).toBe('Speaker Registered');
    expect(JSON.parse(firstSpeaker.entry.Detail!)).toEqual(speakers.details[0]);
  });
});
