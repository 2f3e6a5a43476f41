/**
 * `tracker register`: registry records (actors, speakers, issues, blocs, watches) from flags, or
 * from a file of bare details, published as their Registered events with the registry desk's
 * source. The processor checks each against its contract and quarantines what breaks it with the
 * field at fault; `--wait` reports that, and exits 1 on any refusal.
 */
import { readFile } from 'node:fs/promises';
import { REGISTRY_SOURCE } from '../../events/common.ts';
import {
  ACTOR_REGISTERED, BLOC_REGISTERED, ISSUE_REGISTERED, SPEAKER_REGISTERED, WATCH_REGISTERED,
} from '../../events/registry/registry-events.v1.ts';
import type { FileEvent } from '../events-file.ts';
import { CONNECTION_HELP, connection, parse } from './connection.ts';
import { CliError, type CliIo } from './io.ts';
import { publishAndWait } from './publishing.ts';

export const REGISTRY_KINDS = ['actor', 'speaker', 'issue', 'bloc', 'watch'] as const;
export type RegistryKindName = (typeof REGISTRY_KINDS)[number];

const DETAIL_TYPES: Record<RegistryKindName, string> = {
  actor: ACTOR_REGISTERED,
  speaker: SPEAKER_REGISTERED,
  issue: ISSUE_REGISTERED,
  bloc: BLOC_REGISTERED,
  watch: WATCH_REGISTERED,
};

const REGISTER_HELP = `Usage: tracker register --kind KIND --id ID [fields]
       tracker register --file FILE [--kind KIND]

Publishes registry records (source ${REGISTRY_SOURCE}): one from flags, or every record of FILE, bare
details one JSON object per line or a JSON array. The kind is --kind, else inferred from each
record's id field (watch, speaker, bloc, issue, actor). schemaVersion defaults to 1, updatedAt to now.

Record:
  --kind KIND             ${REGISTRY_KINDS.join(', ')}
  --id ID                 the record's registry id
  --name-en TEXT          English name (an issue's title)
  --name-ar TEXT          Arabic name (an issue's title)
  --alias TEXT            another spelling (actor, speaker); repeat for more
  --actor-kind KIND       actor: state, organisation or group
  --actor ID              speaker: the actor spoken for; watch: the actor watched (actor-vs-bloc)
  --proposition-en TEXT   issue: the proposition stances are relative to, in English
  --proposition-ar TEXT   issue: and in Arabic
  --status STATUS         issue: open or closed
  --members A,B,...       bloc: its members
  --bloc ID               watch: the bloc
  --watch-kind KIND       watch: actor-vs-bloc or bloc-split
  --issues A,B,...|*      watch: issues watched (default *)
  --threshold N           watch: the gap that opens a divergence
  --updated-at ISO        when the record changed (default now); the latest wins
Other:
  --file FILE             publish the records of FILE instead
  --wait                  wait for what became of each record; exits 1 on any refusal
  --json                  print the PutEvents response (with --wait, each outcome) as JSON

${CONNECTION_HELP}`;

const REGISTER_OPTIONS = {
  kind: { type: 'string' },
  id: { type: 'string' },
  'name-en': { type: 'string' },
  'name-ar': { type: 'string' },
  alias: { type: 'string', multiple: true },
  'actor-kind': { type: 'string' },
  actor: { type: 'string' },
  'proposition-en': { type: 'string' },
  'proposition-ar': { type: 'string' },
  status: { type: 'string' },
  members: { type: 'string' },
  bloc: { type: 'string' },
  'watch-kind': { type: 'string' },
  issues: { type: 'string' },
  threshold: { type: 'string' },
  'updated-at': { type: 'string' },
  file: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export type RegisterFlags = {
  [K in Exclude<keyof typeof REGISTER_OPTIONS, 'alias' | 'wait' | 'json' | 'file'>]?: string | undefined;
} & { alias?: string[] | undefined };

export async function registerCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, REGISTER_OPTIONS, false);
  if (values.help) {
    io.out(REGISTER_HELP);
    return 0;
  }
  const kind = values.kind === undefined ? undefined : kindNamed(values.kind);
  const events = values.file === undefined
    ? [registryEvent(kind, recordFromFlags(values), '--kind/--id')]
    : recordsOf(await readText(values.file), values.file).map(({ origin, record }) => registryEvent(kind, record, origin));
  const conn = await connection(values, io);
  return publishAndWait(conn, events, io, { wait: values.wait === true, progress: false, json: values.json === true, each: true, timeoutMs: 60_000 });
}

const kindNamed = (value: string): RegistryKindName => {
  if ((REGISTRY_KINDS as readonly string[]).includes(value)) return value as RegistryKindName;
  throw new CliError(`--kind must be one of ${REGISTRY_KINDS.join(', ')} (got '${value}')`, 2);
};

const readText = async (path: string): Promise<string> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, 1);
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bare details of a file: a JSON array, or one JSON object per (non-blank) line. */
export const recordsOf = (text: string, name: string): Array<{ origin: string; record: Record<string, unknown> }> => {
  const asRecord = (value: unknown, origin: string) => {
    if (!isRecord(value)) throw new CliError(`${origin}: a registry record must be a JSON object`, 1);
    return { origin, record: value };
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new CliError(`${name}: not JSON (${(error as Error).message})`, 1);
    }
    return (parsed as unknown[]).map((value, index) => asRecord(value, `${name}[${index}]`));
  }
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    const origin = `${name}:${index + 1}`;
    try {
      return [asRecord(JSON.parse(line), origin)];
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${origin}: not JSON (${(error as Error).message})`, 1);
    }
  });
};

/** A record's kind from the field that names it; a watch also names a bloc and an actor, a speaker an actor. */
export const inferKind = (record: Record<string, unknown>): RegistryKindName | undefined =>
  (['watch', 'speaker', 'bloc', 'issue', 'actor'] as const).find((kind) => typeof record[kind] === 'string');

/** The Registered event of one record, with the contract's version and the time of the change unless given. */
export const registryEvent = (
  kind: RegistryKindName | undefined,
  record: Record<string, unknown>,
  origin: string,
  now: () => Date = () => new Date(),
): FileEvent => {
  const resolved = kind ?? inferKind(record);
  if (resolved === undefined) {
    throw new CliError(`${origin}: cannot tell the kind of record (no watch, speaker, bloc, issue or actor id); give --kind`, 2);
  }
  const detail = { schemaVersion: '1', ...record, updatedAt: record['updatedAt'] ?? now().toISOString() };
  return { origin, entry: { Source: REGISTRY_SOURCE, DetailType: DETAIL_TYPES[resolved], Detail: JSON.stringify(detail) } };
};

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((item) => item.trim()).filter((item) => item !== '');

const names = (values: RegisterFlags, prefix: 'name' | 'proposition') => {
  const en = values[`${prefix}-en`];
  const ar = values[`${prefix}-ar`];
  return en === undefined && ar === undefined ? {} : { en, ar };
};

/**
 * One bare record from the flags. Only --kind and --id are checked here; every other field goes to
 * the processor as given, which checks it against the contract and names the field at fault.
 */
export const recordFromFlags = (values: RegisterFlags): Record<string, unknown> => {
  if (values.kind === undefined || values.id === undefined) throw new CliError('give --kind and --id (or --file); see --help', 2);
  const kind = kindNamed(values.kind);
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  const aliases = values.alias === undefined ? {} : { aliases: values.alias };
  const fields: Record<RegistryKindName, Record<string, unknown>> = {
    actor: { kind: values['actor-kind'], names: names(values, 'name'), ...aliases },
    speaker: { actor: values.actor, names: names(values, 'name'), ...aliases },
    issue: { title: names(values, 'name'), proposition: names(values, 'proposition'), status: values.status },
    bloc: { names: names(values, 'name'), members: list(values.members) ?? [] },
    watch: {
      kind: values['watch-kind'],
      actor: values.actor,
      bloc: values.bloc,
      issues: values.issues === '*' ? '*' : list(values.issues),
      threshold,
    },
  };
  const record = { [kind]: values.id, ...fields[kind], updatedAt: values['updated-at'] };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
};
