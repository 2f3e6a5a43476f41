/**
 * `tracker register` and GET /changes through the local runtime: registry records published from
 * flags and from a file of bare details (kinds inferred) are applied or quarantined with the field
 * at fault, `--wait` exits 1 on a refusal, and the change feed lists the seed's statements and
 * alerts, then the new registry versions, in the order recorded, in JSON and CSV.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChangesPage } from '../../functions/api/schemas.ts';
import { runCli } from '../../local/cli.ts';
import { csvRecords } from '../support/csv-records.ts';
import { apiGet, cliIo, useSeededRuntime } from './support.ts';

describe('tracker register and the change feed, through the local runtime', () => {
  const seeded = useSeededRuntime();

  it('registers a watch from flags, waits for it to apply, and the feed lists it after the seed', async () => {
    // Prepare
    const before = (await apiGet<ChangesPage>(seeded.test.runtime, '/changes?limit=100')).body;
    const io = cliIo();

    // Act
    const code = await runCli(
      ['register', '--kind', 'watch', '--id', 'e2e-guarantor-watch', '--watch-kind', 'actor-vs-bloc', '--actor', 'ukraine', '--bloc', 'allies',
        '--issues', 'russia-as-guarantor', '--threshold', '3', '--wait', ...seeded.connection],
      io,
    );

    // Assess
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain('Published 1 event(s)');
    expect(before.nextCursor).toBeNull();
    expect(before.changes.some((c) => c.kind === 'position-changed')).toBe(true);
    expect(before.changes.some((c) => c.kind === 'divergence-opened')).toBe(true);
    const since = before.changes.at(-1)!.recordedAt;
    const after = (await apiGet<ChangesPage>(seeded.test.runtime, `/changes?since=${since}&limit=100`)).body.changes;
    const watch = after.find((c) => c.kind === 'registry-changed' && c.changed['id'] === 'e2e-guarantor-watch');
    expect(watch?.changed).toMatchObject({ registryKind: 'watch', record: { threshold: 3, bloc: 'allies', actor: 'ukraine' } });
  });

  it('registers the records of a file of bare details, one per line, and exits 1 naming the field of the one refused', async () => {
    // Prepare
    const file = join(seeded.test.dir, 'registry.ndjson');
    const lines = [
      { actor: 'e2e-moldova', kind: 'state', names: { en: 'Moldova', ar: 'مولدوفا' }, aliases: ['مولدافيا'] },
      { bloc: 'e2e-neighbours', names: { en: 'Neighbours', ar: 'الجيران' }, members: ['e2e-moldova', 'ukraine'] },
      { actor: 'e2e-atlantis', kind: 'planet', names: { en: 'Atlantis', ar: 'أتلانتس' } },
    ];
    await writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`, 'utf8');
    const io = cliIo();

    // Act
    const code = await runCli(['register', '--file', file, '--wait', ...seeded.connection], io);

    // Assess
    expect(code).toBe(1);
    expect(io.stdout.join('\n')).toContain('Processed: 2 applied, 0 duplicate, 1 quarantined, 0 dead-lettered');
    expect(io.stderr.join('\n')).toContain(`quarantined: ${file}:3: invalid-event`);
    expect(io.stderr.join('\n')).toContain('detail.kind');
    const since = new Date(Date.now() - 60_000).toISOString();
    const changes = (await apiGet<ChangesPage>(seeded.test.runtime, `/changes?since=${since}&limit=100`)).body.changes;
    const registered = changes.filter((c) => c.kind === 'registry-changed').map((c) => c.changed['id']);
    expect(registered).toContain('e2e-moldova');
    expect(registered).toContain('e2e-neighbours');
    expect(registered).not.toContain('e2e-atlantis');
  });

  it('answers the change feed as CSV, one row per change, in the order of the JSON', async () => {
    const json = (await apiGet<ChangesPage>(seeded.test.runtime, '/changes?limit=20')).body;
    const response = await fetch(`${seeded.test.runtime.endpoints.api}/changes?limit=20`, { headers: { 'x-api-key': seeded.test.runtime.apiKey, accept: 'text/csv' } });
    expect(response.status).toBe(200);
    const rows = csvRecords(await response.text());
    expect(rows.map((row) => row['change_id'])).toEqual(json.changes.map((c) => c.changeId));
    expect(response.headers.get('x-next-cursor')).toBe(json.nextCursor);
  });
});
