/**
 * Corrections and retractions through the real handler on dynalite, on the seed: the record
 * becomes what it would have been had the statement been recorded correctly (or never), whatever
 * order the statement and its revisions arrive in, and after a crash at any write.
 */
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_SOURCE } from '../../events/common.ts';
import { POSITIONS_CONVERGED, STATEMENT_CORRECTED, STATEMENT_RETRACTED, STATEMENT_REVISED } from '../../events/catalog.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { createPositionReader } from '../../functions/application/read-model.ts';
import { REMOVAL_NOTICE } from '../../functions/core/corrections.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { injectCrashes } from '../support/fault-injection.ts';
import { createProcessorRig, loadSeedRegistry, seedSampleEvents, type ProcessorRig } from '../../support/processor-rig.ts';
import { sqsRecord, type PublishedEvent } from '../../support/sqs-events.ts';
import { comparableState, readTableState, scanTable } from '../support/tracker-table.ts';

let store: EmbeddedDynamo;

beforeAll(async () => {
  store = await startDynalite();
});

afterAll(async () => {
  await store?.stop();
});

const GERMANY = 'seed-09-germany-western-troops-in-ukraine';
const RUSSIA_GUARANTOR = 'seed-04-russia-russia-as-guarantor';

const correction = (correctionId: string, changes: Record<string, unknown>, correctedAt: string, statementId = GERMANY): PublishedEvent => ({
  source: DESK_SOURCE,
  'detail-type': STATEMENT_CORRECTED,
  detail: {
    schemaVersion: '1', statementId, correctionId, changes, reason: 'The minister was misread: Berlin backs the troops.', correctedAt,
    recordedBy: 'standards-desk',
  },
});

const retraction = (retractionId: string, statementId: string, redact = false): PublishedEvent => ({
  source: DESK_SOURCE,
  'detail-type': STATEMENT_RETRACTED,
  detail: {
    schemaVersion: '1', statementId, retractionId, reason: 'Misattributed: the words were a commentator\'s.', retractedAt: '2025-09-05T10:00:00Z',
    recordedBy: 'standards-desk', ...(redact ? { redact: true } : {}),
  },
});

const newRig = async (client = store.client): Promise<ProcessorRig> => {
  const rig = createProcessorRig({ client, tableName: await store.createTable() });
  await loadSeedRegistry(rig);
  return rig;
};

const deliverAll = async (rig: ProcessorRig, events: readonly PublishedEvent[]): Promise<void> => {
  for (const event of events) {
    const response = await rig.deliver([sqsRecord(event)]);
    const failed = rig.reports.at(-1)?.outcomes.find((o) => o.status === 'failed');
    expect(response.batchItemFailures, failed?.status === 'failed' ? String(failed.error) : '').toEqual([]);
  }
};

/** Delivers each message until it is not handed back (a crash, a statement in flight), as SQS would. */
const deliverUntilDone = async (rig: ProcessorRig, record: SQSRecord): Promise<void> => {
  for (let delivery = 1; delivery <= 10; delivery += 1) {
    try {
      if ((await rig.deliver([record])).batchItemFailures.length === 0) return;
    } catch {
      // The injected crash: the Lambda died, SQS delivers again.
    }
  }
  throw new Error(`message ${record.messageId} still failing after 10 deliveries`);
};

const historyItem = async (rig: ProcessorRig, statementId: string) =>
  (await scanTable(rig.client, rig.tableName)).find((item) => String(item['sk']).startsWith('H#') && item['statementId'] === statementId);

const position = async (rig: ProcessorRig, issue: string, actor: string) =>
  (await readTableState(rig.client, rig.tableName)).positions.find((p) => p.issue === issue && p.actor === actor);

const openKinds = async (rig: ProcessorRig, issue: string) =>
  (await readTableState(rig.client, rig.tableName)).pointers.filter((p) => p.issue === issue).map((p) => `${p.kind}:${p.actor}`).sort();

describe('a wrong stance corrected', () => {
  it('makes the position right, withdraws the false bloc split with one correcting alert, and keeps the revision on the history item', async () => {
    // Prepare: the seed, where Germany (stance 0) splits from the allies on troops.
    const rig = await newRig();
    await deliverAll(rig, seedSampleEvents());
    expect(await openKinds(rig, 'western-troops-in-ukraine')).toEqual(['actor-vs-bloc:russia', 'bloc-split:germany']);
    const before = rig.publisher.published.length;

    // Act
    await deliverAll(rig, [correction('corr-germany-stance', { stance: 2 }, '2025-09-05T08:00:00Z')]);

    // Assess
    expect(await position(rig, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 2, statementId: GERMANY });
    expect(await openKinds(rig, 'western-troops-in-ukraine')).toEqual(['actor-vs-bloc:russia']);
    const published = rig.publisher.published.slice(before);
    expect(published.map((e) => e.detailType)).toEqual([POSITIONS_CONVERGED, STATEMENT_REVISED]);
    expect(published[0]!.detail).toMatchObject({
      kind: 'bloc-split', actor: 'germany', revision: { revisionId: 'corr-germany-stance', kind: 'correction', statementId: GERMANY },
    });
    expect(published[1]!.detail).toMatchObject({ revisionId: 'corr-germany-stance', outcome: 'applied', changed: ['stance'], statement: { stance: 2 } });
    const item = await historyItem(rig, GERMANY);
    expect(item).toMatchObject({ stance: 2, status: 'standing', original: { stance: 0 } });
    expect(item?.['trail']).toEqual([expect.objectContaining({
      kind: 'correction', correctionId: 'corr-germany-stance', outcome: 'applied', recordedBy: 'standards-desk',
      changes: [{ field: 'stance', from: 0, to: 2 }],
    })]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 1, quarantined: 0, failed: 0, alertsWithdrawn: 1 });

    // Act again: the same correction redelivered is a duplicate: no alert again, its Statement Revised again (same revisionId).
    await deliverAll(rig, [correction('corr-germany-stance', { stance: 2 }, '2025-09-05T08:00:00Z')]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ duplicates: 1, alertsWithdrawn: 0 });
    expect(rig.publisher.published.slice(before).map((e) => e.detailType)).toEqual([POSITIONS_CONVERGED, STATEMENT_REVISED, STATEMENT_REVISED]);
  });
});

describe('the only statement behind an open divergence retracted, with redact', () => {
  it('closes the divergence, leaves the actor no position, and the quote text nowhere in the table', async () => {
    // Prepare: Russia's only statement on guarantees opens its split from the allies.
    const rig = await newRig();
    const samples = seedSampleEvents();
    await deliverAll(rig, samples);
    expect(await openKinds(rig, 'russia-as-guarantor')).toEqual(['actor-vs-bloc:russia']);
    const quote = (samples.find((e) => (e.detail as { statementId: string }).statementId === RUSSIA_GUARANTOR)!.detail as {
      quote: { text: string; translation?: { text: string } };
    }).quote;

    // Act
    await deliverAll(rig, [retraction('retr-russia-guarantor', RUSSIA_GUARANTOR, true)]);

    // Assess
    expect(await openKinds(rig, 'russia-as-guarantor')).toEqual([]);
    expect(await position(rig, 'russia-as-guarantor', 'russia')).toBeUndefined();
    const item = await historyItem(rig, RUSSIA_GUARANTOR);
    expect(item).toMatchObject({ status: 'retracted', redacted: true, quote: REMOVAL_NOTICE, retraction: { retractionId: 'retr-russia-guarantor' } });
    const table = JSON.stringify(await scanTable(rig.client, rig.tableName));
    expect(table).not.toContain(quote.text);
    if (quote.translation) expect(table).not.toContain(quote.translation.text);
    const [closing, revised] = rig.publisher.published.slice(-2);
    expect(closing).toMatchObject({ detailType: POSITIONS_CONVERGED, detail: { issue: 'russia-as-guarantor', revision: { revisionId: 'retr-russia-guarantor', kind: 'retraction' } } });
    expect(revised).toMatchObject({ detailType: STATEMENT_REVISED, detail: { status: 'retracted', redacted: true, statement: { quote: REMOVAL_NOTICE } } });

    // The record as of any later date agrees: an as-of matrix replays history, which holds the retraction.
    const reader = createPositionReader({ store: new DynamoReadRepository({ tableName: rig.tableName, client: rig.client }) });
    const asOf = await reader.issueMatrix('russia-as-guarantor', '2025-09-30T00:00:00Z');
    expect(asOf.positions.map((p) => p.actor)).toEqual(['ukraine']);

    // Act again: the statement redelivered late does not come back.
    await deliverAll(rig, samples.filter((e) => (e.detail as { statementId: string }).statementId === RUSSIA_GUARANTOR));
    expect(await position(rig, 'russia-as-guarantor', 'russia')).toBeUndefined();
    expect(await openKinds(rig, 'russia-as-guarantor')).toEqual([]);
  });
});

describe('order', () => {
  const first = correction('corr-a', { stance: 1 }, '2025-09-05T08:00:00Z');
  const second = correction('corr-b', { stance: 2, hedged: true }, '2025-09-05T09:00:00Z');

  it('applies a correction delivered before its statement when the statement arrives, and never opens the false split', async () => {
    const inOrder = await newRig();
    await deliverAll(inOrder, [...seedSampleEvents(), first]);
    const early = await newRig();
    await deliverAll(early, [first, ...seedSampleEvents()]);

    expect(early.reports[early.reports.length - seedSampleEvents().length - 1]?.counts).toMatchObject({ applied: 1 });
    expect(await position(early, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 1 });
    expect(comparableState(await readTableState(early.client, early.tableName)).positions)
      .toEqual(comparableState(await readTableState(inOrder.client, inOrder.tableName)).positions);
    expect((await historyItem(early, GERMANY))?.['trail']).toEqual((await historyItem(inOrder, GERMANY))?.['trail']);
    expect(await openKinds(early, 'western-troops-in-ukraine')).toEqual(await openKinds(inOrder, 'western-troops-in-ukraine'));
  });

  it('resolves two corrections by correctedAt, in either delivery order', async () => {
    const ab = await newRig();
    await deliverAll(ab, [...seedSampleEvents(), first, second]);
    const ba = await newRig();
    await deliverAll(ba, [...seedSampleEvents(), second, first]);

    expect(await position(ab, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 2, hedged: true });
    expect(await position(ba, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 2, hedged: true });
    const trail = (await historyItem(ab, GERMANY))?.['trail'] as Array<{ correctionId: string }>;
    expect(trail.map((entry) => entry.correctionId)).toEqual(['corr-a', 'corr-b']);
    expect((await historyItem(ba, GERMANY))?.['trail']).toEqual(trail);
  });

  it('ends the same when a correction races the statement it corrects', async () => {
    const reference = await newRig();
    await deliverAll(reference, [...seedSampleEvents(), first]);
    const racing = await newRig();
    const [statements, germany] = [seedSampleEvents().filter((e) => (e.detail as { statementId: string }).statementId !== GERMANY),
      seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId === GERMANY)!];
    await deliverAll(racing, statements);

    await Promise.all([deliverUntilDone(racing, sqsRecord(germany)), deliverUntilDone(racing, sqsRecord(first))]);

    expect(await position(racing, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 1 });
    expect(comparableState(await readTableState(racing.client, racing.tableName)).pointers)
      .toEqual(comparableState(await readTableState(reference.client, reference.tableName)).pointers);
  });

  it('keeps a correction applied to a second copy of the statement while the first copy was writing its history', async () => {
    // Prepare: the seed without Germany's statement. A first copy of it is claimed by one
    // processor; before that processor's history write lands, a second copy (EventBridge delivers
    // at least once) is recorded by another processor and the correction is applied to that record.
    const reference = await newRig();
    await deliverAll(reference, [...seedSampleEvents(), first]);
    const racing = await newRig();
    const isGermany = (e: PublishedEvent) => (e.detail as { statementId: string }).statementId === GERMANY;
    const germany = seedSampleEvents().find(isGermany)!;
    await deliverAll(racing, seedSampleEvents().filter((e) => !isGermany(e)));
    const other = createProcessorRig({ client: racing.client, tableName: racing.tableName });
    const tracker = racing.ports.tracker;
    const writeHistory = tracker.recordNewStatements.bind(tracker);
    let raced = false;
    tracker.recordNewStatements = async (statements) => {
      if (!raced && statements.some((s) => s.statementId === GERMANY)) {
        raced = true;
        await deliverAll(other, [germany, first]);
        expect(await historyItem(racing, GERMANY)).toMatchObject({ stance: 1, original: { stance: 0 } });
      }
      return writeHistory(statements);
    };

    // Act: the first copy's history write goes in after the correction.
    await deliverAll(racing, [germany]);

    // Assess: the record is the corrected one, as when the correction came after the statement.
    expect(raced).toBe(true);
    expect(await historyItem(racing, GERMANY)).toMatchObject({ stance: 1, original: { stance: 0 } });
    expect(await position(racing, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 1, statementId: GERMANY });
    const { claims: _claims, ...raced_ } = comparableState(await readTableState(racing.client, racing.tableName));
    const { claims: _expected, ...expected } = comparableState(await readTableState(reference.client, reference.tableName));
    expect(raced_).toEqual(expected);
  });
});

describe('any order, with copies, on the store', () => {
  const revisions = [
    correction('corr-a', { stance: 1 }, '2025-09-05T08:00:00Z'),
    correction('corr-b', { stance: 2, hedged: true }, '2025-09-05T09:00:00Z'),
    retraction('retr-russia', RUSSIA_GUARANTOR, true),
    correction('corr-quote', { quote: { text: 'نص مصحح', lang: 'ar' } }, '2025-09-05T07:00:00Z', 'seed-05-ukraine-russia-as-guarantor'),
  ];
  const trails = async (rig: ProcessorRig) =>
    (await scanTable(rig.client, rig.tableName)).filter((item) => String(item['sk']).startsWith('H#'))
      .map((item) => [item['statementId'], item['status'] ?? 'standing', item['trail'] ?? [], item['quote']]);

  it('leaves the positions, history with trails, open divergences and standing episodes of the in-order once-each delivery', async () => {
    const reference = await newRig();
    await deliverAll(reference, [...seedSampleEvents(), ...revisions]);
    const expected = { state: comparableState(await readTableState(reference.client, reference.tableName)), trails: await trails(reference) };
    const events = [...seedSampleEvents(), ...revisions];

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 6 }).chain((repeats) => {
          const copies = [...events, ...repeats.map((i) => events[i]!)];
          return fc.shuffledSubarray(copies, { minLength: copies.length, maxLength: copies.length });
        }),
        async (delivered) => {
          const rig = await newRig();
          await deliverAll(rig, delivered);
          expect({ state: comparableState(await readTableState(rig.client, rig.tableName)), trails: await trails(rig) }).toEqual(expected);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('refusals', () => {
  it('quarantines a reused revision id with other content and a revision from a source not allowed', async () => {
    const rig = await newRig();
    await deliverAll(rig, [...seedSampleEvents(), correction('corr-x', { stance: 2 }, '2025-09-05T08:00:00Z')]);
    const records = [
      sqsRecord(correction('corr-x', { stance: 1 }, '2025-09-05T08:00:00Z')),
      sqsRecord({ ...retraction('retr-y', GERMANY), source: 'wire.ingest' }),
    ];

    expect((await rig.deliver(records)).batchItemFailures).toEqual([]);

    const kept = new Map((await rig.ports.quarantine.list()).map((q) => [q.messageId, q]));
    expect(kept.get(records[0]!.messageId)).toMatchObject({ reason: 'conflicting-id', problems: [{ field: 'detail.changes.stance' }] });
    expect(kept.get(records[1]!.messageId)).toMatchObject({ reason: 'unauthorised-source', problems: [{ field: 'source' }] });
    expect(await position(rig, 'western-troops-in-ukraine', 'germany')).toMatchObject({ stance: 2 });
  });
});

const TROOPS = 'western-troops-in-ukraine';

/** The item at a statement's place in history, as `H#<actor>#<saidAt>#<id>` on its issue. */
const itemAt = async (rig: ProcessorRig, issue: string, actor: string, saidAt: string, statementId: string) =>
  (await scanTable(rig.client, rig.tableName)).find((item) => item['pk'] === `ISSUE#${issue}` && item['sk'] === `H#${actor}#${saidAt}#${statementId}`);

describe('corrections that move a statement', () => {
  it('a wrong speaker corrected: the wrong actor has no position left, the right one has it, and the old place points to the new', async () => {
    // Prepare: the seed, where the German government's 0 splits Germany from the allies on troops.
    const rig = await newRig();
    await deliverAll(rig, seedSampleEvents());
    expect(await openKinds(rig, TROOPS)).toEqual(['actor-vs-bloc:russia', 'bloc-split:germany']);
    const germanyAt = '2025-09-04T10:00:00.000Z';

    // Act: the words were Starmer's.
    await deliverAll(rig, [correction('corr-speaker', { speaker: 'starmer' }, '2025-09-05T08:00:00Z')]);

    // Assess
    expect(await position(rig, TROOPS, 'germany')).toBeUndefined();
    expect(await position(rig, TROOPS, 'united-kingdom')).toMatchObject({ stance: 0, statementId: GERMANY });
    expect(await openKinds(rig, TROOPS)).toEqual(['actor-vs-bloc:russia', 'bloc-split:united-kingdom']);
    expect(await itemAt(rig, TROOPS, 'united-kingdom', germanyAt, GERMANY)).toMatchObject({
      speaker: 'starmer', actor: 'united-kingdom', status: 'standing', original: { speaker: 'german-government', actor: 'germany' },
      trail: [expect.objectContaining({ correctionId: 'corr-speaker', outcome: 'applied', changes: [
        { field: 'speaker', from: 'german-government', to: 'starmer' }, { field: 'actor', from: 'germany', to: 'united-kingdom' },
      ] })],
    });
    expect(await itemAt(rig, TROOPS, 'germany', germanyAt, GERMANY)).toEqual(expect.objectContaining({
      status: 'moved', movedTo: { issue: TROOPS, actor: 'united-kingdom', saidAt: germanyAt, statementId: GERMANY },
    }));
    expect(Object.keys((await itemAt(rig, TROOPS, 'germany', germanyAt, GERMANY))!)).not.toContain('quote');
    // The split Germany never had is withdrawn, naming the correction; the United Kingdom's is announced.
    const published = rig.publisher.published.filter((e) => (e.detail as { revision?: { revisionId: string } }).revision?.revisionId === 'corr-speaker');
    expect(published).toEqual([expect.objectContaining({ detailType: POSITIONS_CONVERGED, detail: expect.objectContaining({ actor: 'germany' }) })]);
    expect(rig.publisher.published.slice(-3).map((e) => [e.detailType, (e.detail as { actor?: string }).actor])).toEqual([
      ['Positions Diverged', 'united-kingdom'], [POSITIONS_CONVERGED, 'germany'], [STATEMENT_REVISED, undefined],
    ]);
    // The withdrawn episode's evidence still resolves: it names the old place, which points to the new.
    const withdrawn = (await readTableState(rig.client, rig.tableName)).episodes.find((e) => e.status === 'withdrawn' && e.episode.actor === 'germany')!;
    const [quoted] = await rig.ports.tracker.loadStatements(withdrawn.evidenceRefs.actor);
    expect(quoted).toMatchObject({ statementId: GERMANY, actor: 'united-kingdom' });

    // Act again: a late statement on the issue replays its history, which skips the old place; the statement redelivered changes nothing.
    const before = comparableState(await readTableState(rig.client, rig.tableName));
    await deliverAll(rig, seedSampleEvents().filter((e) => (e.detail as { statementId: string }).statementId === GERMANY));
    expect(comparableState(await readTableState(rig.client, rig.tableName))).toEqual(before);
    expect(await position(rig, TROOPS, 'germany')).toBeUndefined();
  });

  it('a moved issue: the statement leaves one issue\'s divergence and opens a reversal on the other', async () => {
    // Prepare: Russia's 2 on guarantees opens its split from the allies; on the ceasefire Russia said -2 before and after it.
    const rig = await newRig();
    await deliverAll(rig, seedSampleEvents());
    expect(await openKinds(rig, 'russia-as-guarantor')).toEqual(['actor-vs-bloc:russia']);

    // Act: the statement was about the ceasefire.
    await deliverAll(rig, [correction('corr-issue', { issue: 'ceasefire-before-peace-deal' }, '2025-09-05T08:00:00Z', RUSSIA_GUARANTOR)]);

    // Assess
    expect(await position(rig, 'russia-as-guarantor', 'russia')).toBeUndefined();
    expect(await openKinds(rig, 'russia-as-guarantor')).toEqual([]);
    // Said between Putin's -2 and the government's -2: Russia's previous statement now, so its position reverses.
    expect(await position(rig, 'ceasefire-before-peace-deal', 'russia')).toMatchObject({
      stance: -2, statementId: 'seed-12-russia-ceasefire-before-peace-deal', previous: { stance: 2, statementId: RUSSIA_GUARANTOR },
    });
    expect(await openKinds(rig, 'ceasefire-before-peace-deal')).toContain('reversal:russia');
    const history = await rig.ports.tracker.loadHistory('ceasefire-before-peace-deal');
    expect(history.map((s) => s.statementId)).toContain(RUSSIA_GUARANTOR);
    expect(await rig.ports.tracker.loadHistory('russia-as-guarantor')).toEqual([
      expect.objectContaining({ statementId: 'seed-05-ukraine-russia-as-guarantor' }),
    ]);
  });

  it('a moved said time reorders the stance timeline: the position goes back to the statement now latest', async () => {
    // Prepare: a Russian 0 on troops the day after the seed's -2 becomes Russia's position.
    const rig = await newRig();
    const later = seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId === 'seed-03-russia-western-troops-in-ukraine')!;
    const moved = { ...later, detail: { ...(later.detail as object), statementId: 'russia-troops-later', stance: 0, saidAt: '2025-09-05T09:00:00Z' } };
    await deliverAll(rig, [...seedSampleEvents(), moved]);
    expect(await position(rig, TROOPS, 'russia')).toMatchObject({ stance: 0, statementId: 'russia-troops-later' });

    // Act: it was said two days earlier, before the -2.
    await deliverAll(rig, [correction('corr-said', { saidAt: '2025-09-03T09:00:00Z' }, '2025-09-05T10:00:00Z', 'russia-troops-later')]);

    // Assess
    expect(await position(rig, TROOPS, 'russia')).toMatchObject({
      stance: -2, statementId: 'seed-03-russia-western-troops-in-ukraine', previous: { stance: 0, statementId: 'russia-troops-later' },
    });
    expect(await itemAt(rig, TROOPS, 'russia', '2025-09-03T09:00:00.000Z', 'russia-troops-later')).toMatchObject({ saidAt: '2025-09-03T09:00:00.000Z', stance: 0 });
    expect(await itemAt(rig, TROOPS, 'russia', '2025-09-05T09:00:00.000Z', 'russia-troops-later')).toMatchObject({ status: 'moved' });
    // 0 then -2 is a move of 2 between Russia's two latest statements, as -2 then 0 was.
    expect(await openKinds(rig, TROOPS)).toEqual(['actor-vs-bloc:russia', 'bloc-split:germany', 'reversal:russia']);
  });

  it('withdraws an episode whose evidence names a statement moved away before, quoting it where it stands now', async () => {
    // Prepare: Germany's split from the allies quotes Rutte's 2; Rutte's words move to another issue first.
    const rig = await newRig();
    await deliverAll(rig, seedSampleEvents());
    await deliverAll(rig, [correction('corr-rutte-issue', { issue: 'us-security-backstop' }, '2025-09-05T07:00:00Z', 'seed-08-rutte-western-troops-in-ukraine')]);
    expect(await openKinds(rig, TROOPS)).toContain('bloc-split:germany');

    // Act: then Germany's words move too.
    await deliverAll(rig, [correction('corr-germany-issue', { issue: 'us-security-backstop' }, '2025-09-05T08:00:00Z')]);

    // Assess
    expect(await openKinds(rig, TROOPS)).not.toContain('bloc-split:germany');
    const withdrawal = rig.publisher.published.find((e) =>
      e.detailType === POSITIONS_CONVERGED && (e.detail as { revision?: { revisionId: string } }).revision?.revisionId === 'corr-germany-issue');
    expect(withdrawal?.detail).toMatchObject({ kind: 'bloc-split', actor: 'germany', issue: TROOPS });
  });

  it('ends in one record whatever the order of the statement and two corrections that move it twice', async () => {
    const speaker = correction('corr-speaker', { speaker: 'starmer' }, '2025-09-05T08:00:00Z');
    const said = correction('corr-said', { saidAt: '2025-09-04T13:00:00Z' }, '2025-09-05T07:00:00Z');
    const germany = seedSampleEvents().find((e) => (e.detail as { statementId: string }).statementId === GERMANY)!;
    const others = seedSampleEvents().filter((e) => e !== germany && (e.detail as { statementId: string }).statementId !== GERMANY);
    const reference = await newRig();
    await deliverAll(reference, [...seedSampleEvents(), said, speaker]);
    const expected = comparableState(await readTableState(reference.client, reference.tableName));
    expect(expected.positions.find((p) => p.issue === TROOPS && p.actor === 'united-kingdom')).toMatchObject({ saidAt: '2025-09-04T13:00:00.000Z' });

    for (const order of [[germany, speaker, said], [speaker, germany, said], [speaker, said, germany], [said, speaker, germany], [germany, said, speaker]]) {
      const rig = await newRig();
      await deliverAll(rig, [...others, ...order]);
      expect(comparableState(await readTableState(rig.client, rig.tableName)), order.map((e) => (e.detail as { correctionId?: string }).correctionId ?? 'statement').join(' ')).toEqual(expected);
    }
  });
});

describe('crashes', () => {
  it.each([
    ['a stance', correction('corr-germany-stance', { stance: 2 }, '2025-09-05T08:00:00Z')],
    ['a speaker, moving the statement to another actor', correction('corr-speaker', { speaker: 'starmer' }, '2025-09-05T08:00:00Z')],
    ['a said time, re-dating the episode the statement opened', correction('corr-said', { saidAt: '2025-09-04T13:00:00Z' }, '2025-09-05T08:00:00Z')],
  ])('ends where an uninterrupted run does after a crash after every write of a correction of %s', async (_what, fix) => {
    const reference = await newRig();
    await deliverAll(reference, [...seedSampleEvents(), fix]);
    const expected = comparableState(await readTableState(reference.client, reference.tableName));
    const expectedMoved = (await readTableState(reference.client, reference.tableName)).moved;
    const convergedIds = (rig: ProcessorRig) =>
      new Set(rig.publisher.published.filter((e) => e.detailType === POSITIONS_CONVERGED).map((e) => (e.detail as { alertId: string }).alertId));
    const expectedConverged = convergedIds(reference);

    const client = store.newClient();
    const crashes = injectCrashes(client);
    const probe = await newRig(client);
    await deliverAll(probe, seedSampleEvents());
    crashes.armAfterWrites(0);
    await deliverAll(probe, [fix]);
    const writesPerRun = crashes.writes;
    expect(writesPerRun).toBeGreaterThan(3);

    for (let crashAfter = 1; crashAfter <= writesPerRun; crashAfter += 1) {
      crashes.armAfterWrites(0);
      const rig = await newRig(client);
      await deliverAll(rig, seedSampleEvents());
      crashes.armAfterWrites(crashAfter);

      await deliverUntilDone(rig, sqsRecord(fix));

      expect(crashes.fired, `crash after write ${crashAfter}`).toBe(true);
      const state = await readTableState(rig.client, rig.tableName);
      expect(comparableState(state), `crash after write ${crashAfter}`).toEqual(expected);
      expect(state.moved, `crash after write ${crashAfter}`).toEqual(expectedMoved);
      expect((await historyItem(rig, GERMANY))?.['trail'], `crash after write ${crashAfter}`).toEqual((await historyItem(reference, GERMANY))?.['trail']);
      expect(convergedIds(rig), `crash after write ${crashAfter}`).toEqual(expectedConverged);
    }
  });
});
