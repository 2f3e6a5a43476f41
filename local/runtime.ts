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
 * in-process (with every port 0).
 */
import './environment.ts';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DESK_SOURCE, TRACKER_SOURCE } from '../events/common.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../events/outbound/divergence-alert.v1.ts';
import { POSITION_CHANGED } from '../events/outbound/position-changed.v1.ts';
import { ALERTS_TO_NOTIFIER, POSITION_CHANGES_TO_SNAPSHOTS, PROCESSOR_RULES, TRACKER_OUTBOUND, type RuleDefinition } from '../events/rules.ts';
import { loadSeedRegistryDetails, loadSeedSamples } from './seed/seed-files.ts';
import { createFsSnapshotStore } from '../functions/adapters/fs/snapshot-store.ts';
import { DynamoQuarantineRepository } from '../functions/adapters/dynamodb/quarantine.repository.ts';
import { DynamoReadRepository } from '../functions/adapters/dynamodb/read.repository.ts';
import { DEFAULT_REGISTRY_SOURCES } from '../events/common.ts';
import type { AlertTopic } from '../functions/application/notify-alert.ts';
import { countOutcomes, type BatchCounts } from '../functions/application/process-batch.ts';
import { createPositionReader, type PositionReader } from '../functions/application/read-model.ts';
import type { AlertItem, Matrix } from '../functions/api/schemas.ts';
import type { Registry } from '../functions/core/types.ts';
import { escapeControlCharacters } from '../functions/shared/control-characters.ts';
import { createHandler as createNotifier } from '../functions/handlers/notify-alert.ts';
import { createReadApi } from '../functions/api/read-api.ts';
import { createHandler as createSnapshotWriter } from '../functions/handlers/write-snapshot.ts';
import { LocalBusPublisher } from './bus/bus-publisher.ts';
import { LocalEventBus, MAX_ENTRIES_PER_REQUEST, type EventBridgeEvent, type PutEventsEntry } from './bus/local-event-bus.ts';
import { DEFAULT_PUT_EVENTS_PORT, startPutEventsServer, type PutEventsServer } from './bus/put-events-server.ts';
import { formatAlert, formatMatrix, stanceText, type NameLookup } from './console/report.ts';
import { Terminal, type Output, type ProgressBar } from './console/terminal.ts';
import { createAlertWebhook, type AlertWebhook } from './delivery/alert-webhook.ts';
import { createFileDeadLetterQueue, createMemoryDeadLetterQueue, type DeadLetter, type DeadLetterQueue } from './delivery/dead-letter-queue.ts';
import { createEventFates } from './delivery/event-fates.ts';
import { createHandlerLogger } from './delivery/handler-logger.ts';
import { LocalQueue, type QueueActivity, type QueueStats, type SqsBatchHandler } from './delivery/local-queue.ts';
import { createProcessorHandler } from './processor.ts';
import { DEFAULT_API_PORT, startApiServer, type ApiServer } from './http/api-server.ts';
import { resolveApiKey, type ApiKeySource } from './store/api-key-file.ts';
import { lockDirectory, type DirLock } from './store/dir-lock.ts';
import { DEFAULT_DYNAMODB_PORT, LOCAL_CREDENTIALS, startEmbeddedDynamoDb, type EmbeddedDynamoDb } from './store/embedded-dynamodb.ts';
import { ensureTable } from './store/ensure-table.ts';
import type { FileEvent } from './events-file.ts';

export const DEFAULT_TABLE_NAME = 'position-tracker-local';
export const DEFAULT_SNAPSHOTS_DIR = '.local-data/snapshots';
/** How long a shutdown waits for queued messages (retries included) before dropping them. */
const SHUTDOWN_DRAIN_MS = 5_000;
/** Receives before a message is dead-lettered: the deployed queues' redrive policy (EventQueue). */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;

export interface RuntimeOptions {
  /** Loopback by default; the runtime is for one developer's machine. */
  host?: string;
  /** PutEvents endpoint. 0 = any free port. @default 4010 */
  busPort?: number;
  /** Read API (and /_local admin). 0 = any free port. @default 3000 */
  apiPort?: number;
  /** Embedded DynamoDB. 0 = any free port. @default 8000 */
  dynamodbPort?: number;
  /** Persist the embedded store and the dead letters here; in memory when absent. */
  dataDir?: string;
  /** Use this DynamoDB (LocalStack, moto, a dev table in AWS) instead of the embedded one. */
  dynamodbEndpoint?: string;
  tableName?: string;
  /** When absent: the one kept in `dataDir` (generated there on the first run), else generated; printed either way. */
  apiKey?: string;
  alertsWebhook?: string;
  /** @default .local-data/snapshots */
  snapshotsDir?: string;
  /** Replay the seed samples after loading the registry. @default true */
  replay?: boolean;
  /** Print the position matrices and alerts after the replay. @default true */
  report?: boolean;
  /** Console output; a Terminal on stdout/stderr by default. */
  output?: Output;
  /** Handlers' info logs and full notifier messages. */
  verbose?: boolean;
  /** Largest PutEvents entry accepted. @default 262144 */
  maxEntryBytes?: number;
  /** @default 5 */
  maxReceiveCount?: number;
  /** First retry delay of the queues. @default 100 */
  retryBaseMs?: number;
  /**
   * Event sources allowed to publish registry events (TRACKER_REGISTRY_SOURCES when deployed); the
   * seed registry is published with the first. @default DEFAULT_REGISTRY_SOURCES (newsroom.desk)
   */
  registrySources?: readonly string[];
}

export interface RuntimeEndpoints {
  bus: string;
  api: string;
  dynamodb: string;
}

export interface PublishOutcome {
  /** Entries the bus accepted, with their event ids. */
  accepted: Array<{ origin: string; eventId: string }>;
  refused: Array<{ origin: string; errorCode: string; errorMessage: string }>;
}

export interface RunOutcome extends PublishOutcome {
  label: string;
  /** Processor deliveries that succeeded. */
  processed: number;
  deadLettered: DeadLetter[];
  quarantined: Array<{ messageId: string; reason: string; problems: string }>;
  /** Alerts (Diverged / Converged) the tracker published during the run. */
  alerts: number;
  durationMs: number;
  clean: boolean;
  /** Why the run is not clean; empty when it is. */
  problems: string[];
}

export interface Runtime {
  endpoints: RuntimeEndpoints;
  apiKey: string;
  /** Given by the caller, generated for this run, or kept from an earlier run in the data directory. */
  apiKeySource: ApiKeySource;
  /** The file the key is kept in, with a data directory. */
  apiKeyFile: string | null;
  tableName: string;
  bus: LocalEventBus;
  reader: PositionReader;
  deadLetters: DeadLetterQueue;
  queues: ReadonlyMap<string, LocalQueue>;
  /** How loading the registry went. */
  registry: RunOutcome;
  /** How replaying the seed went; undefined with `replay: false`. Statements already in the store are not published again. */
  replay: RunOutcome | undefined;
  /** Seed statements left out of the replay because the store already holds them (a restart on a data directory). */
  seedAlreadyStored: number;
  /** Puts events on the bus (as PutEvents would), waits until everything they caused is done. */
  run(label: string, events: readonly FileEvent[], options?: { progress?: boolean }): Promise<RunOutcome>;
  /** Resolves once no event is being delivered and every queue is empty, retries included. */
  settle(): Promise<void>;
  matrices(): Promise<Matrix[]>;
  alerts(filter?: { issue?: string; open?: boolean }): Promise<AlertItem[]>;
  /** Prints every issue's matrix and every alert with its evidence. */
  printReport(): Promise<void>;
  redrive(filter?: { queue?: string; messageIds?: readonly string[] }): Promise<{ redriven: DeadLetter[]; unknownQueue: DeadLetter[] }>;
  status(): Promise<RuntimeStatus>;
  close(): Promise<void>;
}

export interface RuntimeStatus {
  endpoints: RuntimeEndpoints;
  tableName: string;
  store: 'embedded (in memory)' | 'embedded (on disk)' | 'external';
  dataDir: string | null;
  queues: Record<string, QueueStats>;
  /**
   * What the processor made of every message it settled since start: applied, duplicates,
   * quarantined (and failed attempts, which the queue retries). Every event the processor queue
   * took in ends in exactly one of the first three, or in its dead-letter queue.
   */
  processed: BatchCounts;
  deadLetters: number;
  webhook?: { url: string; delivered: number; failed: number };
}

const isLoopback = (endpoint: string): boolean => {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
};

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const output = options.output ?? new Terminal();
  const host = options.host ?? '127.0.0.1';
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const dataDir = options.dataDir === undefined ? null : resolve(options.dataDir);
  const maxReceiveCount = options.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
  const registrySources = options.registrySources !== undefined && options.registrySources.length > 0 ? options.registrySources : DEFAULT_REGISTRY_SOURCES;

  // Everything started so far, stopped in reverse order on failure or close.
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        output.error(`[runtime] shutdown step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    stops.length = 0;
  };

  try {
    let lock: DirLock | undefined;
    if (dataDir !== null) {
      await mkdir(dataDir, { recursive: true });
      lock = await lockDirectory(dataDir, 'runtime.pid');
      stops.push(() => lock?.release());
    }
    const { apiKey, source: apiKeySource, path: apiKeyFile } = await resolveApiKey(options.apiKey, dataDir);

    // --- DynamoDB -------------------------------------------------------------------------
    let embedded: EmbeddedDynamoDb | undefined;
    let dynamodbEndpoint: string;
    let clientConfig: ConstructorParameters<typeof DynamoDBClient>[0];
    if (options.dynamodbEndpoint !== undefined) {
      dynamodbEndpoint = options.dynamodbEndpoint;
      const hasCredentials = process.env['AWS_ACCESS_KEY_ID'] !== undefined || process.env['AWS_PROFILE'] !== undefined;
      clientConfig = {
        endpoint: dynamodbEndpoint,
        region: process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
        // LocalStack and moto accept any signature; a dev table in AWS takes the usual credential chain.
        ...(isLoopback(dynamodbEndpoint) && !hasCredentials ? { credentials: LOCAL_CREDENTIALS } : {}),
      };
    } else {
      embedded = await startEmbeddedDynamoDb({
        tableName,
        host,
        port: options.dynamodbPort ?? DEFAULT_DYNAMODB_PORT,
        ...(dataDir === null ? {} : { dataDir: join(dataDir, 'dynamodb') }),
      });
      stops.push(() => embedded?.close());
      dynamodbEndpoint = embedded.endpoint;
      clientConfig = { endpoint: dynamodbEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
    }
    // One client for all handlers, as a Lambda module builds one at cold start.
    const dynamodb = new DynamoDBClient({ ...clientConfig, maxAttempts: 5 });
    stops.push(() => dynamodb.destroy());
    if (embedded === undefined) {
      const outcome = await ensureTable(dynamodb, tableName);
      if (outcome === 'created') output.line(`Created table ${tableName} at ${dynamodbEndpoint}`);
    }

    // --- Read side ------------------------------------------------------------------------
    const readStore = new DynamoReadRepository({ tableName, client: dynamodb });
    // A short TTL: registry events published while the runtime runs show up within seconds.
    const reader = createPositionReader({ store: readStore, registryTtlMs: 2_000 });
    const quarantine = new DynamoQuarantineRepository({ tableName, client: dynamodb });
    const snapshotStore = createFsSnapshotStore(resolve(options.snapshotsDir ?? DEFAULT_SNAPSHOTS_DIR));

    // --- Bus and queues -------------------------------------------------------------------
    let targetErrors = 0;
    const bus = new LocalEventBus({
      ...(options.maxEntryBytes === undefined ? {} : { maxEntryBytes: options.maxEntryBytes }),
      // Only the tracker speaks as the tracker: its publisher below is the one caller allowed to.
      reservedSources: [TRACKER_SOURCE],
      onTargetError: (error, context) => {
        targetErrors++;
        output.error(`[bus] rule ${context.rule} could not deliver event ${context.event.id}: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    const deadLetters = dataDir === null ? createMemoryDeadLetterQueue() : createFileDeadLetterQueue(join(dataDir, 'dead-letters'));

    // What became of each inbound event, for publishers that wait on theirs (GET /_local/events).
    const fates = createEventFates();
    const activityListeners = new Set<(activity: QueueActivity) => void>();
    const onActivity = (activity: QueueActivity): void => {
      if (activity.type === 'dead-lettered' && activity.queue === 'processor') fates.deadLettered(activity.letter);
      if (activity.type === 'dead-lettered') {
        output.error(
          `[${activity.queue}] dead-lettered message ${activity.letter.messageId} after ${activity.letter.receiveCount} receives: ${activity.letter.reason}`,
        );
      } else if (activity.type === 'retry' && options.verbose) {
        output.line(`[${activity.queue}] retrying ${activity.messageId} in ${activity.delayMs} ms (receive ${activity.receiveCount}): ${activity.reason}`);
      }
      for (const listener of activityListeners) listener(activity);
    };

    const queues = new Map<string, LocalQueue>();
    const addQueue = (
      name: string,
      rules: readonly RuleDefinition[],
      handler: SqsBatchHandler,
      reasonFor: (messageId: string, sinceMs: number) => string | undefined,
      tuning: { batchWindowMs: number; maxConcurrency: number },
    ): LocalQueue => {
      const queue = new LocalQueue({
        name,
        rule: rules.map((rule) => rule.name).join(', '),
        handler,
        deadLetters,
        maxReceiveCount,
        ...(options.retryBaseMs === undefined ? {} : { backoffBaseMs: options.retryBaseMs }),
        ...tuning,
        region: bus.region,
        account: bus.account,
        failureReason: reasonFor,
        onActivity,
      });
      queues.set(name, queue);
      // SQS-shaped: EventBridge puts the whole event, as JSON, in the message body.
      for (const rule of rules) bus.addRule({ name: rule.name, pattern: rule.pattern, target: (event) => void queue.send(JSON.stringify(event)) });
      stops.push(() => queue.close());
      return queue;
    };

    // Processor: one batch at a time, so statements are applied in the order they arrived.
    const processorLog = createHandlerLogger('processor', output, { verbose: options.verbose });
    const processed = countOutcomes([]);
    const processorHandler = createProcessorHandler({
      client: dynamodb,
      tableName,
      publisher: new LocalBusPublisher(bus),
      logger: processorLog.logger,
      registrySources,
      onBatch: (report) => {
        fates.reported(report);
        for (const key of Object.keys(processed) as Array<keyof BatchCounts>) processed[key] += report.counts[key];
      },
    });
    // No batching window, as the deployed event source (infra/constructs/processor.ts sets no
    // maxBatchingWindow): a statement is handed over as soon as the processor is free, and what
    // arrives while it is busy makes up the next batch (up to 10).
    addQueue('processor', PROCESSOR_RULES, processorHandler, processorLog.reasonFor, { batchWindowMs: 0, maxConcurrency: 1 }).observe(
      (messageId, body) => fates.received(messageId, body),
    );

    // Notifier: SNS is a console sink locally; the webhook is a rule of its own (below).
    const notifierLog = createHandlerLogger('notifier', output, { verbose: options.verbose });
    let notified = 0;
    const consoleTopic: AlertTopic = {
      async publish(message) {
        notified++;
        output.line(`[notifier] SNS (local console) ${message.subject}`);
        if (options.verbose) output.line(message.message.replace(/^/gm, '    '));
        return { messageId: `local-${notified}` };
      },
    };
    const notifier = createNotifier({ registry: () => reader.registry(), topic: consoleTopic, logger: notifierLog.logger });
    addQueue('notifier', [ALERTS_TO_NOTIFIER], notifier, notifierLog.reasonFor, { batchWindowMs: 10, maxConcurrency: 2 });

    const snapshotLog = createHandlerLogger('snapshots', output, { verbose: options.verbose });
    const snapshotWriter = createSnapshotWriter({ reader, store: snapshotStore, logger: snapshotLog.logger });
    // A window, as the deployed event source has (5 s), so a burst of changes to an issue makes one
    // write of its matrix. Shorter here so local snapshots stay fresh, but long enough that the
    // writer (a read of the whole issue, then a file) does not run every few statements on the
    // event loop and the store the processor is using: at 50 ms it was busy a third of the time
    // under a steady stream and doubled the processor's tail latency.
    addQueue('snapshots', [POSITION_CHANGES_TO_SNAPSHOTS], snapshotWriter as (event: SQSEvent) => Promise<SQSBatchResponse>, snapshotLog.reasonFor, {
      batchWindowMs: 500,
      maxConcurrency: 1,
    });

    // Local-only rules on the tracker's outbound events: the console, and the webhook if asked.
    const names = await namesFrom(reader);
    bus.addRule({
      name: 'LocalConsole',
      pattern: TRACKER_OUTBOUND.pattern,
      target: async (event) => output.line(describeOutbound(event, await names())),
    });
    let webhook: AlertWebhook | undefined;
    if (options.alertsWebhook !== undefined) {
      webhook = createAlertWebhook({ url: options.alertsWebhook, output });
      const deliver = webhook.deliver;
      bus.addRule({ name: 'LocalAlertsWebhook', pattern: ALERTS_TO_NOTIFIER.pattern, target: (event) => deliver(event) });
    }

    // --- Endpoints ------------------------------------------------------------------------
    const putEvents: PutEventsServer = await startPutEventsServer({ bus, host, port: options.busPort ?? DEFAULT_PUT_EVENTS_PORT }).catch(
      (error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new Error(`the local bus cannot listen on ${host}:${options.busPort ?? DEFAULT_PUT_EVENTS_PORT}: the port is in use (choose another with --bus-port, or 0 for any)`);
        }
        throw error;
      },
    );
    // Closed first on shutdown (stops run in reverse): no new events while the queues wind down.
    const readApi = createReadApi({
      reader,
      snapshots: snapshotStore,
      logger: createHandlerLogger('read-api', output, { verbose: options.verbose }).logger,
    });

    const settle = async (): Promise<void> => {
      for (;;) {
        await bus.drain();
        await Promise.all([...queues.values()].map((queue) => queue.idle()));
        if (bus.pendingDeliveries === 0 && [...queues.values()].every((queue) => queue.isIdle())) return;
      }
    };

    // On shutdown, after the endpoints stop taking events: let what is queued finish, within reason.
    stops.push(async () => {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = await Promise.race([
        settle().then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), SHUTDOWN_DRAIN_MS))),
      ]);
      clearTimeout(timer);
      if (gaveUp) {
        const left = [...queues.values()].reduce((sum, queue) => sum + queue.stats().waiting, 0);
        output.error(`[runtime] ${left} queued message(s) not processed after ${SHUTDOWN_DRAIN_MS} ms; dropped at shutdown`);
      }
    });

    const status = async (): Promise<RuntimeStatus> => ({
      endpoints,
      tableName,
      store: embedded === undefined ? 'external' : dataDir === null ? 'embedded (in memory)' : 'embedded (on disk)',
      dataDir,
      queues: Object.fromEntries([...queues].map(([name, queue]) => [name, queue.stats()])),
      processed: { ...processed },
      deadLetters: (await deadLetters.list()).length,
      ...(webhook === undefined || options.alertsWebhook === undefined ? {} : { webhook: { url: options.alertsWebhook, ...webhook.stats() } }),
    });

    const redrive = async (filter: { queue?: string; messageIds?: readonly string[] } = {}) => {
      const taken = await deadLetters.take(filter);
      const redriven: DeadLetter[] = [];
      const unknownQueue: DeadLetter[] = [];
      for (const letter of taken) {
        const queue = queues.get(letter.queue);
        if (queue === undefined) {
          unknownQueue.push(letter);
          await deadLetters.add(letter);
        } else {
          queue.send(letter.body, letter.messageId);
          redriven.push(letter);
        }
      }
      return { redriven, unknownQueue };
    };

    const api: ApiServer = await startApiServer({
      api: readApi,
      apiKey,
      host,
      port: options.apiPort ?? DEFAULT_API_PORT,
      onError: (error) => output.error(`[read-api] ${error instanceof Error ? error.message : String(error)}`),
      admin: {
        listDeadLetters: async (queue) => ({ deadLetters: await deadLetters.list(queue) }),
        redrive: async (filter) => {
          const { redriven, unknownQueue } = await redrive(filter);
          return {
            redriven: redriven.map((letter) => ({ messageId: letter.messageId, queue: letter.queue })),
            notRedriven: unknownQueue.map((letter) => ({ messageId: letter.messageId, queue: letter.queue, reason: 'no such queue in this runtime' })),
          };
        },
        status,
        eventFates: async (eventIds) => ({ events: eventIds.map((eventId) => ({ eventId, fate: fates.fateOf(eventId) ?? null })) }),
      },
    });
    stops.push(() => api.close());
    stops.push(() => putEvents.close());

    const endpoints: RuntimeEndpoints = { bus: putEvents.url, api: api.url, dynamodb: dynamodbEndpoint };

    // --- Runs: put events, wait for all they cause, account for every one -----------------
    const run = async (label: string, events: readonly FileEvent[], runOptions: { progress?: boolean } = {}): Promise<RunOutcome> => {
      const startedAt = Date.now();
      const startedIso = new Date(startedAt).toISOString();
      const processorQueue = queues.get('processor');
      const before = processorQueue?.stats();
      const errorsBefore = targetErrors;
      const deadLettered: DeadLetter[] = [];
      let alerts = 0;
      let bar: ProgressBar | undefined;
      // Event ids of this run, to tick the bar as the processor finishes each of them.
      const pendingIds = new Set<string>();
      const messageToEvent = new Map<string, string>();

      const unsubscribe = bus.subscribe((event) => {
        if (event.source === TRACKER_SOURCE && (event['detail-type'] === POSITIONS_DIVERGED || event['detail-type'] === POSITIONS_CONVERGED)) alerts++;
      });
      const listener = (activity: QueueActivity): void => {
        if (activity.type === 'dead-lettered') deadLettered.push(activity.letter);
      };
      activityListeners.add(listener);
      const tick = (messageId: string, failed: string | undefined): void => {
        const eventId = messageToEvent.get(messageId);
        if (eventId === undefined || !pendingIds.delete(eventId)) return;
        if (failed === undefined) bar?.tick();
        else bar?.fail(failed);
      };
      const progressListener = (activity: QueueActivity): void => {
        if (activity.queue !== 'processor') return;
        if (activity.type === 'dead-lettered') tick(activity.letter.messageId, activity.letter.reason);
        if (activity.type === 'done') for (const id of activity.messageIds) tick(id, undefined);
      };
      const unobserve = processorQueue?.observe((messageId, body) => {
        const id = eventIdOf(body);
        if (id !== undefined && pendingIds.has(id)) messageToEvent.set(messageId, id);
      });
      activityListeners.add(progressListener);

      const accepted: PublishOutcome['accepted'] = [];
      const refused: PublishOutcome['refused'] = [];
      try {
        if (runOptions.progress === true && output instanceof Terminal) bar = output.progress(label, events.length);
        for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_REQUEST) {
          const chunk = events.slice(i, i + MAX_ENTRIES_PER_REQUEST);
          const result = await bus.putEvents(chunk.map((event) => event.entry));
          result.Entries.forEach((outcome, index) => {
            const origin = chunk[index]?.origin ?? '?';
            if ('EventId' in outcome) {
              accepted.push({ origin, eventId: outcome.EventId });
              pendingIds.add(outcome.EventId);
            } else {
              refused.push({ origin, errorCode: outcome.ErrorCode, errorMessage: outcome.ErrorMessage });
              bar?.fail(`${origin}: ${outcome.ErrorCode}`);
            }
          });
        }
        await settle();
      } finally {
        bar?.finish();
        unsubscribe();
        unobserve?.();
        activityListeners.delete(listener);
        activityListeners.delete(progressListener);
      }

      const quarantined = (await quarantine.list(100))
        .filter((event) => event.receivedAt >= startedIso)
        .map((event) => ({ messageId: event.messageId, reason: event.reason, problems: event.problems.map((p) => `${p.field}: ${p.reason}`).join('; ') }));
      const after = processorQueue?.stats();
      const processed = (after?.deleted ?? 0) - (before?.deleted ?? 0);
      const problems: string[] = [];
      for (const entry of refused) problems.push(`PutEvents refused ${entry.origin}: ${entry.errorCode} ${entry.errorMessage}`);
      for (const letter of deadLettered) problems.push(`dead-lettered from ${letter.queue}: ${letter.reason}`);
      for (const event of quarantined) problems.push(`quarantined (${event.reason}): ${event.problems}`);
      if (targetErrors > errorsBefore) problems.push(`${targetErrors - errorsBefore} bus deliveries failed (see the log above)`);
      if (pendingIds.size > 0 && deadLettered.length === 0) problems.push(`${pendingIds.size} accepted event(s) were never seen by the processor`);
      return {
        label,
        accepted,
        refused,
        processed,
        deadLettered,
        quarantined,
        alerts,
        durationMs: Date.now() - startedAt,
        clean: problems.length === 0,
        problems,
      };
    };

    const matrices = async (): Promise<Matrix[]> => {
      const issues = await reader.listIssues();
      return Promise.all(issues.map((issue) => reader.issueMatrix(issue.issue)));
    };

    const alertsOf = async (filter: { issue?: string; open?: boolean } = {}): Promise<AlertItem[]> => {
      const all: AlertItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await reader.alerts({ limit: 100, ...filter, ...(cursor === undefined ? {} : { cursor }) });
        all.push(...page.alerts);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return all;
    };

    const printReport = async (): Promise<void> => {
      const lookup = await names();
      output.line('');
      output.line('Positions');
      output.line('=========');
      for (const matrix of await matrices()) {
        output.line('');
        for (const line of formatMatrix(matrix)) output.line(line);
      }
      const alerts = await alertsOf();
      output.line('');
      output.line(`Alerts (${alerts.length})`);
      output.line('======');
      if (alerts.length === 0) output.line('(none)');
      for (const alert of alerts) {
        output.line('');
        for (const line of formatAlert(alert, lookup)) output.line(line);
      }
    };

    // --- Registry, then the seed ----------------------------------------------------------
    const registryEvents: FileEvent[] = loadSeedRegistryDetails().flatMap(({ file, detailType, details }) =>
      details.map((detail, index) => ({
        origin: `registry/${file}[${index}]`,
        entry: { Source: registrySources[0] ?? DESK_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) } satisfies PutEventsEntry,
      })),
    );
    const registry = await run('Registry', registryEvents);

    const runtime: Runtime = {
      endpoints,
      apiKey,
      apiKeySource,
      apiKeyFile,
      tableName,
      bus,
      reader,
      deadLetters,
      queues,
      registry,
      replay: undefined,
      seedAlreadyStored: 0,
      run,
      settle,
      matrices,
      alerts: alertsOf,
      printReport,
      redrive,
      status,
      close: stopAll,
    };

    printStartup(output, runtime, { embedded, dataDir, snapshotsDir: resolve(options.snapshotsDir ?? DEFAULT_SNAPSHOTS_DIR), webhook: options.alertsWebhook });
    output.line(
      registry.clean
        ? `Registry: ${registry.accepted.length} records loaded through the bus (${registry.durationMs} ms)`
        : `Registry: NOT clean: ${registry.problems.join('; ')}`,
    );

    if (options.replay !== false) {
      // A restart on a data directory must not publish the seed again: the processor answers a
      // duplicate by re-publishing the position change it may have failed to publish before.
      const unstored = await seedNotStored(readStore);
      runtime.seedAlreadyStored = unstored.alreadyStored;
      if (unstored.alreadyStored > 0) {
        output.line(`Seed: ${unstored.alreadyStored} statement(s) already in the store, not published again`);
      }
      runtime.replay = await run('Replaying the seed', unstored.samples, { progress: true });
      if (options.report !== false) await printReport();
    }
    return runtime;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The seed samples whose statement (or stance change) the store does not hold yet, in file order. */
async function seedNotStored(store: Pick<DynamoReadRepository, 'issueHistory'>): Promise<{ samples: FileEvent[]; alreadyStored: number }> {
  const all = loadSeedSamples();
  const idOf = (detail: Record<string, unknown>): unknown => detail['statementId'] ?? detail['changeId'];
  const issues = [...new Set(all.map(({ event }) => String(event.detail['issue'])))];
  const stored = new Set((await Promise.all(issues.map((issue) => store.issueHistory(issue)))).flat().map((s) => `${s.issue} ${s.statementId}`));
  const samples = all
    .filter(({ event }) => !stored.has(`${String(event.detail['issue'])} ${String(idOf(event.detail))}`))
    .map(({ file, event }) => ({
      origin: file,
      entry: { Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) },
    }));
  return { samples, alreadyStored: all.length - samples.length };
}

function eventIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Names from the registry for console lines; reloaded at most every few seconds by the reader. */
async function namesFrom(reader: PositionReader): Promise<() => Promise<NameLookup>> {
  const lookupOf = (registry: Registry): NameLookup => ({
    actor: (id) => registry.actors.get(id)?.names,
    bloc: (id) => registry.blocs.get(id)?.names,
    speaker: (id) => registry.speakers.get(id)?.names,
    issue: (id) => registry.issues.get(id)?.title,
  });
  return async () => lookupOf(await reader.registry());
}

function describeOutbound(event: EventBridgeEvent, names: NameLookup): string {
  const detail = event.detail as Record<string, unknown>;
  const actorId = String(detail['actor'] ?? '?');
  // Registry names: kept on this one line whatever they hold.
  const actor = escapeControlCharacters(names.actor?.(actorId)?.en ?? actorId);
  const issue = String(detail['issue'] ?? '?');
  if (event['detail-type'] === POSITION_CHANGED) {
    const previous = detail['previous'] as { stance: number } | null;
    const current = detail['current'] as { stance: number; hedged: boolean };
    const from = previous === null ? 'no position' : stanceText(previous.stance);
    return `[bus] ${POSITION_CHANGED}: ${actor} on ${issue}: ${from} → ${stanceText(current.stance)}${current.hedged ? ' (hedged)' : ''}`;
  }
  const blocId = detail['bloc'];
  const other = typeof blocId === 'string' ? escapeControlCharacters(names.bloc?.(blocId)?.en ?? blocId) : 'its previous stance';
  return `[bus] ${event['detail-type']}: ${actor} vs ${other} on ${issue} (${String(detail['kind'])}, gap ${String(detail['gap'])})`;
}

function printStartup(
  output: Output,
  runtime: Runtime,
  context: { embedded: EmbeddedDynamoDb | undefined; dataDir: string | null; snapshotsDir: string; webhook: string | undefined },
): void {
  const { endpoints } = runtime;
  const store =
    context.embedded === undefined
      ? `${endpoints.dynamodb} (external), table ${runtime.tableName}`
      : `${endpoints.dynamodb} (embedded dynalite, ${context.dataDir === null ? 'in memory' : `on disk in ${join(context.dataDir, 'dynamodb')}`}), table ${runtime.tableName}`;
  output.line('Position tracker, local runtime');
  output.line(`  EventBridge PutEvents  ${endpoints.bus}   (aws events put-events --endpoint-url ${endpoints.bus} ...)`);
  output.line(`  Read API               ${endpoints.api}   (GET /issues, /issues/{issue}/positions, /alerts, /openapi.json; admin under /_local/)`);
  output.line(`  DynamoDB               ${store}`);
  output.line(`  Dead-letter queues     ${runtime.deadLetters.location ?? 'in memory'}`);
  output.line(`  Snapshots              ${context.snapshotsDir}`);
  if (context.webhook !== undefined) output.line(`  Alerts webhook         ${context.webhook}`);
  const key =
    runtime.apiKeySource === 'given'
      ? '(as given)'
      : runtime.apiKeySource === 'kept'
        ? `${runtime.apiKey}   (kept in ${runtime.apiKeyFile ?? '?'})`
        : runtime.apiKeyFile === null
          ? `${runtime.apiKey}   (generated; set --api-key or TRACKER_API_KEY to choose one)`
          : `${runtime.apiKey}   (generated, kept in ${runtime.apiKeyFile} for the next runs)`;
  output.line(`  API key                ${key}`);
}
