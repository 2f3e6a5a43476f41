/**
 * The runtime's web app step: build the browser app (web/build.ts, `buildWebApp`) into
 * `<dataDir>/web`, or a temporary folder removed on shutdown, for the API server to serve at `/`.
 * The build module is imported only when the checkout has it; a missing or failing build is a
 * console note, never a runtime that does not start: the API works without its pages.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Output } from '../console/terminal.ts';
import type { Shutdown } from './shutdown.ts';

export const WEB_BUILD_MODULE = fileURLToPath(new URL('../../web/build.ts', import.meta.url));

interface WebBuildModule {
  buildWebApp(options: { outDir: string; minify?: boolean }): Promise<{ files: string[] }>;
}

const outDirFor = async (dataDir: string | null, shutdown: Shutdown): Promise<string> => {
  if (dataDir !== null) {
    const dir = join(dataDir, 'web');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  }
  const dir = await mkdtemp(join(tmpdir(), 'tracker-web-'));
  shutdown.add(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

/** The folder the app was built into, or undefined (with the reason printed) when there is none. */
export async function buildLocalWebApp(dataDir: string | null, output: Output, shutdown: Shutdown, module = WEB_BUILD_MODULE): Promise<string | undefined> {
  if (!existsSync(module)) {
    output.line(`Web app: not built (${module} is not in this checkout); the API serves without it`);
    return undefined;
  }
  try {
    const { buildWebApp } = (await import(module)) as WebBuildModule;
    const outDir = await outDirFor(dataDir, shutdown);
    const { files } = await buildWebApp({ outDir, minify: true });
    output.line(`Web app: ${files.length} file(s) built into ${outDir}`);
    return outDir;
  } catch (error) {
    output.error(`Web app: the build failed (${error instanceof Error ? error.message : String(error)}); the API serves without it`);
    return undefined;
  }
}
