/**
 * Builds the tracker app for a test the way `cdk synth` does (same feature flags from cdk.json,
 * same stacks, cdk-nag on), minus bundling unless asked: templates for the assertions.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { parseConfig, type TrackerConfig } from '../../infra/config.ts';
import { applyNag, buildTracker, type TrackerStacks } from '../../infra/tracker-app.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The feature flags and settings `cdk synth` runs with. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, 'utf8')) as { context: Record<string, unknown> }).context;

export interface SynthOptions {
  /** Bundle the functions with esbuild (slow); off by default. */
  bundle?: boolean;
  /** Run the cdk-nag AWS Solutions checks; on by default, as in `cdk synth`. */
  nag?: boolean;
  outdir?: string;
}

export interface SynthesizedTracker {
  app: App;
  config: TrackerConfig;
  stacks: TrackerStacks;
  /** Template.fromStack synthesizes the app: with nag on, a finding makes it throw. */
  stateful: Template;
  stateless: Template;
}

export function synthTracker(settings: Record<string, unknown>, options: SynthOptions = {}): SynthesizedTracker {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...cdkJsonContext(),
      // An empty list of stacks to bundle: the handlers are not built (the default for tests).
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const config = parseConfig({ stage: 'test', ...settings });
  const stacks = buildTracker(app, config);
  if (options.nag !== false) applyNag(app);
  return {
    app,
    config,
    stacks,
    stateful: Template.fromStack(stacks.stateful),
    stateless: Template.fromStack(stacks.stateless),
  };
}

/** A production-like configuration that switches every optional feature on. */
export const FULL_SETTINGS = {
  stage: 'prod',
  alertEmails: [
    { address: 'ukraine-desk@example.org', filter: { issue: 'western-troops-in-ukraine', actor: 'russia' } },
    { address: 'security-editor@example.org', filter: { kind: ['actor-vs-bloc', 'bloc-split'] } },
    { address: 'night-editor@example.org' },
  ],
  opsEmails: ['ops@example.org'],
  slack: true,
  apiAuth: { type: 'jwt', issuer: 'https://issuer.example.org/', audience: ['newsroom-tools'] },
  registryPublishers: {
    principals: ['arn:aws:iam::123456789012:role/registry-desk', 'arn:aws:iam::123456789012:user/seed-loader'],
    sources: ['newsroom.registry', 'newsroom.desk'],
  },
} as const;

type CfnResource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };

/** The one entry of a record (the one resource of a type), or an error naming what was expected. */
export const only = <T>(record: Record<string, T>, what: string): [string, T] => {
  const entries = Object.entries(record);
  if (entries.length !== 1) throw new Error(`expected one ${what}, found ${entries.length}`);
  return entries[0]!;
};

export const resourcesOf = (template: Template, type: string): Record<string, CfnResource> =>
  template.findResources(type) as Record<string, CfnResource>;

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export const actionsOf = (statement: PolicyStatementJson): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Logical id of the function whose logical id starts with `prefix` (construct path). */
export function functionId(template: Template, prefix: string): string {
  const ids = Object.keys(resourcesOf(template, 'AWS::Lambda::Function')).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one function starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** Every IAM statement of a function's execution role (all the policies attached to it). */
export function roleStatements(template: Template, functionLogicalId: string): PolicyStatementJson[] {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  const roleId = (fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const role = resourcesOf(template, 'AWS::IAM::Role')[roleId];
  const inline = ((role?.Properties?.Policies ?? []) as Array<{ PolicyDocument: { Statement: PolicyStatementJson[] } }>).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  const attached = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties?.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === roleId))
    .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as PolicyStatementJson[]);
  return [...inline, ...attached];
}

export const allowedActions = (statements: PolicyStatementJson[]): Set<string> =>
  new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf));

export const managedPoliciesOf = (template: Template, functionLogicalId: string): unknown[] => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  const roleId = (fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return (resourcesOf(template, 'AWS::IAM::Role')[roleId]?.Properties?.ManagedPolicyArns ?? []) as unknown[];
};

/** Pseudo parameters for rendering environment-agnostic values in assertions. */
export const PSEUDO = { 'AWS::Partition': 'aws', 'AWS::AccountId': '111111111111', 'AWS::Region': 'eu-west-1', 'AWS::URLSuffix': 'amazonaws.com' } as const;

/**
 * Renders a template value made of strings, Fn::Join and pseudo-parameter Refs to the string
 * CloudFormation would produce; any other intrinsic (a reference to a resource) is an error, so
 * a test can tell a value built from names from one that points at a resource.
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const { Ref: ref, 'Fn::Join': join } = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
    if (ref !== undefined && ref in PSEUDO) return PSEUDO[ref as keyof typeof PSEUDO];
    if (join !== undefined) return join[1].map(renderValue).join(join[0]);
  }
  throw new Error(`not a value made of names: ${JSON.stringify(value)}`);
}

/** The execution role (logical id and resource) of a function. */
export function roleOf(template: Template, functionLogicalId: string): [string, CfnResource] {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionLogicalId];
  const roleId = (fn?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return [roleId, resourcesOf(template, 'AWS::IAM::Role')[roleId]!];
}

export interface LocatedStatement {
  /** `<logical id> <resource type> <property>`, for messages. */
  where: string;
  type: string;
  statement: Record<string, any>;
}

/**
 * Every policy statement in a template: identity policies, role trust and inline policies, key
 * policies, topic, queue, bucket and bus policies, secret resource policies.
 */
export function policyStatementsIn(template: Template): LocatedStatement[] {
  const located: LocatedStatement[] = [];
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, CfnResource>)) {
    const properties = resource.Properties ?? {};
    const documents: Array<[string, { Statement?: unknown }]> = [];
    for (const key of ['PolicyDocument', 'KeyPolicy', 'AssumeRolePolicyDocument', 'ResourcePolicy', 'Policy']) {
      if (properties[key]?.Statement !== undefined) documents.push([key, properties[key]]);
    }
    for (const inline of (properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: unknown } }>) documents.push(['Policies', inline.PolicyDocument]);
    if (resource.Type === 'AWS::Events::EventBusPolicy') documents.push(['Statement', { Statement: [properties.Statement] }]);
    for (const [key, document] of documents) {
      for (const statement of ([] as Array<Record<string, any>>).concat(document.Statement as Record<string, any>)) {
        located.push({ where: `${id} ${resource.Type} ${key}`, type: resource.Type, statement });
      }
    }
  }
  return located;
}

/**
 * The bucket's policy lets only CloudFront (through origin access control, tied to its
 * distribution by aws:SourceArn) read it, and refuses plain HTTP.
 */
export function expectReadOnlyByCloudFront(template: Template, bucketLogicalId: string): void {
  const policies = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).filter((p) => JSON.stringify(p.Properties?.Bucket).includes(bucketLogicalId));
  expect(policies, `one policy on ${bucketLogicalId}`).toHaveLength(1);
  const statements = policies[0]!.Properties?.PolicyDocument.Statement as Array<Record<string, any>>;
  const allows = statements.filter((s) => s.Effect === 'Allow');
  expect(allows).toHaveLength(1);
  expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
  expect(JSON.stringify(allows[0]?.Condition)).toContain('AWS:SourceArn');
  expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
}
