/**
 * The public feeds for graphics desks: a private bucket served by CloudFront through Origin
 * Access Control (in the stateful stack, so the URL outlives redeployments), and the writer that
 * rebuilds an issue's feeds on every tracker change (in the stateless stack).
 *
 * Datawrapper and Flourish fetch a URL and send no credentials, so the feeds are readable by
 * anyone with the URL; the stage's token, the first segment of every path, is what keeps them from
 * being found (see the README: "Feeds for graphics desks").
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods, CachedMethods, CachePolicy, CacheQueryStringBehavior, CacheHeaderBehavior, CacheCookieBehavior, Distribution, HttpVersion,
  PriceClass, ResponseHeadersPolicy, ViewerProtocolPolicy, HeadersFrameOption,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { feedObjectPrefix, FEEDS_PREFIX } from '../../functions/adapters/s3/feed-store.ts';
import { FEED_MAX_AGE_SECONDS } from '../../functions/application/feed-files.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import { acknowledgeSharedCertificate, distributionLogBucket, ownDomainProps, type OwnDomain } from './distribution-parts.ts';
import { EventQueue } from './event-queue.ts';
import { privateBucketProps } from './snapshots.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

/** Derived, like the snapshot bucket's, so the writer's grant needs no cross-stack reference. */
export const feedBucketName = (stage: string): string => `pt-feeds-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

/** Where a stage's token lives unless the configuration names another parameter. */
export const defaultFeedTokenParameter = (stage: string): string => `/position-tracker/${stage}/feeds-token`;

export interface FeedDistributionProps {
  stage: string;
  retainData: boolean;
  /** Days to keep access logs and superseded feed versions. */
  historyDays: number;
  /** The feeds' own host name and its us-east-1 certificate (stage config `feedsDomain`). */
  domain?: OwnDomain | undefined;
}

export class FeedDistribution extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly cachePolicy: CachePolicy;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** The host name in every feed URL: the custom domain when configured, else d123.cloudfront.net. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, { stage, retainData, historyDays, domain }: FeedDistributionProps) {
    super(scope, id);

    this.logBucket = distributionLogBucket(this, { historyDays, retainData });

    // Versioned like the snapshots: a chart can be checked against the feed as it was; a bad write can be undone.
    this.bucket = new Bucket(this, 'Feeds', {
      bucketName: feedBucketName(stage),
      ...privateBucketProps({ retainData, historyDays, logs: this.logBucket, logPrefix: 'feeds-bucket/' }),
    });

    // A few seconds at the edge: Datawrapper polls every minute, and a correction must not wait.
    this.cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'Feeds: a few seconds, nothing in the key but the path',
      defaultTtl: Duration.seconds(FEED_MAX_AGE_SECONDS),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(FEED_MAX_AGE_SECONDS),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'ResponseHeaders', {
      comment: 'Feeds: readable from any origin (charting tools fetch from the browser), without credentials',
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.minutes(10),
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Position tracker feeds (${stage})`,
      defaultBehavior: {
        // The distribution's root is the bucket's feeds/ prefix: /<token>/index.json is feeds/<token>/index.json.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, { originPath: `/${FEEDS_PREFIX}` }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: CachedMethods.CACHE_GET_HEAD_OPTIONS,
        cachePolicy: this.cachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...ownDomainProps(this, domain),
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    acknowledge(this.distribution, 'AwsSolutions-CFR1',
      'No geo restriction: the feeds are public charts embedded by newsrooms and read wherever their readers are.');
    acknowledge(this.distribution, 'AwsSolutions-CFR2',
      'No WAF: the distribution serves small static files from S3 with a few seconds of caching, takes no input (no query strings, cookies or headers in the key) and has nothing a WAF rule would protect.');
    acknowledgeSharedCertificate(this.distribution, domain, 'feedsDomain');
    this.domainName = domain?.name ?? this.distribution.distributionDomainName;
  }
}

export interface FeedWriterProps {
  settings: FunctionSettings;
  table: TableBinding;
  bucket: IBucket;
  /** The distribution's domain name (d123.cloudfront.net). */
  domainName: string;
  /** The stage's token, resolved at deploy time (from its SSM parameter). */
  token: string;
}

const WRITER_TIMEOUT = Duration.seconds(60);
/** The debounce: a burst of changes to one issue within the window is one write of its feeds. */
export const FEED_BATCHING_WINDOW = Duration.seconds(5);

export class FeedWriter extends Construct {
  readonly function: TrackerFunction;
  readonly queue: EventQueue;
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, { settings, table, bucket, domainName, token }: FeedWriterProps) {
    super(scope, id);
    this.function = new TrackerFunction(this, 'Function', {
      handlerFile: 'write-feeds',
      description: "Rebuilds a published issue's feeds (CSV and JSON for graphics desks) when the tracker publishes a change",
      settings,
      timeout: WRITER_TIMEOUT,
    });
    this.function.bindTable({ table, access: 'read' });
    this.baseUrl = `https://${domainName}/${token}`;
    this.bindFeeds(bucket, token);

    this.queue = new EventQueue(this, 'Queue', { consumerTimeout: WRITER_TIMEOUT, consumerBatchingWindow: FEED_BATCHING_WINDOW });
    this.function.addEventSource(
      new SqsEventSource(this.queue.queue, {
        batchSize: 100,
        maxBatchingWindow: FEED_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        // Two at most (the least SQS allows): every write rebuilds from the table, so more only write the same files.
        maxConcurrency: 2,
      }),
    );
  }

  /** Put and delete under this stage's token only: the writer can neither read a feed nor write outside its prefix. */
  private bindFeeds(bucket: IBucket, token: string): void {
    const objects = bucket.arnForObjects(`${feedObjectPrefix(token)}/*`);
    this.function.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] }));
    this.function.addEnvironment(ENV.feedsBucket, bucket.bucketName);
    this.function.addEnvironment(ENV.feedsToken, token);
    this.function.addEnvironment(ENV.feedsBaseUrl, this.baseUrl);
    acknowledge(this.function.executionRole, wildcardResourceFinding(Stack.of(this), objects),
      "Feed keys are made per issue at run time (feeds/<token>/<issue>/timeline.csv, …); the grant is s3:PutObject and s3:DeleteObject on this stage's token prefix of this one bucket only.");
  }
}
