/**
 * Every Lambda function of the tracker: one handler file under functions/handlers/, bundled
 * locally with esbuild as ESM for Node 24 on arm64, with its own log group and Powertools
 * settings. The `bind*` helpers grant access to a resource and hand the function its name in
 * one call, so a function can never be given a resource it has no permission for, or the reverse.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { snapshotKey } from '../../functions/application/snapshots.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { SERVICE_NAME } from '../../functions/shared/observability.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import { functionBundling, type FunctionBundlingOptions } from './function-bundling.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The functions default to the same service name; the alarms on their metrics depend on it. */
export { SERVICE_NAME };

/** Settings every function shares, derived from the stage configuration. */
export interface FunctionSettings {
  stage: string;
  /** CloudWatch namespace for the Powertools metrics (POWERTOOLS_METRICS_NAMESPACE). */
  metricsNamespace: string;
  logRetention: RetentionDays;
  /** Keep the log group when the stack is deleted. */
  retainLogs: boolean;
}

export interface TrackerFunctionProps {
  /** File stem under functions/handlers/, e.g. `process-statements`. */
  handlerFile: string;
  description: string;
  settings: FunctionSettings;
  /** @default 30 seconds */
  timeout?: Duration;
  /** @default 256 MB */
  memorySize?: number;
  /**
   * A fixed name for the execution role, for a policy outside this stack that must name the
   * role (see processorRoleName). @default a name CloudFormation generates
   */
  roleName?: string;
  /** @default the shared bundling, without the in-function tracer */
  bundling?: FunctionBundlingOptions;
}

/** What a function needs to know about the tracker table to be bound to it. */
export interface TableBinding {
  readonly tableName: string;
  readonly tableArn: string;
  /** ARNs of the table's global secondary indexes (queries on an index need their own grant). */
  readonly indexArns: readonly string[];
}

export type TableAccess = 'read' | 'readWrite';
export type BucketAccess = 'read' | 'write';

/**
 * Item-level actions only: no Scan (every read path is a key or index query), no table-level
 * actions (DescribeTable, DeleteTable, UpdateTable), no streams.
 */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** ConditionCheckItem is what a TransactWriteItems condition on another item needs. */
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export class TrackerFunction extends NodejsFunction {
  readonly logGroupRef: LogGroup;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: TrackerFunctionProps) {
    const { settings } = props;
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: settings.logRetention,
      removalPolicy: settings.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Our own role instead of the default one with AWSLambdaBasicExecutionRole, which may
    // create and write any log group in the account: this one writes to its own log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.handlerFile}`,
      roleName: props.roleName,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      description: props.description,
      entry: join(REPO_ROOT, 'functions', 'handlers', `${props.handlerFile}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: settings.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        [ENV.stage]: settings.stage,
      },
      // The options live in function-bundling.ts, where the bundle bench and tests read them too.
      bundling: functionBundling(props.bundling),
    });
    this.logGroupRef = logGroup;
    this.executionRole = role;
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]',
      'Only the X-Ray actions (PutTraceSegments, PutTelemetryRecords) added by active tracing use Resource *: X-Ray has no resource-level permissions.');
  }

  /** Grants item-level access to the table and its indexes and sets ENV.tableName. */
  bindTable({ table, access }: { table: TableBinding; access: TableAccess }): void {
    this.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: TABLE_READ_ACTIONS,
        resources: [table.tableArn, ...table.indexArns],
      }),
    );
    if (access === 'readWrite') {
      this.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: TABLE_WRITE_ACTIONS,
          resources: [table.tableArn],
        }),
      );
    }
    this.addEnvironment(ENV.tableName, table.tableName);
  }

  /** Grants events:PutEvents on this bus only and sets ENV.eventBusName. */
  bindEventBus({ bus }: { bus: IEventBus }): void {
    bus.grantPutEventsTo(this);
    this.addEnvironment(ENV.eventBusName, bus.eventBusName);
  }

  /**
   * Grants sns:Publish on the topic and, for an encrypted topic, exactly the two KMS actions
   * SNS needs on the publisher's behalf (CDK's grantPublish would add kms:GenerateDataKey*),
   * and sets ENV.alertTopicArn.
   */
  bindAlertTopic({ topic }: { topic: ITopic }): void {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (topic.masterKey !== undefined) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topic.masterKey.keyArn] }),
      );
    }
    this.addEnvironment(ENV.alertTopicArn, topic.topicArn);
  }

  /** Grants reading this one secret and sets its ARN in `envName`. */
  bindSecret({ secret, envName }: { secret: ISecret; envName: (typeof ENV)[keyof typeof ENV] }): void {
    secret.grantRead(this);
    this.addEnvironment(envName, secret.secretArn);
  }

  /**
   * Grants s3:GetObject (read, also what a presigned GET needs) or s3:PutObject (write) on the
   * bucket's objects, and sets ENV.snapshotBucket. Readers also get s3:ListBucket on the bucket
   * (not its objects): without it S3 answers 403 instead of 404 for a snapshot not written yet.
   */
  bindSnapshotBucket({ bucket, access }: { bucket: IBucket; access: BucketAccess }): void {
    // The key layout is the snapshot store's (snapshots/<issue>.json): the grant follows it.
    const objects = bucket.arnForObjects(snapshotKey('*'));
    const objectAction = access === 'read' ? 's3:GetObject' : 's3:PutObject';
    this.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [objectAction], resources: [objects] }));
    if (access === 'read') {
      this.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    }
    this.addEnvironment(ENV.snapshotBucket, bucket.bucketName);
    acknowledge(this.executionRole, wildcardResourceFinding(Stack.of(this), objects),
      `Snapshot keys are made per issue at run time (snapshots/<issue>.json); the grant is ${objectAction} on those keys of this one bucket only.`);
  }
}
