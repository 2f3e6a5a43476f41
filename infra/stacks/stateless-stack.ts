/**
 * Everything that can be replaced at will: the functions, their queues, the rules that feed
 * them, the alert topic, the API and the alarms. It only references the stateful stack's
 * resources (by name and ARN), so it can be destroyed and redeployed without touching data.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TrackerConfig } from '../config.ts';
import { Alerts } from '../constructs/alerts.ts';
import { defaultFeedTokenParameter, FeedWriter } from '../constructs/feeds.ts';
import { BusRules } from '../constructs/bus-rules.ts';
import { Observability } from '../constructs/observability.ts';
import { Processor } from '../constructs/processor.ts';
import { ReadApi } from '../constructs/read-api.ts';
import { SnapshotWriter } from '../constructs/snapshots.ts';
import type { FunctionSettings, TableBinding } from '../constructs/tracker-function.ts';

export interface StatelessStackProps extends StackProps {
  config: TrackerConfig;
  bus: IEventBus;
  table: TableBinding;
  /** Name of the stateful stack's snapshot bucket (see snapshotBucketName). */
  snapshotBucketName: string;
  /** Name of the stateful stack's feed bucket (see feedBucketName). */
  feedBucketName: string;
  /** The feed distribution's domain name. */
  feedsDomainName: string;
}

export class StatelessStack extends Stack {
  readonly processor: Processor;
  readonly alerts: Alerts;
  readonly snapshotWriter: SnapshotWriter;
  readonly feedWriter: FeedWriter;
  readonly readApi: ReadApi;
  readonly busRules: BusRules;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, { config, bus, table, snapshotBucketName, feedBucketName, feedsDomainName, ...stackProps }: StatelessStackProps) {
    super(scope, id, stackProps);

    const settings: FunctionSettings = {
      stage: config.stage,
      metricsNamespace: config.metricsNamespace,
      // Validated against the values CloudWatch accepts, which are exactly the enum's.
      logRetention: config.logRetentionDays as RetentionDays,
      retainLogs: config.retainData,
    };

    const snapshotBucket = Bucket.fromBucketName(this, 'SnapshotBucket', snapshotBucketName);

    this.processor = new Processor(this, 'Processor', { settings, table, bus, registrySources: config.registryPublishers.sources });
    this.alerts = new Alerts(this, 'Alerts', {
      settings,
      table,
      alertEmails: config.alertEmails,
      slack: config.slack,
      retainData: config.retainData,
    });
    this.snapshotWriter = new SnapshotWriter(this, 'SnapshotWriter', { settings, table, bucket: snapshotBucket });
    // Resolved at deploy time: the token is in no file of the repository and no synthesized template.
    const feedToken = StringParameter.valueForStringParameter(this, config.feedsTokenParameter ?? defaultFeedTokenParameter(config.stage));
    this.feedWriter = new FeedWriter(this, 'FeedWriter', {
      settings,
      table,
      bucket: Bucket.fromBucketName(this, 'FeedBucket', feedBucketName),
      domainName: feedsDomainName,
      token: feedToken,
    });
    this.readApi = new ReadApi(this, 'ReadApi', {
      settings,
      table,
      snapshotBucket,
      auth: config.apiAuth,
      throttle: config.apiThrottle,
    });
    this.busRules = new BusRules(this, 'Rules', {
      bus,
      processorQueue: this.processor.queue.queue,
      notifierQueue: this.alerts.queue.queue,
      snapshotQueue: this.snapshotWriter.queue.queue,
      feedQueue: this.feedWriter.queue.queue,
    });

    const deadLetterQueues = new Map<string, IQueue>([
      ['Processor', this.processor.queue.deadLetterQueue],
      ['Notifier', this.alerts.queue.deadLetterQueue],
      ['SnapshotWriter', this.snapshotWriter.queue.deadLetterQueue],
      ['FeedWriter', this.feedWriter.queue.deadLetterQueue],
      ...[...this.busRules.deliveryDeadLetterQueues].map(([rule, queue]): [string, IQueue] => [`${rule}Delivery`, queue]),
    ]);
    const functions = new Map<string, IFunction>([
      ['Processor', this.processor.function],
      ['Notifier', this.alerts.notifier],
      ['SnapshotWriter', this.snapshotWriter.function],
      ['FeedWriter', this.feedWriter.function],
      ['ReadApi', this.readApi.function],
    ]);
    this.observability = new Observability(this, 'Observability', {
      stage: config.stage,
      metricsNamespace: config.metricsNamespace,
      opsEmails: config.opsEmails,
      deadLetterQueues,
      processor: { function: this.processor.function, queue: this.processor.queue.queue },
      functions,
      bus,
      rules: this.busRules.rules,
      api: this.readApi.httpApi,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.readApi.url, description: 'Read API base URL' });
    new CfnOutput(this, 'FeedsIndexUrl', { value: `${this.feedWriter.baseUrl}/index.json`, description: 'The feeds index (public: the token is the secret)' });
    new CfnOutput(this, 'FeedQueueUrl', { value: this.feedWriter.queue.queue.queueUrl, description: 'Send {"rebuild":"all"} here after rotating the feeds token' });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'OpsTopicArn', { value: this.observability.opsTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    if (this.alerts.slackWebhookSecret !== undefined) {
      new CfnOutput(this, 'SlackWebhookSecretArn', {
        value: this.alerts.slackWebhookSecret.secretArn,
        description: 'Put the Slack webhook URL here: aws secretsmanager put-secret-value --secret-id <arn> --secret-string <url>',
      });
    }
  }
}
