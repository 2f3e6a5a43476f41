/**
 * The statement processor as the local runtime runs it: the same `createHandler` as the Lambda
 * entry (partial batch responses), given local ports - the DynamoDB repositories on the runtime's
 * store and the local bus as EventPublisher - and the runtime's console logger.
 */
import './environment.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { processorPorts } from '../functions/adapters/processor-ports.ts';
import type { EventPublisher } from '../functions/application/ports.ts';
import type { BatchReport } from '../functions/application/process-batch.ts';
import { createHandler } from '../functions/handlers/process-statements.ts';
import type { HandlerLogger } from './delivery/handler-logger.ts';
import type { SqsBatchHandler } from './delivery/local-queue.ts';

export interface LocalProcessorOptions {
  client: DynamoDBClient;
  tableName: string;
  publisher: EventPublisher;
  logger: HandlerLogger;
  onBatch?: (report: BatchReport) => void;
  /**
   * How long the processor reuses a loaded registry: the deployed 30 s. Registry events reach the
   * store through this processor, which loads the registry again after each batch that applied one
   * (and on a reference it does not know), so a developer who registers an actor sees the next
   * statement use it; the TTL only bounds how stale a write that bypassed the bus can be. (2 s
   * before: a reload of the whole registry every 2 s under a steady stream.)
   */
  registryTtlMs?: number;
  /** Event sources allowed to publish registry events. @default DEFAULT_REGISTRY_SOURCES */
  registrySources?: readonly string[];
}

export function createProcessorHandler(options: LocalProcessorOptions): SqsBatchHandler {
  const { client, tableName } = options;
  return createHandler({
    logger: options.logger,
    ports: processorPorts({ client, tableName, publisher: options.publisher }),
    options: {
      registryCache: options.registryTtlMs === undefined ? {} : { ttlMs: options.registryTtlMs },
      ...(options.registrySources === undefined ? {} : { registrySources: options.registrySources }),
    },
    ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
  });
}
