/**
 * The feeds in AWS: a private bucket that only CloudFront reads, a distribution that speaks HTTPS
 * only with CORS for any origin and a cache of a few seconds, a token in every path that is in no
 * template, and a writer that may put and delete under that token and do nothing else in S3.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED_MAX_AGE_SECONDS } from '../../functions/application/feed-files.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { FEED_BATCHING_WINDOW } from '../../infra/constructs/feeds.ts';
import { FULL_SETTINGS, expectReadOnlyByCloudFront, functionId, only, resourcesOf, roleStatements, synthTracker, type SynthesizedTracker } from './synth.ts';

describe('feeds', () => {
  let synth: SynthesizedTracker;
  beforeAll(() => {
    synth = synthTracker(FULL_SETTINGS);
  });

  const feedBucket = () => {
    const [id, bucket] = only(
      Object.fromEntries(Object.entries(resourcesOf(synth.stateful, 'AWS::S3::Bucket')).filter(([, b]) => JSON.stringify(b.Properties?.BucketName ?? '').includes('pt-feeds-'))),
      'feed bucket',
    );
    return { id, bucket };
  };

  /** The feeds' own resources of a type (the web app has a distribution of its own). */
  const feedsOnly = (type: string) => Object.fromEntries(Object.entries(resourcesOf(synth.stateful, type)).filter(([id]) => id.startsWith('Feeds')));

  it('keeps the bucket private, encrypted, versioned and logged', () => {
    const { bucket } = feedBucket();
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.Properties?.BucketEncryption)).toContain('AES256');
    expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties?.LoggingConfiguration?.LogFilePrefix).toBe('feeds-bucket/');
  });

  it('lets only the distribution read the bucket (OAC, SourceArn), and refuses plain HTTP', () => {
    expectReadOnlyByCloudFront(synth.stateful, feedBucket().id);
    expect(Object.keys(feedsOnly('AWS::CloudFront::OriginAccessControl'))).toHaveLength(1);
  });

  it('serves HTTPS only, GET/HEAD/OPTIONS, from the feeds prefix, with logging', () => {
    const [, distribution] = only(feedsOnly('AWS::CloudFront::Distribution'), 'distribution');
    const config = distribution.Properties?.DistributionConfig;
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'https-only', AllowedMethods: ['GET', 'HEAD', 'OPTIONS'] });
    expect(config.Origins[0].OriginPath).toBe('/feeds');
    expect(config.Logging.Prefix).toBe('cloudfront/');
    expect(config.HttpVersion).toBe('http2and3');
  });

  it('keeps the shared certificate without a custom domain, and requires TLS 1.2 on its own name and certificate with one', () => {
    const distributionOf = (tracker: SynthesizedTracker) =>
      only(Object.fromEntries(Object.entries(resourcesOf(tracker.stateful, 'AWS::CloudFront::Distribution')).filter(([id]) => id.startsWith('Feeds'))), 'distribution')[1];
    const shared = distributionOf(synth).Properties?.DistributionConfig;
    expect(shared.Aliases).toBeUndefined();
    expect(shared.ViewerCertificate).toBeUndefined();

    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f7c3a4e-5b6d-4c8e-9a1b-2c3d4e5f6a7b';
    const custom = synthTracker({ ...FULL_SETTINGS, feedsDomain: { name: 'feeds.example.org', certificateArn } });
    const own = distributionOf(custom).Properties?.DistributionConfig;
    expect(own.Aliases).toEqual(['feeds.example.org']);
    expect(own.ViewerCertificate).toMatchObject({ AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    const writer = resourcesOf(custom.stateless, 'AWS::Lambda::Function')[functionId(custom.stateless, 'FeedWriterFunction')]!;
    expect(JSON.stringify(writer.Properties?.Environment.Variables[ENV.feedsBaseUrl])).toContain('https://feeds.example.org/');
  });

  it('answers any origin for GET and HEAD, without credentials', () => {
    const [, policy] = only(feedsOnly('AWS::CloudFront::ResponseHeadersPolicy'), 'response headers policy');
    const cors = policy.Properties?.ResponseHeadersPolicyConfig.CorsConfig;
    expect(cors.AccessControlAllowOrigins.Items).toEqual(['*']);
    expect(cors.AccessControlAllowMethods.Items).toEqual(expect.arrayContaining(['GET', 'HEAD']));
    expect(cors.AccessControlAllowCredentials).toBe(false);
    expect(cors.OriginOverride).toBe(true);
  });

  it('caches a few seconds, keyed by the path alone', () => {
    const [, policy] = only(feedsOnly('AWS::CloudFront::CachePolicy'), 'cache policy');
    const config = policy.Properties?.CachePolicyConfig;
    expect(config).toMatchObject({ DefaultTTL: FEED_MAX_AGE_SECONDS, MaxTTL: FEED_MAX_AGE_SECONDS, MinTTL: 0 });
    const key = config.ParametersInCacheKeyAndForwardedToOrigin;
    expect(key).toMatchObject({ QueryStringsConfig: { QueryStringBehavior: 'none' }, HeadersConfig: { HeaderBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' } });
  });

  it('lets the writer put and delete under the token prefix of the feed bucket, nothing else in S3', () => {
    const writer = functionId(synth.stateless, 'FeedWriterFunction');
    const s3 = roleStatements(synth.stateless, writer).filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toHaveLength(1);
    expect([...(s3[0]!.Action as string[])].sort()).toEqual(['s3:DeleteObject', 's3:PutObject']);
    const resource = JSON.stringify(s3[0]!.Resource);
    expect(resource).toContain('pt-feeds-prod-');
    expect(resource).toMatch(/\/feeds\/.*\{"Ref":"SsmParameterValue[^"]*"\}.*\/\*/);
  });

  it('takes the token from SSM at deploy time, so no template holds it, and hands it and the URL to the writer', () => {
    const writer = resourcesOf(synth.stateless, 'AWS::Lambda::Function')[functionId(synth.stateless, 'FeedWriterFunction')]!;
    const variables = writer.Properties?.Environment.Variables;
    const parameter = Object.entries(synth.stateless.toJSON().Parameters ?? {}).find(([id]) => id.startsWith('SsmParameterValue'));
    expect(parameter?.[1]).toMatchObject({ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/position-tracker/prod/feeds-token' });
    expect(variables[ENV.feedsToken]).toEqual({ Ref: parameter?.[0] });
    expect(JSON.stringify(variables[ENV.feedsBaseUrl])).toContain('https://');
  });

  it('debounces with the queue: a batching window on the writer', () => {
    const writer = functionId(synth.stateless, 'FeedWriterFunction');
    synth.stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: writer },
      MaximumBatchingWindowInSeconds: FEED_BATCHING_WINDOW.toSeconds(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});
