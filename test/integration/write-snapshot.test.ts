/**
 * The snapshot writer's handler over a batch as SQS hands it over: Position Changed events read
 * against their contract, one write per issue however many changes name it, other detail-types
 * skipped, and a failure (a bad record, a failed write) handed back to the queue for the records it
 * concerns only. Positions come from the real read model on dynalite, seeded by the processor.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import { POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { createFsSnapshotStore } from '../../functions/adapters/fs/snapshot-store.ts';
import type { LoggerPort } from '../../functions/application/logger.ts';
import { createPositionReader, type PositionReader } from '../../functions/application/read-model.ts';
import type { SnapshotStore } from '../../functions/application/snapshots.ts';
import { createHandler } from '../../functions/handlers/write-snapshot.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { countingMetrics } from '../../support/counting-metrics.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents, type ProcessorRig } from '../../support/processor-rig.ts';
import { inBatches, sqsBatch, sqsRecord, sqsRecordFromBody } from '../../support/sqs-events.ts';

const GENERATED_AT = '2026-01-06T14:30:00.000Z';
const alert = JSON.parse(readFileSync(new URL('../fixtures/alerts/positions-diverged.russia-vs-allies.json', import.meta.url), 'utf8')) as object;

class KeptLog implements LoggerPort {
  readonly lines: Array<{ level: string; message: string; extra?: Record<string, unknown> }> = [];
  info = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'info', message, ...(extra ? { extra } : {}) });
  warn = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'warn', message, ...(extra ? { extra } : {}) });
  error = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'error', message, ...(extra ? { extra } : {}) });
}

/** The folder store, with every put counted and the puts for `failing` refused as S3 might. */
const countedStore = (dir: string, failing?: string) => {
  const folder = createFsSnapshotStore(dir);
  const puts: string[] = [];
  const store: Pick<SnapshotStore, 'put'> = {
    async put(issue, json) {
      puts.push(issue);
      if (issue === failing) throw new Error('SlowDown: Please reduce your request rate.');
      await folder.put(issue, json);
    },
  };
  return { store, puts };
};

describe('write-snapshot handler', () => {
  let dynamo: EmbeddedDynamo;
  let rig: ProcessorRig;
  let reader: PositionReader;
  let dir: string;
  let changes: Array<{ issue: string; record: ReturnType<typeof sqsRecord> }>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    rig = createProcessorRig({ client: dynamo.client, tableName: await dynamo.createTable() });
    await loadSeedRegistry(rig);
    for (const batch of inBatches(seedSampleEvents().map((event) => sqsRecord(event)))) await rig.deliver(batch);
    reader = createPositionReader({ store: new DynamoReadRepository({ tableName: rig.tableName, client: dynamo.client }) });
    changes = rig.publisher.ofType(POSITION_CHANGED).map((event) => ({
      issue: (event.detail as { issue: string }).issue,
      record: sqsRecord({ source: TRACKER_SOURCE, 'detail-type': event.detailType, detail: event.detail }),
    }));
    dir = await mkdtemp(join(tmpdir(), 'tracker-snapshots-'));
  });
  afterAll(async () => {
    await dynamo?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes each issue named in the batch once, whatever number of changes name it', async () => {
    // Prepare
    const issues = [...new Set(changes.map((change) => change.issue))].sort();
    expect(issues.length).toBeGreaterThan(1);
    const { store, puts } = countedStore(dir);
    const metrics = new Map<string, number>();
    const writeSnapshot = createHandler({ reader, store, now: () => new Date(GENERATED_AT), metrics: countingMetrics(metrics) });

    // Act
    const response = await writeSnapshot(sqsBatch(changes.map((change) => change.record)));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(puts.sort()).toEqual(issues);
    const written = JSON.parse(await readFile(join(dir, `${issues[0]}.json`), 'utf8'));
    expect(written).toEqual({ ...(await reader.issueMatrix(issues[0]!)), generatedAt: GENERATED_AT });
    expect(Object.fromEntries(metrics)).toEqual({ SnapshotsWritten: issues.length });
  });

  it('skips other detail-types, fails a record that is no valid Position Changed alone, and a failed write only for its issue', async () => {
    // Prepare
    const [failingIssue, otherIssue] = [...new Set(changes.map((change) => change.issue))];
    const { store, puts } = countedStore(dir, failingIssue);
    const log = new KeptLog();
    const metrics = new Map<string, number>();
    const writeSnapshot = createHandler({ reader, store, logger: log, metrics: countingMetrics(metrics) });
    const ofFailing = changes.filter((change) => change.issue === failingIssue).map((change) => change.record);
    const ofOther = changes.filter((change) => change.issue === otherIssue).map((change) => change.record);
    const alertRecord = sqsRecord({ source: TRACKER_SOURCE, 'detail-type': POSITIONS_DIVERGED, detail: alert });
    const noIssue = sqsRecord({ source: TRACKER_SOURCE, 'detail-type': POSITION_CHANGED, detail: { schemaVersion: '1' } });
    const notJson = sqsRecordFromBody('{not json');

    // Act
    const response = await writeSnapshot(sqsBatch([alertRecord, ...ofFailing, noIssue, ...ofOther, notJson]));

    // Assess
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [noIssue, notJson, ...ofFailing].map((record) => record.messageId).sort(),
    );
    expect(puts.sort()).toEqual([failingIssue, otherIssue].sort());
    const rejected = log.lines.filter((line) => line.message === 'rejected snapshot trigger');
    expect(rejected.find((line) => line.extra?.['messageId'] === noIssue.messageId)?.extra?.['reason']).toContain('detail.issue');
    expect(rejected.find((line) => line.extra?.['messageId'] === notJson.messageId)?.extra?.['reason']).toContain('not valid JSON');
    expect(log.lines.find((line) => line.message === 'snapshot write failed; SQS will retry')?.extra).toMatchObject({
      issue: failingIssue,
      reason: 'SlowDown: Please reduce your request rate.',
    });
    expect(Object.fromEntries(metrics)).toEqual({ SnapshotsWritten: 1, SnapshotsFailed: 1, SnapshotTriggersRejected: 2 });
  });
});
