/**
 * What tells the operators something is wrong: alarms on every dead-letter queue, on processor
 * errors and backlog, on events the tracker failed to publish or the bus failed to deliver, all
 * to an encrypted ops topic; and one dashboard for the pipeline.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IEventBus, IRule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SERVICE_NAME } from './tracker-function.ts';

/** Emitted by the processor (Powertools Metrics) for every entry PutEvents did not accept. */
export const PUT_EVENTS_FAILED_METRIC = 'PutEventsFailed';

/** The processor is meant to alert "the moment it happens": five minutes behind is an incident. */
export const MAX_PROCESSOR_QUEUE_AGE = Duration.minutes(5);

export interface ObservabilityProps {
  stage: string;
  metricsNamespace: string;
  opsEmails: readonly string[];
  /** Every dead-letter queue, by a name that says whose it is. */
  deadLetterQueues: ReadonlyMap<string, IQueue>;
  processor: { function: IFunction; queue: IQueue };
  /** Every function, by name, for error alarms and the dashboard. */
  functions: ReadonlyMap<string, IFunction>;
  bus: IEventBus;
  rules: ReadonlyMap<string, IRule>;
  api: IHttpApi;
}

export class Observability extends Construct {
  readonly opsTopic: Topic;
  readonly opsTopicKey: Key;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);

    this.opsTopicKey = new Key(this, 'OpsTopicKey', {
      description: 'Encrypts the position tracker operations topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm notifications as a service, which the AWS-managed SNS key
    // does not allow: that is why this topic has a key of its own.
    this.opsTopicKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.opsTopic = new Topic(this, 'OpsTopic', {
      displayName: `Position tracker operations (${props.stage})`,
      masterKey: this.opsTopicKey,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one: without
    // this statement nothing allows CloudWatch to publish, and every alarm notification is lost.
    // Limited to alarms of this account and region (the confused-deputy guard).
    const stack = Stack.of(this);
    this.opsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.opsTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    for (const address of props.opsEmails) this.opsTopic.addSubscription(new EmailSubscription(address));
    const notify = new SnsAction(this.opsTopic);

    const alarm = (alarmId: string, description: string, metric: Metric | MathExpression, threshold: number, evaluationPeriods = 1) => {
      const created = metric.createAlarm(this, alarmId, {
        alarmDescription: description,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No data means nothing failed: EventBridge and the custom metric only report non-zero values.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    for (const [name, queue] of props.deadLetterQueues) {
      alarm(
        `${name}DeadLetters`,
        `Messages are waiting in the ${name} dead-letter queue: inspect them, fix the cause, then redrive.`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
        1,
      );
    }

    for (const [name, fn] of props.functions) {
      alarm(
        `${name}Errors`,
        `The ${name} function failed (an invocation threw or timed out, not a single rejected record).`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
        1,
      );
    }

    const queueAge = props.processor.queue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    });
    alarm(
      'ProcessorBacklog',
      `The oldest statement in the processor queue has waited ${MAX_PROCESSOR_QUEUE_AGE.toMinutes()} minutes or more: alerts are late.`,
      queueAge,
      MAX_PROCESSOR_QUEUE_AGE.toSeconds(),
      3,
    );

    const putEventsFailed = new Metric({
      namespace: props.metricsNamespace,
      metricName: PUT_EVENTS_FAILED_METRIC,
      dimensionsMap: { service: SERVICE_NAME },
      period: Duration.minutes(5),
      statistic: Stats.SUM,
    });
    alarm(
      'PutEventsFailed',
      'The processor could not publish position changes or alerts to the bus: subscribers missed them.',
      putEventsFailed,
      1,
    );

    const deliveryFailures: MathExpression[] = [];
    for (const [name, rule] of props.rules) {
      const dimensionsMap = { EventBusName: props.bus.eventBusName, RuleName: rule.ruleName };
      const failed = new MathExpression({
        label: `${name} delivery failures`,
        // Ids unique per rule: the dashboard graphs every rule's expression together.
        expression: `FILL(failed${name}, 0) + FILL(dlqFailed${name}, 0)`,
        usingMetrics: {
          [`failed${name}`]: new Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap, statistic: Stats.SUM }),
          [`dlqFailed${name}`]: new Metric({
            namespace: 'AWS/Events',
            metricName: 'InvocationsFailedToBeSentToDlq',
            dimensionsMap,
            statistic: Stats.SUM,
          }),
        },
        period: Duration.minutes(5),
      });
      deliveryFailures.push(failed);
      alarm(`${name}DeliveryFailed`, `The ${name} rule lost events: they reached neither its queue nor its dead-letter queue.`, failed, 1);
    }

    alarm(
      'ReadApiServerErrors',
      'The read API answered 5xx to newsroom tools at least five times in five minutes.',
      props.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }),
      5,
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
    });
    const processorFn = props.processor.function;
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Position tracker (${props.stage})\nStatements in → processor → positions and alerts out. Alarms notify the ops topic.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Processor: statements',
        left: [
          processorFn.metricInvocations({ statistic: Stats.SUM }),
          processorFn.metricErrors({ statistic: Stats.SUM }),
          processorFn.metricThrottles({ statistic: Stats.SUM }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Processor: duration',
        left: [processorFn.metricDuration({ statistic: Stats.p(50) }), processorFn.metricDuration({ statistic: Stats.p(99) })],
        width: 8,
      }),
      new GraphWidget({
        title: 'Processor queue',
        left: [props.processor.queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM })],
        right: [queueAge],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues',
        left: [...props.deadLetterQueues].map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, label: name }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Publishing and delivery failures',
        left: [putEventsFailed, ...deliveryFailures],
        width: 8,
      }),
      new GraphWidget({
        title: 'Function errors',
        left: [...props.functions].map(([name, fn]) => fn.metricErrors({ statistic: Stats.SUM, label: name })),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Read API',
        left: [
          props.api.metricCount({ statistic: Stats.SUM }),
          props.api.metricClientError({ statistic: Stats.SUM }),
          props.api.metricServerError({ statistic: Stats.SUM }),
        ],
        right: [props.api.metricLatency({ statistic: Stats.p(99) })],
        width: 12,
      }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
  }
}
