/** Snapshots in a local folder (`<dir>/<issue>.json`), for the local runtime. */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SnapshotStore } from '../../application/snapshots.ts';

export const createFsSnapshotStore = (dir: string): SnapshotStore => {
  const root = resolve(dir);
  const fileOf = (issue: string): string => join(root, `${issue}.json`);
  return {
    async put(issue, json) {
      await mkdir(root, { recursive: true });
      // Write then rename, so a graphic polling the file never reads half of it.
      const temporary = join(root, `.${issue}.json.${randomUUID()}.tmp`);
      await writeFile(temporary, json, 'utf8');
      await rename(temporary, fileOf(issue));
    },

    async link(issue) {
      const file = fileOf(issue);
      try {
        await stat(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return { issue, url: pathToFileURL(file).href, expiresAt: null };
    },
  };
};
