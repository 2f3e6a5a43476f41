/**
 * Corrections and retractions end to end through the local runtime: published by the tracker CLI
 * (`tracker correct`, `tracker retract`) on the local bus, routed by the real rules to the real
 * processor, read back through the read API and the snapshot files.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../functions/api/schemas.ts';
import { runCli } from '../../local/cli.ts';
import { apiGet, cliIo, divergenceKey, openAlerts, seedQuotes, stancesOf, useSeededRuntime } from './support.ts';

const RUSSIA_GUARANTOR = 'seed-04-russia-russia-as-guarantor';

/** Polls until `check` holds: the snapshot writer runs after the processor, on its own queue. */
const eventually = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still not true after 10 s: ${what}`);
};

describe('tracker correct and tracker retract against the local runtime', () => {
  const seeded = useSeededRuntime();

  it('correct --wait: the stance is right in the API, the false bloc split is gone, and the fate is reported', async () => {
    const io = cliIo();

    const code = await runCli([
      'correct', '--statement', 'seed-09-germany-western-troops-in-ukraine', '--stance', '2', '--reason', 'Berlin backs the troops',
      '--by', 'standards-desk', '--correction-id', 'corr-e2e-germany', '--wait', ...seeded.connection,
    ], io);

    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain('applied: Statement Corrected corr-e2e-germany');
    const { body } = await apiGet<Matrix>(seeded.test.runtime, '/issues/western-troops-in-ukraine/positions');
    expect(stancesOf(body)).toMatchObject({ germany: 2 });
    expect((await openAlerts(seeded.test.runtime)).map(divergenceKey)).not.toContain('bloc-split western-troops-in-ukraine germany allies');
  });

  it('retract --redact --wait: the divergence closes, and the quote is in neither the API nor the snapshots', async () => {
    const io = cliIo();
    const quote = seedQuotes().get(RUSSIA_GUARANTOR)!;

    const code = await runCli([
      'retract', '--statement', RUSSIA_GUARANTOR, '--reason', 'Removed at the request of counsel', '--redact', '--wait', ...seeded.connection,
    ], io);

    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect((await openAlerts(seeded.test.runtime)).map(divergenceKey)).not.toContain('actor-vs-bloc russia-as-guarantor russia allies');
    const { body } = await apiGet<Matrix>(seeded.test.runtime, '/issues/russia-as-guarantor/positions');
    expect(stancesOf(body)).toEqual({ ukraine: -2 });
    for (const path of ['/issues/russia-as-guarantor/positions', '/alerts?limit=100']) {
      const response = await fetch(`${seeded.test.runtime.endpoints.api}${path}`, { headers: { 'x-api-key': seeded.test.runtime.apiKey } });
      expect(await response.text(), path).not.toContain(quote);
    }
    const snapshots = join(seeded.test.dir, 'snapshots');
    const snapshotText = async () => (await Promise.all((await readdir(snapshots, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')))).join('\n');
    await eventually(async () => !(await snapshotText()).includes(quote), 'the snapshots are rewritten without the quote');
  });

  it('correct and retract have --help', async () => {
    for (const command of ['correct', 'retract']) {
      const help = cliIo();
      expect(await runCli([command, '--help'], help)).toBe(0);
      expect(help.stdout.join('\n')).toMatch(/^Usage: tracker /);
    }
  });
});
