/**
 * The deployment settings, validated at synth time so a typo fails `cdk synth` with the name of
 * the setting instead of producing a stack that deploys and misbehaves.
 *
 * Sources, later ones win: the defaults below, `infra/config/<stage>.json`, then the context key
 * `config` (an object in cdk.json / cdk.context.json, or a JSON string on the command line:
 * `-c config='{"slack":true}'`). The stage comes from `-c stage=<slug>` (default `dev`); a
 * stage without its file is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_REGISTRY_SOURCES, slug, TRACKER_SOURCE } from '../events/common.ts';
import { DIVERGENCE_KINDS } from '../events/outbound/divergence-alert.v1.ts';
import type { ApiScope } from '../functions/api/routes.ts';
import { DEFAULT_METRICS_NAMESPACE } from '../functions/shared/observability.ts';

/** The retention values CloudWatch Logs accepts (anything else is rejected at deploy time). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const oneOrMany = <T extends z.core.$ZodType>(value: T, what: string) =>
  z.union([value, z.array(value).min(1)], { message: `must be ${what}, or a non-empty list of them` });

const SLUG = 'a lower-case slug such as western-troops-in-ukraine';

/** SNS filter policy on the alert message attributes; every value may be one slug or a list. */
const alertFilter = z.strictObject({
  issue: oneOrMany(slug, SLUG).optional(),
  actor: oneOrMany(slug, SLUG).optional(),
  bloc: oneOrMany(slug, SLUG).optional(),
  kind: oneOrMany(z.enum(DIVERGENCE_KINDS), `one of ${DIVERGENCE_KINDS.join(', ')}`).optional(),
});

const alertEmail = z.strictObject({
  address: z.email({ message: 'must be an e-mail address' }),
  filter: alertFilter.optional(),
});

/** An OAuth 2.0 scope token (RFC 6749 §3.3): printable ASCII without space, `"` or `\\`. */
const scopeName = z
  .string()
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/, 'must be an OAuth scope (printable ASCII, no spaces, quotes or backslashes), such as tracker/read');

/** The scope names a JWT must carry, per kind of route. Cognito spells them `<resource server>/<scope>`. */
export const DEFAULT_API_SCOPES = { read: 'tracker/read', quarantine: 'tracker/quarantine.read', write: 'tracker/write' } as const satisfies Record<ApiScope, string>;

const apiScopes = z
  .strictObject({
    /** Issues, positions, histories, alerts, snapshots and the OpenAPI document. */
    read: scopeName,
    /** Rejected inbound events, bodies as received: publishers' raw input, for editors who triage it. */
    quarantine: scopeName,
    /** The desk's write routes (POST /desk/events, /desk/preview): editors only. */
    write: scopeName.default(DEFAULT_API_SCOPES.write),
  })
  .refine((scopes) => scopes.read !== scopes.quarantine, {
    message: 'must differ from apiAuth.scopes.read, or every reader could read the quarantine',
    path: ['quarantine'],
  })
  .refine((scopes) => scopes.write !== scopes.read && scopes.write !== scopes.quarantine, {
    message: 'must differ from apiAuth.scopes.read and .quarantine, or every reader could write',
    path: ['write'],
  });

/** A Cognito hosted sign-in domain prefix: lower-case letters, digits and hyphens, without the words Cognito reserves. */
const domainPrefix = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen')
  .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'must not contain aws, amazon or cognito (Cognito reserves them)');

const apiAuth = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('iam') }),
    /**
     * The tracker's own Cognito user pool (infra/constructs/sign-in.ts): groups `editors` and
     * `readers`, the resource server `tracker` whose scopes are DEFAULT_API_SCOPES, the web app's
     * client; API Gateway's JWT authorizer trusts that pool.
     */
    z.strictObject({
      type: z.literal('cognito'),
      /** The hosted sign-in domain, `<prefix>.auth.<region>.amazoncognito.com`. @default pt-<stage>-<account> */
      domainPrefix: domainPrefix.optional(),
    }),
    z.strictObject({
      type: z.literal('jwt'),
      issuer: z.url({ protocol: /^https$/, message: 'must be the https URL of the token issuer' }),
      audience: z.array(z.string().min(1, 'must not be empty')).min(1, 'must list at least one audience'),
      scopes: apiScopes.default({ ...DEFAULT_API_SCOPES }),
    }),
  ],
  { message: 'must be { "type": "iam" }, { "type": "cognito" } or { "type": "jwt", "issuer": "https://…", "audience": ["…"], "scopes": { "read": "…", "quarantine": "…", "write": "…" } }' },
);

/**
 * The ARN `aws:PrincipalArn` carries for a caller: a role's (for any session of it) or a user's.
 * Wildcards are refused: the bus policy compares exactly.
 */
const principalArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/,
    'must be the ARN of an IAM role or user, such as arn:aws:iam::123456789012:role/registry-desk (for a role session, its role\'s ARN; no wildcards)',
  );

/** An EventBridge source; no comma, as the processor receives the list comma-separated. */
const registrySource = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,255}$/, 'must be an event source such as newsroom.registry (letters, digits, . _ / -)')
  .refine((source) => source !== TRACKER_SOURCE, `must not be ${TRACKER_SOURCE}: the tracker never publishes registry events`)
  .refine((source) => !source.startsWith('aws.'), 'must not start with aws. (reserved for AWS services)');

const registryPublishers = z.strictObject({
  /**
   * IAM roles and users allowed to put registry events on the bus. Empty: the bus lets any
   * principal with events:PutEvents do so, and only the source allow-list applies.
   */
  principals: z.array(principalArn).default([]),
  /** Sources the processor accepts registry events from; others are quarantined. */
  sources: z.array(registrySource).min(1, 'must list at least one source').default([...DEFAULT_REGISTRY_SOURCES]),
});

/** A distribution's own host name and its ACM certificate, which CloudFront requires in us-east-1. */
const customDomain = z.strictObject({
  name: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case DNS name such as feeds.example.org'),
  certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, 'must be the ARN of an ACM certificate in us-east-1 (CloudFront takes no other region)'),
});

/** Short enough for the snapshot bucket name (63 characters with account and region). */
const stageSlug = slug.check(z.maxLength(20, 'must be at most 20 characters (it is part of the snapshot bucket name)'));

const settings = z.strictObject({
  stage: stageSlug,
  /** Pin the stacks to one account/region; left out, the stacks are environment-agnostic. */
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as eu-west-1').optional(),
  alertEmails: z.array(alertEmail).default([]),
  /** E-mail addresses for the operations topic (alarms). */
  opsEmails: z.array(z.email({ message: 'must be an e-mail address' })).default([]),
  slack: z.boolean({ message: 'must be true or false' }).default(false),
  archiveRetentionDays: z
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days')
    .default(30),
  logRetentionDays: z
    .number({ message: 'must be a number of days' })
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`)
    .default(30),
  apiAuth: apiAuth.default({ type: 'iam' }),
  /**
   * The web app's own domain on CloudFront, with its ACM certificate (in us-east-1). Without it the
   * app is served on the distribution's *.cloudfront.net name, where CloudFront cannot hold viewers
   * to TLS 1.2; with it, TLS 1.2 (2021 policy) is the minimum.
   */
  webDomain: customDomain.optional(),
  registryPublishers: registryPublishers.default({ principals: [], sources: [...DEFAULT_REGISTRY_SOURCES] }),
  apiThrottle: z
    .strictObject({
      rateLimit: z.number().positive('must be a positive number of requests per second'),
      burstLimit: z.number().int('must be a whole number').positive('must be a positive number of requests'),
    })
    .default({ rateLimit: 50, burstLimit: 100 }),
  /**
   * The SSM parameter (String) holding the stage's feeds token, the first path segment of every
   * feed URL. Default /position-tracker/<stage>/feeds-token; it must exist before a deploy.
   */
  feedsTokenParameter: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\-/]{1,1010}$/, 'must be an SSM parameter name starting with / (letters, digits, _ . - /)')
    .optional(),
  /**
   * The feeds' own host name (feeds.example.org) and its ACM certificate, which CloudFront requires
   * in us-east-1. Without it the feeds are served from the distribution's *.cloudfront.net name,
   * which changes if the distribution is ever replaced and whose shared certificate allows TLS 1.0.
   */
  feedsDomain: customDomain.optional(),
  metricsNamespace: z
    .string()
    .regex(/^[A-Za-z0-9_.\-/#:]{1,255}$/, 'must be 1-255 characters of A-Z a-z 0-9 . _ - / # :')
    .default(DEFAULT_METRICS_NAMESPACE),
  /**
   * Keep the table, the snapshot bucket and the logs when the stack is deleted, and turn on the
   * table's deletion protection. Defaults to on for every stage but `dev`.
   */
  retainData: z.boolean({ message: 'must be true or false' }).optional(),
});

export type TrackerConfig = Omit<z.output<typeof settings>, 'retainData'> & { retainData: boolean };
export type AlertEmail = TrackerConfig['alertEmails'][number];
export type AlertFilter = NonNullable<AlertEmail['filter']>;
export type ApiAuth = TrackerConfig['apiAuth'];
export type ApiScopes = Extract<ApiAuth, { type: 'jwt' }>['scopes'];
/** What the API's authorizer is given: IAM, or a JWT issuer (an external one, or the tracker's own user pool resolved). */
export type ResolvedApiAuth = Exclude<ApiAuth, { type: 'cognito' }>;
export type RegistryPublishers = TrackerConfig['registryPublishers'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid tracker configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const settingName = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : `${name}.${String(key)}`), 'config');

/** Validates raw settings; throws a ConfigError naming every bad setting. */
export function parseConfig(raw: unknown): TrackerConfig {
  const result = settings.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${settingName(issue.path)}: ${issue.message}`));
  }
  const { retainData, ...rest } = result.data;
  return { ...rest, retainData: retainData ?? rest.stage !== 'dev' };
}

const CONFIG_DIR = fileURLToPath(new URL('./config/', import.meta.url));

const readJson = (label: string, text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError([`${label}: not valid JSON (${(error as Error).message})`]);
  }
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LoadConfigOptions {
  /** Reads a context value, e.g. `(key) => app.node.tryGetContext(key)`. */
  context: (key: string) => unknown;
  /** Where `<stage>.json` files live. @default infra/config */
  configDir?: string;
}

/** Resolves the stage, reads its file and the context overrides, and validates the result. */
export function loadConfig({ context, configDir = CONFIG_DIR }: LoadConfigOptions): TrackerConfig {
  const stageCheck = stageSlug.safeParse(context('stage') ?? 'dev');
  if (!stageCheck.success) {
    throw new ConfigError([`config.stage: ${stageCheck.error.issues[0]?.message ?? 'is not valid'} (from -c stage=…)`]);
  }

  const stage = stageCheck.data;
  const file = join(configDir, `${stage}.json`);
  // The committed files by their repository path, as a user would open them; others as found.
  const fileLabel = resolve(configDir) === resolve(CONFIG_DIR) ? `infra/config/${stage}.json` : file;
  // No file, no stage: a typo such as -c stage=prd must not deploy a new stage on defaults.
  if (!existsSync(file)) {
    throw new ConfigError([
      `config.stage: "${stage}" has no settings file: ${fileLabel} does not exist (check -c stage=…, or create the file to add the stage)`,
    ]);
  }
  const fromFile = readJson(fileLabel, readFileSync(file, 'utf8'));
  if (!isPlainObject(fromFile)) throw new ConfigError([`${fileLabel}: must hold a JSON object`]);
  if (fromFile.stage !== undefined && fromFile.stage !== stage) {
    throw new ConfigError([`config.stage: ${fileLabel} says "${String(fromFile.stage)}"; the file name and -c stage must agree`]);
  }

  const rawOverrides = context('config');
  const overrides = typeof rawOverrides === 'string' ? readJson('context "config"', rawOverrides) : (rawOverrides ?? {});
  if (!isPlainObject(overrides)) throw new ConfigError(['context "config": must be a JSON object of settings']);

  return parseConfig({ ...fromFile, ...overrides, stage });
}
