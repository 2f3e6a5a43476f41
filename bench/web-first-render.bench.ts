/// <reference lib="dom" />
// The functions these files hand to page.evaluate run in the page, on the DOM.
/**
 * First render of the dashboard's matrix in Chromium against the local runtime with the seed: the
 * time from the start of navigation (the page's `performance.timeOrigin`) to the first animation
 * frame in which the matrix holds its cells, read inside the page. Each run is a fresh browser
 * context (no cache, no session: config.json, the key from the fragment, /me, the issues, four
 * matrices and the alerts, every time).
 *
 *   npx tsx bench/web-first-render.bench.ts [--runs N]        (npm run bench:web)
 *
 * Prints the figures; the last line is one JSON object, also written to bench/results/web-first-render.json.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { Output } from '../local/console/terminal.ts';
import { startRuntime } from '../local/runtime.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);
const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const quiet: Output = { line: () => undefined, error: (text) => void process.stderr.write(`${text}\n`) };

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
const round = (value: number): number => Math.round(value * 10) / 10;

async function scriptBytes(webDir: string): Promise<{ raw: number; gzipped: number }> {
  const dir = join(webDir, 'app');
  let raw = 0;
  let gzipped = 0;
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.js'))) {
    raw += (await stat(join(dir, file))).size;
    gzipped += gzipSync(await readFile(join(dir, file)), { level: 9 }).length;
  }
  return { raw, gzipped };
}

const runtime = await startRuntime({ busPort: 0, apiPort: 0, dynamodbPort: 0, report: false, output: quiet, snapshotsDir: join(process.cwd(), '.local-data', 'bench-web', 'snapshots'), feedsDir: join(process.cwd(), '.local-data', 'bench-web', 'feeds') });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const samples: number[] = [];
try {
  if (runtime.webDir === null) throw new Error('the runtime serves no web app (web/build.ts did not build)');
  for (let run = 0; run < RUNS + 1; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${runtime.endpoints.api}/#key=${encodeURIComponent(runtime.apiKey)}`);
    const rendered = await page.waitForFunction(
      () => (document.querySelectorAll('table.matrix button.cell').length >= 12 ? performance.now() : false),
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const ms = (await rendered.jsonValue()) as number;
    // The first run warms the runtime's caches and the machine's disk: left out, as a cold start of the bench, not of the page.
    if (run > 0) samples.push(ms);
    await context.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const script = await scriptBytes(runtime.webDir);
  const result = {
    bench: 'web-first-render',
    measuredAt: new Date().toISOString(),
    runs: RUNS,
    firstRenderMs: { median: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), min: round(sorted[0] ?? NaN), max: round(sorted[sorted.length - 1] ?? NaN) },
    script,
    browser: browser.version(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', loadavg1: round(loadavg()[0] ?? 0) },
  };
  console.log(`first render of the matrix (navigation start → first frame with the cells), ${RUNS} fresh contexts:`);
  console.log(`  median ${result.firstRenderMs.median} ms, p90 ${result.firstRenderMs.p90} ms (min ${result.firstRenderMs.min}, max ${result.firstRenderMs.max})`);
  console.log(`  script ${(script.raw / 1024).toFixed(1)} KB, ${(script.gzipped / 1024).toFixed(1)} KB gzipped; Chromium ${result.browser}; load ${result.machine.loadavg1}`);
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'web-first-render.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await runtime.close();
}
