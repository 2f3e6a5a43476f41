/**
 * The read API over HTTP, as the local runtime serves it: the real statement processor fed the seed
 * scenario in SQS-shaped batches writes an embedded DynamoDB (dynalite), then the API answers from
 * that table through `createReadApi` mounted on the local node:http server.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { findContract, POSITION_CHANGED, POSITIONS_CONVERGED } from '../../events/catalog.ts';
import { STATEMENT_RECORDED } from '../../events/inbound/statement-recorded.v1.ts';
import { loadSeedRegistryUpdates, loadSeedSamples, type SeedEvent } from '../../local/seed/seed-files.ts';
import { CSV_COLUMNS } from '../../functions/api/csv.ts';
import type { ActorHistory, AlertsPage, Matrix, QuarantinePage } from '../../functions/api/schemas.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { createFsSnapshotStore } from '../../functions/adapters/fs/snapshot-store.ts';
import { MAX_PAGE_BYTES } from '../../functions/application/read-feeds.ts';
import { createPositionReader } from '../../functions/application/read-model.ts';
import { encodeCursor } from '../../functions/application/read-store.ts';
import { compareSaid } from '../../functions/core/positions.ts';
import { blocStance } from '../../functions/core/blocs.ts';
import { toReportedStatement, type InboundDetailV1 } from '../../functions/application/contracts-v1.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import { resolveStatement } from '../../functions/core/resolution.ts';
import { replayAll } from '../../functions/core/tracker.ts';
import type { Position, StatementRecord } from '../../functions/core/types.ts';
import { createReadApi } from '../../functions/api/read-api.ts';
import { createHandler as createSnapshotHandler } from '../../functions/handlers/write-snapshot.ts';
import { startApiServer, type AdminRoutes, type ApiServer } from '../../local/http/api-server.ts';
import { pageAll } from '../../local/page-all.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { maxId, maxQuote, maxSource } from '../support/max-size.ts';
import { createProcessorRig, loadSeedRegistry, type ProcessorRig } from '../../support/processor-rig.ts';
import { inBatches, sqsBatch, sqsRecord, sqsRecordFromBody, toEventBridgeEvent } from '../../support/sqs-events.ts';
import { csvRecords as csvRecordsOf } from '../support/csv-records.ts';

const API_KEY = 'local-test-key';
const TROOPS = 'western-troops-in-ukraine';
/** Germany's statement on troops, as the seed has it: 2025-09-04T12:00:00+02:00. */
const GERMANY_SAID_AT = '2025-09-04T10:00:00.000Z';

// ---------------------------------------------------------------------------------------------
// What the seed says, worked out by the pure core from the sample files

const registry = buildRegistry(loadSeedRegistryUpdates());
const samples = loadSeedSamples();

const toRecord = (event: SeedEvent): StatementRecord => {
  const contract = findContract(event['detail-type'], String(event.detail['schemaVersion']));
  if (contract === undefined) throw new Error(`no contract for ${event['detail-type']}`);
  return resolveStatement(toReportedStatement({ detailType: event['detail-type'], detail: contract.schema.parse(event.detail) } as InboundDetailV1), registry);
};

const seedStatements = samples.map(({ event }) => toRecord(event));
const seedReplay = replayAll(seedStatements, registry);
const seedPositions = (issue: string): Position[] =>
  [...(seedReplay.get(issue)?.state.positions.values() ?? [])].sort((a, b) => (a.actor < b.actor ? -1 : 1));
const seedEpisodeIds = [...seedReplay.values()].flatMap((replay) => replay.episodes.map((e) => e.episodeId)).sort();
const statementById = new Map(seedStatements.map((s) => [s.statementId, s]));

const germanyCommits = JSON.parse(
  readFileSync(new URL('../fixtures/statements/germany-commits-to-troops.hypothetical.json', import.meta.url), 'utf8'),
) as SeedEvent;

// ---------------------------------------------------------------------------------------------
// HTTP helpers

interface Reply {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  json: any;
}

const noAdmin: AdminRoutes = {
  listDeadLetters: async () => [],
  redrive: async () => ({ moved: 0 }),
  status: async () => ({}),
  eventFates: async () => ({ events: [] }),
};

const request = async (base: string, path: string, headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` }, method = 'GET'): Promise<Reply> => {
  const response = await fetch(`${base}${path}`, { method, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, bytes, text, json: isJson ? JSON.parse(text) : undefined };
};

const csvRecords = (bytes: Buffer): Array<Record<string, string>> => csvRecordsOf(bytes.toString('utf8'));

/** The size Lambda counts for this answer: the API Gateway result, with the body as one JSON string in it. */
const lambdaPayloadBytes = (reply: Reply): number =>
  Buffer.byteLength(
    JSON.stringify({ statusCode: reply.status, headers: Object.fromEntries(reply.headers), body: reply.text, isBase64Encoded: false }),
    'utf8',
  );
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

/** Follows `nextCursor` (or, for CSV, the x-next-cursor header) from `path` to the last page. */
const allPages = async (rig: Rig, path: string, headers?: Record<string, string>): Promise<Reply[]> => {
  const separator = path.includes('?') ? '&' : '?';
  return pageAll(
    async (cursor) => {
      const reply = await rig.get(cursor === null ? path : `${path}${separator}cursor=${cursor}`, headers);
      expect(reply.status, reply.text.slice(0, 300)).toBe(200);
      return { items: [reply], nextCursor: reply.json === undefined ? reply.headers.get('x-next-cursor') : reply.json.nextCursor };
    },
    { maxPages: 200 },
  );
};

/** A statement of Russia's government, as a desk would publish it. */
const russiaSays = (statementId: string, issue: string, stance: -2 | 2, saidAt: string, extra: Record<string, unknown> = {}): SeedEvent =>
  ({
    source: 'newsroom.desk',
    'detail-type': STATEMENT_RECORDED,
    detail: {
      schemaVersion: '1', statementId, speaker: 'russian-government', issue, stance, hedged: false,
      quote: { text: `بيان رقم ${statementId}`, lang: 'ar' }, saidAt, source: { outlet: 'Test wire' }, recordedBy: 'test', ...extra,
    },
  }) as SeedEvent;

interface Rig {
  rig: ProcessorRig;
  server: ApiServer;
  snapshotDir: string;
  get: (path: string, headers?: Record<string, string>, method?: string) => Promise<Reply>;
}

const startRig = async (store: EmbeddedDynamo, extraEvents: SeedEvent[] = []): Promise<Rig> => {
  const rig = createProcessorRig({ client: store.client, tableName: await store.createTable() });
  await loadSeedRegistry(rig);
  for (const batch of inBatches([...samples.map(({ event }) => event), ...extraEvents].map((event) => sqsRecord(event)))) {
    const response = await rig.deliver(batch);
    if (response.batchItemFailures.length > 0) throw new Error(`seed delivery failed: ${JSON.stringify(response)}`);
  }
  const snapshotDir = await mkdtemp(join(tmpdir(), 'read-api-snapshots-'));
  const reader = createPositionReader({ store: new DynamoReadRepository({ tableName: rig.tableName, client: store.client }) });
  const api = createReadApi({ reader, snapshots: createFsSnapshotStore(snapshotDir) });
  const server = await startApiServer({ api, admin: noAdmin, apiKey: API_KEY, port: 0 });
  return { rig, server, snapshotDir, get: (path, headers, method) => request(server.url, path, headers, method) };
};

const stopRig = async (rig: Rig | undefined): Promise<void> => {
  await rig?.server.close();
  if (rig) await rm(rig.snapshotDir, { recursive: true, force: true });
};

// ---------------------------------------------------------------------------------------------

let store: EmbeddedDynamo;
let seeded: Rig;

beforeAll(async () => {
  store = await startDynalite();
  seeded = await startRig(store);
});

afterAll(async () => {
  await stopRig(seeded);
  await store?.stop();
});

describe('GET /issues', () => {
  it('lists the seed issues with their English and Arabic titles', async () => {
    // Act
    const reply = await seeded.get('/issues');

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json.issues.map((i: { issue: string }) => i.issue)).toEqual([...registry.issues.keys()].sort());
    expect(reply.json.issues.find((i: { issue: string }) => i.issue === TROOPS).title).toEqual(registry.issues.get(TROOPS)?.title);
  });
});

describe('GET /issues/{issue}/positions', () => {
  it('gives the matrix for Western troops as the seed has it: stances, evidence byte-exact, bloc stances', async () => {
    // Act
    const reply = await seeded.get(`/issues/${TROOPS}/positions`);

    // Assess
    expect(reply.status).toBe(200);
    const matrix = reply.json as Matrix;
    const expected = seedPositions(TROOPS);
    expect(matrix.positions.map((p) => [p.actor, p.stance, p.hedged, p.saidAt, p.statementId])).toEqual(
      expected.map((p) => [p.actor, p.stance, p.hedged, p.saidAt, p.statementId]),
    );
    expect(Object.fromEntries(matrix.positions.map((p) => [p.actor, p.stance]))).toEqual({
      france: 2, germany: 0, nato: 2, russia: -2, ukraine: 2,
    });
    for (const position of matrix.positions) {
      const quote = statementById.get(position.statementId)?.quote?.text ?? '';
      expect(position.evidence.quote?.text).toBe(quote);
      expect(reply.bytes.includes(Buffer.from(quote, 'utf8'))).toBe(true);
      expect(position.names).toEqual(registry.actors.get(position.actor)?.names);
    }
    const byActor = new Map(expected.map((p) => [p.actor, p]));
    expect(matrix.blocs.map((b) => [b.bloc, b.basis])).toEqual(
      [...registry.blocs.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((bloc) => [bloc.id, blocStance(bloc, byActor).members.length]),
    );
    // The allies are watched at quorum 1 (russia-vs-allies); nothing watches the coalition, whose
    // two speakers on this issue fall short of the default quorum of 3.
    expect(matrix.blocs.find((b) => b.bloc === 'allies')).toMatchObject({ stance: 2, members: ['france', 'germany', 'nato', 'ukraine'], basis: 4, quorum: 1 });
    expect(matrix.blocs.find((b) => b.bloc === 'coalition-of-the-willing')).toMatchObject({ stance: null, basis: 2, quorum: 3 });
    expect(matrix.asOf).toBeNull();
  });

  it('with asOf before Germany spoke, shows no German position, and the blocs as they stood', async () => {
    // Act
    const before = await seeded.get(`/issues/${TROOPS}/positions?asOf=${encodeURIComponent('2025-09-04T11:59:59+02:00')}`);
    const at = await seeded.get(`/issues/${TROOPS}/positions?asOf=${GERMANY_SAID_AT}`);
    const dayBefore = await seeded.get(`/issues/${TROOPS}/positions?asOf=2025-09-03`);

    // Assess
    expect(before.status).toBe(200);
    const then = before.json as Matrix;
    expect(then.asOf).toBe('2025-09-04T09:59:59.000Z');
    expect(then.positions.map((p) => p.actor)).toEqual(['france', 'nato', 'russia']);
    expect(then.positions.find((p) => p.actor === 'germany')).toBeUndefined();
    expect(then.blocs.find((b) => b.bloc === 'allies')).toMatchObject({ stance: 2, members: ['france', 'nato'] });
    expect((at.json as Matrix).positions.find((p) => p.actor === 'germany')).toMatchObject({ stance: 0, saidAt: GERMANY_SAID_AT });
    expect((dayBefore.json as Matrix).asOf).toBe('2025-09-03T23:59:59.999Z');
    expect((dayBefore.json as Matrix).positions).toEqual([]);
    expect((dayBefore.json as Matrix).blocs.every((b) => b.stance === null)).toBe(true);
  });

  it('serves CSV on Accept: text/csv: UTF-8 with a BOM, the documented columns, Arabic byte-exact', async () => {
    // Act
    const reply = await seeded.get(`/issues/${TROOPS}/positions`, { authorization: `Bearer ${API_KEY}`, accept: 'text/csv' });

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="${TROOPS}-positions.csv"`);
    expect(reply.headers.get('vary')).toBe('Accept');
    expect([...reply.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(reply.bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    const rows = csvRecords(reply.bytes);
    expect(rows.map((r) => [r['actor'], r['stance']])).toEqual(seedPositions(TROOPS).map((p) => [p.actor, String(p.stance)]));
    for (const row of rows) {
      const statement = statementById.get(row['statement_id'] ?? '')!;
      expect(Buffer.from(row['quote'] ?? '', 'utf8').equals(Buffer.from(statement.quote!.text, 'utf8'))).toBe(true);
      expect(reply.bytes.includes(Buffer.from(statement.quote!.text, 'utf8'))).toBe(true);
      expect(row).toMatchObject({
        issue: TROOPS,
        actor_name_en: registry.actors.get(statement.actor)?.names.en,
        actor_name_ar: registry.actors.get(statement.actor)?.names.ar,
        hedged: String(statement.hedged),
        said_at: statement.saidAt,
        speaker: statement.speaker,
        quote_lang: 'ar',
        translation_lang: 'en',
        translation: statement.quote?.translation?.text,
        source_outlet: statement.source.outlet,
      });
    }
  });

  it('prefers JSON unless CSV is asked for, and refuses what it cannot serve', async () => {
    // Act
    const browser = await seeded.get(`/issues/${TROOPS}/positions`, {
      authorization: `Bearer ${API_KEY}`,
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
    });
    const weighted = await seeded.get(`/issues/${TROOPS}/positions`, { 'x-api-key': API_KEY, accept: 'application/json;q=0.5, text/csv' });
    const csvOnlyRoute = await seeded.get('/issues', { 'x-api-key': API_KEY, accept: 'text/csv' });

    // Assess
    expect(browser.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(weighted.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvOnlyRoute.status).toBe(406);
    expect(csvOnlyRoute.json).toMatchObject({ error: 'NotAcceptable' });
  });
});

describe('GET /actors/{actor}/positions and /history', () => {
  it("gives Russia's current stance on every issue it spoke on", async () => {
    // Act
    const reply = await seeded.get('/actors/russia/positions');

    // Assess
    expect(reply.status).toBe(200);
    const expected = [...seedReplay.values()]
      .flatMap((r) => [...r.state.positions.values()])
      .filter((p) => p.actor === 'russia')
      .sort((a, b) => (a.issue < b.issue ? -1 : 1));
    expect(reply.json.positions.map((p: Position) => [p.issue, p.stance, p.statementId])).toEqual(
      expected.map((p) => [p.issue, p.stance, p.statementId]),
    );
    expect(reply.json.names).toEqual(registry.actors.get('russia')?.names);
  });

  it("gives Russia's timeline in said order, on one issue or all, as JSON and CSV", async () => {
    // Act
    const all = await seeded.get('/actors/russia/history');
    const troops = await seeded.get(`/actors/russia/history?issue=${TROOPS}`);
    const csv = await seeded.get('/actors/russia/history', { 'x-api-key': API_KEY, accept: 'text/csv' });

    // Assess
    const expected = seedStatements
      .filter((s) => s.actor === 'russia')
      .sort((a, b) => (a.saidAt < b.saidAt ? -1 : a.saidAt > b.saidAt ? 1 : a.statementId < b.statementId ? -1 : 1));
    const history = all.json as ActorHistory;
    expect(history.statements.map((s) => s.statementId)).toEqual(expected.map((s) => s.statementId));
    expect(history.statements.map((s) => s.quote?.text)).toEqual(expected.map((s) => s.quote?.text));
    expect((troops.json as ActorHistory).statements.map((s) => s.issue)).toEqual([TROOPS]);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="russia-history.csv"');
    const rows = csvRecords(csv.bytes);
    expect(rows.map((r) => r['statement_id'])).toEqual(expected.map((s) => s.statementId));
    for (const [i, row] of rows.entries()) {
      expect(Buffer.from(row['quote'] ?? '', 'utf8').equals(Buffer.from(expected[i]!.quote!.text, 'utf8'))).toBe(true);
    }
  });
});

describe('GET /actors/{actor}/history, paged', () => {
  const ISSUES = [...registry.issues.keys()];
  /** 30 statements over every issue, two said at each instant (on different issues), so said order needs the id too. */
  const chatter = Array.from({ length: 30 }, (_, i) =>
    russiaSays(`chatter-${String(29 - i).padStart(2, '0')}`, ISSUES[i % ISSUES.length]!, -2, `2025-10-${String(1 + Math.floor(i / 2)).padStart(2, '0')}T12:00:00Z`),
  );
  let chatty: Rig;
  beforeAll(async () => {
    chatty = await startRig(store, chatter);
  });
  afterAll(async () => {
    await stopRig(chatty);
  });

  const russiaInSaidOrder = (issue?: string): string[] =>
    [...seedStatements, ...chatter.map(toRecord)]
      .filter((s) => s.actor === 'russia' && (issue === undefined || s.issue === issue))
      .sort(compareSaid)
      .map((s) => s.statementId);

  it('gives every statement once, in said order, a page of at most `limit` at a time', async () => {
    // Act
    const pages = await allPages(chatty, '/actors/russia/history?limit=7');

    // Assess
    const histories = pages.map((p) => p.json as ActorHistory);
    expect(histories.flatMap((h) => h.statements.map((s) => s.statementId))).toEqual(russiaInSaidOrder());
    expect(histories.map((h) => h.statements.length)).toEqual([7, 7, 7, 7, 6]);
    expect(histories.at(-1)?.nextCursor).toBeNull();
    expect(histories.every((h) => h.actor === 'russia' && h.issue === null)).toBe(true);
  });

  it('defaults to pages of 25, and keeps the issue filter across pages', async () => {
    // Act
    const first = (await chatty.get('/actors/russia/history')).json as ActorHistory;
    const troops = await allPages(chatty, `/actors/russia/history?issue=${TROOPS}&limit=3`);

    // Assess
    expect(first.statements).toHaveLength(25);
    expect(first.nextCursor).not.toBeNull();
    expect(troops.flatMap((p) => (p.json as ActorHistory).statements.map((s) => s.statementId))).toEqual(russiaInSaidOrder(TROOPS));
  });

  it('pages CSV the same way, the next cursor in the x-next-cursor header', async () => {
    // Act
    const pages = await allPages(chatty, '/actors/russia/history?limit=10', { 'x-api-key': API_KEY, accept: 'text/csv' });

    // Assess
    expect(pages.map((p) => p.headers.get('content-type'))).toEqual(pages.map(() => 'text/csv; charset=utf-8; header=present'));
    expect(pages.flatMap((p) => csvRecords(p.bytes).map((r) => r['statement_id']))).toEqual(russiaInSaidOrder());
    expect(pages.at(-1)?.headers.get('x-next-cursor')).toBeNull();
  });

  it("refuses another actor's cursor", async () => {
    // Prepare
    const russia = (await chatty.get('/actors/russia/history?limit=2')).json as ActorHistory;

    // Act
    const reply = await chatty.get(`/actors/france/history?cursor=${russia.nextCursor}`);

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'BadRequest', parameter: 'cursor' });
  });
});

describe('pages that would not fit in one Lambda response', () => {
  /**
   * Statements at the contract's maxima, in control characters (JSON escapes each to six bytes):
   * 25 keep Russia against the allies on troops and one closes it (an alert of some 3 MB as the
   * API answers it); then 35 more and another closing (an alert too large for any one answer).
   */
  const control = (n: number, minute: number) =>
    russiaSays(maxId('heavy', n), TROOPS, -2, new Date(Date.parse('2025-10-01T00:00:00Z') + minute * 60_000).toISOString(), {
      quote: maxQuote('control'), source: maxSource('control'),
    });
  const heavyEvents = [
    ...Array.from({ length: 25 }, (_, i) => control(i, i)),
    russiaSays('heavy-closes-1', TROOPS, 2, '2025-10-02T00:00:00Z'),
    ...Array.from({ length: 35 }, (_, i) => control(25 + i, 2000 + i)),
    russiaSays('heavy-closes-2', TROOPS, 2, '2025-10-03T00:00:00Z'),
  ];
  let heavy: Rig;
  beforeAll(async () => {
    heavy = await startRig(store, heavyEvents);
  });
  afterAll(async () => {
    await stopRig(heavy);
  });

  it('end a history page early, within the limit Lambda answers with, and lose nothing across pages', async () => {
    // Act
    const pages = await allPages(heavy, '/actors/russia/history?limit=100');
    const csvPages = await allPages(heavy, '/actors/russia/history?limit=100', { 'x-api-key': API_KEY, accept: 'text/csv' });

    // Assess
    expect(pages.reduce((sum, page) => sum + lambdaPayloadBytes(page), 0)).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT);
    for (const page of [...pages, ...csvPages]) expect(lambdaPayloadBytes(page)).toBeLessThanOrEqual(LAMBDA_RESPONSE_LIMIT);
    const ids = pages.flatMap((p) => (p.json as ActorHistory).statements.map((s) => s.statementId));
    const expected = [...seedStatements, ...heavyEvents.map(toRecord)].filter((s) => s.actor === 'russia').sort(compareSaid).map((s) => s.statementId);
    expect(ids).toEqual(expected);
    expect(csvPages.flatMap((p) => csvRecords(p.bytes).map((r) => r['statement_id']))).toEqual(expected);
    expect(MAX_PAGE_BYTES).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
  });

  it('end an alert page early the same way, and carry every statement an alert event left out while they fit', async () => {
    // Act
    const pages = await allPages(heavy, `/alerts?actor=russia&issue=${TROOPS}&limit=100`);

    // Assess
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(lambdaPayloadBytes(page)).toBeLessThanOrEqual(LAMBDA_RESPONSE_LIMIT);
    const alerts = pages.flatMap((p) => (p.json as AlertsPage).alerts);
    const oneByOne = (await allPages(heavy, `/alerts?actor=russia&issue=${TROOPS}&limit=1`)).flatMap((p) => (p.json as AlertsPage).alerts);
    expect(alerts.map((a) => a.episodeId)).toEqual(oneByOne.map((a) => a.episodeId));
    const converged = heavy.rig.publisher.ofType(POSITIONS_CONVERGED).map((e) => e.detail as {
      episodeId: string; kind: string; closedAt: string; evidence: { actor: unknown[]; other: unknown[] }; evidenceOmitted: { actor: number; other: number };
    }).filter((d) => d.kind === 'actor-vs-bloc').sort((a, b) => (a.closedAt < b.closedAt ? -1 : 1));
    expect(converged).toHaveLength(2);
    const [first, second] = converged.map((event) => ({ event, alert: alerts.find((a) => a.episodeId === event.episodeId)! }));
    // The first alert event left statements out; the API has every one of them.
    expect(first!.event.evidenceOmitted.actor).toBeGreaterThan(0);
    expect(first!.alert.evidenceOmitted).toEqual({ actor: 0, other: 0 });
    expect(first!.alert.evidence.actor).toHaveLength(first!.event.evidence.actor.length + first!.event.evidenceOmitted.actor);
    expect(first!.alert.evidence.other).toHaveLength(first!.event.evidence.other.length + first!.event.evidenceOmitted.other);
    // The second is too large for one answer: it keeps the latest and counts the rest, to be read in the history.
    const total = (side: 'actor' | 'other', x: { evidence: Record<typeof side, unknown[]>; evidenceOmitted: Record<typeof side, number> }) =>
      x.evidence[side].length + x.evidenceOmitted[side];
    expect(second!.alert.evidenceOmitted.actor).toBeGreaterThan(0);
    expect(total('actor', second!.alert)).toBe(total('actor', second!.event));
    expect(total('other', second!.alert)).toBe(total('other', second!.event));
    expect(second!.alert.evidence.actor[0]?.statementId).toBe('heavy-closes-2');
  });
});

describe('GET /alerts', () => {
  it('pages through every divergence of the seed with the cursor, latest activity first', async () => {
    // Act
    const pages = (await allPages(seeded, '/alerts?limit=1')).map((reply) => reply.json as AlertsPage);

    // Assess
    expect(pages.map((p) => p.alerts.length)).toEqual(seedEpisodeIds.map(() => 1));
    const alerts = pages.flatMap((p) => p.alerts);
    expect(alerts.map((a) => a.episodeId).sort()).toEqual(seedEpisodeIds);
    const activity = alerts.map((a) => a.closedAt ?? a.openedAt);
    expect(activity).toEqual([...activity].sort().reverse());
    const whole = await seeded.get('/alerts');
    expect((whole.json as AlertsPage).alerts.map((a) => a.episodeId)).toEqual(alerts.map((a) => a.episodeId));
    expect((whole.json as AlertsPage).nextCursor).toBeNull();
  });

  it('carries the evidence of each side, quotes byte-exact', async () => {
    // Act
    const reply = await seeded.get(`/alerts?issue=${TROOPS}&actor=russia`);

    // Assess
    const [alert, ...others] = (reply.json as AlertsPage).alerts;
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ kind: 'actor-vs-bloc', issue: TROOPS, actor: 'russia', bloc: 'allies', status: 'open', closedAt: null });
    const russia = alert!.evidence.actor[0]!;
    expect(russia.quote?.text).toBe(statementById.get(russia.statementId)?.quote?.text);
    expect(alert!.evidence.other.length).toBeGreaterThan(0);
    for (const evidence of alert!.evidence.other) expect(evidence.actor).not.toBe('russia');
  });

  it('filters by issue, actor, open and since', async () => {
    // Act
    const ids = async (query: string) => ((await seeded.get(`/alerts?${query}`)).json as AlertsPage).alerts.map((a) => `${a.kind}:${a.issue}:${a.actor}`).sort();

    // Assess
    expect(await ids(`issue=${TROOPS}`)).toEqual([`actor-vs-bloc:${TROOPS}:russia`, `bloc-split:${TROOPS}:germany`]);
    expect(await ids('actor=germany')).toEqual([`bloc-split:${TROOPS}:germany`]);
    expect(await ids('actor=russia&issue=russia-as-guarantor')).toEqual(['actor-vs-bloc:russia-as-guarantor:russia']);
    expect(await ids('open=true')).toHaveLength(seedEpisodeIds.length);
    expect(await ids('open=false')).toEqual([]);
    expect(await ids(`since=${GERMANY_SAID_AT}`)).toEqual(['actor-vs-bloc:ceasefire-before-peace-deal:russia', `bloc-split:${TROOPS}:germany`]);
    expect(await ids('since=2025-09-05')).toEqual([]);
  });

  it('pages with filters: the cursor continues the same filtered feed', async () => {
    // Act
    const first = (await seeded.get(`/alerts?actor=russia&limit=2`)).json as AlertsPage;
    const second = (await seeded.get(`/alerts?actor=russia&limit=2&cursor=${first.nextCursor}`)).json as AlertsPage;

    // Assess
    expect(first.alerts).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    expect(second.alerts).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.alerts, ...second.alerts].every((a) => a.actor === 'russia')).toBe(true);
  });
});

describe('a divergence that closes', () => {
  let closing: Rig;
  beforeAll(async () => {
    closing = await startRig(store, [germanyCommits]);
  });
  afterAll(async () => {
    await stopRig(closing);
  });

  it('leaves the open feed and appears with open=false, closed when Germany committed', async () => {
    // Act
    const closed = (await closing.get('/alerts?open=false')).json as AlertsPage;
    const open = (await closing.get('/alerts?open=true')).json as AlertsPage;
    const matrix = (await closing.get(`/issues/${TROOPS}/positions`)).json as Matrix;
    const asOfBefore = (await closing.get(`/issues/${TROOPS}/positions?asOf=2025-09-04`)).json as Matrix;

    // Assess
    expect(closed.alerts.map((a) => [a.kind, a.actor, a.status, a.closedAt])).toEqual([['bloc-split', 'germany', 'closed', '2025-09-05T09:00:00.000Z']]);
    // Moving from 0 to +2 is also a reversal of two scale points, which opens on its own.
    expect(open.alerts.map((a) => `${a.kind}:${a.issue}:${a.actor}`).sort()).toEqual([
      'actor-vs-bloc:ceasefire-before-peace-deal:russia',
      'actor-vs-bloc:russia-as-guarantor:russia',
      `actor-vs-bloc:${TROOPS}:russia`,
      `reversal:${TROOPS}:germany`,
    ]);
    expect(matrix.positions.find((p) => p.actor === 'germany')).toMatchObject({ stance: 2, statementId: 'test-germany-commits-to-troops' });
    expect(asOfBefore.positions.find((p) => p.actor === 'germany')).toMatchObject({ stance: 0 });
  });
});

describe('a documented change of stance (Stance Changed, no quote)', () => {
  const germanyChanges: SeedEvent = {
    source: 'newsroom.desk',
    'detail-type': 'Stance Changed',
    detail: {
      schemaVersion: '1', changeId: 'test-germany-changes-on-troops', actor: 'germany', issue: TROOPS, stance: 2, hedged: false,
      effectiveAt: '2025-09-05T09:00:00Z', reason: 'Cabinet decision, no public statement', source: { outlet: 'Hypothetical test fixture' }, recordedBy: 'test',
    },
  } as SeedEvent;
  let changed: Rig;
  beforeAll(async () => {
    changed = await startRig(store, [germanyChanges]);
  });
  afterAll(async () => {
    await stopRig(changed);
  });

  it('moves the position, closes and opens divergences, and shows in the matrix, history, alerts and CSV with its reason', async () => {
    // Act
    const matrix = (await changed.get(`/issues/${TROOPS}/positions`)).json as Matrix;
    const history = (await changed.get(`/actors/germany/history?issue=${TROOPS}`)).json as ActorHistory;
    const csv = await changed.get(`/actors/germany/history?issue=${TROOPS}`, { authorization: `Bearer ${API_KEY}`, accept: 'text/csv' });
    const closed = (await changed.get('/alerts?open=false')).json as AlertsPage;
    const published = changed.rig.publisher.published.filter((e) => e.detailType === POSITION_CHANGED && (e.detail as { actor?: string }).actor === 'germany');

    // Assess
    expect(matrix.positions.find((p) => p.actor === 'germany')).toMatchObject({ stance: 2, statementId: 'test-germany-changes-on-troops' });
    expect(history.statements.map((s) => [s.kind, s.stance])).toEqual([['statement', 0], ['stance-change', 2]]);
    expect(history.statements.at(-1)).toMatchObject({ reason: 'Cabinet decision, no public statement' });
    expect(history.statements.at(-1)?.quote).toBeUndefined();
    expect(csv.status).toBe(200);
    expect(csvRecords(csv.bytes).at(-1)).toMatchObject({ kind: 'stance-change', quote: '', reason: 'Cabinet decision, no public statement', stance: '2' });
    expect(closed.alerts.map((a) => [a.kind, a.actor, a.closedAt])).toEqual([['bloc-split', 'germany', '2025-09-05T09:00:00.000Z']]);
    expect(closed.alerts[0]?.evidence.actor.map((e) => e.statementId)).toContain('test-germany-changes-on-troops');
    expect(published.map((e) => (e.detail as { current?: { stance?: number } }).current?.stance)).toContain(2);
  });
});

describe('text that a spreadsheet would run as a formula', () => {
  const formulaText = JSON.parse(
    readFileSync(new URL('../fixtures/statements/formula-text.hypothetical.json', import.meta.url), 'utf8'),
  ) as SeedEvent;
  const detail = formulaText.detail as { statementId: string; quote: { text: string; translation: { text: string } }; source: { outlet: string } };
  const natoRow = (bytes: Buffer) => csvRecords(bytes).find((row) => row['statement_id'] === detail.statementId);
  let hostile: Rig;
  beforeAll(async () => {
    hostile = await startRig(store, [formulaText]);
  });
  afterAll(async () => {
    await stopRig(hostile);
  });

  it('is defused in the CSV by default: a leading apostrophe on text cells, the stance still a number', async () => {
    // Act
    const matrix = await hostile.get('/issues/russia-as-guarantor/positions', { 'x-api-key': API_KEY, accept: 'text/csv' });
    const history = await hostile.get('/actors/nato/history', { 'x-api-key': API_KEY, accept: 'text/csv' });

    // Assess
    for (const reply of [matrix, history]) {
      expect(reply.status).toBe(200);
      expect([...reply.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(natoRow(reply.bytes)).toMatchObject({
        actor: 'nato',
        stance: '-2',
        quote: `'${detail.quote.text}`,
        translation: `'${detail.quote.translation.text}`,
        source_outlet: `'${detail.source.outlet}`,
      });
      expect(reply.text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
      expect(reply.text).toContain(',-2,');
      // The Arabic translation follows the apostrophe byte for byte.
      expect(reply.bytes.includes(Buffer.from(`'${detail.quote.translation.text}`, 'utf8'))).toBe(true);
    }
  });

  it('is written exactly as stored with raw=true, and JSON is always exact', async () => {
    // Act
    const raw = await hostile.get('/issues/russia-as-guarantor/positions?raw=true', { 'x-api-key': API_KEY, accept: 'text/csv' });
    const rawHistory = await hostile.get('/actors/nato/history?raw=true', { 'x-api-key': API_KEY, accept: 'text/csv' });
    const json = await hostile.get('/issues/russia-as-guarantor/positions');
    const wrong = await hostile.get('/issues/russia-as-guarantor/positions?raw=yes', { 'x-api-key': API_KEY, accept: 'text/csv' });

    // Assess
    for (const reply of [raw, rawHistory]) {
      expect(reply.status).toBe(200);
      expect([...reply.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(natoRow(reply.bytes)).toMatchObject({
        stance: '-2',
        quote: detail.quote.text,
        translation: detail.quote.translation.text,
        source_outlet: detail.source.outlet,
      });
      expect(reply.text.endsWith('\r\n')).toBe(true);
    }
    const nato = (json.json as Matrix).positions.find((p) => p.actor === 'nato');
    expect(nato?.evidence.quote?.text).toBe(detail.quote.text);
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error: 'BadRequest', parameter: 'raw', message: 'must be true or false' });
  });
});

describe('GET /quarantine', () => {
  const troopsSample = samples.find(({ event }) => event.detail['issue'] === TROOPS)!.event;
  /** Stance 3 is off the scale; pretty-printed with Arabic, so a re-serialised body would not match. */
  const offScale = sqsRecordFromBody(
    JSON.stringify(
      toEventBridgeEvent({
        ...troopsSample,
        detail: { ...troopsSample.detail, statementId: 'test-off-the-scale', stance: 3, quote: { text: 'لن نرسل قوات 🚫', lang: 'ar' } },
      }),
      null,
      2,
    ),
  );
  const notJson = sqsRecordFromBody('{"detail-type": "Statement Recorded", "detail": {');
  let rejecting: Rig;
  beforeAll(async () => {
    rejecting = await startRig(store);
    for (const record of [notJson, offScale]) {
      const response = await rejecting.rig.deliver([record]);
      expect(response.batchItemFailures).toEqual([]);
      // Distinct receivedAt instants, so newest first is a definite order.
      await new Promise((done) => setTimeout(done, 5));
    }
  });
  afterAll(async () => {
    await stopRig(rejecting);
  });

  it('is empty when nothing was rejected (the seed is clean)', async () => {
    const reply = await seeded.get('/quarantine');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ events: [], nextCursor: null });
  });

  it('shows a malformed statement with the field at fault and the body byte-exact, newest first', async () => {
    // Act
    const reply = await rejecting.get('/quarantine');

    // Assess
    expect(reply.status).toBe(200);
    const page = reply.json as QuarantinePage;
    expect(page.nextCursor).toBeNull();
    expect(page.events.map((e) => e.messageId)).toEqual([offScale.messageId, notJson.messageId]);
    const [stance, broken] = page.events;
    expect(stance).toMatchObject({ reason: 'invalid-event', truncated: false });
    expect(stance!.problems.map((p) => p.field)).toContain('detail.stance');
    for (const problem of stance!.problems) expect(Object.keys(problem).sort()).toEqual(['field', 'reason']);
    expect(Buffer.from(stance!.body, 'utf8').equals(Buffer.from(offScale.body, 'utf8'))).toBe(true);
    expect(stance!.bodyBytes).toBe(Buffer.byteLength(offScale.body, 'utf8'));
    expect(broken!.body).toBe(notJson.body);
    expect(broken!.problems.map((p) => p.field)).toContain('event');
    expect(stance!.receivedAt > broken!.receivedAt).toBe(true);
  });

  it('pages with the cursor', async () => {
    // Act
    const first = (await rejecting.get('/quarantine?limit=1')).json as QuarantinePage;
    const second = (await rejecting.get(`/quarantine?limit=1&cursor=${first.nextCursor}`)).json as QuarantinePage;

    // Assess
    expect(first.events.map((e) => e.messageId)).toEqual([offScale.messageId]);
    expect(first.nextCursor).not.toBeNull();
    expect(second.events.map((e) => e.messageId)).toEqual([notJson.messageId]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor of the alert feed', async () => {
    // Prepare
    const alerts = (await seeded.get('/alerts?limit=1')).json as AlertsPage;

    // Act
    const reply = await rejecting.get(`/quarantine?cursor=${alerts.nextCursor}`);

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'BadRequest', parameter: 'cursor' });
  });
});

describe('authentication', () => {
  it('answers 401 without the API key or with a wrong one, on every route', async () => {
    for (const path of ['/issues', `/issues/${TROOPS}/positions`, '/actors/russia/history', '/alerts', '/quarantine', '/openapi.json', '/nowhere']) {
      const none = await seeded.get(path, {});
      expect(none.status, path).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="position-tracker"');
      expect(none.json).toMatchObject({ error: 'Unauthorized' });
      expect((await seeded.get(path, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await seeded.get(path, { 'x-api-key': `${API_KEY}x` })).status).toBe(401);
    }
  });

  it('accepts the key as a Bearer token or in x-api-key', async () => {
    expect((await seeded.get('/issues', { authorization: `Bearer ${API_KEY}` })).status).toBe(200);
    expect((await seeded.get('/issues', { authorization: `bearer ${API_KEY}` })).status).toBe(200);
    expect((await seeded.get('/issues', { 'x-api-key': API_KEY })).status).toBe(200);
  });
});

describe('bad requests', () => {
  it.each([
    [`/issues/${TROOPS}/positions?asOf=yesterday`, 'asOf'],
    [`/issues/${TROOPS}/positions?asOf=2025-09-04T10:00:00`, 'asOf'],
    [`/issues/${TROOPS}/positions?asOf=2025-02-30`, 'asOf'],
    [`/issues/${TROOPS}/positions?asof=2025-09-04`, 'asof'],
    ['/issues/Western_Troops/positions', 'issue'],
    ['/actors/RUSSIA/positions', 'actor'],
    ['/actors/%E0%A4%A/history', 'actor'],
    ['/actors/russia/history?issue=Troops!', 'issue'],
    ['/alerts?limit=0', 'limit'],
    ['/alerts?limit=101', 'limit'],
    ['/alerts?limit=ten', 'limit'],
    ['/alerts?open=maybe', 'open'],
    ['/alerts?since=last-week', 'since'],
    ['/alerts?cursor=not%20a%20cursor', 'cursor'],
    ['/alerts?cursor=eyJ4IjoxfQ', 'cursor'],
    ['/alerts?cursor=', 'cursor'],
    [`/alerts?cursor=${encodeCursor({ pk: `ISSUE#${TROOPS}`, sk: 'E#', gsi1pk: 'EPISODES', gsi1sk: '' })}`, 'cursor'],
    [`/alerts?cursor=${encodeCursor({ pk: `ISSUE#${TROOPS}`, sk: `E#${'a'.repeat(1100)}`, gsi1pk: 'EPISODES', gsi1sk: '2025-09-04T08:30:00.000Z#ep-1' })}`, 'cursor'],
    [`/alerts?cursor=${encodeCursor({ pk: `ISSUE#${'a'.repeat(2100)}`, sk: 'E#d#2025#ep-1', gsi1pk: 'EPISODES', gsi1sk: '2025#ep-1' })}`, 'cursor'],
    [`/quarantine?cursor=${encodeCursor({ pk: 'QUARANTINE#ab', sk: 'EVENT', gsi1pk: 'QUARANTINE', gsi1sk: `${'1'.repeat(1100)}#ab` })}`, 'cursor'],
    ['/actors/russia/history?limit=0', 'limit'],
    ['/actors/russia/history?limit=101', 'limit'],
    ['/actors/russia/history?cursor=', 'cursor'],
    ['/actors/russia/history?cursor=eyJ4IjoxfQ', 'cursor'],
    [`/actors/russia/history?cursor=${encodeCursor({ actor: 'russia', saidAt: '', statementId: 'x' })}`, 'cursor'],
    [`/actors/russia/history?cursor=${encodeCursor({ actor: 'russia', saidAt: '2025-09-04T08:30:00.000Z', statementId: 'x'.repeat(3000) })}`, 'cursor'],
    ['/quarantine?limit=0', 'limit'],
    ['/quarantine?limit=101', 'limit'],
    ['/quarantine?cursor=eyJ4IjoxfQ', 'cursor'],
    ['/quarantine?issue=x', 'issue'],
    ['/issues?page=2', 'page'],
  ])('%s → 400 naming %s', async (path, parameter) => {
    // Act
    const reply = await seeded.get(path);

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'BadRequest', parameter });
    expect(typeof reply.json.message).toBe('string');
  });

  it('rejects a cursor that lies before since (filters changed while paging)', async () => {
    // Prepare
    const first = (await seeded.get('/alerts?limit=3')).json as AlertsPage;

    // Act
    const reply = await seeded.get(`/alerts?since=${GERMANY_SAID_AT}&cursor=${first.nextCursor}`);

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ parameter: 'cursor' });
  });

  describe('any cursor at all gives a page or a 400 naming `cursor`, never a 500', () => {
    /** Parts of the keys a cursor names: empty, short, past DynamoDB's key limits, or as the API issues them. */
    const part = fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: fc.constantFrom('a', '0', ':', '-', 'T', 'Z', '.', 'é', '\u0000'), minLength: 1000, maxLength: 1100 }),
      fc.constantFrom(TROOPS, 'actor-vs-bloc:western-troops-in-ukraine:russia:allies', '2025-09-04T08:30:00.000Z', 'ep-19cb62b059db8ece671b', 'russia'),
    );
    /** Cursors shaped as the API issues them, so that the check of each part is what decides. */
    const position = fc.oneof(
      fc.tuple(part, part, part, part, part).map(([issue, divergence, openedAt, episode, activity]) => ({
        pk: `ISSUE#${issue}`, sk: `E#${divergence}#${openedAt}#${episode}`, gsi1pk: 'EPISODES', gsi1sk: `${activity}#${episode}`,
      })),
      fc.tuple(part, part).map(([receivedAt, fingerprint]) => ({
        pk: `QUARANTINE#${fingerprint}`, sk: 'EVENT', gsi1pk: 'QUARANTINE', gsi1sk: `${receivedAt}#${fingerprint}`,
      })),
      fc.record({ actor: fc.oneof(fc.constant('russia'), part), saidAt: part, statementId: part }),
      fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
    );
    const cursor = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.base64String({ maxLength: 400 }).map((b) => b.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')),
      position.map((value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')),
    );

    it.each(['/alerts', '/quarantine', '/actors/russia/history', `/actors/russia/history?issue=${TROOPS}`])('%s', async (path) => {
      await fc.assert(
        fc.asyncProperty(cursor, async (value) => {
          // Act
          const reply = await seeded.get(`${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(value)}`);

          // Assess
          expect([200, 400], reply.text.slice(0, 300)).toContain(reply.status);
          if (reply.status === 400) expect(reply.json).toMatchObject({ error: 'BadRequest', parameter: 'cursor' });
        }),
        // Shrinking kilobyte-long strings over HTTP takes minutes; the first counterexample says enough.
        { numRuns: 150, endOnFailure: true },
      );
    });
  });

  it('answers 405 to anything but GET', async () => {
    const reply = await seeded.get('/issues', { 'x-api-key': API_KEY }, 'DELETE');
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET');
  });
});

describe('unknown issues and actors', () => {
  it.each([
    [`/issues/peace-in-our-time/positions`, 'issue'],
    [`/issues/peace-in-our-time/snapshot`, 'issue'],
    ['/actors/atlantis/positions', 'actor'],
    ['/actors/atlantis/history', 'actor'],
    ['/actors/russia/history?issue=peace-in-our-time', 'issue'],
    ['/alerts?actor=atlantis', 'actor'],
    ['/alerts?issue=peace-in-our-time', 'issue'],
  ])('%s → 404 naming %s', async (path, parameter) => {
    const reply = await seeded.get(path);
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ error: 'NotFound', parameter });
  });

  it('answers 404 for a path that is no route', async () => {
    const reply = await seeded.get('/positions');
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ error: 'NotFound' });
  });
});

describe('snapshots', () => {
  it('writes the matrix on Position Changed and links to it', async () => {
    // Prepare
    const reader = createPositionReader({ store: new DynamoReadRepository({ tableName: seeded.rig.tableName, client: store.client }) });
    const writeSnapshot = createSnapshotHandler({
      reader,
      store: createFsSnapshotStore(seeded.snapshotDir),
      now: () => new Date('2026-01-06T14:30:00.000Z'),
    });
    const changes = seeded.rig.publisher.ofType(POSITION_CHANGED).filter((e) => (e.detail as { issue: string }).issue === TROOPS);
    expect((await seeded.get(`/issues/${TROOPS}/snapshot`)).status).toBe(404);

    // Act
    const response = await writeSnapshot(
      sqsBatch(changes.map((e) => sqsRecord({ source: TRACKER_SOURCE, 'detail-type': e.detailType, detail: e.detail }))),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const link = await seeded.get(`/issues/${TROOPS}/snapshot`);
    expect(link.status).toBe(200);
    expect(link.json).toMatchObject({ issue: TROOPS, expiresAt: null });
    const snapshot = JSON.parse(await readFile(fileURLToPath(link.json.url), 'utf8'));
    const matrix = (await seeded.get(`/issues/${TROOPS}/positions`)).json as Matrix;
    expect(snapshot).toEqual({ ...matrix, generatedAt: '2026-01-06T14:30:00.000Z' });
  });
});
