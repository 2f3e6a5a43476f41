/**
 * Least privilege and data protection: each function's role grants only what that function
 * needs, the data stores are encrypted, recoverable and private, the topics encrypted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  allowedActions,
  FULL_SETTINGS,
  functionId,
  managedPoliciesOf,
  policyStatementsIn,
  PSEUDO,
  renderValue,
  resourcesOf,
  roleStatements,
  synthTracker,
  type SynthesizedTracker,
} from './synth.ts';

const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const TABLE_WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
/** What every function needs to run: its own logs, X-Ray, and (for queue consumers) its queue. */
const RUNTIME = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const SQS_CONSUMER = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];

const FUNCTIONS = {
  processor: 'ProcessorFunction',
  notifier: 'AlertsNotifier',
  snapshotWriter: 'SnapshotWriterFunction',
  feedWriter: 'FeedWriterFunction',
  readApi: 'ReadApiFunction',
} as const;

/** The complete set of actions each function may perform. */
const EXPECTED_ACTIONS: Record<keyof typeof FUNCTIONS, string[]> = {
  processor: [...RUNTIME, ...SQS_CONSUMER, ...TABLE_READ, ...TABLE_WRITE, 'events:PutEvents'],
  notifier: [...RUNTIME, ...SQS_CONSUMER, ...TABLE_READ, 'sns:Publish', 'kms:Decrypt', 'kms:GenerateDataKey', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
  snapshotWriter: [...RUNTIME, ...SQS_CONSUMER, ...TABLE_READ, 's3:PutObject'],
  feedWriter: [...RUNTIME, ...SQS_CONSUMER, ...TABLE_READ, 's3:DeleteObject', 's3:PutObject'],
  readApi: [...RUNTIME, ...TABLE_READ, 's3:GetObject', 's3:ListBucket'],
};


/** The role CDK's BucketDeployment runs with to copy the web app into its bucket (infra/constructs/web-app-files.ts). */
const WEB_DEPLOYMENT_ROLE = 'WebAppFilesDeploymentRole';
/** The wildcard S3 actions BucketDeployment grants it: read the staged asset, replace and prune the app's files. */
const WEB_DEPLOYMENT_S3_WILDCARDS = ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'];

describe('security', () => {
  let prod: SynthesizedTracker;
  let dev: SynthesizedTracker;
  beforeAll(() => {
    prod = synthTracker(FULL_SETTINGS);
    dev = synthTracker({ stage: 'dev' });
  });

  describe('function permissions', () => {
    it.each(Object.entries(FUNCTIONS))('%s gets exactly the actions it needs, and no managed policy', (name, prefix) => {
      const fn = functionId(prod.stateless, prefix);

      const actions = [...allowedActions(roleStatements(prod.stateless, fn))].sort();

      expect(actions).toEqual([...EXPECTED_ACTIONS[name as keyof typeof FUNCTIONS]].sort());
      expect(managedPoliciesOf(prod.stateless, fn)).toEqual([]);
    });

    it("grants no wildcard action anywhere but the S3 ones of the web app's deployment (CDK's BucketDeployment)", () => {
      for (const template of [prod.stateless, prod.stateful, dev.stateless]) {
        for (const [id, policy] of Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))) {
          for (const statement of policy.Properties?.PolicyDocument.Statement) {
            for (const action of actionsOf(statement)) {
              if (id.startsWith(WEB_DEPLOYMENT_ROLE)) expect(WEB_DEPLOYMENT_S3_WILDCARDS.includes(action) || !action.includes('*'), `${id}: ${action}`).toBe(true);
              else expect(action, `${id}: ${action}`).not.toContain('*');
            }
          }
        }
      }
    });

    it('keeps the processor away from table administration and secrets', () => {
      const actions = allowedActions(roleStatements(prod.stateless, functionId(prod.stateless, FUNCTIONS.processor)));

      for (const forbidden of ['dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:Scan', 'dynamodb:*']) {
        expect(actions).not.toContain(forbidden);
      }
      expect([...actions].filter((a) => a.startsWith('secretsmanager:') || a.startsWith('kms:'))).toEqual([]);
    });

    it('gives the processor its table actions on the table and queries on the index', () => {
      const statements = roleStatements(prod.stateless, functionId(prod.stateless, FUNCTIONS.processor));
      const reads = statements.find((s) => actionsOf(s).includes('dynamodb:Query'))!;
      const writes = statements.find((s) => actionsOf(s).includes('dynamodb:PutItem'))!;

      expect(JSON.stringify(reads.Resource)).toContain('/index/gsi1');
      expect(JSON.stringify(writes.Resource)).not.toContain('/index/');
      expect(JSON.stringify(writes.Resource)).toContain('TrackerTable');
    });

    it('lets only the notifier read the Slack secret, and only that secret', () => {
      const [secretId] = Object.keys(resourcesOf(prod.stateless, 'AWS::SecretsManager::Secret'));
      expect(secretId).toBeDefined();

      for (const [name, prefix] of Object.entries(FUNCTIONS)) {
        const secretStatements = roleStatements(prod.stateless, functionId(prod.stateless, prefix)).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
        );
        if (name === 'notifier') {
          expect(secretStatements).toHaveLength(1);
          expect(secretStatements[0]!.Resource).toEqual({ Ref: secretId });
        } else {
          expect(secretStatements, name).toEqual([]);
        }
      }
    });

    it('creates the Slack secret with a placeholder, never a webhook, and only when Slack is on', () => {
      const secret = Object.values(resourcesOf(prod.stateless, 'AWS::SecretsManager::Secret'))[0]!;

      expect(secret.Properties?.SecretString).not.toMatch(/https?:/);
      expect(resourcesOf(dev.stateless, 'AWS::SecretsManager::Secret')).toEqual({});
      const notifier = resourcesOf(prod.stateless, 'AWS::Lambda::Function')[functionId(prod.stateless, FUNCTIONS.notifier)]!;
      expect(notifier.Properties?.Environment.Variables.SLACK_WEBHOOK_SECRET_ARN).toBeDefined();
    });

    it('keeps the Slack secret when the stack is deleted if the stage keeps its data, and only then', () => {
      const throwaway = synthTracker({ stage: 'dev', slack: true }, { nag: false });
      const secretOf = (synth: SynthesizedTracker) => Object.values(resourcesOf(synth.stateless, 'AWS::SecretsManager::Secret'))[0]!;

      expect(prod.config.retainData).toBe(true);
      expect(secretOf(prod)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(throwaway.config.retainData).toBe(false);
      expect(secretOf(throwaway)).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });

    it('lets the API function only read: the table and the snapshot objects', () => {
      const statements = roleStatements(prod.stateless, functionId(prod.stateless, FUNCTIONS.readApi));
      const dataActions = [...allowedActions(statements)].filter((a) => a.startsWith('dynamodb:') || a.startsWith('s3:'));

      expect(dataActions.sort()).toEqual([...TABLE_READ, 's3:GetObject', 's3:ListBucket'].sort());
    });
  });

  describe('tracker table', () => {
    it('has point-in-time recovery and encryption at rest', () => {
      prod.stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('is protected from deletion outside dev', () => {
      prod.stateful.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { DeletionProtectionEnabled: true },
      });
      dev.stateful.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Delete',
        Properties: { DeletionProtectionEnabled: false },
      });
      expect(prod.stacks.stateful.terminationProtection).toBe(true);
    });
  });

  describe('topics', () => {
    it('encrypts every topic with a rotating customer-managed key and refuses plain HTTP', () => {
      const topics = resourcesOf(prod.stateless, 'AWS::SNS::Topic');
      const keys = resourcesOf(prod.stateless, 'AWS::KMS::Key');
      const policies = Object.values(resourcesOf(prod.stateless, 'AWS::SNS::TopicPolicy'));

      expect(Object.keys(topics)).toHaveLength(2);
      for (const [id, topic] of Object.entries(topics)) {
        const keyId = (topic.Properties?.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        expect(keys[keyId]?.Properties?.EnableKeyRotation, id).toBe(true);
        const enforcesTls = policies.some(
          (policy) =>
            (policy.Properties?.Topics as Array<{ Ref: string }>).some((t) => t.Ref === id) &&
            (policy.Properties?.PolicyDocument.Statement as Array<Record<string, any>>).some(
              (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
            ),
        );
        expect(enforcesTls, `${id} enforces TLS`).toBe(true);
      }
    });

    it('lets CloudWatch alarms of this account and region publish to the ops topic, and nothing else', () => {
      const opsTopicId = Object.keys(resourcesOf(prod.stateless, 'AWS::SNS::Topic')).find((id) => id.startsWith('ObservabilityOpsTopic'))!;
      const statementsOn = (topicId: string) =>
        Object.values(resourcesOf(prod.stateless, 'AWS::SNS::TopicPolicy'))
          .filter((policy) => (policy.Properties?.Topics as Array<{ Ref: string }>).some((t) => t.Ref === topicId))
          .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Array<Record<string, any>>);

      const allows = statementsOn(opsTopicId).filter((s) => s.Effect === 'Allow');

      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: opsTopicId },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      expect(renderValue(allows[0]!.Condition.ArnLike['aws:SourceArn'])).toBe(
        `arn:aws:cloudwatch:${PSEUDO['AWS::Region']}:${PSEUDO['AWS::AccountId']}:alarm:*`,
      );
      const alertTopicId = Object.keys(resourcesOf(prod.stateless, 'AWS::SNS::Topic')).find((id) => id.startsWith('AlertsTopic'))!;
      expect(statementsOn(alertTopicId).filter((s) => s.Effect === 'Allow')).toEqual([]);
    });

    it('sends every alarm to the ops topic', () => {
      const opsTopicId = Object.keys(resourcesOf(prod.stateless, 'AWS::SNS::Topic')).find((id) => id.startsWith('ObservabilityOpsTopic'))!;
      const alarms = Object.entries(resourcesOf(prod.stateless, 'AWS::CloudWatch::Alarm'));

      expect(alarms.length).toBeGreaterThan(0);
      for (const [id, alarm] of alarms) expect(alarm.Properties?.AlarmActions, id).toEqual([{ Ref: opsTopicId }]);
    });

    it('subscribes each alert e-mail with its filter on the message attributes', () => {
      const subscriptions = Object.values(resourcesOf(prod.stateless, 'AWS::SNS::Subscription'))
        .filter((s) => s.Properties?.Protocol === 'email')
        .map((s) => s.Properties!);

      expect(subscriptions.find((s) => s.Endpoint === 'ukraine-desk@example.org')?.FilterPolicy).toEqual({
        issue: ['western-troops-in-ukraine'],
        actor: ['russia'],
      });
      expect(subscriptions.find((s) => s.Endpoint === 'security-editor@example.org')?.FilterPolicy).toEqual({
        kind: ['actor-vs-bloc', 'bloc-split'],
      });
      expect(subscriptions.find((s) => s.Endpoint === 'night-editor@example.org')?.FilterPolicy).toBeUndefined();
      expect(subscriptions.find((s) => s.Endpoint === 'ops@example.org')).toBeDefined();
    });
  });

  describe('snapshot bucket', () => {
    const snapshotBucket = (synth: SynthesizedTracker) =>
      Object.entries(resourcesOf(synth.stateful, 'AWS::S3::Bucket')).find(([id]) => id.startsWith('SnapshotBucketSnapshots'))!;

    it('blocks all public access, encrypts, versions and logs access', () => {
      const [, bucket] = snapshotBucket(prod);

      expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties?.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties?.LoggingConfiguration.DestinationBucketName).toBeDefined();
      expect(bucket.DeletionPolicy).toBe('Retain');
    });

    it('refuses every request that does not use TLS', () => {
      const [id] = snapshotBucket(prod);

      prod.stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      });
    });
  });
  /**
   * What the README's "Security" paragraph says of the templates, checked on every statement of
   * every policy (identity, trust, key, topic, queue, bucket, bus, secret) of both stacks, with
   * every feature on and in a throwaway dev stage.
   */
  describe('what the README claims', () => {
    const everyStatement = () =>
      [prod, dev].flatMap((synth) => [synth.stateful, synth.stateless].flatMap((template) => policyStatementsIn(template)));
    const actionList = (statement: Record<string, any>): string[] => [].concat(statement.Action ?? statement.NotAction ?? []);
    const ACCOUNT_ROOT = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } };

    it('has no Allow with a wildcard action but the three documented ones', () => {
      const wildcards = everyStatement().filter(
        ({ statement }) => statement.Effect === 'Allow' && actionList(statement).some((action) => action.includes('*')),
      );

      expect(wildcards.length).toBeGreaterThan(0);
      for (const { where, type, statement } of wildcards) {
        const actions = actionList(statement).sort();
        const isKeyAdministration = type === 'AWS::KMS::Key' && actions.join() === 'kms:*' && JSON.stringify(statement.Principal) === JSON.stringify(ACCOUNT_ROOT);
        const isCloudWatchOnOpsKey =
          type === 'AWS::KMS::Key' &&
          where.startsWith('ObservabilityOpsTopicKey') &&
          actions.join() === 'kms:Decrypt,kms:GenerateDataKey*' &&
          statement.Principal?.Service === 'cloudwatch.amazonaws.com';
        const isAutoDeleteOfThrowawayBucket =
          type === 'AWS::S3::BucketPolicy' &&
          actions.join() === 's3:DeleteObject*,s3:GetBucket*,s3:List*,s3:PutBucketPolicy' &&
          JSON.stringify(statement.Principal).includes('CustomS3AutoDeleteObjectsCustomResourceProviderRole');
        const isWebAppDeployment = where.startsWith(WEB_DEPLOYMENT_ROLE) && actions.every((action) => WEB_DEPLOYMENT_S3_WILDCARDS.includes(action) || !action.includes('*'));
        expect(isKeyAdministration || isCloudWatchOnOpsKey || isAutoDeleteOfThrowawayBucket || isWebAppDeployment, `${where}: ${actions.join(', ')}`).toBe(true);
      }
    });

    it('empties buckets on deletion (the auto-delete grant) only where data is not retained', () => {
      const autoDelete = (synth: SynthesizedTracker) =>
        policyStatementsIn(synth.stateful).filter(({ statement }) => JSON.stringify(statement.Principal ?? {}).includes('AutoDeleteObjects'));

      expect(autoDelete(prod)).toEqual([]);
      expect(autoDelete(dev).length).toBeGreaterThan(0);
    });

    it("attaches a managed policy to no role but CDK's auto-delete function, which only throwaway stages have", () => {
      const withManagedPolicies = (synth: SynthesizedTracker) =>
        [synth.stateful, synth.stateless].flatMap((template) =>
          Object.entries(resourcesOf(template, 'AWS::IAM::Role'))
            .filter(([, role]) => (role.Properties?.ManagedPolicyArns ?? []).length > 0)
            .map(([id, role]) => [id, JSON.stringify(role.Properties?.ManagedPolicyArns)]),
        );

      expect(withManagedPolicies(prod)).toEqual([]);
      expect(withManagedPolicies(dev)).toEqual([
        [expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderRole/), expect.stringContaining('AWSLambdaBasicExecutionRole')],
      ]);
    });

    it('allows no principal "*": every statement with one is a Deny', () => {
      const open = everyStatement().filter(
        ({ statement }) => statement.Principal === '*' || (statement.Principal as { AWS?: unknown } | undefined)?.AWS === '*',
      );

      expect(open.length).toBeGreaterThan(0);
      for (const { where, statement } of open) expect(statement.Effect, where).toBe('Deny');
    });

    it('allows services on keys and topics only on behalf of this account', () => {
      const serviceGrants = everyStatement().filter(
        ({ type, statement }) =>
          (type === 'AWS::KMS::Key' || type === 'AWS::SNS::TopicPolicy') && statement.Effect === 'Allow' && statement.Principal?.Service !== undefined,
      );

      expect(serviceGrants.length).toBeGreaterThan(0);
      for (const { where, statement } of serviceGrants) {
        expect(statement.Condition?.StringEquals?.['aws:SourceAccount'], where).toEqual({ Ref: 'AWS::AccountId' });
      }
    });

    it('gives function roles Resource "*" for X-Ray only (and the web deployment for CloudFront invalidations)', () => {
      const onEverything = everyStatement().filter(
        ({ type, statement }) =>
          (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::Role') && statement.Effect === 'Allow' && [].concat(statement.Resource).includes('*' as never),
      );

      expect(onEverything.length).toBeGreaterThan(0);
      for (const { where, statement } of onEverything) {
        const allowed = where.startsWith(WEB_DEPLOYMENT_ROLE) ? (action: string) => ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'].includes(action) : (action: string) => action.startsWith('xray:');
        expect(actionList(statement).every(allowed), `${where}: ${actionList(statement).join(', ')}`).toBe(true);
      }
    });
  });
});
