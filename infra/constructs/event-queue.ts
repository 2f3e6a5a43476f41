/**
 * The buffer between an EventBridge rule and a consuming function: a queue whose visibility
 * timeout follows the consumer's timeout, and a dead-letter queue for what keeps failing.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * SQS-managed encryption rather than a KMS key: EventBridge can deliver to it without a key
 * policy for events.amazonaws.com, it costs nothing per request, and the messages are
 * statements meant for publication, not secrets.
 */
export const queueDefaults = {
  encryption: QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const satisfies QueueProps;

/** Lambda's guidance for SQS event sources: six times the function timeout, plus the batching window. */
export const VISIBILITY_PER_TIMEOUT = 6;

export interface EventQueueProps {
  /** Timeout of the function that consumes the queue. */
  consumerTimeout: Duration;
  /** The event source's maxBatchingWindow, if any. */
  consumerBatchingWindow?: Duration;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
}

export class EventQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, { consumerTimeout, consumerBatchingWindow, maxReceiveCount = 5 }: EventQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...queueDefaults,
      // The longest SQS allows: a failed statement waits for a human, who may be away for a week.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      ...queueDefaults,
      visibilityTimeout: Duration.seconds(
        consumerTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT + (consumerBatchingWindow?.toSeconds() ?? 0),
      ),
      retentionPeriod: Duration.days(4),
      // Five receives: a conditional-write conflict or a throttle gets retried, a poison message does not loop.
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
