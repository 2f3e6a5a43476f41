/**
 * Lambda entry of the statement processor: SQS batches from the inbound EventBridge rule, each body
 * one EventBridge event. Reports partial batch failures, so only the messages that failed go back
 * to the queue; invalid events are quarantined and succeed. The work is in
 * application/process-batch.ts; this file wires ports, metrics and logs (scaffolding:
 * shared/lambda.ts).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EventBridgePublisher } from '../adapters/eventbridge/event-publisher.ts';
import { processorPorts } from '../adapters/processor-ports.ts';
import { DEFAULT_REGISTRY_SOURCES } from '../../events/common.ts';
import { silentLogger, type LoggerPort } from '../application/logger.ts';
import { createBatchProcessor, type BatchProcessorOptions, type BatchReport, type ProcessorPorts } from '../application/process-batch.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { eventBridgeClient } from '../shared/clients/eventbridge.ts';
import { readConfig, readList } from '../shared/config.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';
import { addCounts, powertoolsLogger, type MetricsSink, type Observability } from '../shared/observability.ts';
import { batchResponse } from '../shared/sqs-batch.ts';

export interface ProcessStatementsDeps {
  /** Tracker, registry and quarantine repositories, the publisher and the clock. */
  ports: ProcessorPorts;
  /** Registry cache TTL, issue concurrency, rounds before retrying a busy issue, registry sources. */
  options?: Omit<BatchProcessorOptions, 'log'>;
  logger?: LoggerPort;
  metrics?: MetricsSink;
  /** Sees every batch's report (the local runtime prints progress; tests count outcomes). */
  onBatch?: (report: BatchReport) => void;
}

export type ProcessStatementsHandler = LambdaFunction<SQSEvent, SQSBatchResponse>;

const countsOf = ({ counts }: BatchReport): Record<string, number> => ({
  Applied: counts.applied,
  Duplicate: counts.duplicates,
  Late: counts.late,
  Quarantined: counts.quarantined,
  AlertsOpened: counts.alertsOpened + counts.alertsReinstated,
  AlertsClosed: counts.alertsClosed + counts.alertsWithdrawn,
  AlertsWithdrawn: counts.alertsWithdrawn,
  RegistryUpdates: counts.registry,
  Failed: counts.failed,
});

export const createHandler = (deps: ProcessStatementsDeps): ProcessStatementsHandler => {
  const logger = deps.logger ?? silentLogger;
  const processBatch = createBatchProcessor(deps.ports, { ...deps.options, log: logger });

  return async (event) => {
    const report = await processBatch(event.Records.map((record) => ({ messageId: record.messageId, body: record.body })));
    addCounts(deps.metrics, countsOf(report));
    logger.info('batch processed', { counts: report.counts });
    deps.onBatch?.(report);
    return batchResponse(report.failedMessageIds);
  };
};

/** The ports of the deployed function: DynamoDB and EventBridge from the environment set by the CDK construct. */
export const liveDeps = ({ logger, metrics, tracer }: Observability): ProcessStatementsDeps => {
  const config = readConfig(['tableName', 'eventBusName']);
  const dynamo = dynamoDbClient(tracer);
  return {
    ports: processorPorts({
      client: dynamo,
      tableName: config.tableName,
      publisher: new EventBridgePublisher({
        client: eventBridgeClient(tracer),
        eventBusName: config.eventBusName,
        onFailedEntries: (count) => metrics.addMetric('PutEventsFailed', MetricUnit.Count, count),
      }),
    }),
    options: { registrySources: readList('registrySources') ?? DEFAULT_REGISTRY_SOURCES },
    logger: powertoolsLogger(logger),
    metrics,
  };
};

export const handler = lambdaHandler(createHandler, liveDeps);
