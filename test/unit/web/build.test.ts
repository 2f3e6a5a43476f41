/**
 * The web app's build output: what the local runtime and the CDK deployment serve. The page must
 * run under `script-src 'self'; style-src 'self'` (no inline script, no inline style), and the
 * JavaScript must stay within 150 KB gzipped (issue 13).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebApp } from '../../../web/build.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAX_GZIPPED_JS_BYTES = 150 * 1024;

describe('web/build.ts', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'web-build-'));
    ({ files } = await buildWebApp({ outDir: dir }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes index.html and the hashed script and stylesheet it loads, nothing inline', async () => {
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    const script = /<script type="module" src="(app\/main-[A-Z0-9]+\.js)">/.exec(html)?.[1];
    const stylesheet = /<link rel="stylesheet" href="(app\/main-[A-Z0-9]+\.css)">/.exec(html)?.[1];

    expect(files).toEqual(['index.html', script, stylesheet].sort());
    expect(scripts).toEqual([`<script type="module" src="${script}">`]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('bundles JavaScript for the browser within 150 KB gzipped, with no Node built-in left in it', async () => {
    const js = files.filter((file) => file.endsWith('.js'));
    const sources = await Promise.all(js.map((file) => readFile(join(dir, file))));
    const gzipped = sources.reduce((total, source) => total + gzipSync(source, { level: 9 }).length, 0);

    expect(gzipped).toBeLessThanOrEqual(MAX_GZIPPED_JS_BYTES);
    for (const source of sources) expect(source.toString('utf8')).not.toMatch(/from\s*["']node:|require\(["']node:|\bBuffer\.from\b/);
  });

  it('type-checks the browser sources (web/tsconfig.json: the DOM, Preact JSX)', () => {
    const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', join(ROOT, 'web', 'tsconfig.json')], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
