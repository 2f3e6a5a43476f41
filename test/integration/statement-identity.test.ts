/**
 * One statement id names one statement, end to end: the real handler on SQS-shaped batches, the
 * real DynamoDB repositories on dynalite over HTTP. An id re-sent with other content is quarantined
 * as `conflicting-id` with every differing field and leaves the record untouched; an identical
 * re-send is a duplicate; and the store keeps agreeing with the replay of its history afterwards,
 * through concurrent deliveries and crashes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { POSITION_CHANGED } from '../../events/catalog.ts';
import { DESK_SOURCE, type Stance } from '../../events/common.ts';
import { STANCE_CHANGED } from '../../events/inbound/stance-changed.v1.ts';
import { STATEMENT_RECORDED } from '../../events/inbound/statement-recorded.v1.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { injectCrashes } from '../support/fault-injection.ts';
import { createProcessorRig, type ProcessorRig } from '../../support/processor-rig.ts';
import { storeAndReplay } from '../support/replay-check.ts';
import { randomChunks, seededRandom, shuffled } from '../../support/shuffle.ts';
import { redeliver, sqsRecord, type PublishedEvent } from '../../support/sqs-events.ts';
import { minutesAfter, statementEvent, syntheticRegistryEvents, syntheticWorld } from '../../support/synthetic.ts';
import { readTableState } from '../support/tracker-table.ts';

let store: EmbeddedDynamo;

beforeAll(async () => {
  store = await startDynalite();
});

afterAll(async () => {
  await store?.stop();
});

const world = syntheticWorld({ members: 5, outsiders: 1, issues: 1 });
const issue = world.issues[0] as string;
const [m1, m2, m3, m4, m5] = world.members as [string, string, string, string, string];
const outsider = world.outsiders[0] as string;
const actors = [...world.members, outsider];

const newRig = async (options: Partial<Parameters<typeof createProcessorRig>[0]> = {}): Promise<ProcessorRig> => {
  const rig = createProcessorRig({ client: store.client, tableName: await store.createTable(), ...options });
  const registry = syntheticRegistryEvents(world).map((event) => sqsRecord(event));
  for (let i = 0; i < registry.length; i += 10) expect((await rig.deliver(registry.slice(i, i + 10))).batchItemFailures).toEqual([]);
  return rig;
};

const said = (statementId: string, actor: string, stance: Stance, minute: number): PublishedEvent =>
  statementEvent({ statementId, actor, issue, stance, saidAt: minutesAfter(minute) });

const withDetail = (event: PublishedEvent, changes: Record<string, unknown>): PublishedEvent =>
  ({ ...event, detail: { ...(event.detail as object), ...changes } });

const stanceChanged = (changeId: string, actor: string, stance: Stance, minute: number): PublishedEvent => ({
  source: DESK_SOURCE,
  'detail-type': STANCE_CHANGED,
  detail: {
    schemaVersion: '1', changeId, actor, issue, stance, effectiveAt: minutesAfter(minute),
    reason: 'Parliament vote', source: { outlet: 'Official gazette' }, recordedBy: 'desk',
  },
});

const table = (rig: ProcessorRig) => readTableState(rig.client, rig.tableName);

const expectStoreMatchesReplay = async (rig: ProcessorRig): Promise<void> => {
  const { stored, replayed } = await storeAndReplay(rig.client, rig.tableName, await rig.ports.registry.loadRegistry());
  expect(stored).toEqual(replayed);
};

/** Position Changed events published about one statement id. */
const changesFor = (rig: ProcessorRig, statementId: string) =>
  rig.publisher.ofType(POSITION_CHANGED).filter((e) => (e.detail as { evidence: { statementId: string } }).evidence.statementId === statementId);

const quarantined = async (rig: ProcessorRig, record: SQSRecord) =>
  (await rig.ports.quarantine.list(100)).find((q) => q.messageId === record.messageId);

describe('a statement id re-sent with other content', () => {
  it('is quarantined as conflicting-id naming every differing field, leaves the record untouched, and later statements all apply', async () => {
    // Prepare: three statements recorded, then each id reused with other content.
    const rig = await newRig();
    const originals = { stance: said('st-1', m1, 2, 100), saidAt: said('st-2', m2, 1, 110), actor: said('st-3', m3, 1, 120) };
    for (const event of Object.values(originals)) expect((await rig.deliver([sqsRecord(event)])).batchItemFailures).toEqual([]);
    const before = await table(rig);
    const conflicts = {
      stance: sqsRecord(withDetail(originals.stance, { stance: -1 })),
      saidAt: sqsRecord(withDetail(originals.saidAt, { saidAt: minutesAfter(50) })),
      actor: sqsRecord(said('st-3', outsider, 1, 120)),
    };
    const publishedBefore = rig.publisher.published.length;

    // Act
    const response = await rig.deliver(Object.values(conflicts));
    const publishedByConflicts = rig.publisher.published.slice(publishedBefore);
    const identical = await rig.deliver([sqsRecord(originals.stance)]);

    // Assess: each refused with the fields that differ; nothing of them recorded or published.
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-2)?.counts).toMatchObject({ received: 3, applied: 0, duplicates: 0, quarantined: 3, failed: 0 });
    expect(publishedByConflicts).toEqual([]);
    const kept = {
      stance: await quarantined(rig, conflicts.stance),
      saidAt: await quarantined(rig, conflicts.saidAt),
      actor: await quarantined(rig, conflicts.actor),
    };
    expect(kept.stance).toMatchObject({
      reason: 'conflicting-id',
      detailType: STATEMENT_RECORDED,
      body: conflicts.stance.body,
      problems: [{ field: 'detail.stance', reason: 'differs from the statement recorded under this id (recorded 2, received -1)' }],
    });
    expect(kept.saidAt?.reason).toBe('conflicting-id');
    expect(kept.saidAt?.problems).toEqual([{
      field: 'detail.saidAt',
      reason: `differs from the statement recorded under this id (recorded '${minutesAfter(110)}', received '${minutesAfter(50)}')`,
    }]);
    expect(kept.actor?.reason).toBe('conflicting-id');
    expect(kept.actor?.problems.map((p) => p.field)).toEqual(['detail.actor', 'detail.speaker']);
    const after = await table(rig);
    expect(after.history).toEqual(before.history);
    expect(after.positions).toEqual(before.positions);
    expect(after.claims).toEqual(before.claims);
    // The identical re-send is a duplicate; re-publishing its Position Changed is the same event again.
    expect(identical.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 0, duplicates: 1, quarantined: 0 });
    const changes = changesFor(rig, 'st-1');
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) expect(change).toEqual(changes[0]);

    // Act: 32 later statements on the issue, many said before the ones above, shuffled into batches.
    const random = seededRandom(2026);
    const later = Array.from({ length: 32 }, (_, i) =>
      sqsRecord(said(`later-${i}`, actors[Math.floor(random() * actors.length)] as string, (Math.floor(random() * 5) - 2) as Stance, Math.floor(random() * 240))),
    );
    const failures: string[] = [];
    const reportsBefore = rig.reports.length;
    for (const batch of randomChunks(shuffled(later, random), 4, random)) {
      failures.push(...(await rig.deliver(batch)).batchItemFailures.map((f) => f.itemIdentifier));
    }

    // Assess: none fails, none goes near the DLQ, and the store agrees with the replay.
    expect(failures).toEqual([]);
    const final = await table(rig);
    expect(final.history).toHaveLength(3 + later.length);
    expect(final.claims).toHaveLength(3 + later.length);
    expect(final.history.filter((s) => s.statementId.startsWith('st-')).map((s) => [s.statementId, s.actor, s.stance, s.saidAt])).toEqual(
      expect.arrayContaining([['st-1', m1, 2, minutesAfter(100)], ['st-2', m2, 1, minutesAfter(110)], ['st-3', m3, 1, minutesAfter(120)]]),
    );
    await expectStoreMatchesReplay(rig);
    expect(rig.reports.slice(reportsBefore).reduce((n, r) => n + r.counts.late, 0)).toBeGreaterThan(0);
  });

  it('holds a stance change to its changeId too, and one id across both kinds of event', async () => {
    // Prepare
    const rig = await newRig();
    const change = stanceChanged('vote-1', m4, -1, 200);
    await rig.deliver([sqsRecord(change), sqsRecord(said('st-9', m5, 2, 210))]);
    const moved = sqsRecord(withDetail(change, { effectiveAt: minutesAfter(190) }));
    const crossed = sqsRecord(stanceChanged('st-9', m5, 2, 210));

    // Act
    const response = await rig.deliver([moved, crossed, sqsRecord(change)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 0, duplicates: 1, quarantined: 2 });
    expect((await quarantined(rig, moved))?.problems).toEqual([{
      field: 'detail.effectiveAt',
      reason: `differs from the statement recorded under this id (recorded '${minutesAfter(200)}', received '${minutesAfter(190)}')`,
    }]);
    const crossedProblems = (await quarantined(rig, crossed))?.problems ?? [];
    expect(crossedProblems[0]).toEqual({
      field: 'detail-type',
      reason: "differs from the statement recorded under this id (recorded 'Statement Recorded', received 'Stance Changed')",
    });
    expect((await quarantined(rig, crossed))?.detailType).toBe(STANCE_CHANGED);
    expect((await table(rig)).history.map((s) => [s.statementId, s.kind]).sort()).toEqual([['st-9', 'statement'], ['vote-1', 'stance-change']]);
  });
});

describe('two conflicting deliveries of one id at once', () => {
  it('lets exactly one land and quarantines the other; the store matches the replay', async () => {
    for (let round = 1; round <= 6; round += 1) {
      // Prepare: a few statements on the issue, and two contents for one id said at different times.
      const rig = await newRig();
      await rig.deliver([sqsRecord(said(`r${round}-a`, m1, 2, 10)), sqsRecord(said(`r${round}-b`, outsider, -2, 20))]);
      const id = `r${round}-race`;
      const contenders = [sqsRecord(said(id, m2, -2, 30 + round)), sqsRecord(said(id, m2, 2, 5))];
      const bystanders = [sqsRecord(said(`r${round}-c`, m3, 1, 25)), sqsRecord(said(`r${round}-d`, m4, 0, 40))];

      // Act: every message in its own invocation, all at once; failed ones handed back as SQS would.
      let pending = shuffled([...contenders, ...bystanders], seededRandom(round));
      for (let delivery = 0; pending.length > 0; delivery += 1) {
        expect(delivery, `round ${round}: still failing`).toBeLessThan(6);
        const responses = await Promise.all(pending.map((record) => rig.deliver([record])));
        const failed = new Set(responses.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
        pending = pending.filter((r) => failed.has(r.messageId)).map(redeliver);
      }

      // Assess
      const state = await table(rig);
      const recorded = state.history.filter((s) => s.statementId === id);
      expect(recorded, `round ${round}`).toHaveLength(1);
      const kept = await rig.ports.quarantine.list(100);
      expect(kept.map((q) => q.reason), `round ${round}`).toEqual(['conflicting-id']);
      const loser = contenders.find((c) => c.messageId === kept[0]?.messageId);
      const winner = contenders.find((c) => c !== loser);
      expect(loser, `round ${round}`).toBeDefined();
      expect(JSON.parse(winner!.body).detail.stance).toBe(recorded[0]?.stance);
      for (const change of changesFor(rig, id)) expect((change.detail as { current: { stance: number } }).current.stance).toBe(recorded[0]?.stance);
      await expectStoreMatchesReplay(rig);
    }
  });
});

describe('a crash right after the claim', () => {
  it('applies the statement once on redelivery, and still refuses other content under its id meanwhile', async () => {
    // Prepare: the process dies after its first write, the claim.
    const client = store.newClient();
    const crashes = injectCrashes(client);
    const rig = await newRig({ client });
    await rig.deliver([sqsRecord(said('base-1', m1, 2, 10))]);
    const record = sqsRecord(said('claimed-1', outsider, -2, 30));
    crashes.armAfterWrites(1);

    // Act
    const crashed = await rig.deliver([record]);
    const fired = crashes.fired;
    const between = await table(rig);
    crashes.armAfterWrites(0);
    const conflicting = sqsRecord(said('claimed-1', outsider, 1, 30));
    const refused = await rig.deliver([conflicting]);
    const retried = await rig.deliver([redeliver(record)]);

    // Assess
    expect(crashed.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(fired).toBe(true);
    expect(between.claims.map((c) => c.statementId)).toContain('claimed-1');
    expect(between.history.map((s) => s.statementId)).not.toContain('claimed-1');
    expect(refused.batchItemFailures).toEqual([]);
    expect((await quarantined(rig, conflicting))?.problems.map((p) => p.field)).toEqual(['detail.stance']);
    expect(retried.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 1, duplicates: 0, quarantined: 0 });
    const after = await table(rig);
    expect(after.history.filter((s) => s.statementId === 'claimed-1').map((s) => s.stance)).toEqual([-2]);
    expect(changesFor(rig, 'claimed-1')).toHaveLength(1);
    await expectStoreMatchesReplay(rig);
  });
});
