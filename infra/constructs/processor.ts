/**
 * The statement processor: drains the processor queue in batches, keeps positions, history and
 * alerts in the table, and publishes what changed back onto the bus.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env-names.ts';
import { EventQueue } from './event-queue.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

export interface ProcessorProps {
  settings: FunctionSettings;
  table: TableBinding;
  bus: IEventBus;
  /** Event sources allowed to carry registry events; the processor quarantines the others. */
  registrySources: readonly string[];
}

/**
 * The processor's role has a name fixed by stage and region: the bus policy in the stateful
 * stack names it as the only principal that may publish as the tracker, and a reference into
 * this stack would make the stateful stack depend on the stateless one. IAM names are global
 * to the account, hence the region. At most 48 characters (IAM allows 64).
 */
export const processorRoleName = (stage: string): string => `pt-processor-${stage}-${Aws.REGION}`;

/**
 * At most five concurrent batches. Writes are idempotent and order-safe (the latest said-time
 * wins), so parallel batches are correct, but two batches on the same issue contend on the same
 * conditional writes and retry. 10k statements a day is ~0.1/s, which one batch absorbs; five
 * leave room to drain an archive replay or a backlog at ~50 statements/s without letting a burst
 * fan out to the account's whole concurrency. (The minimum SQS allows is 2.)
 */
export const PROCESSOR_MAX_CONCURRENCY = 5;
export const PROCESSOR_BATCH_SIZE = 10;
/**
 * The archive queue's batches (events/rules.ts, ARCHIVE_TO_PROCESSOR): a back-fill's late
 * statements of an issue settle by one replay per batch, so a hundred a batch is a tenth of the
 * replays of ten; gathered for up to two seconds (SQS requires a window above ten), which an
 * archive import does not notice and a live statement never waits for.
 */
export const ARCHIVE_BATCH_SIZE = 100;
export const ARCHIVE_BATCHING_WINDOW = Duration.seconds(2);
/** Two archive batches at a time: a back-fill drains without taking the live queue's concurrency. */
export const ARCHIVE_MAX_CONCURRENCY = 2;
export const PROCESSOR_TIMEOUT = Duration.seconds(30);

export class Processor extends Construct {
  readonly function: TrackerFunction;
  readonly queue: EventQueue;
  /** Archive imports (back-fills): the same handler, in large batches. */
  readonly archiveQueue: EventQueue;

  constructor(scope: Construct, id: string, { settings, table, bus, registrySources }: ProcessorProps) {
    super(scope, id);

    this.function = new TrackerFunction(this, 'Function', {
      handlerFile: 'process-statements',
      description: 'Records statements and stance changes, updates positions and divergences, publishes what changed',
      settings,
      timeout: PROCESSOR_TIMEOUT,
      memorySize: 512,
      roleName: processorRoleName(settings.stage),
    });
    // No reserved concurrency: with an SQS event source, maxConcurrency is the limit that does
    // not throttle. A reservation below the pollers' concurrency makes Lambda throttle
    // invocations, each throttle counts as a receive, and good statements drift into the DLQ;
    // it would also take capacity out of the account's unreserved pool, which a new account
    // (10 in total) cannot spare.
    this.function.bindTable({ table, access: 'readWrite' });
    this.function.bindEventBus({ bus });
    // Validated at synth to hold no comma (infra/config.ts).
    this.function.addEnvironment(ENV.registrySources, registrySources.join(','));

    this.queue = new EventQueue(this, 'Queue', { consumerTimeout: PROCESSOR_TIMEOUT });
    this.function.addEventSource(
      new SqsEventSource(this.queue.queue, {
        batchSize: PROCESSOR_BATCH_SIZE,
        // The handler returns the ids of the statements it could not record; the rest of the
        // batch is deleted instead of being retried with them.
        reportBatchItemFailures: true,
        maxConcurrency: PROCESSOR_MAX_CONCURRENCY,
      }),
    );

    this.archiveQueue = new EventQueue(this, 'ArchiveQueue', { consumerTimeout: PROCESSOR_TIMEOUT, consumerBatchingWindow: ARCHIVE_BATCHING_WINDOW });
    this.function.addEventSource(
      new SqsEventSource(this.archiveQueue.queue, {
        batchSize: ARCHIVE_BATCH_SIZE,
        maxBatchingWindow: ARCHIVE_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: ARCHIVE_MAX_CONCURRENCY,
      }),
    );
  }
}
