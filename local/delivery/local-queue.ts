/**
 * A local stand-in for an SQS queue with a Lambda event source mapping: what an EventBridge rule
 * sends is buffered, handed to the handler in SQS-shaped batches, and deleted when the handler
 * succeeds. A message that fails - listed in `batchItemFailures`, or the whole batch when the
 * handler throws - becomes visible again after an exponential backoff (standing in for the
 * visibility timeout), and after `maxReceiveCount` receives it moves to the dead-letter queue.
 *
 * Batches are taken in arrival order and at most `maxConcurrency` run at once; with 1 (the
 * processor's local setting) the handler sees messages in the order they were sent, retries
 * aside, which makes a local run repeatable.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeadLetter, DeadLetterQueue } from './dead-letter-queue.ts';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void> | SQSBatchResponse | void;

export interface LocalQueueOptions {
  /** Queue name, also the last part of its fake ARN (`processor`). */
  name: string;
  /** The rule that feeds the queue (or the rules, comma-separated), kept with dead letters. */
  rule: string;
  handler: SqsBatchHandler;
  deadLetters: DeadLetterQueue;
  /** Records per invocation, as the event source mapping's batchSize. @default 10 */
  batchSize?: number;
  /** How long a partial batch waits for more messages, as maxBatchingWindow. @default 10 */
  batchWindowMs?: number;
  /** Batches in flight at once, as the mapping's maxConcurrency. @default 1 */
  maxConcurrency?: number;
  /**
   * A queue whose work comes first: until it has been idle (nothing waiting, no batch running) for
   * `quietMs`, this queue starts no batch, for up to `maxDelayMs` past its batching window (so it
   * still runs, less often, under a stream that never lets up). For background writers that share
   * the event loop and the store with the processor: a stream's statements come a few
   * milliseconds apart, a run takes a hundred or more.
   */
  yieldTo?: { queue: Pick<LocalQueue, 'quietFor' | 'isIdle' | 'idle'>; quietMs: number; maxDelayMs: number };
  /** Receives before a message is dead-lettered, as the redrive policy's maxReceiveCount. @default 5 */
  maxReceiveCount?: number;
  /** First retry delay; doubled on every further receive. @default 100 */
  backoffBaseMs?: number;
  /** @default 5000 */
  backoffMaxMs?: number;
  region?: string;
  account?: string;
  /** The reason the handler gave for a failed message, when it logged one since `sinceMs` (see handler-logger.ts). */
  failureReason?: (messageId: string, sinceMs: number) => string | undefined;
  onActivity?: (activity: QueueActivity) => void;
}

export type QueueActivity =
  | { type: 'batch'; queue: string; size: number }
  /** Messages of a batch the handler succeeded with (deleted from the queue). */
  | { type: 'done'; queue: string; messageIds: string[] }
  | { type: 'retry'; queue: string; messageId: string; receiveCount: number; delayMs: number; reason: string }
  | { type: 'dead-lettered'; queue: string; letter: DeadLetter };

export interface QueueStats {
  sent: number;
  deleted: number;
  retried: number;
  deadLettered: number;
  /** Waiting, including those waiting out a backoff. */
  waiting: number;
  inFlight: number;
}

interface Message {
  messageId: string;
  body: string;
  md5OfBody: string;
  /** Arrival order; a retried message keeps its place. */
  sequence: number;
  sentAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
  visibleAt: number;
}

export class LocalQueue {
  readonly name: string;
  readonly rule: string;
  readonly arn: string;
  private readonly options: Required<Omit<LocalQueueOptions, 'failureReason' | 'onActivity' | 'yieldTo'>> &
    Pick<LocalQueueOptions, 'failureReason' | 'onActivity' | 'yieldTo'>;
  /** Not in flight, ordered by sequence. */
  private waiting: Message[] = [];
  private inFlight = 0;
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;
  /** Waiting for the queue it yields to to go idle. */
  private yielding = false;
  /** When a message last arrived or a batch last ended. */
  private lastActiveAt = Date.now();
  private readonly idleWaiters = new Set<() => void>();
  private readonly batches = new Set<Promise<void>>();
  private readonly counters = { sent: 0, deleted: 0, retried: 0, deadLettered: 0 };
  private readonly observers = new Set<(messageId: string, body: string) => void>();

  constructor(options: LocalQueueOptions) {
    this.options = {
      batchSize: 10,
      batchWindowMs: 10,
      maxConcurrency: 1,
      maxReceiveCount: 5,
      backoffBaseMs: 100,
      backoffMaxMs: 5_000,
      region: 'us-east-1',
      account: '000000000000',
      ...options,
    };
    if (this.options.batchSize < 1 || this.options.batchSize > 10_000) throw new RangeError('batchSize must be 1..10000');
    if (this.options.maxReceiveCount < 1) throw new RangeError('maxReceiveCount must be at least 1');
    this.name = options.name;
    this.rule = options.rule;
    this.arn = `arn:aws:sqs:${this.options.region}:${this.options.account}:tracker-local-${options.name}`;
  }

  /** SendMessage: the body is kept verbatim. A redriven message keeps its `messageId`. */
  send(body: string, messageId: string = randomUUID()): string {
    if (this.closed) throw new Error(`queue ${this.name} is closed`);
    const now = Date.now();
    this.waiting.push({
      messageId,
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      sequence: this.sequence++,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now,
    });
    this.counters.sent++;
    this.lastActiveAt = now;
    for (const observer of this.observers) observer(messageId, body);
    this.pump();
    return messageId;
  }

  /** Sees every message sent, before it can be received. Returns the unsubscribe. */
  observe(observer: (messageId: string, body: string) => void): () => void {
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
    };
  }

  stats(): QueueStats {
    return { ...this.counters, waiting: this.waiting.length, inFlight: this.inFlight };
  }

  /** Resolves once nothing is waiting (backoffs included) and no batch is running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  isIdle(): boolean {
    return this.waiting.length === 0 && this.inFlight === 0;
  }

  /** Stops taking batches and waits for those running; messages still waiting are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    await Promise.allSettled([...this.batches]);
    this.waiting = [];
    this.notifyIdle();
  }

  private pump(): void {
    if (this.closed) return;
    const { batchSize, batchWindowMs, maxConcurrency } = this.options;
    while (this.inFlight < maxConcurrency) {
      const now = Date.now();
      const visible = this.visible(now, batchSize);
      if (visible.length === 0) {
        const next = this.waiting.reduce((earliest, m) => Math.min(earliest, m.visibleAt), Number.POSITIVE_INFINITY);
        if (Number.isFinite(next)) this.wakeAt(next);
        return;
      }
      // A partial batch waits out the window, counted from when its longest-waiting message became visible.
      const visibleSince = Math.min(...visible.map((m) => m.visibleAt));
      if (visible.length < batchSize && now < visibleSince + batchWindowMs) {
        this.wakeAt(visibleSince + batchWindowMs);
        return;
      }
      if (this.yieldsNow(visibleSince + batchWindowMs, now)) return;
      this.dispatch(visible);
    }
  }

  /** How long nothing has been waiting or running, in ms; 0 while busy. */
  quietFor(now: number = Date.now()): number {
    return this.isIdle() ? Math.max(0, now - this.lastActiveAt) : 0;
  }

  /**
   * Whether to hold a due batch back for the queue yielded to: woken once that one has been quiet
   * long enough, or at the latest start.
   */
  private yieldsNow(due: number, now: number): boolean {
    const yieldTo = this.options.yieldTo;
    if (yieldTo === undefined || now >= due + yieldTo.maxDelayMs) return false;
    const quiet = yieldTo.queue.quietFor(now);
    if (quiet >= yieldTo.quietMs) return false;
    this.wakeAt(due + yieldTo.maxDelayMs);
    if (yieldTo.queue.isIdle()) this.wakeAt(now + yieldTo.quietMs - quiet);
    else if (!this.yielding) {
      this.yielding = true;
      void yieldTo.queue.idle().then(() => {
        this.yielding = false;
        this.pump();
      });
    }
    return true;
  }

  private visible(now: number, limit: number): Message[] {
    const found: Message[] = [];
    for (const message of this.waiting) {
      if (message.visibleAt <= now) {
        found.push(message);
        if (found.length === limit) break;
      }
    }
    return found;
  }

  private wakeAt(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(0, at - Date.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private dispatch(batch: Message[]): void {
    const taken = new Set(batch);
    this.waiting = this.waiting.filter((m) => !taken.has(m));
    this.inFlight++;
    const run = this.invoke(batch).finally(() => {
      this.inFlight--;
      this.lastActiveAt = Date.now();
      this.batches.delete(run);
      this.pump();
      this.notifyIdle();
    });
    this.batches.add(run);
  }

  private async invoke(batch: Message[]): Promise<void> {
    const now = Date.now();
    const records = batch.map((message) => {
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      return this.toRecord(message);
    });
    this.options.onActivity?.({ type: 'batch', queue: this.name, size: batch.length });

    let failed: Set<string>;
    let thrown: string | undefined;
    try {
      const response = await this.options.handler({ Records: records }, lambdaContext(this.name));
      failed = this.failedIds(batch, response);
    } catch (error) {
      thrown = describeError(error);
      failed = new Set(batch.map((m) => m.messageId));
    }

    const succeeded = batch.filter((message) => !failed.has(message.messageId)).map((message) => message.messageId);
    this.counters.deleted += succeeded.length;
    if (succeeded.length > 0) this.options.onActivity?.({ type: 'done', queue: this.name, messageIds: succeeded });
    for (const message of batch) {
      if (!failed.has(message.messageId)) continue;
      const reason =
        thrown ?? this.options.failureReason?.(message.messageId, now) ?? 'reported in batchItemFailures by the handler (no reason logged)';
      await this.fail(message, reason);
    }
  }

  /**
   * Lambda's rules for a partial batch response: no response or an empty list means success; an
   * identifier that is empty or not in the batch makes the whole batch a failure.
   */
  private failedIds(batch: readonly Message[], response: SQSBatchResponse | void): Set<string> {
    const ids = new Set(batch.map((m) => m.messageId));
    const failures = response?.batchItemFailures ?? [];
    const failed = new Set<string>();
    for (const failure of failures) {
      const id = failure?.itemIdentifier;
      if (typeof id !== 'string' || !ids.has(id)) return ids;
      failed.add(id);
    }
    return failed;
  }

  private async fail(message: Message, reason: string): Promise<void> {
    const { maxReceiveCount } = this.options;
    if (message.receiveCount >= maxReceiveCount || this.closed) {
      const letter: DeadLetter = {
        messageId: message.messageId,
        queue: this.name,
        rule: this.rule,
        body: message.body,
        receiveCount: message.receiveCount,
        sentAt: new Date(message.sentAt).toISOString(),
        deadLetteredAt: new Date().toISOString(),
        reason,
      };
      try {
        await this.options.deadLetters.add(letter);
      } catch (error) {
        // As SQS keeps a message it cannot move to its DLQ: back in the queue, never lost, never unhandled.
        return this.retry(message, `${reason}; dead-lettering failed: ${describeError(error)}`);
      }
      this.counters.deadLettered++;
      this.options.onActivity?.({ type: 'dead-lettered', queue: this.name, letter });
      return;
    }
    this.retry(message, reason);
  }

  private retry(message: Message, reason: string): void {
    const { backoffBaseMs, backoffMaxMs } = this.options;
    const delayMs = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (message.receiveCount - 1));
    message.visibleAt = Date.now() + delayMs;
    this.counters.retried++;
    this.options.onActivity?.({ type: 'retry', queue: this.name, messageId: message.messageId, receiveCount: message.receiveCount, delayMs, reason });
    const at = this.waiting.findIndex((m) => m.sequence > message.sequence);
    this.waiting.splice(at < 0 ? this.waiting.length : at, 0, message);
  }

  private toRecord(message: Message): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}#${randomUUID()}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'AIDAIEVENTBRIDGELOCAL',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      },
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.options.region,
    };
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }
}

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;

/** Enough of a Lambda context for handlers (and middleware) that read it. */
const lambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: `tracker-local-${functionName}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:tracker-local-${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: `/local/tracker-local-${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});
