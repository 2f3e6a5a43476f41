/**
 * Size and cold import time of every Lambda bundle (every handler in functions/handlers/), built
 * exactly as the CDK construct builds it (infra/constructs/function-bundling.ts, through
 * support/function-bundles.ts), beside the same function built the other way round: the shipped
 * design imports the SDK clients from the runtime (`sdk: 'runtime'`); the alternative bundles them
 * (`sdk: 'bundled'`). Both are measured in the same run, interleaved.
 *
 * Each import is timed in a fresh Node process, as a cold start loads the function: the process
 * imports the bundle (which imports its external SDK clients, resolved from this repository's
 * node_modules as the runtime resolves its own) with the environment the construct and Lambda set,
 * dummy values where they name resources. Nothing is invoked: the handlers read their settings and
 * build their clients on the first event. A third series first loads the SDK packages the shipped
 * bundle loads at cold start (not those it imports with `import()` on first use, such as the read
 * API's S3 client), then times the bundle alone, to show which share is ours and which the SDK's.
 * A fourth imports the shipped bundle without the construct's `--enable-source-maps`, to show what
 * reading the source map at load costs. Last, each SDK package a bundle loads at cold start is
 * imported in a fresh process on its own and after @aws-sdk/client-dynamodb (the package every
 * function that calls AWS loads), to show what each package costs and what it adds to DynamoDB's.
 * The bundled alternative's `addedBytes` is what bundling the SDK adds to the shipped bundle.
 *
 * Prints one line per bundle, then the JSON also written to bench/results/bundles.json. Exits 1 when
 * a shipped bundle exceeds 250 KB or its median cold import exceeds 100 ms. Run with
 * `npm run bench:bundles`.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SDK_BUNDLING, MAX_BUNDLE_BYTES, functionBundling, type SdkBundling } from '../infra/constructs/function-bundling.ts';
import { ENV } from '../functions/shared/env-names.ts';
import { DEFAULT_METRICS_NAMESPACE, SERVICE_NAME } from '../functions/shared/observability.ts';
import { buildFunctionBundle, handlerFiles, type FunctionBundle } from '../support/function-bundles.ts';

const MAX_IMPORT_MS = 100;
const RUNS = 9;
/** Under node_modules, so the bundles' SDK imports resolve from this repository's packages. */
const BUILD_DIR = fileURLToPath(new URL('../node_modules/.cache/tracker-bundles/', import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL('./results/bundles.json', import.meta.url));

/** The construct's NODE_OPTIONS (tracker-function.ts); `sourceMaps: false` leaves it out, to show what it costs. */
const NODE_OPTIONS = '--enable-source-maps';

/** What the construct sets (tracker-function.ts and the bind* helpers) and what Lambda adds itself. */
const lambdaEnvironment = (handlerFile: string, bundleDir: string): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  NODE_OPTIONS,
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: DEFAULT_METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: 'INFO',
  [ENV.stage]: 'bench',
  [ENV.tableName]: 'position-tracker-bench',
  [ENV.eventBusName]: 'position-tracker-bench',
  [ENV.alertTopicArn]: 'arn:aws:sns:eu-west-1:123456789012:position-tracker-bench-alerts',
  [ENV.snapshotBucket]: 'position-tracker-bench-snapshots',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: `position-tracker-bench-${handlerFile}`,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/position-tracker-bench-${handlerFile}`,
  AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/06/[$LATEST]0123456789abcdef',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_SESSION_TOKEN: 'bench-session',
  LAMBDA_TASK_ROOT: bundleDir,
  _HANDLER: 'index.handler',
  TZ: ':UTC',
});

/** Runs in the fresh process: loads each of `preload` in turn, then the bundle, and reports the durations. */
const PROBE = `
const preload = JSON.parse(process.env.BENCH_PRELOAD);
const preloadEachMs = [];
const t0 = performance.now();
for (const specifier of preload) {
  const start = performance.now();
  await import(specifier);
  preloadEachMs.push(performance.now() - start);
}
const t1 = performance.now();
const cpu = process.cpuUsage();
const mod = await import(process.env.BENCH_BUNDLE_URL);
const t2 = performance.now();
const { user, system } = process.cpuUsage(cpu);
if (typeof mod.handler !== 'function') throw new Error('the bundle exports no handler');
process.stdout.write(JSON.stringify({ preloadMs: t1 - t0, preloadEachMs, importMs: t2 - t1, importCpuMs: (user + system) / 1000 }));
`;

interface Probe {
  preloadMs: number;
  /** Each preloaded specifier's own import, in order: the later ones find what the earlier loaded. */
  preloadEachMs: number[];
  importMs: number;
  /** CPU time of the whole process (every thread) during the import. */
  importCpuMs: number;
}

/** What a probe imports: a built bundle, or the empty module the SDK packages are timed with. */
type ProbeTarget = Pick<FunctionBundle, 'handlerFile' | 'file'>;

const probe = (bundle: ProbeTarget, preload: readonly string[], { sourceMaps = true } = {}): Promise<Probe> =>
  new Promise((resolve, reject) => {
    const bundleDir = dirname(bundle.file);
    const environment = lambdaEnvironment(bundle.handlerFile, bundleDir);
    if (!sourceMaps) delete environment['NODE_OPTIONS'];
    const child = spawn(process.execPath, ['--input-type=module', '--eval', PROBE], {
      // Bare specifiers in --eval code resolve from the working directory, as the bundle's do from its own.
      cwd: bundleDir,
      env: { ...environment, BENCH_PRELOAD: JSON.stringify(preload), BENCH_BUNDLE_URL: pathToFileURL(bundle.file).href },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${bundle.handlerFile}: the import failed (exit ${code}): ${stderr.trim()}`));
      else resolve(JSON.parse(stdout) as Probe);
    });
  });

/** The external packages a bundle loads as it is imported: not those it imports with `import()` on first use. */
const atColdStart = (bundle: FunctionBundle): string[] => bundle.externalPackages.filter((name) => !bundle.onDemandPackages.includes(name));

const round = (value: number): number => Math.round(value * 10) / 10;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2);
};

/** The design `cdk synth` ships and the one measured beside it. */
const SHIPPED = DEFAULT_SDK_BUNDLING;
const ALTERNATIVE: SdkBundling = SHIPPED === 'runtime' ? 'bundled' : 'runtime';

interface Series {
  coldMs: number[];
  coldCpuMs: number[];
}

const summary = (bundle: FunctionBundle, series: Series) => {
  const coldImportMs = median(series.coldMs);
  return {
    bytes: bundle.bytes,
    kib: round(bundle.bytes / 1024),
    coldImportMs,
    coldImportRunsMs: series.coldMs.map(round),
    coldImportCpuMs: median(series.coldCpuMs),
    runtimeSdkPackages: bundle.externalPackages,
    onDemandSdkPackages: bundle.onDemandPackages,
    withinSize: bundle.bytes <= MAX_BUNDLE_BYTES,
    withinImportTime: coldImportMs <= MAX_IMPORT_MS,
  };
};

interface BuiltFunction {
  handlerFile: string;
  shipped: FunctionBundle;
  alternative: FunctionBundle;
}

/** The SDK packages timed one by one: every one a shipped bundle loads at cold start, DynamoDB's first (every function that calls AWS loads it). */
const SDK_BASE = '@aws-sdk/client-dynamodb';

interface SdkPackageSeries {
  aloneMs: number[];
  /** Imported after `SDK_BASE` in the same process: what the package adds to a function that has DynamoDB already. */
  afterBaseMs: number[];
}

/** An empty module with a handler, imported after the SDK packages when only they are being timed. */
const writeEmptyTarget = async (): Promise<ProbeTarget> => {
  const file = join(BUILD_DIR, 'sdk-only', 'index.mjs');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, 'export const handler = async () => undefined;\n', 'utf8');
  return { handlerFile: 'sdk-only', file };
};

const measure = async (functions: readonly BuiltFunction[]) => {
  const newSeries = (): Series => ({ coldMs: [], coldCpuMs: [] });
  const byFunction = <T>(make: () => T): Map<string, T> => new Map(functions.map((f) => [f.handlerFile, make()]));
  const shipped = byFunction(newSeries);
  const alternative = byFunction(newSeries);
  const withoutSourceMaps = byFunction(newSeries);
  const own = byFunction((): number[] => []);
  const sdk = byFunction((): number[] => []);
  const sdkPackages = [...new Set(functions.flatMap((f) => atColdStart(f.shipped)))].sort((a, b) => Number(b === SDK_BASE) - Number(a === SDK_BASE) || a.localeCompare(b));
  const byPackage = new Map(sdkPackages.map((name): [string, SdkPackageSeries] => [name, { aloneMs: [], afterBaseMs: [] }]));
  const empty = await writeEmptyTarget();
  const record = (series: Series, probed: Probe): void => {
    series.coldMs.push(probed.importMs);
    series.coldCpuMs.push(probed.importCpuMs);
  };
  // Interleaved, so a burst of load elsewhere on the machine spreads over every bundle and every series alike.
  for (let run = 0; run < RUNS; run += 1) {
    for (const f of functions) {
      record(shipped.get(f.handlerFile)!, await probe(f.shipped, []));
      record(alternative.get(f.handlerFile)!, await probe(f.alternative, []));
      record(withoutSourceMaps.get(f.handlerFile)!, await probe(f.shipped, [], { sourceMaps: false }));
      const split = await probe(f.shipped, atColdStart(f.shipped));
      sdk.get(f.handlerFile)!.push(split.preloadMs);
      own.get(f.handlerFile)!.push(split.importMs);
    }
    for (const [name, series] of byPackage) {
      series.aloneMs.push((await probe(empty, [name])).preloadEachMs[0]!);
      if (name !== SDK_BASE) series.afterBaseMs.push((await probe(empty, [SDK_BASE, name])).preloadEachMs[1]!);
    }
  }
  return { shipped, alternative, withoutSourceMaps, own, sdk, byPackage };
};

const main = async (): Promise<void> => {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 24) throw new Error(`Node ${process.versions.node}: the functions run on Node 24; run through npm (npm run bench:bundles)`);

  await rm(BUILD_DIR, { recursive: true, force: true });
  await mkdir(BUILD_DIR, { recursive: true });
  const functions: BuiltFunction[] = [];
  for (const handlerFile of handlerFiles()) {
    functions.push({
      handlerFile,
      shipped: await buildFunctionBundle(handlerFile, join(BUILD_DIR, SHIPPED, handlerFile)),
      alternative: await buildFunctionBundle(handlerFile, join(BUILD_DIR, ALTERNATIVE, handlerFile), functionBundling({ sdk: ALTERNATIVE })),
    });
  }

  const loadBefore = round(loadavg()[0] ?? 0);
  const { shipped, alternative, withoutSourceMaps, own, sdk, byPackage } = await measure(functions);
  const loadAfter = round(loadavg()[0] ?? 0);

  const rows = functions.map((f) => ({
    function: f.handlerFile,
    ...summary(f.shipped, shipped.get(f.handlerFile)!),
    sdkImportMs: median(sdk.get(f.handlerFile)!),
    bundleOnlyImportMs: median(own.get(f.handlerFile)!),
    withoutSourceMapsImportMs: median(withoutSourceMaps.get(f.handlerFile)!.coldMs),
    withoutSourceMapsImportCpuMs: median(withoutSourceMaps.get(f.handlerFile)!.coldCpuMs),
    alternative: { sdk: ALTERNATIVE, ...summary(f.alternative, alternative.get(f.handlerFile)!), addedBytes: f.alternative.bytes - f.shipped.bytes },
  }));
  const runtimeSdkImportMs = Object.fromEntries(
    [...byPackage].map(([name, series]) => [name, { aloneMs: median(series.aloneMs), ...(name === SDK_BASE ? {} : { afterDynamoDbMs: median(series.afterBaseMs) }) }]),
  );
  const meets = (row: { withinSize: boolean; withinImportTime: boolean }): boolean => row.withinSize && row.withinImportTime;
  const result = {
    benchmark: 'bundles',
    limits: { bytes: MAX_BUNDLE_BYTES, coldImportMs: MAX_IMPORT_MS },
    runs: RUNS,
    method: 'fresh Node process per import, Lambda environment with dummy values, external SDK from node_modules; median of the runs, every series interleaved',
    sdk: SHIPPED,
    bundles: rows,
    runtimeSdkImportMs,
    meetsTargets: rows.every(meets),
    alternativeMeetsTargets: rows.every((row) => meets(row.alternative)),
    node: process.version,
    cpus: cpus().length,
    loadAverage: { before: loadBefore, after: loadAfter },
    measuredAt: new Date().toISOString(),
  };

  console.log(`Lambda bundles (limits: ${MAX_BUNDLE_BYTES / 1024} KB, cold import ${MAX_IMPORT_MS} ms; median of ${RUNS} fresh processes each)`);
  console.log(`  shipped: sdk '${SHIPPED}'; beside it: sdk '${ALTERNATIVE}' (runtime: SDK clients imported from the runtime; bundled: in the bundle)`);
  for (const row of rows) {
    const alt = row.alternative;
    console.log(
      `  ${row.function.padEnd(18)} ${String(row.kib).padStart(6)} KB  cold import ${String(row.coldImportMs).padStart(6)} ms ` +
        `(CPU ${row.coldImportCpuMs} ms; SDK ${row.sdkImportMs} ms, bundle alone ${row.bundleOnlyImportMs} ms` +
        `; no source maps ${row.withoutSourceMapsImportMs} ms` +
        `${row.onDemandSdkPackages.length > 0 ? `; on first use: ${row.onDemandSdkPackages.join(', ')}` : ''})${meets(row) ? '' : '  OVER'}` +
        ` | ${ALTERNATIVE}: ${alt.kib} KB (${alt.addedBytes >= 0 ? '+' : ''}${round(alt.addedBytes / 1024)}), ${alt.coldImportMs} ms (CPU ${alt.coldImportCpuMs} ms)${meets(alt) ? '' : '  OVER'}`,
    );
  }
  console.log(
    `  runtime SDK packages, each in a fresh process (alone / after ${SDK_BASE}): ` +
      Object.entries(runtimeSdkImportMs)
        .map(([name, ms]) => `${name.replace('@aws-sdk/', '')} ${ms.aloneMs}${'afterDynamoDbMs' in ms ? ` / +${ms.afterDynamoDbMs}` : ''} ms`)
        .join(', '),
  );
  console.log(
    `  machine: ${result.cpus} CPUs, 1-minute load ${loadBefore} before, ${loadAfter} after; ` +
      `targets ${result.meetsTargets ? 'met' : 'NOT met'} (${ALTERNATIVE}: ${result.alternativeMeetsTargets ? 'met' : 'not met'})`,
  );
  await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`, 'utf8');
  console.log(JSON.stringify(result));
  if (!result.meetsTargets) process.exitCode = 1;
};

await main();
