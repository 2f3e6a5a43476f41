/**
 * What holds data and outlives deployments: the bus (with its archive and schema registry), the
 * tracker table and the snapshot bucket. Kept apart from the functions so that redeploying,
 * replacing or deleting the stateless stack can never touch the data.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TrackerConfig } from '../config.ts';
import { TrackerEventBus } from '../constructs/event-bus.ts';
import { FeedDistribution } from '../constructs/feeds.ts';
import { defaultDomainPrefix, SignIn, signInDomainName } from '../constructs/sign-in.ts';
import type { FunctionSettings } from '../constructs/tracker-function.ts';
import { WebHosting } from '../constructs/web-app.ts';
import { SnapshotBucket } from '../constructs/snapshots.ts';
import { TrackerTable } from '../constructs/tracker-table.ts';

export interface StatefulStackProps extends StackProps {
  config: TrackerConfig;
  /** Name of the processor's execution role (see processorRoleName), the only tracker publisher. */
  processorRoleName: string;
  /** Name of the desk API's execution role (see deskRoleName), a registry publisher when the stage names any. */
  deskRoleName: string;
  /** For the sign-in's token trigger, the one function this stack holds (it belongs to the user pool). */
  settings: FunctionSettings;
}

export class StatefulStack extends Stack {
  readonly eventBus: TrackerEventBus;
  readonly table: TrackerTable;
  readonly snapshots: SnapshotBucket;
  readonly feeds: FeedDistribution;
  readonly web: WebHosting;
  /** The tracker's own user pool, when the stage's apiAuth is `cognito`. */
  readonly signIn: SignIn | undefined;

  constructor(scope: Construct, id: string, { config, processorRoleName, deskRoleName, settings, ...stackProps }: StatefulStackProps) {
    super(scope, id, stackProps);

    this.eventBus = new TrackerEventBus(this, 'EventBus', {
      stage: config.stage,
      archiveRetentionDays: config.archiveRetentionDays,
      // Built from the name, not referenced: the role lives in the stateless stack.
      trackerPublisherArn: this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: processorRoleName }),
      // The desk sends registry records and revisions for its editors: one more publisher when the stage names them.
      registryPublisherArns: config.registryPublishers.principals.length === 0
        ? []
        : [...config.registryPublishers.principals, this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: deskRoleName })],
    });
    this.table = new TrackerTable(this, 'TrackerTable', { retainData: config.retainData });
    this.snapshots = new SnapshotBucket(this, 'SnapshotBucket', {
      stage: config.stage,
      retainData: config.retainData,
      historyDays: config.logRetentionDays,
    });

    this.feeds = new FeedDistribution(this, 'Feeds', {
      stage: config.stage,
      retainData: config.retainData,
      historyDays: config.logRetentionDays,
      domain: config.feedsDomain,
    });

    const auth = config.apiAuth;
    const domainPrefix = auth.type === 'cognito' ? (auth.domainPrefix ?? defaultDomainPrefix(config.stage)) : undefined;
    this.web = new WebHosting(this, 'WebApp', {
      stage: config.stage,
      retainData: config.retainData,
      historyDays: config.logRetentionDays,
      signInDomain: domainPrefix === undefined ? undefined : signInDomainName(domainPrefix),
      customDomain: config.webDomain,
    });
    this.signIn = domainPrefix === undefined
      ? undefined
      : new SignIn(this, 'SignIn', { settings, retainData: config.retainData, appUrl: this.web.url, domainPrefix });

    new CfnOutput(this, 'WebAppUrl', { value: this.web.url, description: 'The dashboard and the desk' });
    if (this.signIn !== undefined) new CfnOutput(this, 'UserPoolId', { value: this.signIn.userPool.userPoolId, description: 'Add editors: aws cognito-idp admin-add-user-to-group --group-name editors' });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.bus.eventBusName, description: 'Publish statements here (PutEvents)' });
    new CfnOutput(this, 'EventBusArn', { value: this.eventBus.bus.eventBusArn });
    new CfnOutput(this, 'SchemaRegistryName', { value: this.eventBus.registry.attrRegistryName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'SnapshotBucketName', { value: this.snapshots.bucket.bucketName });
    new CfnOutput(this, 'FeedsDomainName', { value: this.feeds.domainName, description: 'Feeds: https://<this>/<token>/index.json' });
    if (config.feedsDomain !== undefined) {
      new CfnOutput(this, 'FeedsDistributionDomainName', {
        value: this.feeds.distribution.distributionDomainName,
        description: `Point a CNAME (or a Route 53 alias) for ${config.feedsDomain.name} at this`,
      });
    }
  }
}
