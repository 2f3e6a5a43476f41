/**
 * How every Lambda function is bundled, in one place: the CDK construct (tracker-function.ts)
 * hands these options to NodejsFunction, and the bundle bench and tests build with the same
 * options through `esbuildOptions`, which passes them to esbuild as NodejsFunction's local
 * bundling does (test/infra/functions.test.ts and test/infra/bundles.test.ts check both give the
 * same bytes).
 *
 * Two ways to ship the AWS SDK, measured side by side by bench/bundles.bench.ts (figures in the
 * README's Benchmarks section):
 * - `sdk: 'runtime'`, the default: the service clients and lib-dynamodb stay external, imported
 *   from the SDK the Node.js runtime ships. Everything else is bundled, including
 *   @aws-sdk/s3-request-presigner and the @aws-sdk packages it builds on: nothing documents that
 *   the runtime has them. Every bundle stays within MAX_BUNDLE_BYTES.
 * - `sdk: 'bundled'`: the clients bundled too, tree-shaken and minified, with the default
 *   credential chain replaced by the environment credentials Lambda sets
 *   (functions/shared/clients/lambda-credentials.ts). It imports faster (one file compiled once,
 *   only the code the sent commands need), but the SDK alone is about 230 KB per function, so
 *   every bundle is over MAX_BUNDLE_BYTES.
 */
import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** esbuild's target for the functions' runtime (nodejs24.x, set in tracker-function.ts). */
export const FUNCTION_TARGET = 'node24';

/** With `sdk: 'runtime'`: the SDK packages imported from the runtime, not bundled. */
export const RUNTIME_SDK_PACKAGES = ['@aws-sdk/client-*', '@aws-sdk/lib-dynamodb'];

/** With `sdk: 'bundled'`: the credential chain, replaced by Lambda's environment credentials (relative to the repository root, where esbuild runs). */
export const CREDENTIALS_ALIAS = '@aws-sdk/credential-provider-node=./functions/shared/clients/lambda-credentials.ts';

/** Where NodejsFunction runs esbuild (its `projectRoot`, tracker-function.ts), and so `esbuildOptions` too. */
export const BUNDLING_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What every bundle must stay within (bench/bundles.bench.ts, test/infra/bundles.test.ts). */
export const MAX_BUNDLE_BYTES = 250 * 1024;

/**
 * ESM output so top-level await works and the bundle tree-shakes; some dependencies are still
 * CommonJS and call `require`, which plain ESM does not define.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** How a function gets its AWS SDK clients (see the top of this file). */
export type SdkBundling = 'runtime' | 'bundled';

/** What `cdk synth` ships unless a function says otherwise. */
export const DEFAULT_SDK_BUNDLING: SdkBundling = 'runtime';

export interface FunctionBundlingOptions {
  /**
   * Bundle the Powertools tracer (a subsegment per AWS SDK call, the ColdStart annotation) and the
   * X-Ray SDK behind it: about 130 KB more per bundle, over MAX_BUNDLE_BYTES. Lambda's active
   * tracing records each invocation either way (functions/shared/observability.ts).
   * @default false
   */
  inFunctionTracing?: boolean;
  /**
   * 'bundled': the SDK clients in the bundle, with Lambda's environment credentials in place of
   * the default chain. 'runtime': the service clients and lib-dynamodb imported from the runtime.
   * @default DEFAULT_SDK_BUNDLING
   */
  sdk?: SdkBundling;
}

export const functionBundling = ({ inFunctionTracing = false, sdk = DEFAULT_SDK_BUNDLING }: FunctionBundlingOptions = {}): BundlingOptions => ({
  format: OutputFormat.ESM,
  target: FUNCTION_TARGET,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  // Empty, not left out: NodejsFunction's default for Node 18 and later keeps `@aws-sdk/*` external.
  externalModules: sdk === 'runtime' ? RUNTIME_SDK_PACKAGES : [],
  ...(sdk === 'bundled' ? { esbuildArgs: { '--alias': [CREDENTIALS_ALIAS] } } : {}),
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
  const supported = new Set(['format', 'target', 'mainFields', 'banner', 'externalModules', 'define', 'minify', 'sourceMap', 'sourcesContent', 'keepNames', 'logLevel', 'esbuildArgs']);
  const unsupported = Object.keys(bundling).filter((key) => !supported.has(key));
  if (unsupported.length > 0) throw new Error(`esbuildOptions does not translate bundling option(s) ${unsupported.join(', ')}`);
  const unsupportedArgs = Object.keys(bundling.esbuildArgs ?? {}).filter((key) => key !== '--alias');
  if (unsupportedArgs.length > 0) throw new Error(`esbuildOptions does not translate esbuild argument(s) ${unsupportedArgs.join(', ')}`);
  if (bundling.format !== OutputFormat.ESM) throw new Error('the functions are bundled as ESM (index.mjs)');
  return {
    absWorkingDir: BUNDLING_ROOT,
    alias: aliases(bundling.esbuildArgs?.['--alias']),
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

/** `--alias:from=to` values, as NodejsFunction passes each item of an `esbuildArgs['--alias']` array. */
const aliases = (value: string | boolean | string[] | undefined): Record<string, string> => {
  if (value === undefined) return {};
  if (!Array.isArray(value)) throw new Error("esbuildArgs['--alias'] is a list of 'from=to'");
  return Object.fromEntries(
    value.map((item) => {
      const at = item.indexOf('=');
      if (at <= 0) throw new Error(`esbuild alias ${item}: expected 'from=to'`);
      return [item.slice(0, at), item.slice(at + 1)];
    }),
  );
};
