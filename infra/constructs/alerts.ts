/**
 * Alert delivery: the notifier turns each Positions Diverged / Converged event into an SNS
 * message (with issue, actor, bloc and kind as message attributes, so each subscription can
 * filter) and, when configured, a Slack post.
 */
import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env-names.ts';
import type { AlertEmail, AlertFilter } from '../config.ts';
import { acknowledge } from '../nag.ts';
import { EventQueue } from './event-queue.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

/**
 * What the Slack secret holds until someone puts the webhook URL in it. Not a URL, so the
 * notifier can tell "not set up yet" from a broken webhook.
 */
export const SLACK_WEBHOOK_PLACEHOLDER = 'not-configured: put the Slack incoming-webhook URL here';

/** The SNS message attributes the notifier sets and subscriptions filter on. */
export const ALERT_ATTRIBUTES = ['issue', 'actor', 'bloc', 'kind'] as const;

export interface AlertsProps {
  settings: FunctionSettings;
  /** Read only: the notifier names actors, issues and blocs from the registry in the table. */
  table: TableBinding;
  alertEmails: readonly AlertEmail[];
  slack: boolean;
  /** Keep the Slack secret when the stack is deleted, as the data is kept (config retainData). */
  retainData: boolean;
}

const NOTIFIER_TIMEOUT = Duration.seconds(30);

/** An SNS filter policy on the message attributes; undefined when the filter is empty. */
export const filterPolicyOf = (filter: AlertFilter | undefined): Record<string, SubscriptionFilter> | undefined => {
  if (filter === undefined) return undefined;
  const policy: Record<string, SubscriptionFilter> = {};
  for (const attribute of ALERT_ATTRIBUTES) {
    const value = filter[attribute];
    if (value === undefined) continue;
    policy[attribute] = SubscriptionFilter.stringFilter({ allowlist: Array.isArray(value) ? [...value] : [value] });
  }
  return Object.keys(policy).length === 0 ? undefined : policy;
};

export class Alerts extends Construct {
  readonly topic: Topic;
  readonly topicKey: Key;
  readonly notifier: TrackerFunction;
  readonly queue: EventQueue;
  readonly slackWebhookSecret: Secret | undefined;

  constructor(scope: Construct, id: string, { settings, table, alertEmails, slack, retainData }: AlertsProps) {
    super(scope, id);

    // A customer-managed key, not aws/sns: the AWS-managed key's policy cannot be extended, so
    // no service (an EventBridge rule of another team, a future SQS subscription) could ever
    // be allowed to use the topic.
    this.topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts the position tracker alert topic',
      enableKeyRotation: true,
      // Nothing is stored under this key (SNS only holds messages in flight).
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Position tracker alerts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    alertEmails.forEach(({ address, filter }) => {
      this.topic.addSubscription(new EmailSubscription(address, { filterPolicy: filterPolicyOf(filter) }));
    });

    this.notifier = new TrackerFunction(this, 'Notifier', {
      handlerFile: 'notify-alert',
      description: 'Publishes divergence alerts to the alert topic (and Slack when configured)',
      settings,
      timeout: NOTIFIER_TIMEOUT,
    });
    this.notifier.bindAlertTopic({ topic: this.topic });
    this.notifier.bindTable({ table, access: 'read' });

    if (slack) {
      // Created with a placeholder, never with the URL: the webhook is a credential and is put
      // in by hand (see README), so it is in neither the code, the config nor the template.
      this.slackWebhookSecret = new Secret(this, 'SlackWebhookUrl', {
        description: 'Slack incoming-webhook URL for position tracker alerts (the bare URL as the secret string)',
        secretStringValue: SecretValue.unsafePlainText(SLACK_WEBHOOK_PLACEHOLDER),
        // The URL in it was put there by hand and only Slack can issue another: a stage that
        // keeps its data keeps it too, so a deleted and redeployed stack can be wired up again.
        removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      acknowledge(this.slackWebhookSecret, 'AwsSolutions-SMG4',
        'A Slack incoming-webhook URL is issued by Slack and can only be replaced there by a person; there is no API a rotation function could call.');
      this.notifier.bindSecret({ secret: this.slackWebhookSecret, envName: ENV.slackWebhookSecretArn });
    } else {
      this.slackWebhookSecret = undefined;
    }

    this.queue = new EventQueue(this, 'Queue', { consumerTimeout: NOTIFIER_TIMEOUT });
    this.notifier.addEventSource(
      new SqsEventSource(this.queue.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Alerts are rare, and a Slack webhook accepts about one message a second.
        maxConcurrency: 2,
      }),
    );
  }
}
