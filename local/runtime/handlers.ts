/**
 * The three Lambda handlers on their local queues, with the tuning of their deployed event
 * sources: the processor on the DynamoDB store with the bus as its publisher, the notifier with the
 * console for SNS, the snapshot writer and the feed writer into folders.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ALERTS_TO_NOTIFIER, ARCHIVE_TO_PROCESSOR, LIVE_PROCESSOR_RULES, POSITION_CHANGES_TO_SNAPSHOTS, TRACKER_CHANGES_TO_FEEDS } from '../../events/rules.ts';
import type { FeedStore } from '../../functions/application/feeds.ts';
import type { SnapshotStore } from '../../functions/application/snapshots.ts';
import type { AlertTopic } from '../../functions/application/notify-alert.ts';
import { countOutcomes, type BatchCounts } from '../../functions/application/process-batch.ts';
import type { PositionReader } from '../../functions/application/read-model.ts';
import { createHandler as createNotifier } from '../../functions/handlers/notify-alert.ts';
import { createHandler as createFeedWriter } from '../../functions/handlers/write-feeds.ts';
import { createHandler as createSnapshotWriter } from '../../functions/handlers/write-snapshot.ts';
import { LocalBusPublisher } from '../bus/bus-publisher.ts';
import type { Output } from '../console/terminal.ts';
import { createHandlerLogger } from '../delivery/handler-logger.ts';
import type { LocalQueue, LocalQueueOptions, SqsBatchHandler } from '../delivery/local-queue.ts';
import { createProcessorHandler } from '../processor.ts';
import { ARCHIVE_QUEUE, PROCESSOR_QUEUE, type Deliveries } from './deliveries.ts';
import { carriesRegistryEvent } from './registry-reads.ts';
import type { RuntimeStore } from './store.ts';

/** The feed writer's local queue, where the runtime asks for a rebuild at start. */
export const FEED_QUEUE = 'feeds';

export interface HandlerSettings {
  store: RuntimeStore;
  tableName: string;
  reader: PositionReader;
  snapshotStore: SnapshotStore;
  feedStore: FeedStore;
  /** Where the feeds are served, for the index; known once the API listens, before any change arrives. */
  feedsUrl: () => string;
  registrySources: readonly string[];
  /** After a processor batch that carried registry events: the readers' registry is stale. */
  onRegistryEvents?: () => void;
  output: Output;
  verbose?: boolean | undefined;
}

/** Starts the handlers; returns what the processor made of every message it settled, kept up to date. */
export function startHandlers(deliveries: Deliveries, settings: HandlerSettings): { processed: BatchCounts } {
  const { processed, queue } = startProcessor(deliveries, settings);
  const yieldTo = { queue, quietMs: WRITER_QUIET_MS, maxDelayMs: WRITER_MAX_YIELD_MS };
  startNotifier(deliveries, settings);
  startSnapshotWriter(deliveries, settings, yieldTo);
  startFeedWriter(deliveries, settings, yieldTo);
  return { processed };
}

/**
 * The snapshot and feed writers give way to the processor, as deployed they run in functions of
 * their own and cannot slow it: a run (a read of whole issues, then files) on the event loop and
 * the store the processor uses made the statements it overlapped several times slower (most of
 * the bench's tail). A due run waits until the processor has been idle for 100 ms (statements of
 * a stream arrive a few ms apart); under a stream that never lets up, it still runs at least every
 * 30 s. With a bound of 5 s, the runs it forced into a 25 s stream still put about ten statements
 * in a thousand several times over their usual latency.
 */
const WRITER_QUIET_MS = 100;
const WRITER_MAX_YIELD_MS = 29_500;

type YieldTo = NonNullable<LocalQueueOptions['yieldTo']>;

/**
 * The archive lane's batches, as deployed (infra/constructs/processor.ts: ARCHIVE_BATCH_SIZE and
 * ARCHIVE_BATCHING_WINDOW; test/infra/queues.test.ts holds the two equal): a back-fill's late
 * statements of an issue settle by one replay per hundred.
 */
export const LOCAL_ARCHIVE_BATCH = { size: 100, windowMs: 2_000 } as const;

/** One batch at a time on each lane, so statements are applied in the order they arrived on it. */
function startProcessor(deliveries: Deliveries, settings: HandlerSettings): { processed: BatchCounts; queue: LocalQueue } {
  const log = createHandlerLogger('processor', settings.output, { verbose: settings.verbose });
  const processed = countOutcomes([]);
  const process = createProcessorHandler({
    client: settings.store.client,
    tableName: settings.tableName,
    publisher: new LocalBusPublisher(deliveries.bus),
    logger: log.logger,
    registrySources: settings.registrySources,
    onBatch: (report) => {
      deliveries.fates.reported(report);
      for (const key of Object.keys(processed) as Array<keyof BatchCounts>) processed[key] += report.counts[key];
    },
  });
  const handler: SqsBatchHandler = async (event, context) => {
    try {
      return await process(event, context);
    } finally {
      if (carriesRegistryEvent(event)) settings.onRegistryEvents?.();
    }
  };
  // No batching window, as the deployed event source (infra/constructs/processor.ts sets no
  // maxBatchingWindow): a statement is handed over as soon as the processor is free, and what
  // arrives while it is busy makes up the next batch (up to 10).
  const queue = deliveries.addQueue({ name: PROCESSOR_QUEUE, rules: LIVE_PROCESSOR_RULES, handler, reasonFor: log.reasonFor, batchWindowMs: 0, maxConcurrency: 1 });
  queue.observe((messageId, body) => deliveries.fates.received(messageId, body));
  const archive = deliveries.addQueue({
    name: ARCHIVE_QUEUE, rules: [ARCHIVE_TO_PROCESSOR], handler, reasonFor: log.reasonFor,
    batchSize: LOCAL_ARCHIVE_BATCH.size, batchWindowMs: LOCAL_ARCHIVE_BATCH.windowMs, maxConcurrency: 1,
  });
  archive.observe((messageId, body) => deliveries.fates.received(messageId, body));
  return { processed, queue };
}

/** SNS is a console sink locally; the webhook is a rule of its own (local-rules.ts). */
function startNotifier(deliveries: Deliveries, { output, verbose, reader }: HandlerSettings): void {
  const log = createHandlerLogger('notifier', output, { verbose });
  let notified = 0;
  const consoleTopic: AlertTopic = {
    async publish(message) {
      notified++;
      output.line(`[notifier] SNS (local console) ${message.subject}`);
      if (verbose) output.line(message.message.replace(/^/gm, '    '));
      return { messageId: `local-${notified}` };
    },
  };
  const handler = createNotifier({ registry: () => reader.registry(), topic: consoleTopic, logger: log.logger });
  deliveries.addQueue({ name: 'notifier', rules: [ALERTS_TO_NOTIFIER], handler, reasonFor: log.reasonFor, batchWindowMs: 10, maxConcurrency: 2 });
}

function startSnapshotWriter(deliveries: Deliveries, { output, verbose, reader, snapshotStore }: HandlerSettings, yieldTo: YieldTo): void {
  const log = createHandlerLogger('snapshots', output, { verbose });
  const handler = createSnapshotWriter({ reader, store: snapshotStore, logger: log.logger });
  // A window, as the deployed event source has (5 s), so a burst of changes to an issue makes one
  // write of its matrix. Shorter here so local snapshots stay fresh, but long enough that the
  // writer (a read of the whole issue, then a file) does not run every few statements on the
  // event loop and the store the processor is using: at 50 ms it was busy a third of the time
  // under a steady stream and doubled the processor's tail latency. The window is the debounce
  // here, not the batch size: with the deployed 10, a stream of 50 statements a second filled a
  // batch every 200 ms and the writer ran five times a second, each run 20-160 ms on the event
  // loop the processor shares (most of the bench's Position Changed tail).
  deliveries.addQueue({
    name: 'snapshots',
    rules: [POSITION_CHANGES_TO_SNAPSHOTS],
    handler: handler as (event: SQSEvent) => Promise<SQSBatchResponse>,
    reasonFor: log.reasonFor,
    batchWindowMs: 500,
    batchSize: LOCAL_WRITER_BATCH_SIZE,
    maxConcurrency: 1,
    yieldTo,
  });
}

/**
 * What one run of the snapshot or feed writer may take: 10,000, SQS's largest batch with a window
 * (the deployed feed writer takes 100), so one run takes all that piled up while it gave way to the
 * processor, about 2,000 records in 30 s of the bench's stream (a run costs per issue, not per
 * record). With 100, the backlog made every following batch full and overdue, and the writers ran
 * every 1.5 s however busy the processor was.
 */
const LOCAL_WRITER_BATCH_SIZE = 10_000;

/**
 * The same window as the snapshots, for the same reasons: a burst is one write of an issue's feeds.
 * With a batch of 10 (the local default before), a steady stream ran the writer every 120 ms,
 * 60-200 ms a run.
 */
function startFeedWriter(deliveries: Deliveries, { output, verbose, reader, feedStore, feedsUrl }: HandlerSettings, yieldTo: YieldTo): void {
  const log = createHandlerLogger('feeds', output, { verbose });
  let writer: ReturnType<typeof createFeedWriter> | undefined;
  const handler = (event: SQSEvent): Promise<SQSBatchResponse> =>
    (writer ??= createFeedWriter({ reader, store: feedStore, baseUrl: feedsUrl(), logger: log.logger }))(event);
  deliveries.addQueue({
    name: FEED_QUEUE,
    rules: [TRACKER_CHANGES_TO_FEEDS],
    handler,
    reasonFor: log.reasonFor,
    batchWindowMs: 500,
    batchSize: LOCAL_WRITER_BATCH_SIZE,
    maxConcurrency: 1,
    yieldTo,
  });
}
