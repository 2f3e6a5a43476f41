/**
 * The local queues behave like SQS with a Lambda event source mapping, as far as a handler can
 * tell: batches of up to 10 in arrival order, SQS-shaped records, partial batch responses under
 * Lambda's rules, redelivery with a growing delay, dead-lettering after maxReceiveCount, and
 * dead letters kept on disk for a redrive. And the webhook sink retries, then gives up quietly.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventBridgeEvent } from '../../local/bus/local-event-bus.ts';
import { createAlertWebhook } from '../../local/delivery/alert-webhook.ts';
import { createFileDeadLetterQueue, createMemoryDeadLetterQueue, type DeadLetterQueue } from '../../local/delivery/dead-letter-queue.ts';
import { LocalQueue, type QueueActivity, type SqsBatchHandler } from '../../local/delivery/local-queue.ts';

const queues: LocalQueue[] = [];

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

function queueWith(handler: SqsBatchHandler, deadLetters: DeadLetterQueue = createMemoryDeadLetterQueue(), extra: { maxReceiveCount?: number } = {}) {
  const activity: QueueActivity[] = [];
  const queue = new LocalQueue({
    name: 'processor',
    rule: 'InboundToProcessor',
    handler,
    deadLetters,
    batchWindowMs: 5,
    backoffBaseMs: 20,
    maxReceiveCount: extra.maxReceiveCount ?? 3,
    onActivity: (event) => void activity.push(event),
  });
  queues.push(queue);
  return { queue, activity, deadLetters };
}

const bodies = (event: SQSEvent): string[] => event.Records.map((record) => record.body);

/**
 * Sends on a fake clock, then runs every timer until the queue is idle. Which messages share a
 * batch depends on the batch window; on the real clock a loaded machine can stall a loop of sends
 * past it and split the batch, so the tests that assert on batches keep time still while sending.
 */
async function sendOnStillClock(queue: LocalQueue, send: () => void): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    send();
    const idle = queue.idle();
    await vi.runAllTimersAsync();
    await idle;
  } finally {
    vi.useRealTimers();
  }
}

describe('LocalQueue', () => {
  it('hands out SQS-shaped batches of at most 10, in arrival order, one batch at a time', async () => {
    const batches: string[][] = [];
    let running = 0;
    let maxRunning = 0;
    const { queue } = queueWith(async (event) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      batches.push(bodies(event));
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    });

    const sent = Array.from({ length: 25 }, (_, i) => `{"n":${i}}`);
    await sendOnStillClock(queue, () => {
      for (const body of sent) queue.send(body);
    });

    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(sent);
    expect(maxRunning).toBe(1);
    expect(queue.stats()).toMatchObject({ sent: 25, deleted: 25, retried: 0, deadLettered: 0, waiting: 0, inFlight: 0 });
  });

  it('builds records as the SQS event source does', async () => {
    let record: SQSRecord | undefined;
    const { queue } = queueWith(async (event) => {
      record = event.Records[0];
    });
    const messageId = queue.send('{"detail-type":"Statement Recorded"}');
    await queue.idle();

    expect(record).toMatchObject({
      messageId,
      body: '{"detail-type":"Statement Recorded"}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:tracker-local-processor',
      awsRegion: 'us-east-1',
      md5OfBody: createHash('md5').update('{"detail-type":"Statement Recorded"}', 'utf8').digest('hex'),
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(record?.receiptHandle).toBeTruthy();
  });

  it('redelivers only the messages in batchItemFailures, with a higher receive count, after a backoff', async () => {
    const seen: Array<{ body: string; count: string; at: number; receipt: string }> = [];
    let failedOnce = false;
    const { queue } = queueWith(async (event): Promise<SQSBatchResponse> => {
      for (const r of event.Records) seen.push({ body: r.body, count: r.attributes.ApproximateReceiveCount, at: Date.now(), receipt: r.receiptHandle });
      const flaky = event.Records.find((r) => r.body === 'b');
      if (flaky !== undefined && !failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: flaky.messageId }] };
      }
      return { batchItemFailures: [] };
    });
    await sendOnStillClock(queue, () => {
      for (const body of ['a', 'b', 'c']) queue.send(body);
    });

    expect(seen.map((s) => `${s.body}${s.count}`)).toEqual(['a1', 'b1', 'c1', 'b2']);
    const [first, second] = seen.filter((s) => s.body === 'b');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(18);
    expect(second?.receipt).not.toBe(first?.receipt);
    expect(queue.stats()).toMatchObject({ deleted: 3, retried: 1, deadLettered: 0 });
  });

  it('retries the whole batch when the handler throws, or names a message that is not in the batch', async () => {
    let calls = 0;
    const { queue } = queueWith(async (): Promise<SQSBatchResponse> => {
      calls++;
      if (calls === 1) throw new Error('DynamoDB is throttling');
      if (calls === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      return { batchItemFailures: [] };
    });
    await sendOnStillClock(queue, () => {
      queue.send('x');
      queue.send('y');
    });

    expect(calls).toBe(3);
    expect(queue.stats()).toMatchObject({ deleted: 2, retried: 4, deadLettered: 0 });
  });

  it('dead-letters a message after maxReceiveCount receives, with the reason of the last failure, and persists it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracker-dlq-'));
    try {
      const deadLetters = createFileDeadLetterQueue(dir);
      let receives = 0;
      const { queue, activity } = queueWith(
        async () => {
          receives++;
          throw new TypeError('cannot read the registry');
        },
        deadLetters,
        { maxReceiveCount: 3 },
      );
      const messageId = queue.send('poison');
      await queue.idle();

      expect(receives).toBe(3);
      const letters = await deadLetters.list();
      expect(letters).toEqual([
        expect.objectContaining({ messageId, queue: 'processor', rule: 'InboundToProcessor', body: 'poison', receiveCount: 3, reason: 'TypeError: cannot read the registry' }),
      ]);
      expect(activity.filter((a) => a.type === 'retry').map((a) => (a.type === 'retry' ? a.delayMs : 0))).toEqual([20, 40]);
      expect(JSON.parse(await readFile(join(dir, 'processor.json'), 'utf8'))).toHaveLength(1);

      // A redrive: taken out of the DLQ and sent again with the same message id.
      const taken = await createFileDeadLetterQueue(dir).take({ queue: 'processor' });
      expect(taken.map((letter) => letter.messageId)).toEqual([messageId]);
      expect(await deadLetters.list()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('LocalQueue when the dead-letter queue cannot be written', () => {
  it('keeps the message in its queue for another receive instead of losing it, and rejects nothing unhandled', async () => {
    // Prepare: the first dead-lettering fails (a full disk), the handler fails once then succeeds.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const memory = createMemoryDeadLetterQueue();
    let refusals = 1;
    const deadLetters: DeadLetterQueue = {
      ...memory,
      add: async (letter) => {
        if (refusals-- > 0) throw new Error('ENOSPC: no space left on device');
        return memory.add(letter);
      },
    };
    let calls = 0;
    const { queue } = queueWith(
      async () => {
        calls++;
        if (calls === 1) throw new Error('DynamoDB is throttling');
      },
      deadLetters,
      { maxReceiveCount: 1 },
    );

    try {
      // Act
      queue.send('x');
      await queue.idle();
      await new Promise((resolve) => setTimeout(resolve, 20));

      // Assess
      expect(calls).toBe(2);
      expect(queue.stats()).toMatchObject({ deleted: 1, deadLettered: 0, waiting: 0 });
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('LocalQueue giving way to another queue (yieldTo)', () => {
  /** A foreground queue whose batches run until released, and a background queue yielding to it. */
  const pair = () => {
    let release: () => void = () => undefined;
    const foreground = new LocalQueue({
      name: 'processor',
      rule: 'InboundToProcessor',
      handler: () => new Promise<void>((resolve) => (release = resolve)),
      deadLetters: createMemoryDeadLetterQueue(),
      batchWindowMs: 0,
    });
    const ran: number[] = [];
    const background = new LocalQueue({
      name: 'snapshots',
      rule: 'PositionChangesToSnapshots',
      handler: (event) => void ran.push(event.Records.length),
      deadLetters: createMemoryDeadLetterQueue(),
      batchWindowMs: 50,
      batchSize: 100,
      yieldTo: { queue: foreground, quietMs: 100, maxDelayMs: 1_000 },
    });
    queues.push(foreground, background);
    return { foreground, background, ran, release: () => release() };
  };

  it('holds a due batch while the other queue is busy, and runs it once that one has been quiet long enough', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      // Prepare
      const { foreground, background, ran, release } = pair();
      foreground.send('statement');
      background.send('change-1');
      background.send('change-2');

      // Act, Assess: past the window, the processor still busy.
      await vi.advanceTimersByTimeAsync(400);
      expect(ran).toEqual([]);
      release();
      await vi.advanceTimersByTimeAsync(60);
      expect(ran).toEqual([]);
      await vi.advanceTimersByTimeAsync(60);
      expect(ran).toEqual([2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs a held batch at the latest maxDelayMs after its window, however busy the other queue stays', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      // Prepare
      const { foreground, background, ran, release } = pair();
      foreground.send('statement');
      background.send('change-1');

      // Act, Assess
      await vi.advanceTimersByTimeAsync(1_000);
      expect(ran).toEqual([]);
      background.send('change-2');
      await vi.advanceTimersByTimeAsync(60);
      expect(ran).toEqual([2]);
      expect(foreground.isIdle()).toBe(false);
      release();
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs at once after its window when the other queue is quiet', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      // Prepare
      const { background, ran } = pair();
      await vi.advanceTimersByTimeAsync(200);
      background.send('change-1');

      // Act, Assess
      await vi.advanceTimersByTimeAsync(40);
      expect(ran).toEqual([]);
      await vi.advanceTimersByTimeAsync(20);
      expect(ran).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the --alerts-webhook sink', () => {
  const alert = (alertId: string): EventBridgeEvent => ({
    version: '0',
    id: 'event-1',
    'detail-type': 'Positions Diverged',
    source: 'position-tracker',
    account: '000000000000',
    time: '2026-01-06T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { alertId, issue: 'western-troops-in-ukraine', quote: 'أكدت موسكو' },
  });

  it('retries a failing receiver with backoff and delivers the detail as JSON', async () => {
    const received: Array<{ status: number; body: string; id: string | undefined }> = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = received.length < 2 ? 503 : 204;
        received.push({ status, body: Buffer.concat(chunks).toString('utf8'), id: request.headers['x-tracker-alert-id'] as string | undefined });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const errors: string[] = [];
      const webhook = createAlertWebhook({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        output: { line: () => undefined, error: (text) => void errors.push(text) },
        backoffBaseMs: 5,
      });
      await webhook.deliver(alert('al-1'));

      expect(received.map((r) => r.status)).toEqual([503, 503, 204]);
      expect(JSON.parse(received[2]?.body ?? '{}')).toEqual(alert('al-1').detail);
      expect(received.every((r) => r.id === 'al-1')).toBe(true);
      expect(webhook.stats()).toEqual({ delivered: 1, failed: 0 });
      expect(errors).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives up after a few attempts with a log line, and never throws', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const errors: string[] = [];
    const webhook = createAlertWebhook({ url: `http://127.0.0.1:${port}/gone`, output: { line: () => undefined, error: (text) => void errors.push(text) }, backoffBaseMs: 5 });
    await expect(webhook.deliver(alert('al-2'))).resolves.toBeUndefined();
    expect(webhook.stats()).toEqual({ delivered: 0, failed: 1 });
    expect(errors).toEqual([expect.stringContaining('gave up on alert al-2 (Positions Diverged)')]);
  });
});
