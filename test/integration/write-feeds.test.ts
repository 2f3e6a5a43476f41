/**
 * The feed writer's handler over batches as SQS hands them over, against the real read model on
 * dynalite seeded by the processor, writing to a folder: one write per issue however many changes
 * name it (the batch is the debounce), the index and the matrix across issues once per batch,
 * unpublished issues in no feed, and a failure handed back for the records it concerns only.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import { ISSUE_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { loadSeedRegistryDetails } from '../../local/seed/seed-files.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { createFsFeedStore } from '../../functions/adapters/fs/feed-store.ts';
import type { FeedIndex } from '../../functions/application/feed-files.ts';
import type { FeedStore } from '../../functions/application/feeds.ts';
import { createPositionReader, type PositionReader } from '../../functions/application/read-model.ts';
import { createHandler, FEEDS_REBUILD_BODY } from '../../functions/handlers/write-feeds.ts';
import { countingMetrics } from '../../support/counting-metrics.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents, type ProcessorRig } from '../../support/processor-rig.ts';
import { inBatches, sqsBatch, sqsRecord, sqsRecordFromBody } from '../../support/sqs-events.ts';

const UPDATED_AT = '2026-01-06T14:30:00.000Z';
const BASE_URL = 'http://127.0.0.1:3000/feeds';

/** The folder store, with every put and removal counted, and the puts of `failingIssue` refused as S3 might. */
const countedStore = (dir: string, failingIssue?: string) => {
  const folder = createFsFeedStore(dir);
  const puts: string[] = [];
  const removals: string[] = [];
  const store: FeedStore = {
    async put(file) {
      puts.push(file.key);
      if (failingIssue !== undefined && file.key.startsWith(`${failingIssue}/`)) throw new Error('SlowDown: Please reduce your request rate.');
      await folder.put(file);
    },
    async remove(key) {
      removals.push(key);
      await folder.remove(key);
    },
  };
  return { store, puts, removals };
};

const parseCsv = (csv: string) => {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
};

describe('write-feeds handler', () => {
  let dynamo: EmbeddedDynamo;
  let rig: ProcessorRig;
  let reader: PositionReader;
  let dir: string;
  let changes: Array<{ issue: string; record: ReturnType<typeof sqsRecord> }>;
  const seedIssues = (loadSeedRegistryDetails().find((file) => file.detailType === ISSUE_REGISTERED)?.details ?? []) as Array<Record<string, unknown>>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    rig = createProcessorRig({ client: dynamo.client, tableName: await dynamo.createTable() });
    await loadSeedRegistry(rig);
    for (const batch of inBatches(seedSampleEvents().map((event) => sqsRecord(event)))) await rig.deliver(batch);
    // No registry cache: these tests change publication between batches.
    reader = createPositionReader({ store: new DynamoReadRepository({ tableName: rig.tableName, client: dynamo.client }), registryTtlMs: 0 });
    changes = rig.publisher.ofType(POSITION_CHANGED).map((event) => ({
      issue: (event.detail as { issue: string }).issue,
      record: sqsRecord({ source: TRACKER_SOURCE, 'detail-type': event.detailType, detail: event.detail }),
    }));
  });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tracker-feeds-'));
  });
  afterAll(async () => {
    await dynamo?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each issue named in the batch once, then the index listing every published issue', async () => {
    // Prepare
    const issues = [...new Set(changes.map((change) => change.issue))].sort();
    expect(issues.length).toBe(seedIssues.length);
    const { store, puts } = countedStore(dir);
    const metrics = new Map<string, number>();
    const writeFeeds = createHandler({ reader, store, baseUrl: BASE_URL, now: () => new Date(UPDATED_AT), metrics: countingMetrics(metrics) });

    // Act
    const response = await writeFeeds(sqsBatch(changes.map((change) => change.record)));

    // Assess: four files per issue, each once, and the two files across issues once.
    expect(response.batchItemFailures).toEqual([]);
    expect(puts.length).toBe(issues.length * 4 + 2);
    expect(new Set(puts).size).toBe(puts.length);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as FeedIndex;
    expect(index.issues.map((i) => i.issue)).toEqual(issues);
    expect(index.feeds.filter((feed) => feed.issue !== null).map((feed) => feed.url)).toEqual(
      issues.flatMap((issue) => ['matrix.csv', 'timeline.csv', 'live.en.json', 'live.ar.json'].map((file) => `${BASE_URL}/${issue}/${file}`)),
    );
    expect(Object.fromEntries(metrics)).toEqual({ FeedIssuesWritten: issues.length });
  });

  it("writes an issue's timeline from its history, Arabic quotes byte-exact, and its matrix from its positions", async () => {
    // Prepare
    const issue = 'western-troops-in-ukraine';
    const samples = seedSampleEvents().filter((event) => (event.detail as { issue: string }).issue === issue);
    // Act
    const timeline = parseCsv(await readFile(join(dir, issue, 'timeline.csv'), 'utf8'));
    const matrix = parseCsv(await readFile(join(dir, issue, 'matrix.csv'), 'utf8'));
    const live = JSON.parse(await readFile(join(dir, issue, 'live.ar.json'), 'utf8'));
    // Assess
    const quoteOf = new Map(samples.map((event) => {
      const detail = event.detail as { statementId: string; quote: { text: string } };
      return [detail.statementId, detail.quote.text];
    }));
    expect(timeline.length).toBe(samples.length);
    for (const row of timeline) expect(row['quote']).toBe(quoteOf.get(row['statement_id'] ?? ''));
    const positions = (await reader.issueMatrix(issue)).positions;
    expect(matrix.map((row) => [row['actor'], Number(row['stance'])])).toEqual(positions.map((p) => [p.actor, p.stance]));
    expect(live.annotate.notes).toContain(`${samples.length}`);
    expect(live.title).toBe((seedIssues.find((i) => i['issue'] === issue)?.['title'] as { ar: string }).ar);
  });

  it('fails a record that is no valid trigger alone, and a failed write only for its issue', async () => {
    // Prepare
    const [failingIssue, otherIssue] = [...new Set(changes.map((change) => change.issue))];
    const { store } = countedStore(dir, failingIssue);
    const writeFeeds = createHandler({ reader, store, baseUrl: BASE_URL });
    const ofFailing = changes.filter((change) => change.issue === failingIssue).map((change) => change.record);
    const ofOther = changes.filter((change) => change.issue === otherIssue).map((change) => change.record);
    const noIssue = sqsRecord({ source: TRACKER_SOURCE, 'detail-type': POSITION_CHANGED, detail: { schemaVersion: '1' } });
    const notJson = sqsRecordFromBody('{not json');
    // Act
    const response = await writeFeeds(sqsBatch([...ofFailing, noIssue, ...ofOther, notJson]));
    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [noIssue, notJson, ...ofFailing].map((record) => record.messageId).sort(),
    );
  });

  it('takes an issue out of every feed once it is unpublished, and rebuilds every published issue on request', async () => {
    // Prepare: the desk unpublishes one issue.
    const hidden = 'russia-as-guarantor';
    const record = seedIssues.find((i) => i['issue'] === hidden);
    const unpublished = { ...record, published: false, updatedAt: '2026-01-06T09:00:00Z' };
    await rig.deliver([sqsRecord({ source: DESK_SOURCE, 'detail-type': ISSUE_REGISTERED, detail: unpublished })]);
    const { store, removals } = countedStore(dir);
    const writeFeeds = createHandler({ reader, store, baseUrl: BASE_URL });
    const ofHidden = changes.filter((change) => change.issue === hidden).map((change) => change.record);

    // Act
    const response = await writeFeeds(sqsBatch([...ofHidden, sqsRecordFromBody(FEEDS_REBUILD_BODY)]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(removals.sort()).toEqual([`${hidden}/live.ar.json`, `${hidden}/live.en.json`, `${hidden}/matrix.csv`, `${hidden}/timeline.csv`]);
    expect(await readdir(dir)).not.toContain(hidden);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as FeedIndex;
    expect(JSON.stringify(index)).not.toContain(hidden);
    const allIssues = await readFile(join(dir, 'matrix.csv'), 'utf8');
    expect(allIssues).not.toContain(hidden);
    expect(index.issues.length).toBe(seedIssues.length - 1);
  });
});
