/**
 * The statement processor as the local runtime runs it: the same `createHandler` as the Lambda
 * entry (middy, Powertools, partial batch responses), given local ports - the DynamoDB
 * repositories on the runtime's store and the local bus as EventPublisher - and Powertools
 * instances that talk to the console instead of CloudWatch.
 */
import './environment.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoQuarantineRepository } from '../functions/adapters/dynamodb/quarantine.repository.ts';
import { DynamoRegistryRepository } from '../functions/adapters/dynamodb/registry.repository.ts';
import { DynamoTrackerRepository } from '../functions/adapters/dynamodb/tracker.repository.ts';
import type { EventPublisher } from '../functions/application/ports.ts';
import type { BatchReport } from '../functions/application/process-batch.ts';
import { createHandler } from '../functions/handlers/record-statement.ts';
import { SERVICE_NAME, type Observability } from '../functions/shared/observability.ts';
import type { HandlerLogger } from './delivery/handler-logger.ts';
import type { SqsBatchHandler } from './delivery/local-queue.ts';

export interface LocalProcessorOptions {
  client: DynamoDBClient;
  tableName: string;
  publisher: EventPublisher;
  logger: HandlerLogger;
  onBatch?: (report: BatchReport) => void;
  /**
   * How long the processor reuses a loaded registry. Short locally: a developer who registers an
   * actor expects the next statement to see it (an unknown reference reloads anyway).
   */
  registryTtlMs?: number;
  /** Event sources allowed to publish registry events. @default DEFAULT_REGISTRY_SOURCES */
  registrySources?: readonly string[];
}

/** Powertools' Logger with its output sent to the runtime's console logger. */
class ConsoleBridgeLogger extends Logger {
  #sink: HandlerLogger | undefined;

  constructor(sink: HandlerLogger) {
    super({ serviceName: SERVICE_NAME, logLevel: 'DEBUG' });
    this.#sink = sink;
  }

  override debug(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.#sink?.debug(...flatten(input, extra));
  }

  override info(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.#sink?.info(...flatten(input, extra));
  }

  override warn(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.#sink?.warn(...flatten(input, extra));
  }

  override error(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.#sink?.error(...flatten(input, extra));
  }
}

const flatten = (input: LogItemMessage, extra: LogItemExtraInput): [string, ...unknown[]] => {
  if (typeof input === 'string') return [input, ...extra];
  const { message, ...attributes } = input;
  return [String(message), attributes, ...extra];
};

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined, trace: () => undefined };

export function localObservability(logger: HandlerLogger): Observability {
  // environment.ts has switched EMF metrics off before this Metrics (and the cold-start metric's
  // own instance) reads the environment.
  return {
    logger: new ConsoleBridgeLogger(logger),
    metrics: new Metrics({ serviceName: SERVICE_NAME, namespace: 'PositionTrackerLocal', logger: silent }),
    // No tracer: outside Lambda it would disable itself, and loading it loads the X-Ray SDK.
  };
}

export function createProcessorHandler(options: LocalProcessorOptions): SqsBatchHandler {
  const { client, tableName } = options;
  return createHandler({
    observability: localObservability(options.logger),
    ports: {
      tracker: new DynamoTrackerRepository({ tableName, client }),
      registry: new DynamoRegistryRepository({ tableName, client }),
      quarantine: new DynamoQuarantineRepository({ tableName, client }),
      publisher: options.publisher,
      clock: { now: () => new Date().toISOString() },
    },
    options: {
      registryCache: { ttlMs: options.registryTtlMs ?? 2_000 },
      ...(options.registrySources === undefined ? {} : { registrySources: options.registrySources }),
    },
    ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
  });
}
