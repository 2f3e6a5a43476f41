/**
 * What each Lambda bundle carries, built with the construct's own bundling options: its size stays
 * within the budget, zod comes in as zod/mini with only the English messages, each function
 * imports only the SDK clients it calls, and only from the runtime what the runtime ships.
 * (Import times move with the machine: they are measured by `npm run bench:bundles`, not here.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES, functionBundling } from '../../infra/constructs/function-bundling.ts';
import { buildFunctionBundle, handlerFiles, type FunctionBundle } from '../../support/function-bundles.ts';

/** The SDK packages each function may import from the runtime: the clients it calls, no others. */
const RUNTIME_SDK_IMPORTS: Record<string, string[]> = {
  'notify-alert': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-sns', '@aws-sdk/lib-dynamodb'],
  'process-statements': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-eventbridge', '@aws-sdk/lib-dynamodb'],
  'read-api': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb'],
  'write-feeds': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb'],
  'write-snapshot': ['@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/lib-dynamodb'],
};

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
