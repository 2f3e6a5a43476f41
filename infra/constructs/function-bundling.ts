/**
 * How every Lambda function is bundled, in one place: the CDK construct (tracker-function.ts)
 * hands these options to NodejsFunction, and the bundle bench and tests build with the same
 * options through `esbuildOptions`, which passes them to esbuild as NodejsFunction's local
 * bundling does (test/infra/functions.test.ts checks both give the same bytes).
 *
 * External: the service clients and lib-dynamodb, which the Node.js Lambda runtime ships with the
 * AWS SDK v3 (bundling them again would only add cold-start time). Everything else is bundled,
 * including @aws-sdk/s3-request-presigner and the @aws-sdk packages it builds on: nothing documents
 * that the runtime has them.
 */
import type { BuildOptions } from 'esbuild';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** esbuild's target for the functions' runtime (nodejs24.x, set in tracker-function.ts). */
export const FUNCTION_TARGET = 'node24';

/** The SDK packages imported from the runtime, never bundled. */
export const RUNTIME_SDK_PACKAGES = ['@aws-sdk/client-*', '@aws-sdk/lib-dynamodb'];

/** What every bundle must stay within (bench/bundles.bench.ts, test/infra/bundles.test.ts). */
export const MAX_BUNDLE_BYTES = 250 * 1024;

/**
 * ESM output so top-level await works and the bundle tree-shakes; some dependencies are still
 * CommonJS and call `require`, which plain ESM does not define.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface FunctionBundlingOptions {
  /**
   * Bundle the Powertools tracer (a subsegment per AWS SDK call, the ColdStart annotation) and the
   * X-Ray SDK behind it: about 130 KB more per bundle, over MAX_BUNDLE_BYTES. Lambda's active
   * tracing records each invocation either way (functions/shared/observability.ts).
   * @default false
   */
  inFunctionTracing?: boolean;
}

export const functionBundling = ({ inFunctionTracing = false }: FunctionBundlingOptions = {}): BundlingOptions => ({
  format: OutputFormat.ESM,
  target: FUNCTION_TARGET,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  externalModules: RUNTIME_SDK_PACKAGES,
  define: { 'process.env.TRACKER_IN_FUNCTION_TRACING': JSON.stringify(String(inFunctionTracing)) },
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  keepNames: true,
  // esbuild's per-file size report would drown the synth output; warnings still show.
  logLevel: LogLevel.WARNING,
});

/**
 * The esbuild options NodejsFunction's local bundling runs for `bundling` (its `--bundle`,
 * `--platform=node`, `--target`, `--outfile=<dir>/index.mjs` and one flag per option above), for
 * builds outside `cdk synth`. Options the construct does not use are refused rather than ignored.
 */
export const esbuildOptions = (entry: string, outdir: string, bundling: BundlingOptions = functionBundling()): BuildOptions => {
  const supported = new Set(['format', 'target', 'mainFields', 'banner', 'externalModules', 'define', 'minify', 'sourceMap', 'sourcesContent', 'keepNames', 'logLevel']);
  const unsupported = Object.keys(bundling).filter((key) => !supported.has(key));
  if (unsupported.length > 0) throw new Error(`esbuildOptions does not translate bundling option(s) ${unsupported.join(', ')}`);
  if (bundling.format !== OutputFormat.ESM) throw new Error('the functions are bundled as ESM (index.mjs)');
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: bundling.target ?? FUNCTION_TARGET,
    format: 'esm',
    outfile: `${outdir}/index.mjs`,
    minify: bundling.minify === true,
    sourcemap: bundling.sourceMap === true,
    sourcesContent: bundling.sourcesContent !== false,
    external: bundling.externalModules ?? [],
    define: bundling.define ?? {},
    keepNames: bundling.keepNames === true,
    ...(bundling.banner === undefined ? {} : { banner: { js: bundling.banner } }),
    ...(bundling.mainFields === undefined ? {} : { mainFields: bundling.mainFields }),
    ...(bundling.logLevel === undefined ? {} : { logLevel: bundling.logLevel }),
  };
};
