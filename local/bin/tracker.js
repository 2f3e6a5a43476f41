#!/usr/bin/env node
// The `tracker` bin: registers tsx so the TypeScript CLI runs as-is, without a build step.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig, whichever directory the command is run from.
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });

const { runCli } = await import('../cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
