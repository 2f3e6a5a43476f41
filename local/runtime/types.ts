/**
 * What the local runtime is given (`RuntimeOptions`, from `npm start`'s flags or a test) and what
 * it hands back (`Runtime`): its endpoints, its parts, and the outcome of each run of events.
 */
import type { AlertItem, Matrix } from '../../functions/api/schemas.ts';
import type { BatchCounts } from '../../functions/application/process-batch.ts';
import type { PositionReader } from '../../functions/application/read-model.ts';
import type { LocalEventBus } from '../bus/local-event-bus.ts';
import type { Output } from '../console/terminal.ts';
import type { DeadLetter, DeadLetterQueue } from '../delivery/dead-letter-queue.ts';
import type { LocalQueue, QueueStats } from '../delivery/local-queue.ts';
import type { FileEvent } from '../events-file.ts';
import type { ApiKeySource } from '../store/api-key-file.ts';

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
  /** The editor's key. When absent: the one kept in `dataDir` (generated there on the first run), else generated; printed either way. */
  apiKey?: string;
  /** The reader's key (read routes only), found like `apiKey` (`DIR/reader-key`). */
  readerKey?: string;
  /**
   * Build the web app (web/build.ts, when the checkout has it) into `<dataDir>/web` (a temporary
   * folder without one) and serve it at `/`. @default true
   */
  webApp?: boolean;
  alertsWebhook?: string;
  /** @default .local-data/snapshots */
  snapshotsDir?: string;
  /** Where the feed writer writes the public feeds, served under /feeds/. @default .local-data/feeds */
  feedsDir?: string;
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
  /** The reader's key: GET on the read routes with the `read` scope and GET /me; 403 on the desk, the quarantine and the admin routes. */
  readerKey: string;
  readerKeySource: ApiKeySource;
  readerKeyFile: string | null;
  /** Where the built web app is served from; null when it was not built. */
  webDir: string | null;
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

