/**
 * Corrections and retractions have contracts before the processor applies them. Until it does,
 * what becomes of one today must be safe: kept in quarantine with the event whole and a reason,
 * acknowledged (never retried into the dead-letter queue), and nothing recorded changed. Not read
 * as a statement either, which an `inbound` entry in the catalog would have made it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATEMENT_CORRECTED, STATEMENT_RETRACTED } from '../../events/catalog.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents } from '../../support/processor-rig.ts';
import { sqsRecord, sqsRecordFromBody } from '../../support/sqs-events.ts';
import { readTableState } from '../support/tracker-table.ts';

let store: EmbeddedDynamo;

beforeAll(async () => {
  store = await startDynalite();
});

afterAll(async () => {
  await store?.stop();
});

const sampleBody = (file: string): string => readFileSync(new URL(`../../events/samples/corrections/${file}`, import.meta.url), 'utf8');

describe('a correction or a retraction, before the processor applies them', () => {
  it('is quarantined as not an input yet, its body kept byte for byte, acknowledged, and the record untouched', async () => {
    // Prepare: the two statements the samples revise, recorded.
    const rig = createProcessorRig({ client: store.client, tableName: await store.createTable() });
    await loadSeedRegistry(rig);
    const revised = new Set(['seed-02-putin-ceasefire-before-peace-deal', 'seed-05-ukraine-russia-as-guarantor']);
    const statements = seedSampleEvents().filter((event) => revised.has((event.detail as { statementId: string }).statementId));
    expect((await rig.deliver(statements.map((event) => sqsRecord(event)))).batchItemFailures).toEqual([]);
    const before = await readTableState(rig.client, rig.tableName);
    const published = rig.publisher.published.length;
    // The body exactly as a desk tool sends it, Arabic as UTF-8 and the file's own spacing.
    const correction = sqsRecordFromBody(sampleBody('01-ukraine-russia-as-guarantor-corrected.json'));
    const retraction = sqsRecordFromBody(sampleBody('02-putin-ceasefire-before-peace-deal-retracted.json'));

    // Act
    const response = await rig.deliver([correction, retraction]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ received: 2, applied: 0, duplicates: 0, quarantined: 2, failed: 0 });
    const kept = new Map((await rig.ports.quarantine.list()).map((q) => [q.messageId, q]));
    for (const [record, detailType] of [[correction, STATEMENT_CORRECTED], [retraction, STATEMENT_RETRACTED]] as const) {
      expect(kept.get(record.messageId)).toMatchObject({ reason: 'not-an-input', detailType, problems: [{ field: 'detail-type' }] });
      expect(Buffer.from(kept.get(record.messageId)?.body ?? '', 'utf8').equals(Buffer.from(record.body, 'utf8'))).toBe(true);
    }
    const after = await readTableState(rig.client, rig.tableName);
    expect({ ...after, quarantine: [] }).toEqual({ ...before, quarantine: [] });
    expect(rig.publisher.published.length).toBe(published);
  });
});
