/**
 * The web app's hosting: a private bucket served by CloudFront through Origin Access Control, HTTPS
 * only (TLS 1.2 and up), with a response headers policy that carries the content security policy
 * (functions/shared/web-app-policy.ts: scripts and styles from the app's own origin only, so quoted
 * markup can never run), HSTS, nosniff, frame-options DENY and a strict referrer policy. In the
 * stateful stack, like the feeds, so the app's URL outlives redeployments (it is the sign-in's
 * callback). The files and `config.json` are deployed from the stateless stack (web-app-files.ts).
 *
 * The CSP's connect-src names the sign-in domain exactly, and the API by the regional execute-api
 * wildcard: the API lives in the stateless stack, whose CORS names this distribution, and naming
 * each other exactly would make the two stacks depend on each other.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import {
  AllowedMethods, CachePolicy, Distribution, HeadersFrameOption, HeadersReferrerPolicy, HttpVersion, PriceClass, ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { webAppContentSecurityPolicy } from '../../functions/shared/web-app-policy.ts';
import { acknowledge } from '../nag.ts';
import { acknowledgeSharedCertificate, distributionLogBucket, ownDomainProps, type OwnDomain } from './distribution-parts.ts';
import { privateBucketProps } from './snapshots.ts';

/** Derived, like the feed bucket's, so the stateless stack's deployment grant needs no cross-stack reference. */
export const webBucketName = (stage: string): string => `pt-web-${stage}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export interface WebHostingProps {
  stage: string;
  retainData: boolean;
  historyDays: number;
  /** The hosted sign-in's host name, when the stage signs in with the tracker's own user pool. */
  signInDomain?: string | undefined;
  /** The app's own domain and its certificate (us-east-1); the distribution's name otherwise. */
  customDomain?: OwnDomain | undefined;
}

/** Where the app may connect besides its own origin: the API (regional wildcard, see above) and Cognito. */
export const webAppConnectSources = (signInDomain?: string): string[] => [
  `https://*.execute-api.${Aws.REGION}.amazonaws.com`,
  ...(signInDomain === undefined ? [] : [`https://${signInDomain}`, `https://cognito-idp.${Aws.REGION}.amazonaws.com`]),
];

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;

  readonly domainName: string;

  constructor(scope: Construct, id: string, { stage, retainData, historyDays, signInDomain, customDomain }: WebHostingProps) {
    super(scope, id);

    this.logBucket = distributionLogBucket(this, { historyDays, retainData });
    this.bucket = new Bucket(this, 'Files', {
      bucketName: webBucketName(stage),
      ...privateBucketProps({ retainData, historyDays, logs: this.logBucket, logPrefix: 'web-bucket/' }),
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Web app: content security policy, HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: webAppContentSecurityPolicy(webAppConnectSources(signInDomain)), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Position tracker web app (${stage})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...ownDomainProps(this, customDomain),
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    acknowledge(this.distribution, 'AwsSolutions-CFR1',
      "No geo restriction: the newsroom's editors and readers work from wherever a story takes them; sign-in and the API's authorizer decide who gets data.");
    acknowledge(this.distribution, 'AwsSolutions-CFR2',
      'No WAF: the distribution serves the static files of the app (no data, no input: GET and HEAD only, nothing but the path in the cache key); every data request goes to the API, behind its JWT authorizer and throttling.');
    this.domainName = customDomain?.name ?? this.distribution.distributionDomainName;
    acknowledgeSharedCertificate(this.distribution, customDomain, 'webDomain');
  }

  /** The app's URL, the sign-in's callback. */
  get url(): string {
    return `https://${this.domainName}/`;
  }
}
