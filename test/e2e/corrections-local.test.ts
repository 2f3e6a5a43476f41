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
import { AWS_CLI_SKIP, HAS_AWS_CLI, apiGet, cliIo, divergenceKey, openAlerts, putWithAwsCli, seedQuotes, stancesOf, useSeededRuntime } from './support.ts';

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

  it.skipIf(!HAS_AWS_CLI)(`aws events put-events with a corrected speaker: NATO has no position left, the United Kingdom has it${AWS_CLI_SKIP}`, async () => {
    // Prepare: the seed has Rutte (NATO) at 2 on troops; the words were the UK defence secretary's.
    const { runtime } = seeded.test;
    const entry = {
      Source: 'newsroom.desk',
      DetailType: 'Statement Corrected',
      Detail: JSON.stringify({
        schemaVersion: '1', statementId: 'seed-08-rutte-western-troops-in-ukraine', correctionId: 'corr-e2e-speaker', changes: { speaker: 'Healey' },
        reason: 'Misattributed: the words were John Healey\'s', correctedAt: '2025-09-05T09:00:00Z', recordedBy: 'standards-desk',
      }),
    };

    // Act
    await putWithAwsCli(seeded.test, [entry]);

    // Assess
    const { body } = await apiGet<Matrix>(runtime, '/issues/western-troops-in-ukraine/positions');
    expect(stancesOf(body)).not.toHaveProperty('nato');
    expect(body.positions.find((p) => p.actor === 'united-kingdom')).toMatchObject({ stance: 2, statementId: 'seed-08-rutte-western-troops-in-ukraine' });
    const history = await apiGet<{ statements: Array<{ statementId: string; speaker?: string }> }>(runtime, '/actors/united-kingdom/history?issue=western-troops-in-ukraine');
    expect(history.body.statements).toEqual([expect.objectContaining({ statementId: 'seed-08-rutte-western-troops-in-ukraine', speaker: 'healey' })]);
    const nato = await apiGet<{ statements: unknown[] }>(runtime, '/actors/nato/history?issue=western-troops-in-ukraine');
    expect(nato.body.statements).toEqual([]);
  });

  it('GET /changes lists each correction and retraction applied, once, after the seed', async () => {
    const { body } = await apiGet<{ changes: Array<{ changeId: string; kind: string; changed: Record<string, unknown> }>; nextCursor: string | null }>(
      seeded.test.runtime, '/changes?limit=100&since=2020-01-01',
    );
    const revisions = body.changes.filter((c) => c.kind === 'statement-corrected' || c.kind === 'statement-retracted');
    expect(revisions.map((c) => [c.kind, c.changed['statementId']])).toEqual([
      ['statement-corrected', 'seed-09-germany-western-troops-in-ukraine'],
      ['statement-retracted', RUSSIA_GUARANTOR],
      ['statement-corrected', 'seed-08-rutte-western-troops-in-ukraine'],
    ].filter(([, id]) => id !== 'seed-08-rutte-western-troops-in-ukraine' || HAS_AWS_CLI));
    expect(revisions.find((c) => c.kind === 'statement-retracted')?.changed).toMatchObject({ redacted: true, outcome: 'retracted' });
  });

  it('correct and retract have --help', async () => {
    for (const command of ['correct', 'retract']) {
      const help = cliIo();
      expect(await runCli([command, '--help'], help)).toBe(0);
      expect(help.stdout.join('\n')).toMatch(/^Usage: tracker /);
    }
  });
});
