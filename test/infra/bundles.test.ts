/**
 * What each Lambda bundle carries, built with the construct's own bundling options: its size stays
 * within the budget, zod comes in as zod/mini with only the English messages, each function
 * imports only the SDK clients it calls, and only from the runtime what the runtime ships. The
 * alternative the bench measures beside it (`sdk: 'bundled'`) imports no SDK package at run time,
 * carries the environment credentials instead of the default chain, and is what NodejsFunction
 * builds with the same options. (Import times move with the machine: they are measured by
 * `npm run bench:bundles`, not here.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SDK_BUNDLING, MAX_BUNDLE_BYTES, functionBundling } from '../../infra/constructs/function-bundling.ts';
import { defaultProvider } from '../../functions/shared/clients/lambda-credentials.ts';
import { HANDLERS_DIR, buildFunctionBundle, handlerFiles, type FunctionBundle } from '../../support/function-bundles.ts';
import { REPO_ROOT, cdkJsonContext } from './synth.ts';

/** The SDK packages each function may import from the runtime: the clients it calls, no others. */
const RUNTIME_SDK_IMPORTS: Record<string, string[]> = {
  'desk-api': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-eventbridge', '@aws-sdk/lib-dynamodb'],
  'notify-alert': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sns', '@aws-sdk/lib-dynamodb'],
  'pre-token-generation': [],
  'process-statements': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-eventbridge', '@aws-sdk/lib-dynamodb'],
  'read-api': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb'],
  'write-feeds': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb'],
  'write-snapshot': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb'],
};

/** Of those, the ones loaded on first use rather than at cold start: S3 for the read API's snapshot links, EventBridge for the desk's recording. */
const ON_DEMAND_SDK_IMPORTS: Record<string, string[]> = { 'desk-api': ['@aws-sdk/client-eventbridge'], 'read-api': ['@aws-sdk/client-s3'] };

const PRESIGNER = 'node_modules/@aws-sdk/s3-request-presigner/';
const X_RAY_SDK = 'node_modules/aws-xray-sdk-core/';

describe('the Lambda bundles', () => {
  let outdir: string;
  const bundles = new Map<string, FunctionBundle>();

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'tracker-bundles-'));
    for (const handlerFile of handlerFiles()) bundles.set(handlerFile, await buildFunctionBundle(handlerFile, join(outdir, handlerFile)));
  });
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('are built for every handler, and every handler is listed here', () => {
    expect([...bundles.keys()]).toEqual(Object.keys(RUNTIME_SDK_IMPORTS));
  });

  it.each(Object.keys(RUNTIME_SDK_IMPORTS))('keeps %s within 250 KB', (handlerFile) => {
    expect(bundles.get(handlerFile)!.bytes).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it.each(Object.keys(RUNTIME_SDK_IMPORTS))('bundles zod/mini into %s, never classic zod, with the English messages only', (handlerFile) => {
    const zod = bundles.get(handlerFile)!.inputs.filter((input) => input.startsWith('node_modules/zod/'));

    expect(zod.filter((input) => input.startsWith('node_modules/zod/v4/classic/'))).toEqual([]);
    expect(zod.filter((input) => input.startsWith('node_modules/zod/v4/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
    expect(zod).toContain('node_modules/zod/v4/mini/schemas.js');
  });

  it.each(Object.entries(RUNTIME_SDK_IMPORTS))('makes %s import only its own SDK clients from the runtime', (handlerFile, expected) => {
    expect(bundles.get(handlerFile)!.externalPackages).toEqual(expected);
  });

  it.each(Object.keys(RUNTIME_SDK_IMPORTS))('makes %s load at cold start every SDK client it imports but those it calls on few invocations', (handlerFile) => {
    expect(bundles.get(handlerFile)!.onDemandPackages).toEqual(ON_DEMAND_SDK_IMPORTS[handlerFile] ?? []);
  });

  it('keeps the read API\'s route table and schemas (built at import) out of the functions that do not serve it', () => {
    const readApiOnly = ['functions/api/routes.ts', 'functions/api/schemas.ts'];
    for (const [handlerFile, bundle] of bundles) {
      const carried = readApiOnly.filter((input) => bundle.inputs.includes(input));
      expect(carried, handlerFile).toEqual(handlerFile === 'read-api' ? readApiOnly : []);
    }
  });

  it('bundles the S3 presigner into the read API, the one function that signs links, and into no other', () => {
    for (const [handlerFile, bundle] of bundles) {
      expect(bundle.inputs.some((input) => input.startsWith(PRESIGNER)), handlerFile).toBe(handlerFile === 'read-api');
    }
  });

  it('leaves the X-Ray SDK out unless a function is bundled with the in-function tracer', async () => {
    for (const [handlerFile, bundle] of bundles) {
      expect(bundle.inputs.filter((input) => input.startsWith(X_RAY_SDK)), handlerFile).toEqual([]);
    }

    const traced = await buildFunctionBundle('process-statements', join(outdir, 'traced'), functionBundling({ inFunctionTracing: true }));

    expect(traced.inputs.some((input) => input.startsWith(X_RAY_SDK))).toBe(true);
    expect(traced.bytes).toBeGreaterThan(bundles.get('process-statements')!.bytes);
  });
});

/** The default credential chain's providers beyond the environment, and the STS and SSO clients they use. */
const CREDENTIAL_CHAIN = /node_modules\/@aws-sdk\/(credential-provider-(?!env\/)[^/]+|nested-clients|token-providers)\/|node_modules\/@smithy\/credential-provider-imds\//;

describe("the bundled-SDK alternative (sdk: 'bundled')", () => {
  let outdir: string;
  const bundles = new Map<string, FunctionBundle>();

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'tracker-sdk-bundles-'));
    for (const handlerFile of handlerFiles()) {
      bundles.set(handlerFile, await buildFunctionBundle(handlerFile, join(outdir, handlerFile), functionBundling({ sdk: 'bundled' })));
    }
  });
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('is not what cdk synth ships', () => {
    expect(DEFAULT_SDK_BUNDLING).toBe('runtime');
    expect(functionBundling().externalModules).not.toEqual([]);
  });

  /** The functions that call AWS at all (the Cognito token trigger calls nothing). */
  const sdkCallers = () => handlerFiles().filter((handlerFile) => (RUNTIME_SDK_IMPORTS[handlerFile] ?? []).length > 0);

  it.each(handlerFiles())('makes %s import no package at run time, its SDK clients bundled', (handlerFile) => {
    const bundle = bundles.get(handlerFile)!;

    expect(bundle.externalPackages).toEqual([]);
    for (const client of RUNTIME_SDK_IMPORTS[handlerFile] ?? []) {
      expect(bundle.inputs.some((input) => input.startsWith(`node_modules/${client}/`)), client).toBe(true);
    }
  });

  it.each(sdkCallers())('gives %s the environment credentials instead of the default chain', (handlerFile) => {
    const { inputs } = bundles.get(handlerFile)!;

    expect(inputs).toContain('functions/shared/clients/lambda-credentials.ts');
    expect(inputs).toContain('node_modules/@aws-sdk/credential-provider-env/dist-es/fromEnv.js');
    expect(inputs.filter((input) => CREDENTIAL_CHAIN.test(input))).toEqual([]);
  });

  it('is the bundle NodejsFunction builds with the same options (the alias reaches esbuild both ways)', async () => {
    const app = new App({ outdir: join(outdir, 'cdk.out'), context: cdkJsonContext() });
    const stack = new Stack(app, 'SdkBundled');
    new NodejsFunction(stack, 'Processor', {
      entry: join(HANDLERS_DIR, 'process-statements.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      bundling: functionBundling({ sdk: 'bundled' }),
    });
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as Array<{ Properties: { Code: { S3Key: string } } }>;
    const asset = join(outdir, 'cdk.out', `asset.${fn!.Properties.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');

    expect(readFileSync(asset, 'utf8') === readFileSync(bundles.get('process-statements')!.file, 'utf8')).toBe(true);
  });
});

describe('the environment credentials the bundled SDK signs with', () => {
  const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'] as const;
  const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  afterAll(() => {
    for (const name of NAMES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('are the execution role\'s, as Lambda sets them', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'ASIAEXAMPLE';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'secret';
    process.env['AWS_SESSION_TOKEN'] = 'session';
    delete process.env['AWS_CREDENTIAL_EXPIRATION'];

    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' });
  });

  it('fail with the SDK\'s own error when the environment has none', async () => {
    delete process.env['AWS_ACCESS_KEY_ID'];
    delete process.env['AWS_SECRET_ACCESS_KEY'];

    await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
  });
});
