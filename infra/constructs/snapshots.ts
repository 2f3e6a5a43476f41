/**
 * JSON snapshots of each issue's position matrix, for newsroom graphics: a private bucket (in
 * the stateful stack) and the writer that refreshes an issue's snapshot on every position change
 * (in the stateless stack). Readers get presigned URLs from the API, never public objects.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EventQueue } from './event-queue.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

/**
 * A name derived from the stage, account and region rather than a generated one: the stateless
 * stack builds its grants from it instead of a cross-stack reference, which keeps its IAM
 * policies free of CDK-generated output names (and cdk-nag acknowledgments stable), and
 * graphics tools can find the bucket without looking it up. 41 characters plus the stage.
 */
export const snapshotBucketName = (stage: string): string => `pt-snapshots-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/**
 * What every data bucket of the tracker is: private, SSE-S3, TLS only, owner-enforced, versioned
 * with superseded versions kept `historyDays`, logged into `logs` under `logPrefix`, and retained
 * or emptied with the stack.
 */
export const privateBucketProps = (p: { retainData: boolean; historyDays: number; logs: IBucket; logPrefix: string }) => ({
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
  lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(p.historyDays) }],
  serverAccessLogsBucket: p.logs,
  serverAccessLogsPrefix: p.logPrefix,
  ...removalOf(p.retainData),
});

export const removalOf = (retainData: boolean) =>
  retainData ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

export interface SnapshotBucketProps {
  stage: string;
  /** Keep both buckets when the stack goes; otherwise they are emptied and deleted with it. */
  retainData: boolean;
  /** Days to keep server access logs and superseded snapshot versions. */
  historyDays: number;
}

export class SnapshotBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, { stage, retainData, historyDays }: SnapshotBucketProps) {
    super(scope, id);
    const removal = removalOf(retainData);

    // S3-managed keys on both: server access logs can only be delivered to SSE-S3 buckets, and
    // with SSE-S3 a presigned URL works for whoever holds it without a KMS grant.
    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(historyDays) }],
      ...removal,
    });

    // Versions let a graphic be rebuilt as it was on a given day, and undo a bad write.
    this.bucket = new Bucket(this, 'Snapshots', {
      bucketName: snapshotBucketName(stage),
      ...privateBucketProps({ retainData, historyDays, logs: this.accessLogBucket, logPrefix: 'snapshots/' }),
    });
  }
}

export interface SnapshotWriterProps {
  settings: FunctionSettings;
  table: TableBinding;
  bucket: IBucket;
}

const WRITER_TIMEOUT = Duration.seconds(60);
/** A burst of changes to one issue produces one write of its latest matrix, not one per change. */
const WRITER_BATCHING_WINDOW = Duration.seconds(5);

export class SnapshotWriter extends Construct {
  readonly function: TrackerFunction;
  readonly queue: EventQueue;

  constructor(scope: Construct, id: string, { settings, table, bucket }: SnapshotWriterProps) {
    super(scope, id);
    this.function = new TrackerFunction(this, 'Function', {
      handlerFile: 'write-snapshot',
      description: "Writes an issue's position matrix as JSON to the snapshot bucket when a position changes",
      settings,
      timeout: WRITER_TIMEOUT,
    });
    this.function.bindTable({ table, access: 'read' });
    this.function.bindSnapshotBucket({ bucket, access: 'write' });

    this.queue = new EventQueue(this, 'Queue', { consumerTimeout: WRITER_TIMEOUT, consumerBatchingWindow: WRITER_BATCHING_WINDOW });
    this.function.addEventSource(
      new SqsEventSource(this.queue.queue, {
        batchSize: 10,
        maxBatchingWindow: WRITER_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        // Two writers at most: a snapshot is rebuilt from the table, so the last write wins
        // whichever change triggered it, and more parallelism only means more identical writes.
        maxConcurrency: 2,
      }),
    );
  }
}
