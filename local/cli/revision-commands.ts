/**
 * `tracker correct` and `tracker retract`: one Statement Corrected or Statement Retracted from
 * flags (built by revision-details.ts), or the events of a file, published and followed like
 * `tracker publish`.
 */
import type { ParseArgsConfig } from 'node:util';
import { DESK_SOURCE } from '../../events/common.ts';
import { STATEMENT_CORRECTED } from '../../events/inbound/statement-corrected.v1.ts';
import { STATEMENT_RETRACTED } from '../../events/inbound/statement-retracted.v1.ts';
import { readEventsFrom, type FileEvent } from '../events-file.ts';
import { CONNECTION_HELP, connection, parse } from './connection.ts';
import { CliError, type CliIo } from './io.ts';
import { publishAndWait } from './publishing.ts';
import { RevisionFlagError, correctionDetail, retractionDetail } from './revision-details.ts';

const REVISION_OTHER_HELP = `  --file FILE             publish the events of FILE instead
  --wait                  wait for what became of each event: applied (or kept for its statement),
                          duplicate, quarantined (with every field at fault and why); exits 1 on any refusal
  --json                  print the PutEvents response (with --wait, each event's outcome) as JSON`;

const CORRECT_HELP = `Usage: tracker correct --statement ID --reason TEXT [changes] [options]
       tracker correct --file FILE

Publishes one Statement Corrected event (source ${DESK_SOURCE}): the record then reads as if the
statement had been recorded so (events/README.md, "Corrections policy").

  --statement ID          the statementId (or a stance change's changeId) corrected
  --reason TEXT           why the record was wrong, shown on its revision trail
  --by NAME               who corrects it (default: cli)
  --at ISO                when the desk corrected it (default now); corrections apply in this order
  --correction-id ID      stable id (default: generated)
Changes (at least one; fields left out stay as recorded):
  --stance N              -2 reject, -1 oppose, 0 undecided, 1 support, 2 commit
  --hedged, --not-hedged  the statement was (not) hedged
  --speaker ID, --actor ID, --issue ID, --said-at ISO
  --quote TEXT [--lang TAG] [--translation TEXT] [--translation-lang TAG]   the whole corrected quote
  --outlet NAME [--url URL]   the whole corrected source
${REVISION_OTHER_HELP}

${CONNECTION_HELP}`;

const RETRACT_HELP = `Usage: tracker retract --statement ID --reason TEXT [--redact] [options]
       tracker retract --file FILE

Publishes one Statement Retracted event (source ${DESK_SOURCE}): the statement stays on the record,
marked retracted with the reason, and counts for nothing.

  --statement ID          the statementId (or a stance change's changeId) retracted
  --reason TEXT           why, shown on its revision trail
  --redact                legal removal: its quote and translation are replaced by a removal notice
  --by NAME               who retracts it (default: cli)
  --at ISO                when (default now)
  --retraction-id ID      stable id (default: generated)
${REVISION_OTHER_HELP}

${CONNECTION_HELP}`;

/** One revision from flags (or the events of --file), published and followed like `publish`. */
async function revisionCommand(
  args: string[],
  io: CliIo,
  { options, help, detailType, idField, build }: {
    options: NonNullable<ParseArgsConfig['options']>;
    help: string;
    detailType: string;
    idField: string;
    build: (values: Record<string, string | boolean | undefined>) => Record<string, unknown>;
  },
): Promise<number> {
  const { values } = parse(args, { ...options, file: { type: 'string' }, wait: { type: 'boolean' }, json: { type: 'boolean' } }, false);
  if (values.help) {
    io.out(help);
    return 0;
  }
  const conn = await connection(values as Parameters<typeof connection>[0], io);
  let events: FileEvent[];
  if (values.file !== undefined) events = await readEventsFrom(String(values.file));
  else {
    let detail: Record<string, unknown>;
    try {
      detail = build(values as Record<string, string | boolean | undefined>);
    } catch (error) {
      if (error instanceof RevisionFlagError) throw new CliError(error.message, 2);
      throw error;
    }
    events = [{ origin: String(detail[idField]), entry: { Source: DESK_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) } }];
  }
  return publishAndWait(conn, events, io, { wait: values.wait === true, progress: false, json: values.json === true, each: true, timeoutMs: 60_000 });
}

const CORRECT_OPTIONS = {
  statement: { type: 'string' }, 'correction-id': { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' }, at: { type: 'string' },
  stance: { type: 'string' }, hedged: { type: 'boolean' }, 'not-hedged': { type: 'boolean' }, speaker: { type: 'string' }, actor: { type: 'string' },
  issue: { type: 'string' }, 'said-at': { type: 'string' }, quote: { type: 'string' }, lang: { type: 'string' }, translation: { type: 'string' },
  'translation-lang': { type: 'string' }, outlet: { type: 'string' }, url: { type: 'string' },
} as const;

const RETRACT_OPTIONS = {
  statement: { type: 'string' }, 'retraction-id': { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' }, at: { type: 'string' },
  redact: { type: 'boolean' },
} as const;

export const correctCommand = (args: string[], io: CliIo): Promise<number> =>
  revisionCommand(args, io, { options: CORRECT_OPTIONS, help: CORRECT_HELP, detailType: STATEMENT_CORRECTED, idField: 'correctionId', build: correctionDetail });

export const retractCommand = (args: string[], io: CliIo): Promise<number> =>
  revisionCommand(args, io, { options: RETRACT_OPTIONS, help: RETRACT_HELP, detailType: STATEMENT_RETRACTED, idField: 'retractionId', build: retractionDetail });
