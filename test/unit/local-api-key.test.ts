import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveApiKey } from '../../local/store/api-key-file.ts';

describe('the local API key', () => {
  it('is generated once into the data directory, owner-only, and kept on the next start', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'tracker-key-'));
    try {
      // Act
      const first = await resolveApiKey(undefined, dir);
      const second = await resolveApiKey(undefined, dir);

      // Assess
      expect(first.source).toBe('generated');
      expect(second).toEqual({ apiKey: first.apiKey, source: 'kept', path: join(dir, 'api-key') });
      expect((await stat(join(dir, 'api-key'))).mode & 0o777).toBe(0o600);
      expect((await readFile(join(dir, 'api-key'), 'utf8')).trim()).toBe(first.apiKey);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('narrows a kept key file that others could read, and leaves it alone when a key is given', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'tracker-key-'));
    try {
      await writeFile(join(dir, 'api-key'), 'local-kept\n');
      await chmod(join(dir, 'api-key'), 0o644);

      // Act
      const given = await resolveApiKey('chosen', dir);
      const kept = await resolveApiKey(undefined, dir);

      // Assess
      expect(given).toEqual({ apiKey: 'chosen', source: 'given', path: null });
      expect(kept.apiKey).toBe('local-kept');
      expect((await stat(join(dir, 'api-key'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is fresh on every run without a data directory', async () => {
    const [a, b] = await Promise.all([resolveApiKey(undefined, null), resolveApiKey('', null)]);
    expect(a.source).toBe('generated');
    expect(b.source).toBe('generated');
    expect(a.apiKey).not.toBe(b.apiKey);
  });
});
