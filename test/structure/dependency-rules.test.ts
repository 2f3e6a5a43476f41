/**
 * The import directions the layout promises (.dependency-cruiser.cjs), checked over the whole tree
 * on every run: a core that starts importing the SDK or a contract, or a handler that reaches into
 * local/, fails the suite with the offending imports named.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPCRUISE = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruiser.mjs', import.meta.url));
const FOLDERS = ['functions', 'events', 'local', 'infra', 'bench', 'support', 'test', 'web'].filter((folder) => existsSync(`${ROOT}${folder}`));

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

interface CruiseResult {
  modules: { source: string }[];
  summary: { violations: Violation[] };
}

const cruise = async (): Promise<CruiseResult> => {
  // depcruise exits non-zero when it finds violations; the JSON on stdout is what is asserted.
  const run = await promisify(execFile)(
    process.execPath,
    [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...FOLDERS],
    { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    if (error.stdout) return { stdout: error.stdout };
    throw new Error(`depcruise failed: ${error.stderr ?? String(error)}`);
  });
  return JSON.parse(run.stdout) as CruiseResult;
};

const describeViolation = ({ rule, from, to, cycle }: Violation): string =>
  `${rule.name}: ${from} → ${to}${cycle === undefined ? '' : ` (cycle: ${cycle.map((step) => step.name).join(' → ')})`}`;

describe('import direction', () => {
  it('holds for every module of the tree', async () => {
    // Act
    const result = await cruise();
    // Assess: the cruise saw the core and the SDK it must not import, so an empty list means something.
    const sources = new Set(result.modules.map((module) => module.source));
    expect(sources).toContain('functions/core/positions.ts');
    expect(sources).toContain('events/catalog.ts');
    expect(sources).toContain('web/src/views/App.tsx');
    expect([...sources].some((source) => source.includes('node_modules/@aws-sdk/'))).toBe(true);
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  });
});
