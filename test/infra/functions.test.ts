/**
 * Every function gets the same runtime defaults, its own log group, and exactly the environment
 * its bindings set. One test bundles the handlers for real with esbuild (no Docker).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { buildFunctionBundle } from '../../support/function-bundles.ts';
import { functionId, REPO_ROOT, resourcesOf, synthTracker, type SynthesizedTracker } from './synth.ts';

const POWERTOOLS = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_LOG_LEVEL', 'NODE_OPTIONS', ENV.stage];

const HANDLER_FILES: Record<string, string> = {
  ProcessorFunction: 'process-statements',
  AlertsNotifier: 'notify-alert',
  SnapshotWriterFunction: 'write-snapshot',
  FeedWriterFunction: 'write-feeds',
  ReadApiFunction: 'read-api',
};

const EXPECTED_ENV: Record<string, string[]> = {
  ProcessorFunction: [ENV.tableName, ENV.eventBusName, ENV.registrySources],
  AlertsNotifier: [ENV.tableName, ENV.alertTopicArn, ENV.slackWebhookSecretArn],
  SnapshotWriterFunction: [ENV.tableName, ENV.snapshotBucket],
  FeedWriterFunction: [ENV.tableName, ENV.feedsBucket, ENV.feedsToken, ENV.feedsBaseUrl],
  ReadApiFunction: [ENV.tableName, ENV.snapshotBucket],
};

describe('functions', () => {
  let synth: SynthesizedTracker;
  beforeAll(() => {
    synth = synthTracker({ slack: true, logRetentionDays: 14, metricsNamespace: 'TrackerTest' });
  });

  it('runs every function on Node 24, arm64, with active tracing', () => {
    const functions = Object.entries(resourcesOf(synth.stateless, 'AWS::Lambda::Function')).filter(([id]) =>
      Object.keys(EXPECTED_ENV).some((prefix) => id.startsWith(prefix)),
    );

    expect(functions).toHaveLength(5);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it.each(Object.entries(EXPECTED_ENV))('sets exactly the environment %s is bound to', (prefix, bound) => {
    const fn = resourcesOf(synth.stateless, 'AWS::Lambda::Function')[functionId(synth.stateless, prefix)]!;
    const variables = fn.Properties?.Environment.Variables as Record<string, unknown>;

    expect(Object.keys(variables).sort()).toEqual([...POWERTOOLS, ...bound].sort());
    expect(variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'position-tracker',
      POWERTOOLS_METRICS_NAMESPACE: 'TrackerTest',
      [ENV.stage]: 'test',
    });
  });

  it.each(Object.entries(HANDLER_FILES))('sets every variable the %s handler requires at cold start', (prefix, file) => {
    const source = readFileSync(join(REPO_ROOT, 'functions', 'handlers', `${file}.ts`), 'utf8');
    const fn = resourcesOf(synth.stateless, 'AWS::Lambda::Function')[functionId(synth.stateless, prefix)]!;
    const variables = Object.keys(fn.Properties?.Environment.Variables as Record<string, unknown>);

    // The handlers read their settings with readConfig(['tableName', ...]) (functions/shared/config.ts).
    const required = [...source.matchAll(/readConfig\(\[([^\]]*)\]/g)].flatMap(([, names]) =>
      [...names!.matchAll(/'(\w+)'/g)].map(([, name]) => ENV[name as keyof typeof ENV]),
    );
    for (const variable of required) expect(variables, `${file} reads ${variable}`).toContain(variable);
  });

  it('gives each function its own log group with the configured retention', () => {
    const logGroups = resourcesOf(synth.stateless, 'AWS::Logs::LogGroup');

    for (const prefix of Object.keys(EXPECTED_ENV)) {
      const fn = resourcesOf(synth.stateless, 'AWS::Lambda::Function')[functionId(synth.stateless, prefix)]!;
      const logGroupId = (fn.Properties?.LoggingConfig.LogGroup as { Ref: string }).Ref;
      expect(logGroups[logGroupId]?.Properties?.RetentionInDays, prefix).toBe(14);
    }
  });

  it('bundles every handler locally as a minified ESM bundle with a source map', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'tracker-bundle-'));
    try {
      const bundled = synthTracker({}, { bundle: true, outdir, nag: false });
      let externalSdkImports = 0;

      for (const prefix of Object.keys(EXPECTED_ENV)) {
        const fn = resourcesOf(bundled.stateless, 'AWS::Lambda::Function')[functionId(bundled.stateless, prefix)]!;
        const assetHash = (fn.Properties?.Code.S3Key as string).replace(/\.zip$/, '');
        const bundle = join(outdir, `asset.${assetHash}`, 'index.mjs');

        expect(existsSync(bundle), `${prefix}: ${bundle}`).toBe(true);
        expect(existsSync(`${bundle}.map`), `${prefix} source map`).toBe(true);
        const code = readFileSync(bundle, 'utf8');
        expect(code.startsWith("import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"), prefix).toBe(true);
        // The function's handler setting is index.handler: the bundle must export it.
        expect(/export\s*\{[^}]*\bhandler\s*[,}]/.test(code), `${prefix} exports \`handler\``).toBe(true);
        // The runtime provides the SDK clients: they are imported, never bundled. The one SDK
        // package bundled is the presigner the read API signs snapshot links with (and the
        // @aws-sdk modules it builds on), which the runtime is not documented to ship.
        const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
        const bundledSdk = map.sources.filter((source) => source.includes('node_modules/@aws-sdk/'));
        expect(bundledSdk.filter((source) => /node_modules\/@aws-sdk\/(client-|lib-)/.test(source)), prefix).toEqual([]);
        expect(bundledSdk.some((source) => source.includes('node_modules/@aws-sdk/s3-request-presigner/')), prefix).toBe(prefix === 'ReadApiFunction');
        if (prefix !== 'ReadApiFunction') expect(bundledSdk, prefix).toEqual([]);
        if (/from\s*["']@aws-sdk\//.test(code)) externalSdkImports += 1;
        // The bench and the bundle tests build with the construct's options: the same bytes as synth.
        const rebuilt = await buildFunctionBundle(HANDLER_FILES[prefix]!, join(outdir, 'rebuilt', prefix));
        expect(readFileSync(rebuilt.file, 'utf8') === code, `${prefix}: esbuildOptions builds what NodejsFunction builds`).toBe(true);
      }
      expect(externalSdkImports, 'handlers that import the SDK from the runtime').toBe(Object.keys(EXPECTED_ENV).length);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
