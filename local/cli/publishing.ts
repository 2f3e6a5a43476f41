/**
 * Publishing through PutEvents with the real SDK, and with `--wait` following every accepted event
 * to its fate (GET /_local/events) and the queues until they are empty: what `publish` and `replay`
 * share.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { isSettled, type EventFate } from '../delivery/event-fates.ts';
import type { FileEvent } from '../events-file.ts';
import { MAX_EVENT_IDS_PER_REQUEST } from '../http/api-server.ts';
import { apiGet, failOnError, type Connection } from './connection.ts';
import { CliError, inline, type CliIo } from './io.ts';

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
export async function publishAndWait(
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

