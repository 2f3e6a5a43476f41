/** The feeds in a local folder (`<dir>/index.json`, `<dir>/<issue>/…`), which the local API serves under /feeds/. */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { FeedStore } from '../../application/feeds.ts';

/** The file a feed key names, never outside the folder (keys are built from registry ids, but a path is a path). */
export const feedPath = (root: string, key: string): string => {
  const path = resolve(root, key);
  if (!path.startsWith(root + sep)) throw new Error(`feed key '${key}' leaves the feeds folder`);
  return path;
};

const ignoreCodes = (...codes: string[]) => (error: unknown): void => {
  if (!codes.includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
};

export const createFsFeedStore = (dir: string): FeedStore & { root: string } => {
  const root = resolve(dir);
  return {
    root,
    async put({ key, body }) {
      const file = feedPath(root, key);
      await mkdir(dirname(file), { recursive: true });
      // Write then rename, so a chart polling the file never reads half of it.
      const temporary = join(dirname(file), `.${randomUUID()}.tmp`);
      await writeFile(temporary, body, 'utf8');
      await rename(temporary, file);
    },
    async remove(key) {
      const file = feedPath(root, key);
      await rm(file, { force: true });
      // An issue's folder goes with its last file, so a listing shows no trace of an unpublished issue.
      if (dirname(file) !== root) await rmdir(dirname(file)).catch(ignoreCodes('ENOTEMPTY', 'ENOENT', 'EEXIST'));
    },
  };
};
