/**
 * Where the CLI finds the runtime (flags, else the environment, else `.local-data/runtime.json`,
 * else the defaults), how it reads its arguments, and its HTTP calls to the read API and the
 * admin routes with the API key.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readRuntimeFile, runtimeFilePath } from '../runtime-file.ts';
import { CliError, inline, type CliIo } from './io.ts';

const DEFAULT_BUS = 'http://127.0.0.1:4010';
const DEFAULT_API = 'http://127.0.0.1:3000';

const CONNECTION_OPTIONS = {
  endpoint: { type: 'string' },
  api: { type: 'string' },
  'api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const CONNECTION_HELP = `Connection (flag, else environment, else ${'.local-data/runtime.json'} from npm start, else default):
  --endpoint URL     PutEvents endpoint            TRACKER_BUS_URL   (default ${DEFAULT_BUS})
  --api URL          read API                      TRACKER_API_URL   (default ${DEFAULT_API})
  --api-key KEY      read API and admin key        TRACKER_API_KEY
  -h, --help         this help`;


export interface Connection {
  bus: string;
  api: string;
  apiKey: string | undefined;
}

export async function connection(values: { endpoint?: string | undefined; api?: string | undefined; 'api-key'?: string | undefined }, io: CliIo): Promise<Connection> {
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

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals = true) {
  try {
    const all = { ...CONNECTION_OPTIONS, ...options };
    return parseArgs({ args: joinNegativeValues(args, all), options: all, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message} (see --help)`, 2);
  }
}


export async function apiGet<T>(conn: Connection, path: string, accept = 'application/json'): Promise<{ status: number; body: T | string; text: string; bytes: Uint8Array }> {
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

export async function apiSend<T>(conn: Connection, method: 'POST', path: string, payload: unknown): Promise<{ status: number; body: T }> {
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

export function failOnError(result: { status: number; body: unknown; text: string }, what: string): void {
  if (result.status < 400) return;
  const body = result.body as { error?: string; message?: string } | string;
  const message = inline(typeof body === 'object' && body !== null ? `${body.error ?? result.status}: ${body.message ?? ''}` : result.text);
  const hint = result.status === 401 ? ' (pass --api-key, or set TRACKER_API_KEY to the key npm start printed)' : '';
  throw new CliError(`${what} failed with HTTP ${result.status}: ${message}${hint}`);
}

