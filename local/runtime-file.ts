/**
 * Where a running local runtime says it listens, so the CLI finds it without flags: `npm start`
 * writes `.local-data/runtime.json` (owner-only: it holds the API key) and removes it on exit.
 * `TRACKER_RUNTIME_FILE` points both sides at another file.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface RuntimeFile {
  pid: number;
  bus: string;
  api: string;
  dynamodb: string;
  /** The editor's key. */
  apiKey: string;
  /** The reader's key (read routes only); absent in files older runtimes wrote. */
  readerKey?: string;
  startedAt: string;
}

export const runtimeFilePath = (): string => resolve(process.env['TRACKER_RUNTIME_FILE'] ?? '.local-data/runtime.json');

export async function writeRuntimeFile(info: RuntimeFile, path = runtimeFilePath()): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(info, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
  return path;
}

export async function removeRuntimeFile(pid: number, path = runtimeFilePath()): Promise<void> {
  // Only our own: a second runtime may have replaced it.
  const current = await readRuntimeFile(path, { checkAlive: false });
  if (current?.pid === pid) await rm(path, { force: true });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The runtime file, if there is one and (by default) its process still runs. */
export async function readRuntimeFile(path = runtimeFilePath(), options: { checkAlive?: boolean } = {}): Promise<RuntimeFile | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const info = parsed as Partial<RuntimeFile>;
  if (typeof info.pid !== 'number' || typeof info.bus !== 'string' || typeof info.api !== 'string' || typeof info.apiKey !== 'string') return undefined;
  if (options.checkAlive !== false && !alive(info.pid)) return undefined;
  return info as RuntimeFile;
}
