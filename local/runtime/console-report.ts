/**
 * What the runtime prints: the start-up banner, the tracker's own events as they happen (a
 * local-only rule), and the report after a replay (every matrix, every alert with its evidence).
 * Names come from the registry and are kept on their line whatever they hold.
 */
import { join } from 'node:path';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import type { AlertItem, Matrix } from '../../functions/api/schemas.ts';
import type { PositionReader } from '../../functions/application/read-model.ts';
import type { Registry } from '../../functions/core/types.ts';
import { escapeControlCharacters } from '../../functions/shared/control-characters.ts';
import type { EventBridgeEvent } from '../bus/local-event-bus.ts';
import { formatAlert, formatMatrix, stanceText, type NameLookup } from '../console/report.ts';
import type { Output } from '../console/terminal.ts';
import { pageAll } from '../page-all.ts';
import type { Runtime } from './types.ts';

/** Names from the registry for console lines; reloaded at most every few seconds by the reader. */
export const registryNames = (reader: PositionReader) => async (): Promise<NameLookup> => lookupOf(await reader.registry());

const lookupOf = (registry: Registry): NameLookup => ({
  actor: (id) => registry.actors.get(id)?.names,
  bloc: (id) => registry.blocs.get(id)?.names,
  speaker: (id) => registry.speakers.get(id)?.names,
  issue: (id) => registry.issues.get(id)?.title,
});

/** One line for a Position Changed, Positions Diverged or Positions Converged. */
export function describeOutbound(event: EventBridgeEvent, names: NameLookup): string {
  const detail = event.detail as Record<string, unknown>;
  const actorId = String(detail['actor'] ?? '?');
  const actor = escapeControlCharacters(names.actor?.(actorId)?.en ?? actorId);
  const issue = String(detail['issue'] ?? '?');
  if (event['detail-type'] === POSITION_CHANGED) {
    const previous = detail['previous'] as { stance: number } | null;
    const current = detail['current'] as { stance: number; hedged: boolean };
    const from = previous === null ? 'no position' : stanceText(previous.stance);
    return `[bus] ${POSITION_CHANGED}: ${actor} on ${issue}: ${from} → ${stanceText(current.stance)}${current.hedged ? ' (hedged)' : ''}`;
  }
  const blocId = detail['bloc'];
  const other = typeof blocId === 'string' ? escapeControlCharacters(names.bloc?.(blocId)?.en ?? blocId) : 'its previous stance';
  return `[bus] ${event['detail-type']}: ${actor} vs ${other} on ${issue} (${String(detail['kind'])}, gap ${String(detail['gap'])})`;
}

export interface Reports {
  matrices(): Promise<Matrix[]>;
  /** Every alert, all pages, latest first. */
  alerts(filter?: { issue?: string; open?: boolean }): Promise<AlertItem[]>;
  printReport(): Promise<void>;
}

export function createReports(reader: PositionReader, output: Output): Reports {
  const names = registryNames(reader);
  const matrices = async (): Promise<Matrix[]> => {
    const issues = await reader.listIssues();
    return Promise.all(issues.map((issue) => reader.issueMatrix(issue.issue)));
  };
  const alerts = (filter: { issue?: string; open?: boolean } = {}): Promise<AlertItem[]> =>
    pageAll(async (cursor) => {
      const page = await reader.alerts({ limit: 100, ...filter, ...(cursor === null ? {} : { cursor }) });
      return { items: page.alerts, nextCursor: page.nextCursor };
    });
  const printReport = async (): Promise<void> => {
    const lookup = await names();
    output.line('');
    output.line('Positions');
    output.line('=========');
    for (const matrix of await matrices()) {
      output.line('');
      for (const line of formatMatrix(matrix)) output.line(line);
    }
    const all = await alerts();
    output.line('');
    output.line(`Alerts (${all.length})`);
    output.line('======');
    if (all.length === 0) output.line('(none)');
    for (const alert of all) {
      output.line('');
      for (const line of formatAlert(alert, lookup)) output.line(line);
    }
  };
  return { matrices, alerts, printReport };
}

export interface StartupContext {
  embedded: boolean;
  dataDir: string | null;
  snapshotsDir: string;
  webhook: string | undefined;
}

export function printStartup(output: Output, runtime: Runtime, context: StartupContext): void {
  const { endpoints } = runtime;
  const store = !context.embedded
    ? `${endpoints.dynamodb} (external), table ${runtime.tableName}`
    : `${endpoints.dynamodb} (embedded dynalite, ${context.dataDir === null ? 'in memory' : `on disk in ${join(context.dataDir, 'dynamodb')}`}), table ${runtime.tableName}`;
  output.line('Position tracker, local runtime');
  output.line(`  EventBridge PutEvents  ${endpoints.bus}   (aws events put-events --endpoint-url ${endpoints.bus} ...)`);
  output.line(`  Read API               ${endpoints.api}   (GET /issues, /issues/{issue}/positions, /alerts, /openapi.json; admin under /_local/)`);
  output.line(`  DynamoDB               ${store}`);
  output.line(`  Dead-letter queues     ${runtime.deadLetters.location ?? 'in memory'}`);
  output.line(`  Snapshots              ${context.snapshotsDir}`);
  output.line(`  Feeds (public)         ${endpoints.api}/feeds/index.json   (no API key: for Datawrapper, Flourish, spreadsheets)`);
  if (context.webhook !== undefined) output.line(`  Alerts webhook         ${context.webhook}`);
  output.line(`  Desk API               ${endpoints.api}   (GET /me, POST /desk/events, POST /desk/preview; the editor's key)`);
  output.line(`  API key (editor)       ${describeApiKey({ key: runtime.apiKey, source: runtime.apiKeySource, file: runtime.apiKeyFile }, '--api-key or TRACKER_API_KEY')}`);
  output.line(`  Reader key             ${describeApiKey({ key: runtime.readerKey, source: runtime.readerKeySource, file: runtime.readerKeyFile }, '--reader-key or TRACKER_READER_KEY')}`);
  if (runtime.webDir !== null) {
    const key = runtime.apiKeySource === 'given' ? '<your API key>' : runtime.apiKey;
    output.line(`  Web app                ${endpoints.api}/#key=${key}   (the key stays in the page: a fragment never reaches the server)`);
  }
}

const describeApiKey = ({ key, source, file }: { key: string; source: Runtime['apiKeySource']; file: string | null }, flags: string): string => {
  if (source === 'given') return '(as given)';
  if (source === 'kept') return `${key}   (kept in ${file ?? '?'})`;
  return file === null ? `${key}   (generated; set ${flags} to choose one)` : `${key}   (generated, kept in ${file} for the next runs)`;
};
