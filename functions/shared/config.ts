/**
 * The functions' settings, read from the environment once per container and validated at cold
 * start: a missing or empty variable fails the first invocation with a message naming it, rather
 * than an SDK error deep inside a batch.
 */
import * as z from '../../events/zod.ts';
import { ENV } from './env-names.ts';

type SettingName = keyof typeof ENV;

const DESCRIPTIONS: Record<SettingName, string> = {
  tableName: 'name of the tracker DynamoDB table',
  eventBusName: 'name (or ARN) of the EventBridge bus the tracker publishes to',
  alertTopicArn: 'ARN of the SNS topic for alerts',
  slackWebhookSecretArn: 'ARN of the Secrets Manager secret holding the Slack webhook URL',
  snapshotBucket: 'name of the S3 bucket for JSON snapshots',
  feedsBucket: 'name of the S3 bucket of the public feeds',
  feedsToken: "the stage's unguessable first path segment of the feeds",
  feedsBaseUrl: 'the https URL the feeds are served from, token included',
  stage: 'deployment stage (dev, prod, ...)',
  registrySources: 'comma-separated event sources allowed to carry registry events',
  apiScopes: 'the JWT scope of each kind of access, as JSON: {"read": "tracker/read", "quarantine": …, "write": …}',
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Config<K extends SettingName> = { [P in K]: string };

/** Reads the named settings (and only those) from `env`; throws ConfigError naming every variable at fault. */
export const readConfig = <K extends SettingName>(names: readonly K[], env: NodeJS.ProcessEnv = process.env): Config<K> => {
  const shape = Object.fromEntries(
    names.map((name) => [
      ENV[name],
      z
        .string({ message: `${ENV[name]} is not set (the ${DESCRIPTIONS[name]})` })
        .check(z.trim(), z.minLength(1, `${ENV[name]} is empty (the ${DESCRIPTIONS[name]})`)),
    ]),
  );
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  return Object.fromEntries(names.map((name) => [name, parsed.data[ENV[name]] as string])) as Config<K>;
};

/**
 * A comma-separated list setting (`newsroom.desk, newsroom.registry`), trimmed, without blanks or
 * repeats; `undefined` when the variable is unset or blank, so the caller's default applies.
 */
export const readList = (name: SettingName, env: NodeJS.ProcessEnv = process.env): string[] | undefined => {
  const items = [...new Set((env[ENV[name]] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== ''))];
  return items.length === 0 ? undefined : items;
};
