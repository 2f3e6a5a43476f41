/** `tracker dlq list` and `tracker dlq redrive`, through the runtime's admin routes. */
import type { DeadLetter } from '../delivery/dead-letter-queue.ts';
import { CONNECTION_HELP, apiGet, apiSend, connection, failOnError, parse } from './connection.ts';
import { CliError, inline, type CliIo } from './io.ts';

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

export async function dlqCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(DLQ_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'list') return dlqList(rest, io);
  if (sub === 'redrive') return dlqRedrive(rest, io);
  throw new CliError(`unknown dlq command '${sub}' (list or redrive)`, 2);
}

async function dlqList(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { queue: { type: 'string' }, json: { type: 'boolean' } }, false);
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

interface RedriveAnswer {
  redriven?: Array<{ messageId: string; queue: string }>;
  notRedriven?: Array<{ messageId: string; reason: string }>;
  error?: string;
  message?: string;
}

async function dlqRedrive(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { queue: { type: 'string' }, id: { type: 'string', multiple: true } }, false);
  if (values.help) {
    io.out(DLQ_HELP);
    return 0;
  }
  const conn = await connection(values, io);
  const result = await apiSend<RedriveAnswer>(conn, 'POST', '/_local/dlq/redrive', {
    ...(values.queue === undefined ? {} : { queue: values.queue }),
    ...(values.id === undefined ? {} : { messageIds: values.id }),
  });
  if (result.status >= 400) throw new CliError(`redrive failed with HTTP ${result.status}: ${result.body.error ?? ''}: ${result.body.message ?? ''}`);
  const redriven = result.body.redriven ?? [];
  io.out(`Redrove ${redriven.length} message(s)${redriven.length === 0 ? '' : `: ${redriven.map((r) => `${r.messageId} → ${r.queue}`).join(', ')}`}`);
  for (const skipped of result.body.notRedriven ?? []) io.err(`  kept ${inline(skipped.messageId)}: ${inline(skipped.reason)}`);
  return 0;
}
