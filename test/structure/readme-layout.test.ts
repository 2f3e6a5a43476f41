/**
 * The README's layout table is where a newcomer learns what each folder holds: every folder of the
 * code and the tests has a row of its own, and every row names a folder that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOP = ['functions', 'local', 'events', 'test', 'bench', 'support'];

const foldersUnder = (folder: string): string[] =>
  existsSync(join(ROOT, folder))
    ? [folder, ...readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
        .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length))
        .filter((path) => !path.split('/').includes('node_modules'))]
    : [];

/** The first cell of each row of the table under "### Layout", one folder in backticks. */
const layoutRows = (markdown: string): string[] => {
  const start = markdown.indexOf('### Layout');
  if (start === -1) throw new Error('README.md has no "### Layout" section');
  const end = markdown.indexOf('\n#', start + 1);
  return [...markdown.slice(start, end === -1 ? undefined : end).matchAll(/^\| `([^`]+)\/` \|/gm)].map(([, folder]) => folder!);
};

describe('README layout table', () => {
  const rows = layoutRows(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('has a row for every folder of functions/, local/, events/, test/, bench/ and support/', () => {
    const folders = TOP.flatMap(foldersUnder);
    expect(folders).toContain('functions/core');
    expect(folders.filter((folder) => !rows.includes(folder)).sort()).toEqual([]);
  });

  it('names only folders that exist', () => {
    expect(rows.filter((folder) => !existsSync(join(ROOT, folder)))).toEqual([]);
  });
});
