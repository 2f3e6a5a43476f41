/**
 * The local runtime on another DynamoDB: moto_server instead of the embedded dynalite, as a
 * developer would point it at LocalStack, moto or a dev table with --dynamodb-endpoint. The
 * table is created when missing, and the seed replay must give the same positions and alerts
 * as on the embedded store. Skipped, with the reason, where moto_server is not installed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTO_SKIP_REASON, isMotoAvailable, startMoto, type MotoServer } from '../support/moto.ts';
import { EXPECTED_DIVERGENCES, EXPECTED_STANCES, divergenceKey, stancesOf, startTestRuntime, type TestRuntime } from './support.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const hasMoto = isMotoAvailable();
const skipNote = hasMoto ? '' : ` [skipped: ${MOTO_SKIP_REASON}]`;

const uniqueTable = (): string => `tracker-e2e-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;

describe.skipIf(!hasMoto)(`the runtime on moto_server via --dynamodb-endpoint${skipNote}`, () => {
  let moto: MotoServer;
  let onMoto: TestRuntime;
  let embedded: TestRuntime;

  beforeAll(async () => {
    moto = await startMoto();
    [onMoto, embedded] = await Promise.all([
      startTestRuntime({ dynamodbEndpoint: moto.endpoint, tableName: uniqueTable(), replay: true, report: false }),
      startTestRuntime({ replay: true, report: false }),
    ]);
  });

  afterAll(async () => {
    await onMoto?.stop();
    await embedded?.stop();
    await moto?.stop();
  });

  it('creates the missing table, replays the seed cleanly and raises the four divergences', async () => {
    expect(onMoto.output.text()).toMatch(/Created table tracker-e2e-\S+ at http:\/\/127\.0\.0\.1:\d+/);
    expect(onMoto.runtime.replay?.problems).toEqual([]);
    expect(onMoto.runtime.replay?.clean).toBe(true);
    expect(onMoto.runtime.replay?.processed).toBe(12);

    const matrices = await onMoto.runtime.matrices();
    expect(Object.fromEntries(matrices.map((matrix) => [matrix.issue, stancesOf(matrix)]))).toEqual(EXPECTED_STANCES);
    const alerts = await onMoto.runtime.alerts({ open: true });
    expect(alerts.map(divergenceKey).sort()).toEqual(EXPECTED_DIVERGENCES);
  });

  it('gives exactly the positions and alerts of the embedded store', async () => {
    expect(embedded.runtime.replay?.clean).toBe(true);
    expect(await onMoto.runtime.matrices()).toEqual(await embedded.runtime.matrices());
    expect(await onMoto.runtime.alerts()).toEqual(await embedded.runtime.alerts());
  });

  it('npm start -- --once --dynamodb-endpoint URL exits 0 after a clean replay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracker-e2e-cli-'));
    try {
      const { stdout } = await run(
        'npm',
        [
          'start', '--silent', '--', '--once', '--dynamodb-endpoint', moto.endpoint, '--table', uniqueTable(),
          '--bus-port', '0', '--api-port', '0', '--snapshots-dir', join(dir, 'snapshots'),
        ],
        { cwd: REPO, env: { ...process.env, TRACKER_API_KEY: '', AWS_ENDPOINT_URL_DYNAMODB: '' }, timeout: 90_000 },
      );
      expect(stdout).toContain(`DynamoDB               ${moto.endpoint} (external)`);
      expect(stdout).toContain('Replay clean: 12 statement(s) published, 12 processed, 4 alert(s) published, 0 quarantined, 0 dead-lettered, 0 refused');
      expect(stdout).toContain('⚠ Russia vs Ukraine and its Western allies on Western troops in Ukraine (actor-vs-bloc, open)');
      expect(stdout).toContain('⚠ Germany against its own bloc Ukraine and its Western allies on Western troops in Ukraine (bloc-split, open)');
      expect(stdout).toContain('أكدت موسكو أنها ترفض نشر قوات غربية على أرض أوكرانيا');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
