/**
 * The bus's routing, built from the shared rule definitions in events/rules.ts (the local bus
 * routes with the same ones). Each rule targets a consumer's queue and has its own dead-letter
 * queue for events EventBridge could not deliver (a missing permission, a deleted queue), which
 * the consumer queue's own dead-letter queue would never see.
 */
import { Duration } from 'aws-cdk-lib';
import { type EventPattern, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ALERTS_TO_NOTIFIER,
  ARCHIVE_TO_PROCESSOR,
  INBOUND_TO_PROCESSOR,
  POSITION_CHANGES_TO_SNAPSHOTS,
  TRACKER_CHANGES_TO_FEEDS,
  TRACKER_SOURCED_INPUTS_TO_PROCESSOR,
  UNMATCHED_TO_PROCESSOR,
  type RuleDefinition,
} from '../../events/rules.ts';
import { acknowledge } from '../nag.ts';
import { queueDefaults } from './event-queue.ts';

/**
 * The definitions are EventBridge JSON (`detail-type`); CDK's typed pattern spells it
 * `detailType` and renders it back, passing every other field through untouched.
 */
export const eventPatternOf = (pattern: RuleDefinition['pattern']): EventPattern => {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as EventPattern;
};

export interface BusRulesProps {
  bus: IEventBus;
  /**
   * Statements, stance changes and registry updates; and, to be quarantined there, every other
   * event no contract takes in, so nothing put on the bus vanishes unseen.
   */
  processorQueue: IQueue;
  /** The same inputs from archive imports (back-fills), in large batches (ARCHIVE_TO_PROCESSOR). */
  archiveQueue: IQueue;
  /** Positions Diverged / Converged. */
  notifierQueue: IQueue;
  /** Position Changed. */
  snapshotQueue: IQueue;
  /** Position Changed, Positions Diverged / Converged. */
  feedQueue: IQueue;
}

/** The rules this construct deploys, each with the queue it feeds. */
export const DEPLOYED_RULES = [
  INBOUND_TO_PROCESSOR, UNMATCHED_TO_PROCESSOR, TRACKER_SOURCED_INPUTS_TO_PROCESSOR, ARCHIVE_TO_PROCESSOR, ALERTS_TO_NOTIFIER, POSITION_CHANGES_TO_SNAPSHOTS,
  TRACKER_CHANGES_TO_FEEDS,
] as const;

export class BusRules extends Construct {
  /** Keyed by rule definition name. */
  readonly rules: ReadonlyMap<string, Rule>;
  /** Keyed by rule definition name: events the rule matched but could not deliver. */
  readonly deliveryDeadLetterQueues: ReadonlyMap<string, Queue>;

  constructor(scope: Construct, id: string, props: BusRulesProps) {
    super(scope, id);
    const targets = new Map<RuleDefinition, IQueue>([
      [INBOUND_TO_PROCESSOR, props.processorQueue],
      [UNMATCHED_TO_PROCESSOR, props.processorQueue],
      [TRACKER_SOURCED_INPUTS_TO_PROCESSOR, props.processorQueue],
      [ARCHIVE_TO_PROCESSOR, props.archiveQueue],
      [ALERTS_TO_NOTIFIER, props.notifierQueue],
      [POSITION_CHANGES_TO_SNAPSHOTS, props.snapshotQueue],
      [TRACKER_CHANGES_TO_FEEDS, props.feedQueue],
    ]);

    const rules = new Map<string, Rule>();
    const deadLetterQueues = new Map<string, Queue>();
    for (const [definition, queue] of targets) {
      const deadLetterQueue = new Queue(this, `${definition.name}DeliveryDeadLetterQueue`, {
        ...queueDefaults,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(deadLetterQueue, 'AwsSolutions-SQS3',
        `This is the dead-letter queue of the ${definition.name} rule's target (EventBridge DeadLetterConfig), which cdk-nag only recognises in an SQS redrive policy; a DLQ behind it would hold the same messages once more.`);
      const rule = new Rule(this, definition.name, {
        eventBus: props.bus,
        description: definition.description,
        eventPattern: eventPatternOf(definition.pattern),
        // EventBridge's own retry (185 attempts over 24 h) rides out a throttled or briefly
        // unavailable queue; what is left after a day is a configuration fault for the DLQ.
        targets: [new SqsQueue(queue, { deadLetterQueue, maxEventAge: Duration.hours(24), retryAttempts: 185 })],
      });
      rules.set(definition.name, rule);
      deadLetterQueues.set(definition.name, deadLetterQueue);
    }
    this.rules = rules;
    this.deliveryDeadLetterQueues = deadLetterQueues;
  }
}
