/**
 * cdk-nag (AWS Solutions) passes on every configuration we ship, it really is switched on, and
 * every finding we accept is acknowledged on the resource it concerns, with a reason.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.ts';
import { applyNag, buildTracker } from '../../infra/tracker-app.ts';
import { cdkJsonContext, FULL_SETTINGS, synthTracker } from './synth.ts';

const acknowledgmentsIn = (root: IConstruct): Array<{ path: string; id: string; reason: string }> =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason })),
      ),
  );

describe('cdk-nag', () => {
  it('passes on the dev defaults', () => {
    expect(() => synthTracker({ stage: 'dev' })).not.toThrow();
  });

  it('passes with every feature on (JWT, Slack, filtered e-mails, data retained)', () => {
    expect(() => synthTracker(FULL_SETTINGS)).not.toThrow();
  });

  it("passes with the tracker's own Cognito user pool, its one finding (the Essentials plan) acknowledged", () => {
    const { app } = synthTracker({ ...FULL_SETTINGS, apiAuth: { type: 'cognito' } });

    const cognito = acknowledgmentsIn(app).filter((a) => a.id.includes('COG'));
    expect(cognito.map((a) => a.id.replace(/^.*(AwsSolutions-COG\d+).*$/, '$1'))).toEqual(['AwsSolutions-COG8']);
  });

  it('passes on the committed prod configuration', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], stage: 'prod' } });
    const stacks = buildTracker(app, loadConfig({ context: (key) => app.node.tryGetContext(key) }));
    applyNag(app);

    expect(() => Template.fromStack(stacks.stateless)).not.toThrow();
  });

  it('is really on: a non-compliant resource in the app fails the synth', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    buildTracker(app, loadConfig({ context: () => undefined }));
    const rogue = new Stack(app, 'Rogue');
    new Bucket(rogue, 'UnloggedBucket');
    applyNag(app);

    expect(() => Template.fromStack(rogue)).toThrow(/AwsSolutions-S1|AwsSolutions-S10/);
  });

  it('acknowledges only the known findings, each with a specific reason', () => {
    const { app } = synthTracker(FULL_SETTINGS);

    const acknowledgments = acknowledgmentsIn(app);

    const rules = [...new Set(acknowledgments.map((a) => a.id.replace(/^(Annotation|AwsSolutions)::/i, '').replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3']);
    for (const { path, id, reason } of acknowledgments) {
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(60);
    }
    const wildcardActions = acknowledgments.filter((a) => a.id.includes('IAM5[Action::')).map((a) => a.id.replace(/^.*\[Action::/, ''));
    // Only the S3 actions CDK's BucketDeployment grants to deploy the web app.
    expect([...new Set(wildcardActions)].sort()).toEqual(['s3:Abort*]', 's3:DeleteObject*]', 's3:GetBucket*]', 's3:GetObject*]', 's3:List*]']);
    const wildcardResources = acknowledgments.filter((a) => a.id.includes('IAM5[Resource::')).map((a) => a.id.replace(/^.*\[Resource::/, ''));
    for (const resource of wildcardResources) {
      // Only X-Ray's (and CloudFront invalidation's) Resource *, the snapshot bucket's objects, the feeds under the stage's token,
      // and the web app's deployment: the staged build in the CDK assets bucket and the app's own bucket.
      expect(
        resource === '*]' || /:s3:::pt-snapshots-prod-.*\/snapshots\/\*\.json\]$/.test(resource) || /:s3:::pt-feeds-prod-.*\/feeds\/<.*>\/\*\]$/.test(resource) ||
          /:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\/\*\]$/.test(resource) || /:s3:::pt-web-prod-.*\/\*\]$/.test(resource),
        resource,
      ).toBe(true);
    }
  });
});
