/**
 * Builds the newsroom web app: esbuild bundles `web/src/main.tsx` (Preact, the zod/mini contracts
 * of events/, the core's Arabic normalisation) into content-hashed files under `app/`, beside an
 * `index.html` that loads them. The page carries no inline script or style, so it runs under the
 * strict Content-Security-Policy both hosts serve (`script-src 'self'; style-src 'self'`).
 *
 *   tsx web/build.ts --out <dir>        (what the local runtime and the CDK asset bundling run)
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SOURCE = fileURLToPath(new URL('./src/', import.meta.url));
/** Where the bundles go inside the output folder; the page refers to them relatively. */
export const ASSETS_DIR = 'app';

export interface BuildOptions {
  outDir: string;
  /** @default true */
  minify?: boolean;
}

const page = (script: string, stylesheet: string): string => `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Position tracker</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${stylesheet}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="app"><p class="loading">Loading… / جارٍ التحميل…</p></div>
<noscript>This app needs JavaScript. / يتطلب هذا التطبيق جافاسكربت.</noscript>
</body>
</html>
`;

export async function buildWebApp(options: BuildOptions): Promise<{ files: string[] }> {
  const outDir = resolve(options.outDir);
  const assets = join(outDir, ASSETS_DIR);
  await rm(assets, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });
  const result = await build({
    entryPoints: [join(SOURCE, 'main.tsx')],
    outdir: assets,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // events/common.ts counts UTF-8 bytes with Buffer.byteLength; the browser has TextEncoder.
    inject: [join(SOURCE, 'platform', 'buffer-shim.ts')],
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, output]) => output.entryPoint !== undefined);
  if (entry === undefined || entry[1].cssBundle === undefined) throw new Error('esbuild produced no script or no stylesheet for web/src/main.tsx');
  const href = (file: string): string => `${ASSETS_DIR}/${basename(file)}`;
  await writeFile(join(outDir, 'index.html'), page(href(entry[0]), href(entry[1].cssBundle)));
  const files = ['index.html', ...outputs.map(([file]) => relative(outDir, resolve(file)))].sort();
  return { files };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const at = process.argv.indexOf('--out');
  const outDir = at === -1 ? undefined : process.argv[at + 1];
  if (outDir === undefined) {
    process.stderr.write('usage: tsx web/build.ts --out <dir> [--no-minify]\n');
    process.exit(2);
  }
  const { files } = await buildWebApp({ outDir, minify: !process.argv.includes('--no-minify') });
  process.stdout.write(`${files.map((file) => join(outDir, file)).join('\n')}\n`);
}
