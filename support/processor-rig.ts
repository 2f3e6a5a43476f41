/**
 * The real statement processor (createHandler with DynamoDB repositories) on an embedded store,
 * with a recording publisher and counted metrics, for integration tests and the bench.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { processorPorts } from '../functions/adapters/processor-ports.ts';
import type { EventPublisher } from '../functions/application/ports.ts';
import type { BatchProcessorOptions, BatchReport, ProcessorPorts } from '../functions/application/process-batch.ts';
import { createHandler, type ProcessStatementsHandler } from '../functions/handlers/process-statements.ts';
import { seedRegistryEvents as seedRegistryBusEvents, seedSampleEvents as seedSampleBusEvents } from '../local/seed/seed-events.ts';
import { countingMetrics } from './counting-metrics.ts';
import { RecordingPublisher } from './recording-publisher.ts';
import { lambdaContext, sqsBatch, sqsRecord, type PublishedEvent } from './sqs-events.ts';

export interface ProcessorRig {
  tableName: string;
  client: DynamoDBClient;
  publisher: RecordingPublisher;
  ports: ProcessorPorts;
  handler: ProcessStatementsHandler;
  reports: BatchReport[];
  /** Metric name → total added, across every invocation. */
  metrics: Map<string, number>;
  /** Invokes the handler with one SQS batch. */
  deliver(batch: SQSEvent | readonly SQSRecord[]): Promise<SQSBatchResponse>;
}

export interface ProcessorRigOptions {
  client: DynamoDBClient;
  tableName: string;
  publisher?: EventPublisher & Partial<RecordingPublisher>;
  options?: Omit<BatchProcessorOptions, 'log'>;
  /** Fixed or stepping clock; the wall clock by default. */
  now?: () => string;
}

export const createProcessorRig = ({ client, tableName, publisher, options, now }: ProcessorRigOptions): ProcessorRig => {
  const recording = publisher ?? new RecordingPublisher();
  const ports = processorPorts({ client, tableName, publisher: recording, ...(now === undefined ? {} : { clock: { now } }) });
  const reports: BatchReport[] = [];
  const metrics = new Map<string, number>();
  const handler = createHandler({
    ports,
    metrics: countingMetrics(metrics),
    ...(options ? { options } : {}),
    onBatch: (report) => reports.push(report),
  });
  return {
    tableName,
    client,
    publisher: recording as RecordingPublisher,
    ports,
    handler,
    reports,
    metrics,
    deliver: (batch) => handler(Array.isArray(batch) ? sqsBatch(batch as SQSRecord[]) : (batch as SQSEvent), lambdaContext()),
  };
};

/** Every seed registry record as the registry event a desk tool would publish. */
export const seedRegistryEvents = (): PublishedEvent[] => seedRegistryBusEvents().map(({ event }) => event);

export const seedSampleEvents = (): PublishedEvent[] => seedSampleBusEvents().map(({ event }) => event);

/** Loads the seed registry through the handler, as registry events, in batches of 10. */
export const loadSeedRegistry = async (rig: ProcessorRig): Promise<void> => {
  const records = seedRegistryEvents().map((event) => sqsRecord(event));
  for (let i = 0; i < records.length; i += 10) {
    const response = await rig.deliver(records.slice(i, i + 10));
    if (response.batchItemFailures.length > 0) throw new Error(`registry load failed: ${JSON.stringify(response)}`);
  }
};

/** A rig on a fresh table of `store`, with the seed registry in. */
export const seededProcessorRig = async (store: { client: DynamoDBClient; createTable(): Promise<string> }): Promise<ProcessorRig> => {
  const rig = createProcessorRig({ client: store.client, tableName: await store.createTable() });
  await loadSeedRegistry(rig);
  return rig;
};
