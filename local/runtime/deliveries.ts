/**
 * The runtime's EventBridge and SQS: the local bus (which refuses the tracker's source from anyone
 * but the tracker), one queue per rule target with retries and a dead-letter queue, the fate of
 * every inbound event for publishers that wait on theirs, and `settle`, which waits until nothing
 * is being delivered any more.
 */
import { join } from 'node:path';
import { TRACKER_SOURCE } from '../../events/common.ts';
import type { RuleDefinition } from '../../events/rules.ts';
import { LocalEventBus } from '../bus/local-event-bus.ts';
import type { Output } from '../console/terminal.ts';
import { createFileDeadLetterQueue, createMemoryDeadLetterQueue, type DeadLetter, type DeadLetterQueue } from '../delivery/dead-letter-queue.ts';
import { createEventFates, type EventFates } from '../delivery/event-fates.ts';
import { LocalQueue, type LocalQueueOptions, type QueueActivity, type SqsBatchHandler } from '../delivery/local-queue.ts';
import type { Shutdown } from './shutdown.ts';

/** The processor's queues: the live one, and the archive lane's (back-fills, large batches). */
export const PROCESSOR_QUEUE = 'processor';
export const ARCHIVE_QUEUE = 'processor-archive';
export const isProcessorQueue = (name: string): boolean => name === PROCESSOR_QUEUE || name === ARCHIVE_QUEUE;

/** How long a shutdown waits for queued messages (retries included) before dropping them. */
export const SHUTDOWN_DRAIN_MS = 5_000;

export interface DeliverySettings {
  output: Output;
  verbose?: boolean | undefined;
  dataDir: string | null;
  maxEntryBytes?: number | undefined;
  maxReceiveCount: number;
  retryBaseMs?: number | undefined;
}

export interface QueueSetup {
  name: string;
  rules: readonly RuleDefinition[];
  handler: SqsBatchHandler;
  /** Why the handler failed a message, from its log (see handler-logger.ts). */
  reasonFor: (messageId: string, sinceMs: number) => string | undefined;
  batchWindowMs: number;
  /** Records per invocation, as the event source's batchSize. @default 10 */
  batchSize?: number;
  maxConcurrency: number;
  /** A queue to give way to (LocalQueueOptions.yieldTo). */
  yieldTo?: LocalQueueOptions['yieldTo'];
}

export interface Deliveries {
  bus: LocalEventBus;
  deadLetters: DeadLetterQueue;
  fates: EventFates;
  queues: ReadonlyMap<string, LocalQueue>;
  /** Bus deliveries to a target that failed, since start. */
  targetErrors(): number;
  /** A queue fed by `rules`, each event sent to it as an SQS body (the whole event as JSON). */
  addQueue(setup: QueueSetup): LocalQueue;
  /** Sees the activity of every queue until the function returned is called. */
  watch(listener: (activity: QueueActivity) => void): () => void;
  /** Resolves once no event is being delivered and every queue is empty, retries included. */
  settle(): Promise<void>;
}

export function createDeliveries(settings: DeliverySettings, shutdown: Shutdown): Deliveries {
  const { output } = settings;
  let targetErrors = 0;
  const bus = new LocalEventBus({
    ...(settings.maxEntryBytes === undefined ? {} : { maxEntryBytes: settings.maxEntryBytes }),
    // Only the tracker speaks as the tracker: its in-process publisher is the one caller allowed to.
    reservedSources: [TRACKER_SOURCE],
    onTargetError: (error, context) => {
      targetErrors++;
      output.error(`[bus] rule ${context.rule} could not deliver event ${context.event.id}: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  const deadLetters = settings.dataDir === null ? createMemoryDeadLetterQueue() : createFileDeadLetterQueue(join(settings.dataDir, 'dead-letters'));
  // What became of each inbound event, for publishers that wait on theirs (GET /_local/events).
  const fates = createEventFates();
  const listeners = new Set<(activity: QueueActivity) => void>();
  const onActivity = (activity: QueueActivity): void => {
    if (activity.type === 'dead-lettered' && isProcessorQueue(activity.queue)) fates.deadLettered(activity.letter);
    logActivity(output, activity, settings.verbose === true);
    for (const listener of listeners) listener(activity);
  };

  const queues = new Map<string, LocalQueue>();
  const addQueue = (setup: QueueSetup): LocalQueue => {
    const queue = new LocalQueue({
      name: setup.name,
      rule: setup.rules.map((rule) => rule.name).join(', '),
      handler: setup.handler,
      deadLetters,
      maxReceiveCount: settings.maxReceiveCount,
      ...(settings.retryBaseMs === undefined ? {} : { backoffBaseMs: settings.retryBaseMs }),
      batchWindowMs: setup.batchWindowMs,
      ...(setup.batchSize === undefined ? {} : { batchSize: setup.batchSize }),
      maxConcurrency: setup.maxConcurrency,
      ...(setup.yieldTo === undefined ? {} : { yieldTo: setup.yieldTo }),
      region: bus.region,
      account: bus.account,
      failureReason: setup.reasonFor,
      onActivity,
    });
    queues.set(setup.name, queue);
    // SQS-shaped: EventBridge puts the whole event, as JSON, in the message body.
    for (const rule of setup.rules) bus.addRule({ name: rule.name, pattern: rule.pattern, target: (event) => void queue.send(JSON.stringify(event)) });
    shutdown.add(() => queue.close());
    return queue;
  };

  const settle = async (): Promise<void> => {
    for (;;) {
      await bus.drain();
      await Promise.all([...queues.values()].map((queue) => queue.idle()));
      if (bus.pendingDeliveries === 0 && [...queues.values()].every((queue) => queue.isIdle())) return;
    }
  };

  return {
    bus,
    deadLetters,
    fates,
    queues,
    targetErrors: () => targetErrors,
    addQueue,
    watch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settle,
  };
}

function logActivity(output: Output, activity: QueueActivity, verbose: boolean): void {
  if (activity.type === 'dead-lettered') {
    output.error(`[${activity.queue}] dead-lettered message ${activity.letter.messageId} after ${activity.letter.receiveCount} receives: ${activity.letter.reason}`);
  } else if (activity.type === 'retry' && verbose) {
    output.line(`[${activity.queue}] retrying ${activity.messageId} in ${activity.delayMs} ms (receive ${activity.receiveCount}): ${activity.reason}`);
  }
}

/**
 * The shutdown step that lets what is queued finish, within `SHUTDOWN_DRAIN_MS`: added before the
 * endpoints' own, so it runs after they stop taking events.
 */
export const drainOnShutdown = (deliveries: Deliveries, output: Output, drainMs = SHUTDOWN_DRAIN_MS) => async (): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    deliveries.settle().then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), drainMs))),
  ]);
  clearTimeout(timer);
  if (gaveUp) {
    const left = [...deliveries.queues.values()].reduce((sum, queue) => sum + queue.stats().waiting, 0);
    output.error(`[runtime] ${left} queued message(s) not processed after ${drainMs} ms; dropped at shutdown`);
  }
};

/**
 * Moves dead letters back to their source queue, keeping their message ids; a letter whose queue
 * this runtime does not have (a data directory from another version) stays a dead letter.
 */
export async function redriveDeadLetters(
  deadLetters: DeadLetterQueue,
  queues: ReadonlyMap<string, Pick<LocalQueue, 'send'>>,
  filter: { queue?: string; messageIds?: readonly string[] } = {},
): Promise<{ redriven: DeadLetter[]; unknownQueue: DeadLetter[] }> {
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
}
