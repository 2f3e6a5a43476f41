/**
 * `tracker`: the command line for publishers and editors, against a running local runtime (or
 * any deployment whose endpoints are given). It publishes with the real AWS SDK EventBridge client
 * through the PutEvents endpoint, reads through the read API with the API key, and reaches the
 * dead-letter queues through the runtime's admin routes (`/_local/dlq`).
 *
 * Endpoints and key come from flags, else the environment (TRACKER_BUS_URL, TRACKER_API_URL,
 * TRACKER_API_KEY), else `.local-data/runtime.json` written by `npm start`, else the defaults.
 *
 * Everything printed passes through the control-character escape (names, quotes and bodies come
 * from publishers); CSV goes out as the API's bytes when redirected. Output to a reader that has
 * gone away (`tracker alerts | head`) ends the command quietly, with exit code 0.
 *
 * This file is the entry and the command table; the commands are in local/cli/.
 */
import { EventFileError } from './events-file.ts';
import { dlqCommand } from './cli/dlq-command.ts';
import { CONNECTION_HELP } from './cli/connection.ts';
import { CliError, OutputClosedError, defaultIo, type CliIo } from './cli/io.ts';
import { publishCommand, replayCommand } from './cli/publish-commands.ts';
import { alertsCommand, positionsCommand, quarantineCommand } from './cli/read-commands.ts';
import { registerCommand } from './cli/register-command.ts';
import { correctCommand, retractCommand } from './cli/revision-commands.ts';

export { CliError, type CliIo } from './cli/io.ts';

const HELP = `tracker: publish to and read from the position tracker's local runtime

Usage: tracker <command> [options]

Commands:
  publish            publish one statement from flags, or the events of a file (--file)
  correct            correct a recorded statement (Statement Corrected) from flags, or a file (--file)
  retract            retract a recorded statement (Statement Retracted), optionally redacting its quote
  replay FILE|DIR    publish every event of a file, or of the .json files of a directory in name order
  register           publish registry records (actor, speaker, issue, bloc, watch) from flags or a file
  positions ISSUE    show an issue's position matrix
  alerts             list alerts (divergences) with their evidence
  quarantine         list rejected inbound events, with the field at fault and the body as received
  dlq list           list the dead-letter queues
  dlq redrive        move dead letters back to their queues

Run 'tracker <command> --help' for a command's options.

${CONNECTION_HELP}`;


const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  publish: publishCommand,
  correct: correctCommand,
  retract: retractCommand,
  replay: replayCommand,
  register: registerCommand,
  positions: positionsCommand,
  alerts: alertsCommand,
  quarantine: quarantineCommand,
  dlq: dlqCommand,
};

export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.err(`unknown command '${command}'\n\n${HELP}`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (error) {
    if (error instanceof OutputClosedError) return 0;
    if (error instanceof CliError) {
      io.err(`tracker ${command}: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof EventFileError) {
      io.err(`tracker ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
