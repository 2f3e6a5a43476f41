/**
 * An exclusive claim on a data directory by one process, as a lock file holding its pid. Two
 * runtimes on one directory would corrupt each other's files, and a second dynalite on a LevelDB
 * that is already open crashes its process from a callback instead of failing to start.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirLock {
  path: string;
  release(): Promise<void>;
}

export class DirectoryInUseError extends Error {
  override readonly name = 'DirectoryInUseError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`${dir} is in use by another process (pid ${pid}); stop it or choose another directory`);
  }
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function lockDirectory(dir: string, name = '.lock'): Promise<DirLock> {
  const path = join(dir, name);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`, 'utf8');
      await handle.close();
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) throw new DirectoryInUseError(dir, pid);
      if (pid === process.pid) throw new DirectoryInUseError(dir, pid);
      // Left behind by a process that died without releasing it.
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}
