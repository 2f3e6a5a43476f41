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
 */
import { randomUUID } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { DESK_SOURCE } from '../events/common.ts';
import { STATEMENT_RECORDED } from '../events/inbound/statement-recorded.v1.ts';
import type { AlertItem, AlertsPage, Matrix, QuarantinePage, QuarantinedEventItem } from '../functions/api/schemas.ts';
import type { Names } from '../functions/core/types.ts';
import { escapeControlCharacters } from '../functions/shared/control-characters.ts';
import { formatAlert, formatMatrix, markedLines, type NameLookup } from './console/report.ts';
import { Terminal, terminalText } from './console/terminal.ts';
import { isSettled, type EventFate } from './delivery/event-fates.ts';
import { MAX_EVENT_IDS_PER_REQUEST } from './http/api-server.ts';
import { readEventsFrom, EventFileError, type FileEvent } from './events-file.ts';
import { readRuntimeFile, runtimeFilePath } from './runtime-file.ts';
import type { DeadLetter } from './delivery/dead-letter-queue.ts';

const DEFAULT_BUS = 'http://127.0.0.1:4010';
const DEFAULT_API = 'http://127.0.0.1:3000';

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
class OutputClosedError extends Error {}

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

const defaultIo = (): CliIo => {
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
const inline = escapeControlCharacters;

const CONNECTION_OPTIONS = {
  endpoint: { type: 'string' },
  api: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const CONNECTION_HELP = `Connection (flag, else environment, else ${'.local-data/runtime.json'} from npm start, else default):
  --endpoint URL     PutEvents endpoint            TRACKER_BUS_URL   (default ${DEFAULT_BUS})
  --api URL          read API                      TRACKER_API_URL   (default ${DEFAULT_API})
  --api-key KEY      read API and admin key        TRACKER_API_KEY
  -h, --help         this help`;

const HELP = `tracker: publish to and read from the position tracker's local runtime

Usage: tracker <command> [options]

Commands:
  publish            publish one statement from flags, or the events of a file (--file)
  replay FILE|DIR    publish every event of a file, or of the .json files of a directory in name order
  positions ISSUE    show an issue's position matrix
  alerts             list alerts (divergences) with their evidence
  quarantine         list rejected inbound events, with the field at fault and the body as received
  dlq list           list the dead-letter queues
  dlq redrive        move dead letters back to their queues

Run 'tracker <command> --help' for a command's options.

${CONNECTION_HELP}`;

interface Connection {
  bus: string;
  api: string;
  apiKey: string | undefined;
}

async function connection(values: { endpoint?: string | undefined; api?: string | undefined; 'api-key'?: string | undefined }, io: CliIo): Promise<Connection> {
  const file = await readRuntimeFile(runtimeFilePath());
  return {
    bus: values.endpoint ?? io.env['TRACKER_BUS_URL'] ?? file?.bus ?? DEFAULT_BUS,
    api: (values.api ?? io.env['TRACKER_API_URL'] ?? file?.api ?? DEFAULT_API).replace(/\/+$/, ''),
    apiKey: values['api-key'] ?? io.env['TRACKER_API_KEY'] ?? file?.apiKey,
  };
}

/**
 * parseArgs takes `--stance -2` for two options; a string option followed by a negative number is
 * rewritten to `--stance=-2`, the way people type it.
 */
const joinNegativeValues = (args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] => {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const option = arg.startsWith('--') ? options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
};

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = true) {
  try {
    const all = { ...CONNECTION_OPTIONS, ...options };
    return parseArgs({ args: joinNegativeValues(args, all), options: all, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message} (see --help)`, 2);
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

async function apiGet<T>(conn: Connection, path: string, accept = 'application/json'): Promise<{ status: number; body: T | string; text: string; bytes: Uint8Array }> {
  let response: Response;
  try {
    response = await fetch(`${conn.api}${path}`, {
      headers: { accept, ...(conn.apiKey === undefined ? {} : { authorization: `Bearer ${conn.apiKey}` }) },
    });
  } catch (error) {
    throw new CliError(`cannot reach the read API at ${conn.api} (${(error as Error).message}); is the runtime running (npm start)?`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let body: T | string = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, text, bytes };
}

async function apiSend<T>(conn: Connection, method: 'POST', path: string, payload: unknown): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(`${conn.api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(conn.apiKey === undefined ? {} : { authorization: `Bearer ${conn.apiKey}` }) },
      body: JSON.stringify(payload),
    });
  } catch (error) {
    throw new CliError(`cannot reach the runtime at ${conn.api} (${(error as Error).message}); is it running (npm start)?`);
  }
  return { status: response.status, body: (await response.json()) as T };
}

function failOnError(result: { status: number; body: unknown; text: string }, what: string): void {
  if (result.status < 400) return;
  const body = result.body as { error?: string; message?: string } | string;
  const message = inline(typeof body === 'object' && body !== null ? `${body.error ?? result.status}: ${body.message ?? ''}` : result.text);
  const hint = result.status === 401 ? ' (pass --api-key, or set TRACKER_API_KEY to the key npm start printed)' : '';
  throw new CliError(`${what} failed with HTTP ${result.status}: ${message}${hint}`);
}

function eventBridge(conn: Connection): EventBridgeClient {
  return new EventBridgeClient({
    endpoint: conn.bus,
    region: 'us-east-1',
    // The local bus does not check signatures; never send a developer's real credentials to it.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
}

interface PublishSummary {
  accepted: number;
  /** The events PutEvents took, with the id it gave each. */
  events: Array<{ origin: string; eventId: string }>;
  refused: Array<{ origin: string; code: string; message: string }>;
}

async function putAll(conn: Connection, events: readonly FileEvent[], io: CliIo, progress: boolean): Promise<PublishSummary> {
  const client = eventBridge(conn);
  const bar = progress && io.terminal !== undefined ? io.terminal.progress('Publishing', events.length) : undefined;
  const summary: PublishSummary = { accepted: 0, events: [], refused: [] };
  try {
    for (let i = 0; i < events.length; i += 10) {
      const chunk = events.slice(i, i + 10);
      let result;
      try {
        result = await client.send(new PutEventsCommand({ Entries: chunk.map((event) => event.entry as PutEventsRequestEntry) }));
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ValidationException' || name === 'SerializationException') throw new CliError(`PutEvents refused the request: ${name}: ${(error as Error).message}`);
        throw new CliError(`cannot publish to ${conn.bus} (${name}: ${(error as Error).message}); is the runtime running (npm start)?`);
      }
      (result.Entries ?? []).forEach((entry, index) => {
        const origin = chunk[index]?.origin ?? '?';
        if (entry.EventId !== undefined) {
          summary.accepted++;
          summary.events.push({ origin, eventId: entry.EventId });
          bar?.tick();
        } else {
          summary.refused.push({ origin, code: entry.ErrorCode ?? '?', message: entry.ErrorMessage ?? '' });
          bar?.fail(origin);
        }
      });
    }
  } finally {
    bar?.finish();
    client.destroy();
  }
  return summary;
}

/** Polls the runtime until its queues are empty, then reports dead letters added meanwhile. */
async function waitForProcessing(conn: Connection, io: CliIo, before: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await apiGet<{ queues: Record<string, { waiting: number; inFlight: number }>; deadLetters: number }>(conn, '/_local/status');
    failOnError(status, 'GET /_local/status');
    const body = status.body as { queues: Record<string, { waiting: number; inFlight: number }>; deadLetters: number };
    if (Object.values(body.queues).every((queue) => queue.waiting === 0 && queue.inFlight === 0)) {
      const added = body.deadLetters - before;
      if (added > 0) io.err(`${added} message(s) were dead-lettered: see 'tracker dlq list'`);
      return added;
    }
    if (Date.now() > deadline) throw new CliError(`the runtime was still processing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Fated {
  origin: string;
  eventId: string;
  /** Undefined when the runtime had not processed the event when the wait ended. */
  fate: EventFate | undefined;
}

/**
 * Asks the runtime what became of each accepted event (GET /_local/events) until every one is
 * settled - applied, a duplicate, quarantined or dead-lettered - or the time is up. The runtime
 * knows from the processor's own report, so this is what happened, not a guess from empty queues.
 */
async function waitForFates(conn: Connection, events: PublishSummary['events'], timeoutMs: number): Promise<Fated[]> {
  const fates = new Map<string, EventFate>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = events.filter(({ eventId }) => !isSettled(fates.get(eventId)));
    for (let i = 0; i < pending.length; i += MAX_EVENT_IDS_PER_REQUEST) {
      const ids = pending.slice(i, i + MAX_EVENT_IDS_PER_REQUEST).map(({ eventId }) => eventId);
      const result = await apiGet<{ events: Array<{ eventId: string; fate: EventFate | null }> }>(
        conn,
        `/_local/events?${new URLSearchParams(ids.map((id): [string, string] => ['id', id])).toString()}`,
      );
      if (result.status === 404) throw new CliError(`--wait needs the local runtime's admin routes, and ${conn.api} has no GET /_local/events`);
      failOnError(result, 'GET /_local/events');
      for (const { eventId, fate } of (result.body as { events: Array<{ eventId: string; fate: EventFate | null }> }).events) {
        if (fate !== null) fates.set(eventId, fate);
      }
    }
    const settled = events.every(({ eventId }) => isSettled(fates.get(eventId)));
    if (settled || Date.now() > deadline) return events.map((event) => ({ ...event, fate: fates.get(event.eventId) }));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const isRefusal = ({ fate }: Fated): boolean => fate === undefined || fate.status === 'quarantined' || fate.status === 'dead-lettered' || fate.status === 'retrying';

/** One event's fate, for people: what it was and what happened; a refusal with every field at fault. */
function describeFate({ origin, eventId, fate }: Fated, timeoutMs: number): string[] {
  const what = inline(origin);
  if (fate === undefined) return [`  not processed within ${timeoutMs / 1000} s: ${what} (event ${eventId})`];
  switch (fate.status) {
    case 'applied':
      return [`  applied: ${fate.detailType} ${inline(fate.id)}`];
    case 'duplicate':
      return [`  duplicate: ${fate.detailType} ${inline(fate.id)} was already recorded; nothing changed`];
    case 'quarantined':
      return [
        `  quarantined: ${what}: ${fate.reason} (see 'tracker quarantine')`,
        ...fate.problems.map((problem) => `    ${inline(problem.field)}: ${inline(problem.reason)}`),
      ];
    case 'dead-lettered':
      return [`  dead-lettered from ${fate.queue}: ${what}: ${inline(fate.reason)} (see 'tracker dlq list')`];
    case 'retrying':
      return [`  still failing after ${timeoutMs / 1000} s: ${what}: ${inline(fate.reason)}`];
  }
}

/** Every event's fate (`each`), or the counts and the refusals only. */
function reportFates(fated: readonly Fated[], io: CliIo, timeoutMs: number, each: boolean): void {
  const count = (status: EventFate['status']) => fated.filter(({ fate }) => fate?.status === status).length;
  const unsettled = fated.filter(({ fate }) => !isSettled(fate)).length;
  io.out(
    `Processed: ${count('applied')} applied, ${count('duplicate')} duplicate, ${count('quarantined')} quarantined, ` +
      `${count('dead-lettered')} dead-lettered${unsettled === 0 ? '' : `, ${unsettled} without an outcome`}`,
  );
  for (const event of fated) {
    if (isRefusal(event)) for (const line of describeFate(event, timeoutMs)) io.err(line);
    else if (each) for (const line of describeFate(event, timeoutMs)) io.out(line);
  }
}

async function deadLetterCount(conn: Connection): Promise<number> {
  const status = await apiGet<{ deadLetters: number }>(conn, '/_local/status');
  failOnError(status, 'GET /_local/status');
  return (status.body as { deadLetters: number }).deadLetters;
}

function report(summary: PublishSummary, io: CliIo): void {
  io.out(`Published ${summary.accepted} event(s)${summary.refused.length === 0 ? '' : `, ${summary.refused.length} refused`}`);
  for (const refused of summary.refused) io.err(`  refused ${inline(refused.origin)}: ${refused.code}: ${inline(refused.message)}`);
}

/** Publishes, and with `wait` follows every accepted event to its fate; 1 when any was refused. */
async function publishAndWait(
  conn: Connection,
  events: readonly FileEvent[],
  io: CliIo,
  options: { wait: boolean; progress: boolean; json: boolean; each: boolean; timeoutMs: number },
): Promise<number> {
  const before = options.wait ? await deadLetterCount(conn) : 0;
  const summary = await putAll(conn, events, io, options.progress);
  if (!options.json) report(summary, io);
  const fated = options.wait ? await waitForFates(conn, summary.events, options.timeoutMs) : [];
  if (options.json) {
    io.out(JSON.stringify({ ...summary, ...(options.wait ? { outcomes: fated.map(({ origin, eventId, fate }) => ({ origin, eventId, fate: fate ?? null })) } : {}) }, null, 2));
  } else if (options.wait) {
    reportFates(fated, io, options.timeoutMs, options.each);
  }
  // What the accepted events caused downstream (notifier, snapshots) can fail too.
  const deadLettered = options.wait ? await waitForProcessing(conn, io, before, options.timeoutMs) : 0;
  return summary.refused.length > 0 || fated.some(isRefusal) || deadLettered > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Commands

const PUBLISH_HELP = `Usage: tracker publish --speaker ID --issue ID --stance N --quote TEXT --outlet NAME [options]
       tracker publish --file FILE

Publishes one Statement Recorded event (source ${DESK_SOURCE}) through PutEvents, or every event of FILE
(one event or an array; EventBridge style {"source","detail-type","detail"} or PutEvents entries).

Statement:
  --speaker ID            registry id of who said it (putin, rutte, elysee-source...)
  --issue ID              registry id of the issue (western-troops-in-ukraine...)
  --stance N              -2 reject, -1 oppose, 0 undecided, 1 support, 2 commit
  --hedged                a hedged statement ("maybe")
  --quote TEXT            the quote in its original language, kept byte for byte
  --lang TAG              language of the quote (default ar)
  --translation TEXT      optional translation
  --translation-lang TAG  its language (default en)
  --said-at ISO           when it was said (default now), e.g. 2026-01-06T14:30:00Z
  --outlet NAME           the source outlet
  --url URL               the source's URL
  --statement-id ID       stable id (default: generated); publishing the same id twice is a no-op
  --actor ID              the actor spoken for, when the registry does not know the speaker
  --recorded-by NAME      who records it (default: cli)
Other:
  --file FILE             publish the events of FILE instead
  --wait                  wait for what became of each event: applied, duplicate, quarantined (with
                          every field at fault and why) or dead-lettered; exits 1 on any refusal
  --json                  print the PutEvents response (with --wait, each event's outcome) as JSON

${CONNECTION_HELP}`;

async function publishCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    speaker: { type: 'string' },
    issue: { type: 'string' },
    stance: { type: 'string' },
    hedged: { type: 'boolean' },
    quote: { type: 'string' },
    lang: { type: 'string' },
    translation: { type: 'string' },
    'translation-lang': { type: 'string' },
    'said-at': { type: 'string' },
    outlet: { type: 'string' },
    url: { type: 'string' },
    'statement-id': { type: 'string' },
    actor: { type: 'string' },
    'recorded-by': { type: 'string' },
    file: { type: 'string' },
    wait: { type: 'boolean' },
    json: { type: 'boolean' },
  }, false);
  if (values.help) {
    io.out(PUBLISH_HELP);
    return 0;
  }
  const conn = await connection(values, io);

  let events: FileEvent[];
  if (values.file !== undefined) {
    events = await readEventsFrom(values.file);
  } else {
    const missing = (['speaker', 'issue', 'stance', 'quote', 'outlet'] as const).filter((name) => values[name] === undefined);
    if (missing.length > 0) throw new CliError(`missing ${missing.map((name) => `--${name}`).join(', ')} (or give --file); see --help`, 2);
    const stance = Number(values.stance);
    if (!Number.isInteger(stance) || stance < -2 || stance > 2) throw new CliError('--stance must be a whole number from -2 to 2', 2);
    const detail = {
      schemaVersion: '1',
      statementId: values['statement-id'] ?? `cli-${randomUUID()}`,
      speaker: values.speaker,
      ...(values.actor === undefined ? {} : { actor: values.actor }),
      issue: values.issue,
      stance,
      hedged: values.hedged ?? false,
      quote: {
        text: values.quote,
        lang: values.lang ?? 'ar',
        ...(values.translation === undefined ? {} : { translation: { text: values.translation, lang: values['translation-lang'] ?? 'en' } }),
      },
      saidAt: values['said-at'] ?? new Date().toISOString(),
      source: { outlet: values.outlet, ...(values.url === undefined ? {} : { url: values.url }) },
      recordedBy: values['recorded-by'] ?? 'cli',
    };
    events = [{ origin: detail.statementId, entry: { Source: DESK_SOURCE, DetailType: STATEMENT_RECORDED, Detail: JSON.stringify(detail) } }];
  }

  return publishAndWait(conn, events, io, { wait: values.wait === true, progress: false, json: values.json === true, each: true, timeoutMs: 60_000 });
}

const REPLAY_HELP = `Usage: tracker replay FILE|DIR [--wait]

Publishes every event of FILE (one event or an array), or of the .json files of DIR in file-name
order, through PutEvents in requests of up to 10 entries, with a progress bar.
Example: tracker replay events/samples --wait

  --wait      wait for what became of each event; prints the counts and every refusal (quarantined
              with the fields at fault, dead-lettered) and exits 1 on any

${CONNECTION_HELP}`;

async function replayCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { wait: { type: 'boolean' } });
  if (values.help) {
    io.out(REPLAY_HELP);
    return 0;
  }
  const [path, ...rest] = positionals;
  if (path === undefined || rest.length > 0) throw new CliError('replay takes exactly one FILE or DIR; see --help', 2);
  const conn = await connection(values, io);
  const events = await readEventsFrom(path);
  return publishAndWait(conn, events, io, { wait: values.wait === true, progress: true, json: false, each: false, timeoutMs: 120_000 });
}

const POSITIONS_HELP = `Usage: tracker positions ISSUE [--as-of DATE] [--json | --csv [--raw]]

Shows the position matrix of ISSUE from the read API (GET /issues/ISSUE/positions): every actor's
stance with its English and Arabic names, hedged statements marked, and the blocs' medians.

  --as-of DATE   the matrix as it stood then (ISO date or date-time)
  --json         print the API's JSON
  --csv          the API's CSV, byte for byte (BOM, CRLF) when redirected: tracker positions ISSUE --csv > file.csv
                 (on a terminal it is shown as text). Text cells that would run as spreadsheet
                 formulas get a leading apostrophe
  --raw          with --csv: every cell exactly as stored (the API's raw=true)

${CONNECTION_HELP}`;

async function positionsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { 'as-of': { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, raw: { type: 'boolean' } });
  if (values.help) {
    io.out(POSITIONS_HELP);
    return 0;
  }
  const [issue, ...rest] = positionals;
  if (issue === undefined || rest.length > 0) throw new CliError('positions takes exactly one ISSUE; see --help', 2);
  if (values.raw && !values.csv) throw new CliError('--raw goes with --csv', 2);
  const conn = await connection(values, io);
  const params = new URLSearchParams();
  if (values['as-of'] !== undefined) params.set('asOf', values['as-of']);
  if (values.raw) params.set('raw', 'true');
  const query = params.size === 0 ? '' : `?${params.toString()}`;
  const result = await apiGet<Matrix>(conn, `/issues/${encodeURIComponent(issue)}/positions${query}`, values.csv ? 'text/csv' : 'application/json');
  failOnError(result, `GET /issues/${inline(issue)}/positions`);
  if (values.csv && io.interactive !== true) io.write(result.bytes);
  else if (values.csv) io.out(result.text.replaceAll('\r\n', '\n').trimEnd());
  else if (values.json) io.out(JSON.stringify(result.body, null, 2));
  else for (const line of formatMatrix(result.body as Matrix)) io.out(line);
  return 0;
}

const ALERTS_HELP = `Usage: tracker alerts [--issue ID] [--actor ID] [--open | --closed] [--since DATE] [--json]

Lists divergence alerts from the read API (GET /alerts), latest first, with their evidence: each
quote byte-exact on a line of its own, with speaker and source.

  --issue ID     only this issue
  --actor ID     only this actor
  --open         only divergences still open
  --closed       only those closed or withdrawn
  --since DATE   only those whose last transition was said since DATE
  --json         print the API's JSON (all pages)

${CONNECTION_HELP}`;

async function alertsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    issue: { type: 'string' },
    actor: { type: 'string' },
    open: { type: 'boolean' },
    closed: { type: 'boolean' },
    since: { type: 'string' },
    json: { type: 'boolean' },
  }, false);
  if (values.help) {
    io.out(ALERTS_HELP);
    return 0;
  }
  if (values.open && values.closed) throw new CliError('--open and --closed exclude each other', 2);
  const conn = await connection(values, io);
  const params = new URLSearchParams({ limit: '100' });
  if (values.issue !== undefined) params.set('issue', values.issue);
  if (values.actor !== undefined) params.set('actor', values.actor);
  if (values.open) params.set('open', 'true');
  if (values.closed) params.set('open', 'false');
  if (values.since !== undefined) params.set('since', values.since);

  const alerts: AlertItem[] = [];
  for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
    if (cursor !== null) params.set('cursor', cursor);
    const result = await apiGet<AlertsPage>(conn, `/alerts?${params.toString()}`);
    failOnError(result, 'GET /alerts');
    const page = result.body as AlertsPage;
    alerts.push(...page.alerts);
    cursor = page.nextCursor;
  }
  if (values.json) {
    io.out(JSON.stringify({ alerts }, null, 2));
    return 0;
  }
  if (alerts.length === 0) {
    io.out('No alerts.');
    return 0;
  }
  const names = await namesForAlerts(conn, alerts);
  io.out(`${alerts.length} alert(s)`);
  for (const alert of alerts) {
    io.out('');
    for (const line of formatAlert(alert, names)) io.out(line);
  }
  return 0;
}

/** The API names actors and blocs in an issue's matrix; one request per issue involved. */
async function namesForAlerts(conn: Connection, alerts: readonly AlertItem[]): Promise<NameLookup> {
  const actors = new Map<string, Names>();
  const blocs = new Map<string, Names>();
  const issues = new Map<string, Names>();
  await Promise.all(
    [...new Set(alerts.map((alert) => alert.issue))].map(async (issue) => {
      const result = await apiGet<Matrix>(conn, `/issues/${encodeURIComponent(issue)}/positions`);
      if (result.status !== 200 || typeof result.body === 'string') return;
      issues.set(issue, result.body.title);
      for (const position of result.body.positions) actors.set(position.actor, position.names);
      for (const bloc of result.body.blocs) blocs.set(bloc.bloc, bloc.names);
    }),
  );
  return { actor: (id) => actors.get(id), bloc: (id) => blocs.get(id), issue: (id) => issues.get(id) };
}

const QUARANTINE_HELP = `Usage: tracker quarantine [--limit N] [--json]

Lists the inbound events the processor rejected (GET /quarantine), newest first: why (invalid-event,
unknown-reference, not-an-input, unknown-detail-type, unauthorised-source, conflicting-id), every problem with the field at fault, and the body exactly as
received. Rejected events are kept, not retried: fix the event and publish it again.

  --limit N      at most N events (default 25; all pages are read up to N)
  --json         print the API's JSON

${CONNECTION_HELP}`;

async function quarantineCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { limit: { type: 'string' }, json: { type: 'boolean' } }, false);
  if (values.help) {
    io.out(QUARANTINE_HELP);
    return 0;
  }
  const limit = values.limit === undefined ? 25 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a whole number of at least 1, not '${values.limit}'`, 2);
  const conn = await connection(values, io);

  const events: QuarantinedEventItem[] = [];
  for (let cursor: string | null = null, first = true; (first || cursor !== null) && events.length < limit; first = false) {
    const params = new URLSearchParams({ limit: String(Math.min(limit - events.length, 100)) });
    if (cursor !== null) params.set('cursor', cursor);
    const result = await apiGet<QuarantinePage>(conn, `/quarantine?${params.toString()}`);
    failOnError(result, 'GET /quarantine');
    const page = result.body as QuarantinePage;
    events.push(...page.events);
    cursor = page.nextCursor;
  }
  if (values.json) {
    io.out(JSON.stringify({ events }, null, 2));
    return 0;
  }
  if (events.length === 0) {
    io.out('No rejected events.');
    return 0;
  }
  io.out(`${events.length} rejected event(s), newest first`);
  for (const event of events) {
    io.out('');
    io.out(`${event.receivedAt}  ${event.reason}  ${inline(event.detailType ?? '(no detail-type)')}  message ${inline(event.messageId ?? '(not stored)')}`);
    for (const problem of event.problems) io.out(`  ${inline(problem.field)}: ${inline(problem.reason)}`);
    io.out(`  body${event.truncated ? ` (first 350,000 of ${event.bodyBytes} bytes)` : ''}:`);
    for (const line of markedLines('  > ', event.body)) io.out(line);
  }
  return 0;
}

const DLQ_HELP = `Usage: tracker dlq list [--queue NAME] [--json]
       tracker dlq redrive [--queue NAME] [--id MESSAGE_ID ...]

Dead letters are messages a queue (processor, notifier, snapshots) handed to its handler
maxReceiveCount times without success. 'list' shows them with the reason of the last failure;
'redrive' moves them back to their source queue (all of them, or of one queue, or the ids given),
where they are processed again. Through the runtime's admin routes: GET /_local/dlq and
POST /_local/dlq/redrive (same API key as the read API).

  --queue NAME   only this source queue
  --id ID        only this message (repeatable; redrive only)
  --json         print JSON (list only)

${CONNECTION_HELP}`;

const summariseBody = (body: string): string => {
  try {
    const event = JSON.parse(body) as { 'detail-type'?: string; detail?: Record<string, unknown> };
    const detail = event.detail ?? {};
    const id = detail['statementId'] ?? detail['changeId'] ?? detail['alertId'] ?? detail['actor'] ?? '';
    return `${event['detail-type'] ?? '?'} ${String(id)}`.trim();
  } catch {
    return `(not JSON: ${body.slice(0, 60)})`;
  }
};

async function dlqCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(DLQ_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') {
    const { values } = parse(rest, { queue: { type: 'string' }, json: { type: 'boolean' } }, false);
    if (values.help) {
      io.out(DLQ_HELP);
      return 0;
    }
    const conn = await connection(values, io);
    const query = values.queue === undefined ? '' : `?queue=${encodeURIComponent(values.queue)}`;
    const result = await apiGet<{ deadLetters: DeadLetter[] }>(conn, `/_local/dlq${query}`);
    failOnError(result, 'GET /_local/dlq');
    const letters = (result.body as { deadLetters: DeadLetter[] }).deadLetters;
    if (values.json) {
      io.out(JSON.stringify(letters, null, 2));
      return 0;
    }
    if (letters.length === 0) {
      io.out('The dead-letter queues are empty.');
      return 0;
    }
    io.out(`${letters.length} dead letter(s)`);
    for (const letter of letters) {
      io.out(`  ${inline(letter.messageId)}  queue ${inline(letter.queue)}  ${inline(summariseBody(letter.body))}`);
      io.out(`    ${letter.receiveCount} receives, dead-lettered ${letter.deadLetteredAt}: ${inline(letter.reason)}`);
    }
    return 0;
  }
  if (sub === 'redrive') {
    const { values } = parse(rest, { queue: { type: 'string' }, id: { type: 'string', multiple: true } }, false);
    if (values.help) {
      io.out(DLQ_HELP);
      return 0;
    }
    const conn = await connection(values, io);
    const result = await apiSend<{ redriven?: Array<{ messageId: string; queue: string }>; notRedriven?: Array<{ messageId: string; reason: string }>; error?: string; message?: string }>(
      conn,
      'POST',
      '/_local/dlq/redrive',
      { ...(values.queue === undefined ? {} : { queue: values.queue }), ...(values.id === undefined ? {} : { messageIds: values.id }) },
    );
    if (result.status >= 400) throw new CliError(`redrive failed with HTTP ${result.status}: ${result.body.error ?? ''}: ${result.body.message ?? ''}`);
    const redriven = result.body.redriven ?? [];
    io.out(`Redrove ${redriven.length} message(s)${redriven.length === 0 ? '' : `: ${redriven.map((r) => `${r.messageId} → ${r.queue}`).join(', ')}`}`);
    for (const skipped of result.body.notRedriven ?? []) io.err(`  kept ${inline(skipped.messageId)}: ${inline(skipped.reason)}`);
    return 0;
  }
  throw new CliError(`unknown dlq command '${sub}' (list or redrive)`, 2);
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  publish: publishCommand,
  replay: replayCommand,
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
