/**
 * What the tracker's two CloudFront distributions (the feeds, the web app) share: the bucket their
 * standard logs go to, the stage's own domain with TLS 1.2, and the acknowledgment for the shared
 * *.cloudfront.net certificate when there is no such domain.
 */
import { Duration } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { SecurityPolicyProtocol, type Distribution, type DistributionProps } from 'aws-cdk-lib/aws-cloudfront';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { removalOf } from './snapshots.ts';

/** A distribution's own host name and its us-east-1 certificate (stage settings `feedsDomain`, `webDomain`). */
export interface OwnDomain {
  name: string;
  certificateArn: string;
}

/**
 * CloudFront's standard logs are delivered with an ACL, so this one bucket keeps ACLs (object
 * writer); the S3 server access logs of the distribution's bucket land here too.
 */
export const distributionLogBucket = (scope: Construct, { historyDays, retainData }: { historyDays: number; retainData: boolean }): Bucket =>
  new Bucket(scope, 'Logs', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.OBJECT_WRITER,
    lifecycleRules: [{ expiration: Duration.days(historyDays) }],
    ...removalOf(retainData),
  });

/**
 * The domain settings of a distribution. A security policy applies to a distribution's own
 * certificate only; the shared *.cloudfront.net one keeps CloudFront's fixed policy, so it is set
 * with a custom domain alone.
 */
export const ownDomainProps = (scope: Construct, domain: OwnDomain | undefined): Partial<DistributionProps> =>
  domain === undefined
    ? {}
    : {
        domainNames: [domain.name],
        certificate: Certificate.fromCertificateArn(scope, 'Certificate', domain.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      };

/** Without its own domain, the distribution serves the shared certificate, whose TLS policy CloudFront fixes. */
export const acknowledgeSharedCertificate = (distribution: Distribution, domain: OwnDomain | undefined, setting: string): void => {
  if (domain !== undefined) return;
  acknowledge(distribution, 'AwsSolutions-CFR4',
    `No custom domain is configured for this stage (${setting}), so the distribution serves the shared *.cloudfront.net certificate, whose TLS policy CloudFront fixes; with ${setting} set the distribution requires TLS 1.2 (TLSv1.2_2021).`);
};
