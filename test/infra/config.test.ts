/**
 * Deployment settings: the committed examples are valid, defaults are safe, and a bad value
 * fails synth with a message that names the setting.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DESK_SOURCE } from '../../events/common.ts';
import { ConfigError, loadConfig, parseConfig } from '../../infra/config.ts';
import { REPO_ROOT } from './synth.ts';

const run = promisify(execFile);

const problemsOf = (act: () => unknown): readonly string[] => {
  try {
    act();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

describe('configuration', () => {
  it('loads the committed dev and prod examples', () => {
    const dev = loadConfig({ context: contextOf({}) });
    const prod = loadConfig({ context: contextOf({ stage: 'prod' }) });

    expect(dev.stage).toBe('dev');
    expect(dev.retainData).toBe(false);
    expect(dev.apiAuth).toEqual({ type: 'iam' });
    expect(prod.stage).toBe('prod');
    expect(prod.retainData).toBe(true);
    expect(prod.slack).toBe(true);
    expect(prod.apiAuth.type).toBe('jwt');
    expect(prod.alertEmails[0]?.filter).toEqual({ issue: 'western-troops-in-ukraine', actor: 'russia' });
    expect(prod.apiAuth).toMatchObject({ scopes: { read: 'tracker/read', quarantine: 'tracker/quarantine.read' } });
    expect(prod.registryPublishers.principals).toHaveLength(1);
    // The local seed loader and CLI publish registry events as the desk.
    expect(dev.registryPublishers).toEqual({ principals: [], sources: ['newsroom.registry', DESK_SOURCE] });
  });

  it('applies safe defaults to what a stage file leaves out: data retained, IAM auth, no Slack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracker-config-'));
    try {
      writeFileSync(join(dir, 'staging.json'), '{}');

      const config = loadConfig({ context: contextOf({ stage: 'staging' }), configDir: dir });

      expect(config).toMatchObject({
        stage: 'staging',
        retainData: true,
        slack: false,
        alertEmails: [],
        apiAuth: { type: 'iam' },
        registryPublishers: { principals: [], sources: ['newsroom.registry', 'newsroom.desk'] },
        archiveRetentionDays: 30,
        logRetentionDays: 30,
        metricsNamespace: 'PositionTracker',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stage without its settings file, naming the file it looked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracker-config-'));
    try {
      const committed = problemsOf(() => loadConfig({ context: contextOf({ stage: 'prd' }) }));
      const elsewhere = problemsOf(() => loadConfig({ context: contextOf({ stage: 'qa' }), configDir: dir }));

      expect(committed).toEqual([
        'config.stage: "prd" has no settings file: infra/config/prd.json does not exist (check -c stage=…, or create the file to add the stage)',
      ]);
      expect(elsewhere[0]).toContain(`${join(dir, 'qa.json')} does not exist`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a JWT the default scopes unless the stage names its own', () => {
    const defaults = parseConfig({ stage: 'dev', apiAuth: { type: 'jwt', issuer: 'https://issuer.example.org/', audience: ['tools'] } });
    const named = parseConfig({
      stage: 'dev',
      apiAuth: { type: 'jwt', issuer: 'https://issuer.example.org/', audience: ['tools'], scopes: { read: 'desk/read', quarantine: 'desk/triage' } },
    });

    expect(defaults.apiAuth).toMatchObject({ scopes: { read: 'tracker/read', quarantine: 'tracker/quarantine.read' } });
    expect(named.apiAuth).toMatchObject({ scopes: { read: 'desk/read', quarantine: 'desk/triage' } });
  });

  it('lets context override the file, as an object or a JSON string', () => {
    const fromObject = loadConfig({ context: contextOf({ stage: 'dev', config: { slack: true } }) });
    const fromString = loadConfig({ context: contextOf({ stage: 'dev', config: '{"logRetentionDays":14}' }) });

    expect(fromObject.slack).toBe(true);
    expect(fromString.logRetentionDays).toBe(14);
    expect(fromString.archiveRetentionDays).toBe(7);
  });

  it.each([
    [{ alertEmails: [{ address: 'not-an-address' }] }, 'config.alertEmails[0].address: must be an e-mail address'],
    [{ alertEmails: [{ address: 'a@example.org', filter: { issue: 'Western Troops' } }] }, 'config.alertEmails[0].filter.issue'],
    [{ alertEmails: [{ address: 'a@example.org', filter: { kind: ['flip'] } }] }, 'config.alertEmails[0].filter.kind'],
    [{ alertEmails: [{ address: 'a@example.org', filter: { isue: 'x' } }] }, 'config.alertEmails[0].filter'],
    [{ logRetentionDays: 10 }, 'config.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30'],
    [{ archiveRetentionDays: 0 }, 'config.archiveRetentionDays: must be at least 1 day'],
    [{ slack: 'yes' }, 'config.slack: must be true or false'],
    [{ apiAuth: { type: 'jwt', audience: ['tools'] } }, 'config.apiAuth.issuer'],
    [{ apiAuth: { type: 'jwt', issuer: 'http://insecure.example.org', audience: ['tools'] } }, 'config.apiAuth.issuer: must be the https URL'],
    [{ apiAuth: { type: 'cognito', domainPrefix: 'my-cognito-desk' } }, 'config.apiAuth.domainPrefix'],
    [{ account: '1234' }, 'config.account: must be a 12-digit AWS account id'],
    [{ alertEmail: [] }, 'config: Unrecognized key: "alertEmail"'],
    [
      { apiAuth: { type: 'jwt', issuer: 'https://i.example.org', audience: ['t'], scopes: { read: 'tracker read', quarantine: 'q' } } },
      'config.apiAuth.scopes.read: must be an OAuth scope',
    ],
    [
      { apiAuth: { type: 'jwt', issuer: 'https://i.example.org', audience: ['t'], scopes: { read: 'tracker/read', quarantine: 'tracker/read' } } },
      'config.apiAuth.scopes.quarantine: must differ from apiAuth.scopes.read',
    ],
    [{ apiAuth: { type: 'jwt', issuer: 'https://i.example.org', audience: ['t'], scopes: { read: 'r' } } }, 'config.apiAuth.scopes.quarantine'],
    [{ registryPublishers: { principals: ['arn:aws:iam::123456789012:role/desk-*'] } }, 'config.registryPublishers.principals[0]: must be the ARN of an IAM role or user'],
    [
      { registryPublishers: { principals: ['arn:aws:sts::123456789012:assumed-role/desk/session'] } },
      'config.registryPublishers.principals[0]: must be the ARN of an IAM role or user',
    ],
    [{ registryPublishers: { sources: ['position-tracker'] } }, 'config.registryPublishers.sources[0]: must not be position-tracker'],
    [{ registryPublishers: { sources: ['aws.events'] } }, 'config.registryPublishers.sources[0]: must not start with aws.'],
    [{ registryPublishers: { sources: ['desk,registry'] } }, 'config.registryPublishers.sources[0]: must be an event source'],
    [{ registryPublishers: { sources: [] } }, 'config.registryPublishers.sources: must list at least one source'],
    [{ registryPublishers: { principal: [] } }, 'config.registryPublishers: Unrecognized key: "principal"'],
    [
      { feedsDomain: { name: 'feeds.example.org', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f7c3a4e-5b6d-4c8e-9a1b-2c3d4e5f6a7b' } },
      'config.feedsDomain.certificateArn: must be the ARN of an ACM certificate in us-east-1',
    ],
    [{ feedsDomain: { name: 'https://feeds.example.org' } }, 'config.feedsDomain.name: must be a lower-case DNS name'],
  ])('rejects %j naming the setting', (settings, message) => {
    const problems = problemsOf(() => parseConfig({ stage: 'dev', ...settings }));

    expect(problems.join('\n')).toContain(message);
  });

  it('reports every bad setting at once', () => {
    const problems = problemsOf(() => parseConfig({ stage: 'dev', slack: 1, logRetentionDays: 2 }));

    expect(problems).toHaveLength(2);
  });

  it('rejects a stage that is not a short slug', () => {
    expect(problemsOf(() => loadConfig({ context: contextOf({ stage: 'Prod' }) }))[0]).toMatch(/^config\.stage: must be a lower-case slug/);
    expect(problemsOf(() => loadConfig({ context: contextOf({ stage: 'a'.repeat(21) }) }))[0]).toMatch(/at most 20 characters/);
  });

  it('rejects a config file whose stage disagrees with its name, and broken JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracker-config-'));
    try {
      writeFileSync(join(dir, 'qa.json'), JSON.stringify({ stage: 'prod' }));
      writeFileSync(join(dir, 'broken.json'), '{ "slack": true,');

      expect(problemsOf(() => loadConfig({ context: contextOf({ stage: 'qa' }), configDir: dir }))[0]).toMatch(/must agree/);
      const broken = problemsOf(() => loadConfig({ context: contextOf({ stage: 'broken' }), configDir: dir }))[0];
      expect(broken?.startsWith(`${join(dir, 'broken.json')}: not valid JSON`), broken).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Runs the real `cdk synth` with the given context values; resolves to its failure, or null. */
  const failedSynth = async (context: readonly string[]): Promise<{ code: number; stderr: string } | null> => {
    const outdir = mkdtempSync(join(tmpdir(), 'tracker-synth-'));
    try {
      const synth = run(
        process.execPath,
        [join(REPO_ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '--output', outdir, ...context.flatMap((value) => ['-c', value])],
        { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' } },
      );
      return await synth.then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };

  it('makes `cdk synth` fail with the bad setting named and no stack trace', async () => {
    const failure = await failedSynth(['stage=dev', `config=${JSON.stringify({ alertEmails: [{ address: 'desk-at-example.org' }] })}`]);

    expect(failure).not.toBeNull();
    expect(failure!.stderr).toContain('config.alertEmails[0].address: must be an e-mail address');
    expect(failure!.stderr).not.toMatch(/^\s+at /m);
  });

  it('makes `cdk synth -c stage=prd` (a typo) fail naming the file it looked for, instead of deploying defaults', async () => {
    const failure = await failedSynth(['stage=prd']);

    expect(failure).not.toBeNull();
    expect(failure!.stderr).toContain('infra/config/prd.json does not exist');
    expect(failure!.stderr).not.toMatch(/^\s+at /m);
  });
});
