/**
 * The change feed end to end: the real statement processor (createHandler with the DynamoDB
 * repositories) on dynalite over HTTP writes the seed's registry and statements, a late statement
 * and duplicates, and GET /changes (createReadApi over the real read repository) lists every change
 * in the order recorded, once, with ids that survive a redelivery, filtered, paged and as CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSITION_CHANGED, POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/catalog.ts';
import { CHANGE_CSV_COLUMNS } from '../../functions/api/csv.ts';
import { createReadApi } from '../../functions/api/read-api.ts';
import type { ChangeItem, ChangesPage } from '../../functions/api/schemas.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { createPositionReader } from '../../functions/application/read-model.ts';
import { csvRecords } from '../support/csv-records.ts';
import { scanTable } from '../support/tracker-table.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry, seedRegistryEvents, seedSampleEvents, type ProcessorRig } from '../../support/processor-rig.ts';
import { sqsRecord, type PublishedEvent } from '../../support/sqs-events.ts';

const TROOPS = 'western-troops-in-ukraine';

let store: EmbeddedDynamo;
let rig: ProcessorRig;
let tableName: string;
let get: (query: Record<string, string>, accept?: string, path?: string) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

/** A clock that moves one millisecond per reading, so every recording has its own instant. */
const steppingClock = (start: string) => {
  let ms = Date.parse(start);
  return () => new Date((ms += 1)).toISOString();
};

/** Germany on troops, said long before anything else on record: history gains it, the position does not move. */
const lateStatement = (): PublishedEvent => {
  const sample = seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId.includes('germany'))!;
  return { ...sample, detail: { ...(sample.detail as object), statementId: 'germany-troops-late-2024', saidAt: '2024-01-10T09:00:00Z' } };
};

const deliverEach = async (events: readonly PublishedEvent[]) => {
  for (const event of events) {
    const response = await rig.deliver([sqsRecord(event)]);
    expect(response.batchItemFailures).toEqual([]);
  }
};

const feed = async (query: Record<string, string> = {}): Promise<ChangeItem[]> => {
  const all: ChangeItem[] = [];
  let cursor: string | null = null;
  do {
    const reply = await get({ limit: '100', ...query, ...(cursor === null ? {} : { cursor }) });
    expect(reply.status).toBe(200);
    const page = JSON.parse(reply.body) as ChangesPage;
    all.push(...page.changes);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
};

beforeAll(async () => {
  store = await startDynalite();
  tableName = await store.createTable();
  rig = createProcessorRig({ client: store.client, tableName, now: steppingClock('2026-02-01T08:00:00.000Z') });
  const reader = createPositionReader({ store: new DynamoReadRepository({ tableName, client: store.client }) });
  const api = createReadApi({ reader });
  get = async (query, accept = 'application/json', path = '/changes') => {
    const response = await api({ method: 'GET', path, query, headers: { accept } });
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body };
  };
  await loadSeedRegistry(rig);
  await deliverEach([...seedSampleEvents(), lateStatement()]);
});

afterAll(async () => {
  await store?.stop();
});

describe('GET /changes', () => {
  it('lists every registry change, statement and alert once, in the order recorded', async () => {
    const changes = await feed();
    const recorded = changes.map((c) => c.recordedAt);
    expect(recorded).toEqual([...recorded].sort());
    expect(new Set(changes.map((c) => c.changeId)).size).toBe(changes.length);

    const registryChanges = changes.filter((c) => c.kind === 'registry-changed');
    expect(registryChanges).toHaveLength(seedRegistryEvents().length);
    // The registry was loaded before any statement, and is listed first.
    expect(changes.slice(0, registryChanges.length)).toEqual(registryChanges);

    const statements = changes.filter((c) => c.kind === 'position-changed' || c.kind === 'statement-applied');
    const sent = [...seedSampleEvents(), lateStatement()].map((e) => (e.detail as { statementId?: string; changeId?: string }));
    expect(statements.map((c) => c.changed['statementId']).sort()).toEqual(sent.map((d) => d.statementId ?? d.changeId).sort());
    expect(changes.find((c) => c.changed['statementId'] === 'germany-troops-late-2024')?.kind).toBe('statement-applied');

    // A position change is listed under the changeId of the Position Changed it published; an alert under its alertId.
    const published = (type: string, id: string) =>
      rig.publisher.published.filter((e) => e.detailType === type).map((e) => (e.detail as Record<string, string>)[id]);
    expect(changes.filter((c) => c.kind === 'position-changed').map((c) => c.changeId).sort()).toEqual([...new Set(published(POSITION_CHANGED, 'changeId'))].sort());
    const alerts = changes.filter((c) => c.kind.startsWith('divergence-'));
    // Every alert recorded is listed, pushed or recorded only; the pushed ones are exactly those published.
    const alertItems = (await scanTable(store.client, tableName)).filter((item) => String(item['sk']).startsWith('A#'));
    expect(alerts.map((c) => c.changeId).sort()).toEqual(alertItems.map((item) => item['alertId']).sort());
    expect(alerts.filter((c) => c.changed['pushed'] === true).map((c) => c.changeId).sort()).toEqual(
      [...new Set([...published(POSITIONS_DIVERGED, 'alertId'), ...published(POSITIONS_CONVERGED, 'alertId')])].sort(),
    );
    expect(alerts.filter((c) => c.kind === 'divergence-opened').length).toBeGreaterThanOrEqual(4);
    expect(alerts.every((c) => typeof c.changed['divergenceId'] === 'string' && c.issue !== null)).toBe(true);
  });

  it('lists nothing twice when every event is delivered again', async () => {
    const before = await feed();
    await deliverEach([...seedRegistryEvents(), ...seedSampleEvents(), lateStatement()]);
    expect(await feed()).toEqual(before);
  });

  it('filters by the time recorded and by issue, keeping the order', async () => {
    const all = await feed();
    const from = all[Math.floor(all.length / 2)]!;
    expect(await feed({ since: from.recordedAt })).toEqual(all.filter((c) => c.recordedAt >= from.recordedAt));
    const troops = await feed({ issue: TROOPS });
    expect(troops.length).toBeGreaterThan(0);
    expect(troops).toEqual(all.filter((c) => c.issue === TROOPS));
  });

  it('pages with cursor and limit through exactly the same feed', async () => {
    const all = await feed();
    const pages: ChangeItem[][] = [];
    let cursor: string | null = null;
    do {
      const page = JSON.parse((await get({ limit: '7', ...(cursor === null ? {} : { cursor }) })).body) as ChangesPage;
      expect(page.changes.length).toBeLessThanOrEqual(7);
      pages.push(page.changes);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages.flat()).toEqual(all);
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
  });

  it('refuses a cursor it did not issue, and an unknown issue, naming the parameter', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'ISSUE#x', sk: 'CH#y', gsi1pk: 'EPISODES', gsi1sk: 'z' })).toString('base64url');
    const bad = await get({ cursor: forged });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'BadRequest', parameter: 'cursor' });
    const unknown = await get({ issue: 'no-such-issue' });
    expect(unknown.status).toBe(404);
  });

  it('answers CSV with one row per change, in the same order, the next cursor in a header', async () => {
    const all = await feed();
    const reply = await get({ limit: '10' }, 'text/csv');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/csv/);
    const rows = csvRecords(reply.body);
    expect(Object.keys(rows[0]!)).toEqual([...CHANGE_CSV_COLUMNS]);
    expect(rows.map((r) => r['change_id'])).toEqual(all.slice(0, 10).map((c) => c.changeId));
    expect(rows.map((r) => JSON.parse(r['changed']!))).toEqual(all.slice(0, 10).map((c) => c.changed));
    expect(reply.headers['x-next-cursor']).toBeDefined();
  });
});

describe('GET /alerts, evidence while open', () => {
  it('shows a statement that keeps a divergence open before the divergence closes', async () => {
    // Prepare: Russia repeats its refusal, months after the divergence opened.
    const sample = seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId.includes('russia-western-troops'))!;
    const repeat = { ...sample, detail: { ...(sample.detail as object), statementId: 'russia-troops-repeated', saidAt: '2025-12-01T10:00:00Z' } };

    // Act
    await deliverEach([repeat]);
    const reply = await get({ issue: TROOPS, open: 'true' }, 'application/json', '/alerts');

    // Assess
    const alert = (JSON.parse(reply.body) as { alerts: Array<{ divergenceId: string; evidence: { actor: Array<{ statementId: string }> } }> }).alerts
      .find((a) => a.divergenceId === `actor-vs-bloc:${TROOPS}:russia:allies`);
    expect(alert?.evidence.actor.map((e) => e.statementId)).toEqual(['russia-troops-repeated', (sample.detail as { statementId: string }).statementId]);
  });
});
