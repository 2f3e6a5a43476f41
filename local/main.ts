/**
 * `npm start`: the whole pipeline on loopback, one command, no AWS account and no Docker.
 * Parses the flags, starts the runtime (registry, then the seed replay unless --no-replay), and
 * serves until Ctrl-C, or exits after the replay with --once.
 */
import { Terminal } from './console/terminal.ts';
import { HELP, UsageError, parseMainArgs } from './flags.ts';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file.ts';
import { startRuntime, type Runtime } from './runtime.ts';

async function main(): Promise<number> {
  // A closed pipe (`npm start | head`, a terminal gone) must not crash the runtime mid-shutdown.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const terminal = new Terminal();
  let parsed;
  try {
    parsed = parseMainArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    terminal.error(`${error.message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.help) {
    terminal.line(HELP);
    return 0;
  }

  const startedAt = Date.now();
  let runtime: Runtime;
  try {
    runtime = await startRuntime({ ...parsed.options, output: terminal });
  } catch (error) {
    terminal.error(`Could not start the local runtime: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  const outcome = runtime.replay;
  const problems = [...runtime.registry.problems, ...(outcome?.problems ?? [])];
  if (outcome !== undefined) {
    const summary =
      `${outcome.accepted.length} statement(s) published, ${outcome.processed} processed, ${outcome.alerts} alert(s) published, ` +
      `${outcome.quarantined.length} quarantined, ${outcome.deadLettered.length} dead-lettered, ${outcome.refused.length} refused`;
    terminal.line('');
    terminal.line(`Replay ${problems.length === 0 ? 'clean' : 'NOT clean'}: ${summary} (${(outcome.durationMs / 1000).toFixed(1)} s).`);
  }

  if (parsed.once) {
    await runtime.close();
    if (problems.length > 0) {
      terminal.error(`Exiting with 1: ${problems.length} problem(s):`);
      for (const problem of problems) terminal.error(`  - ${problem}`);
      return 1;
    }
    terminal.line(`Done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
    return 0;
  }

  const runtimeFile = await writeRuntimeFile({
    pid: process.pid,
    bus: runtime.endpoints.bus,
    api: runtime.endpoints.api,
    dynamodb: runtime.endpoints.dynamodb,
    apiKey: runtime.apiKey,
    readerKey: runtime.readerKey,
    startedAt: new Date().toISOString(),
  }).catch((error: unknown) => {
    terminal.error(`(could not write the runtime file for the CLI: ${(error as Error).message})`);
    return undefined;
  });
  terminal.line('');
  terminal.line(`Serving. The CLI finds this runtime through ${runtimeFile ?? '(no runtime file)'}: try 'npm run tracker -- positions western-troops-in-ukraine'.`);
  terminal.line('Press Ctrl-C to stop.');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        terminal.error(`${signal} again: exiting without waiting.`);
        process.exit(130);
      }
      stopping = true;
      void (async () => {
        // First, so the CLI never finds a runtime that is going away.
        await removeRuntimeFile(process.pid).catch(() => undefined);
        terminal.line(`\n${signal}: shutting down (in-flight batches finish; Ctrl-C again to force)...`);
        await runtime.close();
        terminal.line('Stopped.');
        resolve(0);
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
