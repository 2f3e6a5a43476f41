/**
 * What a reader of the record sees of corrections and retractions, through the real processor on
 * dynalite and the real read API: each history row's status and revision trail (JSON and CSV, in
 * an actor's history and in an alert's evidence), a retracted statement kept in history and out of
 * every position, and a redacted one's text nowhere: not in any item of the table (the quarantined
 * re-send of the statement and the kept revisions included), any API response or any snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_SOURCE } from '../../events/common.ts';
import { STATEMENT_CORRECTED, STATEMENT_RETRACTED } from '../../events/catalog.ts';
import { createReadApi } from '../../functions/api/read-api.ts';
import type { ActorHistory, AlertsPage, Matrix } from '../../functions/api/schemas.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { writeIssueSnapshot } from '../../functions/application/snapshots.ts';
import { createPositionReader, type PositionReader } from '../../functions/application/read-model.ts';
import { REMOVAL_NOTICE } from '../../functions/core/corrections.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents, type ProcessorRig } from '../../support/processor-rig.ts';
import { sqsRecord, type PublishedEvent } from '../../support/sqs-events.ts';
import { csvRecords } from '../support/csv-records.ts';
import { scanTable } from '../support/tracker-table.ts';

const TROOPS = 'western-troops-in-ukraine';
const GERMANY = 'seed-09-germany-western-troops-in-ukraine';
const RUSSIA_GUARANTOR = 'seed-04-russia-russia-as-guarantor';
const UKRAINE_TROOPS = 'seed-10-ukraine-western-troops-in-ukraine';

let store: EmbeddedDynamo;
let rig: ProcessorRig;
let reader: PositionReader;
let get: (path: string, query?: Record<string, string>, accept?: string) => Promise<{ status: number; body: string }>;

const sample = (statementId: string): PublishedEvent => seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId === statementId)!;
const quoteOf = (statementId: string) => (sample(statementId).detail as { quote: { text: string; translation?: { text: string } } }).quote;

const revision = (detailType: string, detail: Record<string, unknown>): PublishedEvent => ({
  source: DESK_SOURCE, 'detail-type': detailType, detail: { schemaVersion: '1', recordedBy: 'standards-desk', ...detail },
});
const stanceFix = revision(STATEMENT_CORRECTED, {
  statementId: GERMANY, correctionId: 'corr-trail-stance', changes: { stance: 2 }, reason: 'Berlin backs the troops', correctedAt: '2025-09-05T08:00:00Z',
});
const ukraineRetraction = revision(STATEMENT_RETRACTED, {
  statementId: UKRAINE_TROOPS, retractionId: 'retr-trail-ukraine', reason: 'Fabricated source', retractedAt: '2025-09-05T09:00:00Z',
});
/** The guarantor statement re-sent under its id with another stance: quarantined as conflicting-id, with the quote in its body. */
const conflictingResend = (): PublishedEvent => ({ ...sample(RUSSIA_GUARANTOR), detail: { ...(sample(RUSSIA_GUARANTOR).detail as object), stance: -1 } });
const quoteCorrection = revision(STATEMENT_CORRECTED, {
  statementId: RUSSIA_GUARANTOR, correctionId: 'corr-trail-quote', changes: { quote: { text: 'نص مصحح قبل الحذف', lang: 'ar' } }, reason: 'typo',
  correctedAt: '2025-09-05T07:00:00Z',
});
const redaction = revision(STATEMENT_RETRACTED, {
  statementId: RUSSIA_GUARANTOR, retractionId: 'retr-trail-redact', reason: 'Removed at the request of counsel', retractedAt: '2025-09-05T10:00:00Z', redact: true,
});

beforeAll(async () => {
  store = await startDynalite();
  const tableName = await store.createTable();
  rig = createProcessorRig({ client: store.client, tableName });
  await loadSeedRegistry(rig);
  reader = createPositionReader({ store: new DynamoReadRepository({ tableName, client: store.client }) });
  const api = createReadApi({ reader });
  get = async (path, query = {}, accept = 'application/json') => {
    const response = await api({ method: 'GET', path, query, headers: { accept } });
    return { status: response.statusCode, body: response.body };
  };
  for (const event of [...seedSampleEvents(), stanceFix, ukraineRetraction, conflictingResend(), quoteCorrection, redaction]) {
    expect((await rig.deliver([sqsRecord(event)])).batchItemFailures).toEqual([]);
  }
});

afterAll(async () => {
  await store?.stop();
});

const json = async <T>(path: string, query: Record<string, string> = {}): Promise<T> => {
  const reply = await get(path, query);
  expect(reply.status, `${path} ${reply.body}`).toBe(200);
  return JSON.parse(reply.body) as T;
};

describe('the revision trail in the API', () => {
  it('shows a corrected statement as corrected, with what changed, when, why and by whom, in the history and as CSV', async () => {
    const history = await json<ActorHistory>('/actors/germany/history', { issue: TROOPS });

    expect(history.statements).toEqual([expect.objectContaining({
      statementId: GERMANY, stance: 2, status: 'corrected',
      trail: [{
        kind: 'correction', revisionId: 'corr-trail-stance', revisedAt: '2025-09-05T08:00:00.000Z', reason: 'Berlin backs the troops',
        recordedBy: 'standards-desk', outcome: 'applied', changes: [{ field: 'stance', from: 0, to: 2 }], redact: false,
      }],
    })]);
    const csv = csvRecords((await get('/actors/germany/history', { issue: TROOPS }, 'text/csv')).body);
    expect(csv.map((row) => [row['statement_id'], row['stance'], row['status']])).toEqual([[GERMANY, '2', 'corrected']]);
    expect(JSON.parse(csv[0]!['trail']!)).toEqual(history.statements[0]!.trail);
  });

  it('keeps a retracted statement in history, marked retracted, and out of the positions now and as of any date', async () => {
    const history = await json<ActorHistory>('/actors/ukraine/history', { issue: TROOPS });
    expect(history.statements).toEqual([expect.objectContaining({
      statementId: UKRAINE_TROOPS, status: 'retracted',
      trail: [expect.objectContaining({ kind: 'retraction', revisionId: 'retr-trail-ukraine', outcome: 'retracted', reason: 'Fabricated source', redact: false })],
    })]);
    const queries: Array<Record<string, string>> = [{}, { asOf: '2025-12-31' }];
    for (const query of queries) {
      const matrix = await json<Matrix>(`/issues/${TROOPS}/positions`, query);
      expect(matrix.positions.map((p) => p.actor), JSON.stringify(query)).not.toContain('ukraine');
    }
  });

  it('shows the status and trail of every statement in an alert\'s evidence', async () => {
    const page = await json<AlertsPage>('/alerts', { issue: TROOPS, limit: '100' });
    const withdrawn = page.alerts.find((a) => a.kind === 'bloc-split' && a.actor === 'germany')!;
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.evidence.actor).toEqual([expect.objectContaining({ statementId: GERMANY, status: 'corrected', trail: [expect.objectContaining({ revisionId: 'corr-trail-stance' })] })]);
  });

  it('shows a redacted statement with the removal notice, in its quote and in its trail', async () => {
    const history = await json<ActorHistory>('/actors/russia/history', { issue: 'russia-as-guarantor' });
    const [statement] = history.statements;
    expect(statement).toMatchObject({ statementId: RUSSIA_GUARANTOR, status: 'retracted', quote: REMOVAL_NOTICE });
    expect(statement!.trail.map((entry) => [entry.revisionId, entry.outcome])).toEqual([['corr-trail-quote', 'applied'], ['retr-trail-redact', 'retracted']]);
    expect(statement!.trail[0]!.changes).toEqual([{ field: 'quote', from: REMOVAL_NOTICE, to: REMOVAL_NOTICE }]);
  });
});

describe('redaction everywhere', () => {
  const texts = () => {
    const { text, translation } = quoteOf(RUSSIA_GUARANTOR);
    return [text, ...(translation === undefined ? [] : [translation.text]), 'نص مصحح قبل الحذف'];
  };

  it('leaves the text in no item of the table: history, pointers, revisions, alerts, the change feed and the quarantined re-send', async () => {
    const items = await scanTable(rig.client, rig.tableName);
    const quarantined = items.filter((item) => String(item['pk']).startsWith('QUARANTINE#'));
    expect(quarantined.map((item) => [item['reason'], item['redacted']])).toEqual([['conflicting-id', true]]);
    expect(JSON.parse(String(quarantined[0]!['body']))).toMatchObject({ detail: { statementId: RUSSIA_GUARANTOR, stance: -1, quote: REMOVAL_NOTICE } });
    const table = JSON.stringify(items);
    for (const text of texts()) expect(table).not.toContain(text);
  });

  it('redacts a re-send quarantined after the redaction as it is kept', async () => {
    const later = { ...sample(RUSSIA_GUARANTOR), detail: { ...(sample(RUSSIA_GUARANTOR).detail as object), hedged: true } };
    expect((await rig.deliver([sqsRecord(later)])).batchItemFailures).toEqual([]);
    const table = JSON.stringify(await scanTable(rig.client, rig.tableName));
    for (const text of texts()) expect(table).not.toContain(text);
    expect((await rig.ports.quarantine.list()).filter((q) => q.reason === 'conflicting-id')).toHaveLength(2);
  });

  it('leaves the text in no API response and no snapshot', async () => {
    const feeds = ['/actors/russia/history', '/alerts', '/changes', '/quarantine'];
    const paths = ['/issues', '/issues/russia-as-guarantor/positions', '/actors/russia/positions', ...feeds];
    const bodies: string[] = [];
    for (const path of paths) {
      const answered: number[] = [];
      for (const accept of ['application/json', 'text/csv']) {
        const reply = await get(path, feeds.includes(path) ? { limit: '100' } : {}, accept);
        answered.push(reply.status);
        if (reply.status === 200) bodies.push(reply.body);
      }
      expect(answered, path).toContain(200);
    }
    const written: string[] = [];
    for (const issue of ['russia-as-guarantor', TROOPS, 'ceasefire-before-peace-deal', 'us-security-backstop']) {
      await writeIssueSnapshot({ reader, store: { put: async (_issue, body) => void written.push(body) }, now: () => new Date('2026-01-06T10:00:00Z') }, issue);
    }
    for (const text of texts()) {
      for (const body of [...bodies, ...written]) expect(body).not.toContain(text);
    }
  });
});
