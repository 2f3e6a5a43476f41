/**
 * The whole tracker on one machine, in one process, on loopback: an embedded DynamoDB (or any
 * DynamoDB endpoint), the local EventBridge bus behind its PutEvents endpoint, SQS-like queues
 * feeding the same handler modules Lambda runs, and the read API on node:http.
 *
 *   publishers ──PutEvents──▶ LocalEventBus ──rules (events/rules.ts)──▶ LocalQueue ──▶ handler
 *                                 ▲                                        │ (retries, DLQ)
 *                                 └──── the processor's EventPublisher ◀───┘
 *
 * `startRuntime` is what `npm start` runs and what the end-to-end tests and the benchmark start
 * in-process (with every port 0). It reads as its steps, each in local/runtime/: claim the data
 * directory, connect the store, start the deliveries and the handlers on them, open the endpoints,
 * load the registry and replay the seed as runs.
 */
import './environment.ts';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_REGISTRY_SOURCES, DESK_SOURCE, REGISTRY_SOURCE } from '../events/common.ts';
import { createFsFeedStore } from '../functions/adapters/fs/feed-store.ts';
import { createFsSnapshotStore } from '../functions/adapters/fs/snapshot-store.ts';
import { DynamoQuarantineRepository } from '../functions/adapters/dynamodb/quarantine.repository.ts';
import { DynamoReadRepository } from '../functions/adapters/dynamodb/read.repository.ts';
import { DynamoTrackerRepository } from '../functions/adapters/dynamodb/tracker.repository.ts';
import { createDeskApi } from '../functions/api/desk-api.ts';
import type { SnapshotStore } from '../functions/application/snapshots.ts';
import { createPositionReader, type PositionReader } from '../functions/application/read-model.ts';
import { createReadApi } from '../functions/api/read-api.ts';
import { FEEDS_REBUILD_BODY } from '../functions/handlers/write-feeds.ts';
import { localBusDeskPublisher } from './bus/desk-bus-publisher.ts';
import { DEFAULT_PUT_EVENTS_PORT, startPutEventsServer } from './bus/put-events-server.ts';
import { Terminal, type Output } from './console/terminal.ts';
import type { AlertWebhook } from './delivery/alert-webhook.ts';
import { createHandlerLogger } from './delivery/handler-logger.ts';
import { DEFAULT_API_PORT, startApiServer } from './http/api-server.ts';
import { READER_KEY_FILE, resolveApiKey } from './store/api-key-file.ts';
import { lockDirectory } from './store/dir-lock.ts';
import { createReports, printStartup } from './runtime/console-report.ts';
import { createDeliveries, drainOnShutdown, redriveDeadLetters, type Deliveries } from './runtime/deliveries.ts';
import { FEED_QUEUE, startHandlers } from './runtime/handlers.ts';
import { addLocalRules } from './runtime/local-rules.ts';
import { shareRegistryReads } from './runtime/registry-reads.ts';
import { createRunner } from './runtime/run.ts';
import { seedNotStored, seedRegistryFileEvents } from './runtime/seed.ts';
import { Shutdown } from './runtime/shutdown.ts';
import { connectStore, type RuntimeStore } from './runtime/store.ts';
import { buildLocalWebApp } from './runtime/web-app.ts';
import type { Runtime, RuntimeEndpoints, RuntimeOptions, RuntimeStatus } from './runtime/types.ts';

export type { PublishOutcome, RunOutcome, Runtime, RuntimeEndpoints, RuntimeOptions, RuntimeStatus } from './runtime/types.ts';

export const DEFAULT_TABLE_NAME = 'position-tracker-local';
export const DEFAULT_SNAPSHOTS_DIR = '.local-data/snapshots';
export const DEFAULT_FEEDS_DIR = '.local-data/feeds';
/** Receives before a message is dead-lettered: the deployed queues' redrive policy (EventQueue). */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

/** The options with their defaults filled in. */
export interface RuntimeSettings extends Omit<RuntimeOptions, 'dataDir'> {
  output: Output;
  host: string;
  tableName: string;
  dataDir: string | null;
  snapshotsDir: string;
  feedsDir: string;
  maxReceiveCount: number;
  registrySources: readonly string[];
}

export const runtimeSettings = (options: RuntimeOptions): RuntimeSettings => ({
  ...options,
  output: options.output ?? new Terminal(),
  host: options.host ?? '127.0.0.1',
  tableName: options.tableName ?? DEFAULT_TABLE_NAME,
  dataDir: options.dataDir === undefined ? null : resolve(options.dataDir),
  snapshotsDir: resolve(options.snapshotsDir ?? DEFAULT_SNAPSHOTS_DIR),
  feedsDir: resolve(options.feedsDir ?? DEFAULT_FEEDS_DIR),
  maxReceiveCount: options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
  registrySources: options.registrySources !== undefined && options.registrySources.length > 0 ? options.registrySources : DEFAULT_REGISTRY_SOURCES,
});

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const settings = runtimeSettings(options);
  const { output } = settings;
  const shutdown = new Shutdown((message) => output.error(message));
  try {
    const key = await claimDataDir(settings, shutdown);
    const store = await connectStore(settings, shutdown);
    const readStore = new DynamoReadRepository({ tableName: settings.tableName, client: store.client });
    // The readers share one registry, loaded again once the processor handled a registry event:
    // no cache of their own (TTL 0), so what it registers shows up on the next read.
    const registryReads = shareRegistryReads(readStore);
    const reader = createPositionReader({ store: registryReads.store, registryTtlMs: 0 });
    const snapshotStore = createFsSnapshotStore(settings.snapshotsDir);
    const feedStore = createFsFeedStore(settings.feedsDir);
    const deliveries = createDeliveries(settings, shutdown);
    const feedsUrl = () => `${endpoints.api}/feeds`;
    const { processed } = startHandlers(deliveries, { ...settings, store, reader, snapshotStore, feedStore, feedsUrl, onRegistryEvents: registryReads.invalidate });
    const webhook = addLocalRules(deliveries.bus, reader, output, settings.alertsWebhook);
    const status = statusOf({ settings, store, deliveries, processed, webhook, endpoints: () => endpoints });
    const webDir = settings.webApp === false ? undefined : await buildLocalWebApp(settings.dataDir, output, shutdown);
    const endpoints = await openEndpoints({ settings, store, deliveries, reader, snapshotStore, keys: key, webDir, status }, shutdown);

    const run = createRunner({ deliveries, quarantine: new DynamoQuarantineRepository({ tableName: settings.tableName, client: store.client }), output });
    const reports = createReports(reader, output);
    const registry = await run('Registry', seedRegistryFileEvents(settings.registrySources[0] ?? DESK_SOURCE));
    // Every published issue's feeds at start, so a fresh folder (or one an older run left) is complete.
    deliveries.queues.get(FEED_QUEUE)?.send(FEEDS_REBUILD_BODY);
    const runtime: Runtime = {
      endpoints,
      ...key,
      webDir: webDir ?? null,
      tableName: settings.tableName,
      bus: deliveries.bus,
      reader,
      deadLetters: deliveries.deadLetters,
      queues: deliveries.queues,
      registry,
      replay: undefined,
      seedAlreadyStored: 0,
      run,
      settle: deliveries.settle,
      matrices: reports.matrices,
      alerts: reports.alerts,
      printReport: reports.printReport,
      redrive: (filter) => redriveDeadLetters(deliveries.deadLetters, deliveries.queues, filter),
      status,
      close: () => shutdown.run(),
    };
    printStartup(output, runtime, { embedded: store.embedded !== undefined, dataDir: settings.dataDir, snapshotsDir: settings.snapshotsDir, webhook: settings.alertsWebhook });
    output.line(
      registry.clean
        ? `Registry: ${registry.accepted.length} records loaded through the bus (${registry.durationMs} ms)`
        : `Registry: NOT clean: ${registry.problems.join('; ')}`,
    );
    if (options.replay !== false) await replayTheSeed(runtime, readStore, output, options.report !== false);
    return runtime;
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}

type RuntimeKeys = Pick<Runtime, 'apiKey' | 'apiKeySource' | 'apiKeyFile' | 'readerKey' | 'readerKeySource' | 'readerKeyFile'>;

/** Locks the data directory for this runtime, and finds the editor's and the reader's keys (given, kept there, or generated). */
async function claimDataDir(settings: RuntimeSettings, shutdown: Shutdown): Promise<RuntimeKeys> {
  const { dataDir } = settings;
  if (dataDir !== null) {
    await mkdir(dataDir, { recursive: true });
    const lock = await lockDirectory(dataDir, 'runtime.pid');
    shutdown.add(() => lock.release());
  }
  const { apiKey, source, path } = await resolveApiKey(settings.apiKey, dataDir);
  const reader = await resolveApiKey(settings.readerKey, dataDir, { file: READER_KEY_FILE, prefix: 'reader' });
  if (reader.apiKey === apiKey) throw new Error('the reader key must differ from the API key, or a reader could write');
  return { apiKey, apiKeySource: source, apiKeyFile: path, readerKey: reader.apiKey, readerKeySource: reader.source, readerKeyFile: reader.path };
}

interface EndpointParts {
  settings: RuntimeSettings;
  store: RuntimeStore;
  deliveries: Deliveries;
  reader: PositionReader;
  snapshotStore: SnapshotStore;
  keys: RuntimeKeys;
  webDir: string | undefined;
  status: () => Promise<RuntimeStatus>;
}

/** The desk API on the local bus, its previews read from the store the processor writes. */
const localDeskApi = ({ settings, store, deliveries, reader }: EndpointParts) =>
  createDeskApi({
    publisher: localBusDeskPublisher(deliveries.bus),
    preview: { registry: () => reader.registry(), history: new DynamoTrackerRepository({ tableName: settings.tableName, client: store.client }) },
    sources: { statements: DESK_SOURCE, registryAndRevisions: settings.registrySources[0] ?? REGISTRY_SOURCE },
    logger: createHandlerLogger('desk-api', settings.output, { verbose: settings.verbose }).logger,
  });

/**
 * The PutEvents endpoint, then the read API with the admin routes. They close first on shutdown,
 * before the queues drain, so no new events arrive while the queues wind down.
 */
async function openEndpoints(parts: EndpointParts, shutdown: Shutdown): Promise<RuntimeEndpoints> {
  const { settings, deliveries } = parts;
  const { output } = settings;
  shutdown.add(drainOnShutdown(deliveries, output));
  const busPort = settings.busPort ?? DEFAULT_PUT_EVENTS_PORT;
  const putEvents = await startPutEventsServer({ bus: deliveries.bus, host: settings.host, port: busPort }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`the local bus cannot listen on ${settings.host}:${busPort}: the port is in use (choose another with --bus-port, or 0 for any)`);
    }
    throw error;
  });
  shutdown.add(() => putEvents.close());
  const readApi = createReadApi({
    reader: parts.reader,
    snapshots: parts.snapshotStore,
    logger: createHandlerLogger('read-api', output, { verbose: settings.verbose }).logger,
  });
  const api = await startApiServer({
    api: readApi,
    apiKey: parts.keys.apiKey,
    readerKey: parts.keys.readerKey,
    desk: localDeskApi(parts),
    ...(parts.webDir === undefined ? {} : { webDir: parts.webDir }),
    feedsDir: settings.feedsDir,
    host: settings.host,
    port: settings.apiPort ?? DEFAULT_API_PORT,
    onError: (error) => output.error(`[read-api] ${error instanceof Error ? error.message : String(error)}`),
    admin: {
      listDeadLetters: async (queue) => ({ deadLetters: await deliveries.deadLetters.list(queue) }),
      redrive: async (filter) => {
        const { redriven, unknownQueue } = await redriveDeadLetters(deliveries.deadLetters, deliveries.queues, filter);
        return {
          redriven: redriven.map((letter) => ({ messageId: letter.messageId, queue: letter.queue })),
          notRedriven: unknownQueue.map((letter) => ({ messageId: letter.messageId, queue: letter.queue, reason: 'no such queue in this runtime' })),
        };
      },
      status: parts.status,
      eventFates: async (eventIds) => ({ events: eventIds.map((eventId) => ({ eventId, fate: deliveries.fates.fateOf(eventId) ?? null })) }),
    },
  });
  shutdown.add(() => api.close());
  return { bus: putEvents.url, api: api.url, dynamodb: parts.store.endpoint };
}

/** GET /_local/status: where everything listens, what each queue holds, what the processor made of its messages. */
const statusOf =
  (parts: {
    settings: RuntimeSettings;
    store: RuntimeStore;
    deliveries: Deliveries;
    processed: RuntimeStatus['processed'];
    webhook: AlertWebhook | undefined;
    endpoints: () => RuntimeEndpoints;
  }) =>
  async (): Promise<RuntimeStatus> => {
    const { settings, store, deliveries, webhook } = parts;
    return {
      endpoints: parts.endpoints(),
      tableName: settings.tableName,
      store: store.embedded === undefined ? 'external' : settings.dataDir === null ? 'embedded (in memory)' : 'embedded (on disk)',
      dataDir: settings.dataDir,
      queues: Object.fromEntries([...deliveries.queues].map(([name, queue]) => [name, queue.stats()])),
      processed: { ...parts.processed },
      deadLetters: (await deliveries.deadLetters.list()).length,
      ...(webhook === undefined || settings.alertsWebhook === undefined ? {} : { webhook: { url: settings.alertsWebhook, ...webhook.stats() } }),
    };
  };

/** Publishes the seed samples the store does not hold yet, then prints the report. */
async function replayTheSeed(runtime: Runtime, readStore: DynamoReadRepository, output: Output, report: boolean): Promise<void> {
  const unstored = await seedNotStored(readStore);
  runtime.seedAlreadyStored = unstored.alreadyStored;
  if (unstored.alreadyStored > 0) output.line(`Seed: ${unstored.alreadyStored} statement(s) already in the store, not published again`);
  runtime.replay = await runtime.run('Replaying the seed', unstored.samples, { progress: true });
  if (report) await runtime.printReport();
}
