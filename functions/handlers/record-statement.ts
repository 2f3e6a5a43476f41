/**
 * Lambda entry of the statement processor: SQS batches from the inbound EventBridge rule, each body
 * one EventBridge event. Reports partial batch failures, so only the messages that failed go back
 * to the queue; invalid events are quarantined and succeed. The work is in
 * application/process-batch.ts; this file wires ports, Powertools and middy.
 *
 * `createHandler(deps)` is what tests and the local runtime call with their own ports;
 * `handler` is the same with the live ports, built on first invocation (so importing this module
 * needs no environment).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoQuarantineRepository } from '../adapters/dynamodb/quarantine.repository.ts';
import { DynamoRegistryRepository } from '../adapters/dynamodb/registry.repository.ts';
import { DynamoTrackerRepository } from '../adapters/dynamodb/tracker.repository.ts';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { DEFAULT_REGISTRY_SOURCES } from '../../events/common.ts';
import {
  createBatchProcessor, type BatchProcessor, type BatchProcessorOptions, type BatchReport, type ProcessorPorts,
} from '../application/process-batch.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { eventBridgeClient } from '../shared/clients/eventbridge.ts';
import { once, readConfig, readList } from '../shared/config.ts';
import { createObservability, type Observability, tracingMiddleware } from '../shared/observability.ts';

export interface ProcessorDeps {
  /**
   * Tracker, registry and quarantine repositories, the publisher and the clock. A function is
   * called once, on the first batch: live ports read the environment only then.
   */
  ports: ProcessorPorts | (() => ProcessorPorts);
  /** Powertools instances; a fresh set (service `position-tracker`) when absent. */
  observability?: Observability;
  /**
   * Registry cache TTL, issue concurrency, rounds before retrying a busy issue, registry sources. A
   * function is called once, on the first batch, like `ports`.
   */
  options?: Omit<BatchProcessorOptions, 'log'> | (() => Omit<BatchProcessorOptions, 'log'>);
  /** Sees every batch's report (the local runtime prints progress; tests count outcomes). */
  onBatch?: (report: BatchReport) => void;
}

export type RecordStatementHandler = middy.MiddyfiedHandler<SQSEvent, SQSBatchResponse, Error, Context>;

const emitMetrics = (metrics: Observability['metrics'], report: BatchReport): void => {
  const { counts } = report;
  const add = (name: string, value: number): void => {
    if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
  };
  add('Applied', counts.applied);
  add('Duplicate', counts.duplicates);
  add('Late', counts.late);
  add('Quarantined', counts.quarantined);
  add('AlertsOpened', counts.alertsOpened + counts.alertsReinstated);
  add('AlertsClosed', counts.alertsClosed + counts.alertsWithdrawn);
  add('AlertsWithdrawn', counts.alertsWithdrawn);
  add('RegistryUpdates', counts.registry);
  add('Failed', counts.failed);
};

export const createHandler = (deps: ProcessorDeps): RecordStatementHandler => {
  const observability = deps.observability ?? createObservability();
  const { logger, metrics, tracer } = observability;
  let processor: BatchProcessor | undefined;
  const processorFor = (): BatchProcessor =>
    (processor ??= createBatchProcessor(typeof deps.ports === 'function' ? deps.ports() : deps.ports, {
      ...(typeof deps.options === 'function' ? deps.options() : deps.options),
      log: {
        warn: (message, extra) => logger.warn(message, (extra ?? {}) as LogAttributes),
        error: (message, extra) => logger.error(message, (extra ?? {}) as LogAttributes),
      },
    }));

  const recordStatements = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const report = await processorFor()(event.Records.map((record) => ({ messageId: record.messageId, body: record.body })));
    emitMetrics(metrics, report);
    logger.info('batch processed', { counts: report.counts });
    deps.onBatch?.(report);
    return { batchItemFailures: report.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
  };

  return middy<SQSEvent, SQSBatchResponse, Error, Context>(recordStatements)
    .use(tracingMiddleware(tracer))
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
};

/** The ports of the deployed function: DynamoDB and EventBridge from the environment set by the CDK construct. */
export const liveDeps = (observability: Observability = createObservability()): ProcessorDeps => ({
  observability,
  options: once(() => ({ registrySources: readList('registrySources') ?? DEFAULT_REGISTRY_SOURCES })),
  ports: once((): ProcessorPorts => {
    const config = readConfig(['tableName', 'eventBusName']);
    const dynamo = dynamoDbClient(observability.tracer);
    return {
      tracker: new DynamoTrackerRepository({ tableName: config.tableName, client: dynamo }),
      registry: new DynamoRegistryRepository({ tableName: config.tableName, client: dynamo }),
      quarantine: new DynamoQuarantineRepository({ tableName: config.tableName, client: dynamo }),
      publisher: new EventBridgePublisher({
        client: eventBridgeClient(observability.tracer),
        eventBusName: config.eventBusName,
        onFailedEntries: (count) => observability.metrics.addMetric('PutEventsFailed', MetricUnit.Count, count),
      }),
      clock: { now: () => new Date().toISOString() },
    };
  }),
});

export const handler = createHandler(liveDeps());
