/**
 * Builds the Lambda bundles outside `cdk synth`, with the construct's own bundling options
 * (infra/constructs/function-bundling.ts), and says what went into each: its size, its inputs and
 * what it imports at run time. Used by test/infra/bundles.test.ts and bench/bundles.bench.ts.
 */
import { readdirSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions, functionBundling } from '../infra/constructs/function-bundling.ts';

export const HANDLERS_DIR = fileURLToPath(new URL('../functions/handlers/', import.meta.url));

/** Every Lambda entry: the file stems under functions/handlers/, as the construct's `handlerFile`. */
export const handlerFiles = (): string[] =>
  readdirSync(HANDLERS_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();

export interface FunctionBundle {
  handlerFile: string;
  /** The bundle itself, `<outdir>/index.mjs`, as NodejsFunction writes it. */
  file: string;
  bytes: number;
  /** Every bundled input, as esbuild names it (`node_modules/zod/v4/core/schemas.js`, `functions/...`). */
  inputs: string[];
  /** Packages the bundle imports at run time (not bundled), Node built-ins left out. */
  externalPackages: string[];
  /** Of those, the ones it imports only with `import()`, on first use: not loaded at cold start. */
  onDemandPackages: string[];
  metafile: Metafile;
}

/** `@aws-sdk/client-s3/dist-es/x.js` → `@aws-sdk/client-s3`; `semver/functions/gte` → `semver`. */
export const packageOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
};

export const buildFunctionBundle = async (
  handlerFile: string,
  outdir: string,
  bundling: BundlingOptions = functionBundling(),
): Promise<FunctionBundle> => {
  const entry = join(HANDLERS_DIR, `${handlerFile}.ts`);
  const { metafile } = await build({ ...esbuildOptions(entry, outdir, bundling), metafile: true });
  const file = join(outdir, 'index.mjs');
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('index.mjs'))?.[1];
  if (output === undefined) throw new Error(`esbuild wrote no index.mjs for ${handlerFile}`);
  const packages = (imports: typeof output.imports): string[] =>
    [...new Set(imports.filter((entry) => entry.external && !isBuiltin(entry.path)).map((entry) => packageOf(entry.path)))].sort();
  const externalPackages = packages(output.imports);
  const atColdStart = new Set(packages(output.imports.filter((entry) => entry.kind !== 'dynamic-import')));
  const onDemandPackages = externalPackages.filter((name) => !atColdStart.has(name));
  return { handlerFile, file, bytes: statSync(file).size, inputs: Object.keys(output.inputs).sort(), externalPackages, onDemandPackages, metafile };
};
