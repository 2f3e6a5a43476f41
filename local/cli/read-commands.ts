/** `tracker positions`, `tracker alerts` and `tracker quarantine`: the read API, for people. */
import type { AlertItem, AlertsPage, Matrix, QuarantinePage, QuarantinedEventItem } from '../../functions/api/schemas.ts';
import type { Names } from '../../functions/core/types.ts';
import { formatAlert, formatMatrix, markedLines, type NameLookup } from '../console/report.ts';
import { pageAll, type Page } from '../page-all.ts';
import { CONNECTION_HELP, apiGet, connection, failOnError, parse, type Connection } from './connection.ts';
import { CliError, inline, type CliIo } from './io.ts';

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

export async function positionsCommand(args: string[], io: CliIo): Promise<number> {
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

export async function alertsCommand(args: string[], io: CliIo): Promise<number> {
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

  const alerts = await pageAll(async (cursor): Promise<Page<AlertItem>> => {
    if (cursor !== null) params.set('cursor', cursor);
    const page = await apiPage<AlertsPage>(conn, `/alerts?${params.toString()}`, 'GET /alerts');
    return { items: page.alerts, nextCursor: page.nextCursor };
  });
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

/** One page of a listing; an HTTP error ends the command with the API's reason. */
async function apiPage<P>(conn: Connection, path: string, what: string): Promise<P> {
  const result = await apiGet<P>(conn, path);
  failOnError(result, what);
  return result.body as P;
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

export async function quarantineCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { limit: { type: 'string' }, json: { type: 'boolean' } }, false);
  if (values.help) {
    io.out(QUARANTINE_HELP);
    return 0;
  }
  const limit = values.limit === undefined ? 25 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a whole number of at least 1, not '${values.limit}'`, 2);
  const conn = await connection(values, io);

  const events = await pageAll(
    async (cursor, wanted): Promise<Page<QuarantinedEventItem>> => {
      const params = new URLSearchParams({ limit: String(Math.min(wanted, 100)) });
      if (cursor !== null) params.set('cursor', cursor);
      const page = await apiPage<QuarantinePage>(conn, `/quarantine?${params.toString()}`, 'GET /quarantine');
      return { items: page.events, nextCursor: page.nextCursor };
    },
    { limit },
  );
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

