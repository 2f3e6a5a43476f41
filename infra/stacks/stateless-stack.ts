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
import type { ResolvedApiAuth, TrackerConfig } from '../config.ts';
import { DEFAULT_API_SCOPES } from '../config.ts';
import { DeskApi } from '../constructs/desk-api.ts';
import type { SignIn } from '../constructs/sign-in.ts';
import { webBucketName, type WebHosting } from '../constructs/web-app.ts';
import { WebAppFiles, type WebAuthConfig } from '../constructs/web-app-files.ts';
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
  /** The web app's bucket and distribution (stateful). */
  web: WebHosting;
  /** The tracker's own user pool, when the stage signs in with it. */
  signIn: SignIn | undefined;
}

/** Settings every function shares, derived from the stage configuration. */
export const functionSettings = (config: TrackerConfig): FunctionSettings => ({
  stage: config.stage,
  metricsNamespace: config.metricsNamespace,
  // Validated against the values CloudWatch accepts, which are exactly the enum's.
  logRetention: config.logRetentionDays as RetentionDays,
  retainLogs: config.retainData,
});

/** The authorizer's settings: the tracker's own pool becomes a JWT issuer with its client as the audience. */
const resolveAuth = (config: TrackerConfig, signIn: SignIn | undefined): ResolvedApiAuth => {
  if (config.apiAuth.type !== 'cognito') return config.apiAuth;
  if (signIn === undefined) throw new Error('apiAuth is cognito but the stateful stack has no user pool');
  return { type: 'jwt', issuer: signIn.issuer, audience: [signIn.client.userPoolClientId], scopes: { ...DEFAULT_API_SCOPES } };
};

/** What the web app's config.json says about signing in. */
const webAuthOf = (config: TrackerConfig, signIn: SignIn | undefined): WebAuthConfig => {
  if (signIn !== undefined) return { type: 'cognito', domain: signIn.domainName, clientId: signIn.client.userPoolClientId, region: Stack.of(signIn).region, scopes: signIn.scopes };
  const auth = config.apiAuth;
  if (auth.type === 'jwt') return { type: 'oidc', issuer: auth.issuer, clientId: auth.audience[0] ?? '', scopes: ['openid', ...Object.values(auth.scopes)] };
  return { type: 'iam' };
};

export class StatelessStack extends Stack {
  readonly processor: Processor;
  readonly alerts: Alerts;
  readonly snapshotWriter: SnapshotWriter;
  readonly feedWriter: FeedWriter;
  readonly readApi: ReadApi;
  readonly deskApi: DeskApi;
  readonly webAppFiles: WebAppFiles;
  readonly busRules: BusRules;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    const { config, bus, table, snapshotBucketName, feedBucketName, feedsDomainName, web, signIn, ...stackProps } = props;
    super(scope, id, stackProps);

    const settings = functionSettings(config);

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
      auth: resolveAuth(config, signIn),
      throttle: config.apiThrottle,
      corsOrigins: [`https://${web.domainName}`],
    });
    this.deskApi = new DeskApi(this, 'DeskApi', { settings, table, bus, api: this.readApi, registrySources: config.registryPublishers.sources });
    this.webAppFiles = new WebAppFiles(this, 'WebAppFiles', {
      bucket: Bucket.fromBucketName(this, 'WebBucket', webBucketName(config.stage)),
      distribution: web.distribution,
      apiUrl: this.readApi.url,
      auth: webAuthOf(config, signIn),
      logRetention: settings.logRetention,
      retainLogs: settings.retainLogs,
    });
    this.busRules = new BusRules(this, 'Rules', {
      bus,
      processorQueue: this.processor.queue.queue,
      archiveQueue: this.processor.archiveQueue.queue,
      notifierQueue: this.alerts.queue.queue,
      snapshotQueue: this.snapshotWriter.queue.queue,
      feedQueue: this.feedWriter.queue.queue,
    });

    const deadLetterQueues = new Map<string, IQueue>([
      ['Processor', this.processor.queue.deadLetterQueue],
      ['ProcessorArchive', this.processor.archiveQueue.deadLetterQueue],
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
      ['DeskApi', this.deskApi.function],
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
