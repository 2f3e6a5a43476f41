/**
 * The local read API's key. With a data directory it lives there (`DIR/api-key`, owner-only), so a
 * restart keeps the key that scripts, the CLI's environment and pasted curl lines already use;
 * without one, a fresh key per run. A key given by flag or environment wins and is not written.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const API_KEY_FILE = 'api-key';
/** The reader's key (reads only, no desk writes), kept beside the editor's. */
export const READER_KEY_FILE = 'reader-key';
const OWNER_ONLY = 0o600;

export type ApiKeySource = 'given' | 'generated' | 'kept';

export interface ResolvedApiKey {
  apiKey: string;
  source: ApiKeySource;
  /** Where it is kept, with a data directory. */
  path: string | null;
}

/** A key that is easy to paste and hard to guess. */
export const generateApiKey = (prefix = 'local'): string => `${prefix}-${randomBytes(18).toString('base64url')}`;

const readKept = async (path: string): Promise<string | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = text.trim();
  return key === '' ? undefined : key;
};

/** The editor's key by default; `{ file: READER_KEY_FILE, prefix: 'reader' }` for the reader's. */
export async function resolveApiKey(
  given: string | undefined,
  dataDir: string | null,
  { file = API_KEY_FILE, prefix = 'local' }: { file?: string; prefix?: string } = {},
): Promise<ResolvedApiKey> {
  if (given !== undefined && given !== '') return { apiKey: given, source: 'given', path: null };
  if (dataDir === null) return { apiKey: generateApiKey(prefix), source: 'generated', path: null };

  const path = join(dataDir, file);
  const kept = await readKept(path);
  if (kept !== undefined) {
    // A copy or an unpacked archive may have widened it; the key opens the whole local API.
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, OWNER_ONLY);
    return { apiKey: kept, source: 'kept', path };
  }
  const apiKey = generateApiKey(prefix);
  await writeFile(path, `${apiKey}\n`, { encoding: 'utf8', mode: OWNER_ONLY });
  // writeFile's mode applies only to a file it creates; an empty one left behind keeps its own.
  await chmod(path, OWNER_ONLY);
  return { apiKey, source: 'generated', path };
}
