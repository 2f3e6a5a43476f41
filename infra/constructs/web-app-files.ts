/**
 * The web app's files in its bucket (web-app.ts), from the stateless stack: built at synth time by
 * `tsx web/build.ts --out <dir>` on this machine (local bundling, no Docker), with `config.json`
 * telling the app where the API is and how to sign in. The distribution's cache is invalidated on
 * every deployment, so a new build is what readers get.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, AssetHashType, DockerImage, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../nag.ts';
import { REPO_ROOT } from './tracker-function.ts';

export const WEB_BUILD_SCRIPT = join(REPO_ROOT, 'web', 'build.ts');

/** What `config.json` tells the app about signing in. */
export type WebAuthConfig =
  | { type: 'cognito'; domain: string; clientId: string; region: string; scopes: readonly string[] }
  | { type: 'oidc'; issuer: string; clientId: string; scopes: readonly string[] }
  | { type: 'iam' };

export interface WebAppFilesProps {
  bucket: IBucket;
  distribution: IDistribution;
  apiUrl: string;
  auth: WebAuthConfig;
  logRetention: RetentionDays;
  retainLogs: boolean;
}

/** The app built into the asset's output folder; refuses rather than falling back to Docker. */
const buildWebApp = (outputDir: string): boolean => {
  if (!existsSync(WEB_BUILD_SCRIPT)) throw new Error(`cannot bundle the web app: ${WEB_BUILD_SCRIPT} does not exist`);
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [WEB_BUILD_SCRIPT, '--out', outputDir], { cwd: REPO_ROOT, stdio: 'inherit' });
  return true;
};

export class WebAppFiles extends Construct {
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, { bucket, distribution, apiUrl, auth, logRetention, retainLogs }: WebAppFilesProps) {
    super(scope, id);
    const files = existsSync(WEB_BUILD_SCRIPT) ? [Source.asset(REPO_ROOT, {
      // The build's output decides the hash: the repository itself is never fingerprinted or copied.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never run: local bundling either builds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
        local: { tryBundle: (outputDir) => buildWebApp(outputDir) },
      },
    })] : [];
    if (files.length === 0) Annotations.of(this).addWarningV2('tracker:web-app-missing', `${WEB_BUILD_SCRIPT} is not in this checkout: only config.json is deployed`);
    const logGroup = new LogGroup(this, 'DeploymentLogs', { retention: logRetention, removalPolicy: retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    // Our own role rather than the one CDK would make with AWSLambdaBasicExecutionRole: it writes to its own log group only.
    const role = new Role(this, 'DeploymentRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: "Copies the web app's files into its bucket" });
    logGroup.grantWrite(role);
    this.deployment = new BucketDeployment(this, 'Deployment', {
      role,
      sources: [...files, Source.jsonData('config.json', { apiUrl, auth })],
      destinationBucket: bucket,
      distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
      logGroup,
    });
    this.acknowledgeDeploymentGrants(role, bucket);
  }

  /** The grants BucketDeployment gives the role it runs with: read the staged asset, replace the app's files, invalidate the cache. */
  private acknowledgeDeploymentGrants(role: Role, bucket: IBucket): void {
    const stack = Stack.of(this);
    const because = "are what CDK's BucketDeployment grants to read the staged build from the CDK assets bucket and replace (prune) the app's files in its one bucket; it runs only at deployment";
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, `${action} and the other wildcard S3 actions ${because}.`);
    }
    acknowledge(role, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'The CDK assets bucket holds the staged build of the app under a content hash chosen at synth; the deployment reads it from there and nothing else.');
    acknowledge(role, wildcardResourceFinding(stack, bucket.arnForObjects('*')),
      "The deployment replaces every file of the web app's own bucket (index.html, app/*, config.json) and prunes the rest: the whole bucket is the app.");
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]',
      'The CloudFront invalidation actions BucketDeployment grants (cloudfront:CreateInvalidation, GetInvalidation) under Resource *; they only flush the app distribution cache after a deployment.');
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler !== undefined) {
      acknowledge(handler, 'AwsSolutions-L1',
        "The runtime of CDK's BucketDeployment custom resource is chosen by aws-cdk-lib and moves with its upgrades; it runs only at deployment, never on a request.");
    }
  }
}
