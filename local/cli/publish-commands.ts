/** `tracker publish` (one statement from flags, or the events of a file) and `tracker replay`. */
import { randomUUID } from 'node:crypto';
import { ARCHIVE_SOURCE, DESK_SOURCE } from '../../events/common.ts';
import { detailTypes } from '../../events/catalog.ts';
import { STATEMENT_RECORDED } from '../../events/inbound/statement-recorded.v1.ts';
import { readEventsFrom, type FileEvent } from '../events-file.ts';
import { CONNECTION_HELP, connection, parse } from './connection.ts';
import { CliError, type CliIo } from './io.ts';
import { publishAndWait } from './publishing.ts';

const PUBLISH_HELP = `Usage: tracker publish --speaker NAME --issue ID --stance N --quote TEXT --outlet NAME [options]
       tracker publish --file FILE

Publishes one Statement Recorded event (source ${DESK_SOURCE}) through PutEvents, or every event of FILE
(one event or an array; EventBridge style {"source","detail-type","detail"} or PutEvents entries).

Statement:
  --speaker NAME          who said it: registry id, name or alias, Arabic or English
                          (putin, "Vladimir Putin", "قائد الكرملين"), resolved by the tracker
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
  --actor NAME            the actor spoken for, when the registry does not know the speaker (id or name)
  --recorded-by NAME      who records it (default: cli)
Other:
  --file FILE             publish the events of FILE instead
  --wait                  wait for what became of each event: applied, duplicate, quarantined (with
                          every field at fault and why) or dead-lettered; exits 1 on any refusal
  --json                  print the PutEvents response (with --wait, each event's outcome) as JSON

${CONNECTION_HELP}`;

const PUBLISH_OPTIONS = {
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
} as const;

export async function publishCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, PUBLISH_OPTIONS, false);
  if (values.help) {
    io.out(PUBLISH_HELP);
    return 0;
  }
  const conn = await connection(values, io);
  const events = values.file !== undefined ? await readEventsFrom(values.file) : [statementFromFlags(values)];
  return publishAndWait(conn, events, io, { wait: values.wait === true, progress: false, json: values.json === true, each: true, timeoutMs: 60_000 });
}

/** The flags that describe one statement; each a string as typed, `hedged` a switch. */
export type StatementFlags = Partial<Record<Exclude<keyof typeof PUBLISH_OPTIONS, 'hedged' | 'file' | 'wait' | 'json'>, string>> & { hedged?: boolean };

/**
 * One Statement Recorded event from the flags, as a desk would publish it: the required flags
 * checked here with the flag to add named (the processor checks the rest against the contract
 * and quarantines with the field at fault), a generated statement id unless one is given.
 */
export function statementFromFlags(values: StatementFlags, now: () => Date = () => new Date()): FileEvent {
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
    saidAt: values['said-at'] ?? now().toISOString(),
    source: { outlet: values.outlet, ...(values.url === undefined ? {} : { url: values.url }) },
    recordedBy: values['recorded-by'] ?? 'cli',
  };
  return { origin: detail.statementId, entry: { Source: DESK_SOURCE, DetailType: STATEMENT_RECORDED, Detail: JSON.stringify(detail) } };
}

const REPLAY_HELP = `Usage: tracker replay FILE|DIR [--wait] [--archive]

Publishes every event of FILE (one event or an array), or of the .json files of DIR in file-name
order, through PutEvents in requests of up to 10 entries, with a progress bar.
Example: tracker replay events/samples --wait

  --wait      wait for what became of each event; prints the counts and every refusal (quarantined
              with the fields at fault, dead-lettered) and exits 1 on any
  --archive   a back-fill: statements, stance changes and revisions go out as an archive import
              (source ${ARCHIVE_SOURCE}), which the bus routes to the processor's archive lane (batches
              of 100); registry events keep their own source, which is what authorises them

${CONNECTION_HELP}`;

export async function replayCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { wait: { type: 'boolean' }, archive: { type: 'boolean' } });
  if (values.help) {
    io.out(REPLAY_HELP);
    return 0;
  }
  const [path, ...rest] = positionals;
  if (path === undefined || rest.length > 0) throw new CliError('replay takes exactly one FILE or DIR; see --help', 2);
  const conn = await connection(values, io);
  const read = await readEventsFrom(path);
  const events = values.archive === true ? read.map(asArchiveImport) : read;
  return publishAndWait(conn, events, io, { wait: values.wait === true, progress: true, json: false, each: false, timeoutMs: 120_000 });
}

const ARCHIVED_TYPES = new Set(detailTypes('inbound', 'correction'));

/** The event as an archive import sends it: a statement, stance change or revision under the archive's source; anything else as it is. */
export const asArchiveImport = (event: FileEvent): FileEvent =>
  ARCHIVED_TYPES.has(event.entry.DetailType ?? '') ? { ...event, entry: { ...event.entry, Source: ARCHIVE_SOURCE } } : event;
