/**
 * Speakers and actors named as copy names them, through the real handler and batch processor on
 * dynalite: a statement's speaker (and a stance change's actor) may be a registry id or any name or
 * alias, English or Arabic, resolved through the registry's normalised names when it is processed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { POSITION_CHANGED } from '../../events/catalog.ts';
import { DESK_SOURCE } from '../../events/common.ts';
import { STANCE_CHANGED } from '../../events/inbound/stance-changed.v1.ts';
import { STATEMENT_RECORDED } from '../../events/inbound/statement-recorded.v1.ts';
import { ACTOR_REGISTERED, SPEAKER_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import type { PositionChangedV1 } from '../../events/outbound/position-changed.v1.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { seededProcessorRig, seedSampleEvents, type ProcessorRig } from '../../support/processor-rig.ts';
import { redeliver, sqsRecord } from '../../support/sqs-events.ts';
import { readTableState } from '../support/tracker-table.ts';

let store: EmbeddedDynamo;

beforeAll(async () => {
  store = await startDynalite();
});

afterAll(async () => {
  await store?.stop();
});

const seededRig = (): Promise<ProcessorRig> => seededProcessorRig(store);

const ISSUE = 'western-troops-in-ukraine';

const statement = (statementId: string, speaker: string, saidAt: string, stance = 0): SQSRecord =>
  sqsRecord({
    source: DESK_SOURCE,
    'detail-type': STATEMENT_RECORDED,
    detail: {
      schemaVersion: '1', statementId, speaker, issue: ISSUE, stance, hedged: false,
      quote: { text: 'لا نستبعد أي صيغة للضمانات', lang: 'ar' }, saidAt, source: { outlet: 'wire' }, recordedBy: 'desk',
    },
  });

const registration = (detailType: string, detail: Record<string, unknown>): SQSRecord =>
  sqsRecord({ source: DESK_SOURCE, 'detail-type': detailType, detail: { schemaVersion: '1', updatedAt: '2025-09-02T00:00:00Z', ...detail } });

const italy = (): SQSRecord => registration(ACTOR_REGISTERED, { actor: 'italy', kind: 'state', names: { en: 'Italy', ar: 'إيطاليا' }, aliases: [] });
const meloni = (): SQSRecord =>
  registration(SPEAKER_REGISTERED, { speaker: 'meloni', actor: 'italy', names: { en: 'Giorgia Meloni', ar: 'جورجيا ميلوني' }, aliases: ['ميلوني'] });

const positionChanges = (rig: ProcessorRig): PositionChangedV1[] =>
  rig.publisher.ofType(POSITION_CHANGED).map((event) => event.detail as PositionChangedV1);

describe('a statement whose speaker is written as an alias', () => {
  it('moves the position of the actor the aliased speaker speaks for: قائد الكرملين moves Russia', async () => {
    // Prepare: the seed scenario, in which Russia rejects Western troops (-2).
    const rig = await seededRig();
    const samples = seedSampleEvents().map((event) => sqsRecord(event));
    for (let i = 0; i < samples.length; i += 10) expect((await rig.deliver(samples.slice(i, i + 10))).batchItemFailures).toEqual([]);
    rig.publisher.published.length = 0;
    const record = statement('kremlin-leader-troops', 'قائد الكرملين', '2025-09-06T10:00:00Z', 0);

    // Act
    const response = await rig.deliver([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const table = await readTableState(rig.client, rig.tableName);
    expect(table.positions.find((p) => p.actor === 'russia' && p.issue === ISSUE)).toMatchObject({ statementId: 'kremlin-leader-troops', stance: 0 });
    expect(table.history.find((s) => s.statementId === 'kremlin-leader-troops')).toMatchObject({
      speaker: 'putin', speakerAsWritten: 'قائد الكرملين', actor: 'russia',
    });
    expect(positionChanges(rig)).toEqual([
      expect.objectContaining({
        actor: 'russia', previous: expect.objectContaining({ stance: -2 }), current: expect.objectContaining({ stance: 0, statementId: 'kremlin-leader-troops' }),
        evidence: expect.objectContaining({ speaker: 'putin' }),
      }),
    ]);
  });

  it('is the same statement when redelivered by id instead of alias: a duplicate, not a conflict', async () => {
    // Prepare
    const rig = await seededRig();
    await rig.deliver([statement('kremlin-leader-again', 'قائد الكرملين', '2025-09-06T10:00:00Z')]);

    // Act
    const response = await rig.deliver([statement('kremlin-leader-again', 'putin', '2025-09-06T10:00:00Z')]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ duplicates: 1, quarantined: 0 });
    const table = await readTableState(rig.client, rig.tableName);
    expect(table.history.filter((s) => s.statementId === 'kremlin-leader-again')).toEqual([
      expect.objectContaining({ speaker: 'putin', speakerAsWritten: 'قائد الكرملين' }),
    ]);
  });
});

describe('a speaker registered with an Arabic alias', () => {
  it('is named by the alias, and by a spelling the normaliser folds onto it (ى for ي)', async () => {
    // Prepare: Italy and Meloni, registered through the handler.
    const rig = await seededRig();
    await rig.deliver([italy(), meloni()]);

    // Act
    const first = await rig.deliver([statement('meloni-1', 'ميلوني', '2025-09-06T09:00:00Z', 1)]);
    const second = await rig.deliver([statement('meloni-2', 'ميلونى', '2025-09-06T11:00:00Z', 2)]);

    // Assess
    expect([...first.batchItemFailures, ...second.batchItemFailures]).toEqual([]);
    expect(positionChanges(rig).map((c) => [c.actor, c.current.statementId, c.current.stance])).toEqual([
      ['italy', 'meloni-1', 1],
      ['italy', 'meloni-2', 2],
    ]);
    const history = (await readTableState(rig.client, rig.tableName)).history.filter((s) => s.actor === 'italy');
    expect(history.map((s) => [s.speaker, s.speakerAsWritten])).toEqual([['meloni', 'ميلوني'], ['meloni', 'ميلونى']]);
  });

  it('can be named in the same batch that registers it', async () => {
    // Prepare
    const rig = await seededRig();

    // Act
    const response = await rig.deliver([italy(), meloni(), statement('meloni-same-batch', 'Giorgia Meloni', '2025-09-06T09:00:00Z', 1)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(positionChanges(rig).map((c) => c.actor)).toEqual(['italy']);
  });

  it('is retried, not quarantined, when its registration fails in the batch of a statement naming its alias', async () => {
    // Prepare: the store refuses the speaker's registration once.
    const rig = await seededRig();
    await rig.deliver([italy()]);
    const { registry } = rig.ports;
    const stored = registry.applyUpdate.bind(registry);
    registry.applyUpdate = vi.fn(stored).mockRejectedValueOnce(new Error('ThrottlingException: rate exceeded'));
    const records = [meloni(), statement('meloni-retried', 'ميلونى', '2025-09-06T09:00:00Z', 1)];

    // Act
    const first = await rig.deliver(records);
    const second = await rig.deliver(records.map(redeliver));

    // Assess
    expect(new Set(first.batchItemFailures.map((f) => f.itemIdentifier))).toEqual(new Set(records.map((r) => r.messageId)));
    expect(second.batchItemFailures).toEqual([]);
    expect(await rig.ports.quarantine.list()).toEqual([]);
    expect(positionChanges(rig).map((c) => [c.actor, c.current.statementId])).toEqual([['italy', 'meloni-retried']]);
  });
});

describe('names that do not name exactly one speaker', () => {
  it('quarantines an alias two speakers share as ambiguous, naming both candidates, and records nothing', async () => {
    // Prepare: a second speaker registered with the same alias.
    const rig = await seededRig();
    await rig.deliver([
      italy(),
      meloni(),
      registration(SPEAKER_REGISTERED, { speaker: 'arianna-meloni', actor: 'italy', names: { en: 'Arianna Meloni', ar: 'أريانا ميلوني' }, aliases: ['ميلوني'] }),
    ]);
    const record = statement('meloni-ambiguous', 'ميلوني', '2025-09-06T09:00:00Z', 1);

    // Act
    const response = await rig.deliver([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [kept] = await rig.ports.quarantine.list();
    expect(kept).toMatchObject({ messageId: record.messageId, reason: 'ambiguous-reference', detailType: STATEMENT_RECORDED, body: record.body });
    expect(kept?.problems).toEqual([{ field: 'detail.speaker', reason: expect.stringMatching(/^ambiguous speaker 'ميلوني'.*'arianna-meloni'.*'meloni'/) }]);
    expect(positionChanges(rig)).toEqual([]);
    expect((await readTableState(rig.client, rig.tableName)).history.some((s) => s.statementId === 'meloni-ambiguous')).toBe(false);
  });

  it('quarantines an unknown name as an unknown reference', async () => {
    // Prepare
    const rig = await seededRig();
    const record = statement('nobody-by-name', 'ميلوني', '2025-09-06T09:00:00Z');

    // Act
    await rig.deliver([record]);

    // Assess
    expect((await rig.ports.quarantine.list()).map((q) => [q.reason, q.problems])).toEqual([
      ['unknown-reference', [{ field: 'detail.speaker', reason: "unknown speaker 'ميلوني' and no actor given" }]],
    ]);
  });
});

describe('a stance change whose actor is written as a name', () => {
  it('moves that actor: ألمانيا moves Germany', async () => {
    // Prepare
    const rig = await seededRig();
    const change = sqsRecord({
      source: DESK_SOURCE,
      'detail-type': STANCE_CHANGED,
      detail: {
        schemaVersion: '1', changeId: 'germany-by-name', actor: 'ألمانيا', issue: ISSUE, stance: 1, hedged: true,
        effectiveAt: '2025-09-06T09:00:00+02:00', reason: 'Briefing', source: { outlet: 'Government press conference' }, recordedBy: 'berlin-desk',
      },
    });

    // Act
    const response = await rig.deliver([change]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(positionChanges(rig).map((c) => [c.actor, c.current.statementId, c.current.stance])).toEqual([['germany', 'germany-by-name', 1]]);
    expect((await readTableState(rig.client, rig.tableName)).history.find((s) => s.statementId === 'germany-by-name')).toMatchObject({
      actor: 'germany', actorAsWritten: 'ألمانيا',
    });
  });
});
