/**
 * The change feed end to end: the real statement processor (createHandler with the DynamoDB
 * repositories) on dynalite over HTTP writes the seed's registry and statements, a late statement
 * and duplicates, and GET /changes (createReadApi over the real read repository) lists every change
 * in the order recorded, once, with ids that survive a redelivery, filtered, paged and as CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSITION_CHANGED, POSITIONS_CONVERGED, POSITIONS_DIVERGED, STATEMENT_CORRECTED, STATEMENT_RETRACTED } from '../../events/catalog.ts';
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

/** Every page of the feed `ask` answers, 100 at a time, as a client pages through it. */
const pageThrough = async (
  ask: (query: Record<string, string>) => Promise<{ status: number; body: string }>,
  query: Record<string, string> = {},
): Promise<ChangeItem[]> => {
  const all: ChangeItem[] = [];
  let cursor: string | null = null;
  do {
    const reply = await ask({ limit: '100', ...query, ...(cursor === null ? {} : { cursor }) });
    expect(reply.status).toBe(200);
    const page = JSON.parse(reply.body) as ChangesPage;
    all.push(...page.changes);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
};

const feed = (query: Record<string, string> = {}): Promise<ChangeItem[]> => pageThrough((q) => get(q), query);

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

describe('GET /changes, corrections and retractions', () => {
  const revision = (detailType: string, detail: Record<string, unknown>): PublishedEvent => ({
    source: 'newsroom.desk', 'detail-type': detailType, detail: { schemaVersion: '1', recordedBy: 'standards-desk', ...detail },
  });
  const stance = revision(STATEMENT_CORRECTED, {
    statementId: 'seed-09-germany-western-troops-in-ukraine', correctionId: 'corr-feed-stance', changes: { stance: 2 }, reason: 'Berlin backs the troops',
    correctedAt: '2025-09-05T08:00:00Z',
  });
  const speaker = revision(STATEMENT_CORRECTED, {
    statementId: 'seed-08-rutte-western-troops-in-ukraine', correctionId: 'corr-feed-speaker', changes: { speaker: 'healey' }, reason: 'Healey said it',
    correctedAt: '2025-09-05T09:00:00Z',
  });
  const retract = revision(STATEMENT_RETRACTED, {
    statementId: 'seed-04-russia-russia-as-guarantor', retractionId: 'retr-feed-russia', reason: 'counsel', retractedAt: '2025-09-05T10:00:00Z', redact: true,
  });
  const early = revision(STATEMENT_CORRECTED, {
    statementId: 'feed-late-arrival', correctionId: 'corr-feed-early', changes: { stance: -1 }, reason: 'misread', correctedAt: '2025-09-06T08:00:00Z',
  });
  const lateArrival = (): PublishedEvent => {
    const sample = seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId === 'seed-03-russia-western-troops-in-ukraine')!;
    return { ...sample, detail: { ...(sample.detail as object), statementId: 'feed-late-arrival', saidAt: '2025-09-06T07:00:00Z' } };
  };

  let feedRig: ProcessorRig;
  let changesOf: (query?: Record<string, string>, accept?: string) => Promise<{ status: number; body: string }>;
  beforeAll(async () => {
    const table = await store.createTable();
    feedRig = createProcessorRig({ client: store.client, tableName: table, now: steppingClock('2026-03-01T08:00:00.000Z') });
    const api = createReadApi({ reader: createPositionReader({ store: new DynamoReadRepository({ tableName: table, client: store.client }) }) });
    changesOf = async (query = {}, accept = 'application/json') => {
      const response = await api({ method: 'GET', path: '/changes', query, headers: { accept } });
      return { status: response.statusCode, body: response.body };
    };
    await loadSeedRegistry(feedRig);
    for (const event of [...seedSampleEvents(), stance, speaker, retract, early, lateArrival()]) {
      expect((await feedRig.deliver([sqsRecord(event)])).batchItemFailures).toEqual([]);
    }
  });

  const all = (query: Record<string, string> = {}): Promise<ChangeItem[]> => pageThrough((q) => changesOf(q), query);

  it('returns, in order, every change the scenarios made: each item the table lists in the feed, the revisions among them', async () => {
    const since = '2026-03-01';
    const changes = await all({ since });
    const listed = (await scanTable(store.client, feedRig.tableName))
      .filter((item) => item['gsi1pk'] === 'CHANGES')
      .map((item) => String(item['gsi1sk']))
      .sort();
    expect(changes.map((c) => `${c.recordedAt}#${c.changeId}`)).toEqual(listed);

    const revisions = changes.filter((c) => c.kind === 'statement-corrected' || c.kind === 'statement-retracted');
    expect(revisions.map((c) => [c.kind, c.changeId, c.issue])).toEqual([
      ['statement-corrected', 'corr-feed-stance', TROOPS],
      ['statement-corrected', 'corr-feed-speaker', TROOPS],
      ['statement-retracted', 'retr-feed-russia', 'russia-as-guarantor'],
      ['statement-corrected', 'corr-feed-early', TROOPS],
    ]);
    expect(revisions[1]!.changed).toMatchObject({
      revisionKind: 'correction', outcome: 'applied', statementId: 'seed-08-rutte-western-troops-in-ukraine', actor: 'united-kingdom', speaker: 'healey',
      changes: [{ field: 'speaker', from: 'rutte', to: 'healey' }, { field: 'actor', from: 'nato', to: 'united-kingdom' }],
      reason: 'Healey said it', recordedBy: 'standards-desk', revisedAt: '2025-09-05T09:00:00.000Z', status: 'standing',
    });
    expect(revisions[2]!.changed).toMatchObject({ revisionKind: 'retraction', outcome: 'retracted', redact: true, status: 'retracted', redacted: true });
    // A correction is listed before the withdrawal it causes; the early one once its statement arrived, after the statement.
    const at = (id: string) => changes.findIndex((c) => c.changeId === id);
    const withdrawn = changes.filter((c) => c.kind === 'divergence-withdrawn' || c.kind === 'divergence-closed');
    expect(withdrawn.some((c) => at(c.changeId) > at('corr-feed-stance'))).toBe(true);
    expect(at('corr-feed-early')).toBeGreaterThan(changes.findIndex((c) => c.changed['statementId'] === 'feed-late-arrival' && !c.kind.startsWith('statement-corrected')));
    expect(JSON.stringify(changes)).not.toContain((seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId === 'seed-04-russia-russia-as-guarantor')!.detail as { quote: { text: string } }).quote.text);
  });

  it('lists no revision twice when every revision is delivered again, and shows them in CSV', async () => {
    const before = await all();
    for (const event of [stance, speaker, retract, early]) expect((await feedRig.deliver([sqsRecord(event)])).batchItemFailures).toEqual([]);
    expect(await all()).toEqual(before);

    const csv = await changesOf({ limit: '100' }, 'text/csv');
    const rows = csvRecords(csv.body).filter((row) => row['kind'] === 'statement-corrected' || row['kind'] === 'statement-retracted');
    expect(rows.map((row) => [row['change_id'], row['statement_id'], row['actor']])).toEqual([
      ['corr-feed-stance', 'seed-09-germany-western-troops-in-ukraine', 'germany'],
      ['corr-feed-speaker', 'seed-08-rutte-western-troops-in-ukraine', 'united-kingdom'],
      ['retr-feed-russia', 'seed-04-russia-russia-as-guarantor', 'russia'],
      ['corr-feed-early', 'feed-late-arrival', 'russia'],
    ]);
  });
});
