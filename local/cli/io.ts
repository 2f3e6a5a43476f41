/**
 * The CLI's terminal side: its streams (a reader that has gone away ends the command quietly), the
 * error a command ends with, and the escape every field of its own lines goes through.
 */
import { escapeControlCharacters } from '../../functions/shared/control-characters.ts';
import { Terminal, terminalText } from '../console/terminal.ts';

/** A failure with a message for the user and an exit code; anything else is a bug and shows its stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CliIo {
  /** One or more lines of text. */
  out: (text: string) => void;
  err: (text: string) => void;
  /** Bytes as they are, to standard output (the API's CSV). */
  write: (bytes: Uint8Array) => void;
  /** Standard output is a terminal: bytes meant for a file are shown as text instead. */
  interactive?: boolean;
  env: NodeJS.ProcessEnv;
  terminal?: Terminal;
}

/** The reader of the output has gone away (`tracker alerts | head`): nobody is left to tell anything. */
export class OutputClosedError extends Error {}

/**
 * Writes to a standard stream until its reader goes away. Node reports a closed pipe as an
 * asynchronous EPIPE error on the stream, which would crash the process; it marks the stream closed,
 * and the next write ends the command.
 */
const streamWriter = (stream: NodeJS.WriteStream): ((chunk: string | Uint8Array) => void) => {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
  });
  return (chunk) => {
    if (closed) throw new OutputClosedError();
    stream.write(chunk);
  };
};

export const defaultIo = (): CliIo => {
  const stdout = streamWriter(process.stdout);
  const stderr = streamWriter(process.stderr);
  return {
    out: (text) => stdout(`${terminalText(text)}\n`),
    err: (text) => stderr(`${terminalText(text)}\n`),
    write: (bytes) => stdout(bytes),
    interactive: process.stdout.isTTY === true,
    env: process.env,
    terminal: new Terminal(),
  };
};

/** A field inside one of the CLI's own lines: it stays on that line. */
export const inline = escapeControlCharacters;
