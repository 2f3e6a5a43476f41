/**
 * The statement processor end to end: the real handler (middy, Powertools, partial batch
 * responses) on SQS-shaped batches, the real DynamoDB repositories on an embedded dynalite reached
 * over HTTP by the real SDK client. Only the bus is replaced, by a publisher that records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { POSITION_CHANGED, POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/catalog.ts';
import { DESK_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { STATEMENT_RECORDED } from '../../events/inbound/statement-recorded.v1.ts';
import { SPEAKER_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { targetOf } from '../../functions/application/episode-plan.ts';
import { toEvidence } from '../../functions/application/contracts-v1.ts';
import { replayIssue } from '../../functions/core/tracker.ts';
import type { StatementRecord } from '../../functions/core/types.ts';
import { LocalBusPublisher } from '../../local/bus/bus-publisher.ts';
import { LocalEventBus, putEventsEntrySize, type EventBridgeEvent } from '../../local/bus/local-event-bus.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { injectCrashes } from '../support/fault-injection.ts';
import { maxId, maxQuote, maxSource } from '../support/max-size.ts';
import {
  createProcessorRig, loadSeedRegistry, seedRegistryEvents, seedSampleEvents, type ProcessorRig,
} from '../../support/processor-rig.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { randomChunks, seededRandom, shuffled } from '../../support/shuffle.ts';
import { redeliver, sqsRecord, sqsRecordFromBody, type PublishedEvent } from '../../support/sqs-events.ts';
import {
  minutesAfter, statementEvent, syntheticRegistryEvents, syntheticWorld, type SyntheticWorld,
} from '../../support/synthetic.ts';
import { comparableChanges, comparableState, readTableState, type TableState } from '../support/tracker-table.ts';

let store: EmbeddedDynamo;

beforeAll(async () => {
  store = await startDynalite();
});

afterAll(async () => {
  await store?.stop();
});

const newRig = async (options: Partial<Parameters<typeof createProcessorRig>[0]> = {}): Promise<ProcessorRig> =>
  createProcessorRig({ client: store.client, tableName: await store.createTable(), ...options });

const deliverAll = async (rig: ProcessorRig, events: readonly PublishedEvent[]): Promise<void> => {
  for (let i = 0; i < events.length; i += 10) {
    const response = await rig.deliver(events.slice(i, i + 10).map((event) => sqsRecord(event)));
    expect(response.batchItemFailures).toEqual([]);
  }
};

/** Delivers records until none fails, handing failed ones back as SQS would. */
const deliverUntilDone = async (rig: ProcessorRig, records: readonly SQSRecord[], maxDeliveries = 10): Promise<void> => {
  let pending = [...records];
  for (let delivery = 0; pending.length > 0; delivery += 1) {
    if (delivery >= maxDeliveries) throw new Error(`${pending.length} message(s) still failing after ${maxDeliveries} deliveries`);
    const response = await rig.deliver(pending);
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    pending = pending.filter((r) => failed.has(r.messageId)).map(redeliver);
  }
};

/** A speaker for France the seed registry does not have. */
const newEnvoyRegistration = (): SQSRecord =>
  sqsRecord({
    source: DESK_SOURCE,
    'detail-type': SPEAKER_REGISTERED,
    detail: { schemaVersion: '1', speaker: 'new-envoy', actor: 'france', names: { en: 'New envoy', ar: 'المبعوث الجديد' }, aliases: [], updatedAt: '2025-09-03T00:00:00Z' },
  });

const state = (rig: ProcessorRig): Promise<TableState> => readTableState(rig.client, rig.tableName);

/** The stored episodes that stand and the open pointers equal a said-time replay of all history. */
const expectStoreMatchesReplay = async (rig: ProcessorRig): Promise<void> => {
  const registry = await rig.ports.registry.loadRegistry();
  const table = await state(rig);
  const byIssue = new Map<string, StatementRecord[]>();
  for (const statement of table.history) byIssue.set(statement.issue, [...(byIssue.get(statement.issue) ?? []), statement]);
  const expectedEpisodes = [];
  const expectedPointers = [];
  for (const [issue, history] of byIssue) {
    const target = targetOf(replayIssue(issue, history, registry));
    expectedEpisodes.push(...target.episodes.values());
    expectedPointers.push(...target.pointers.values());
  }
  const key = (e: { episode: { episodeId: string } }) => e.episode.episodeId;
  const standing = table.episodes.filter((e) => e.status !== 'withdrawn');
  expect(standing.map((e) => ({ status: e.status, episode: e.episode, evidenceRefs: e.evidenceRefs })).sort((a, b) => key(a).localeCompare(key(b))))
    .toEqual(expectedEpisodes.map((e) => ({ status: e.status, episode: e.episode, evidenceRefs: e.evidenceRefs })).sort((a, b) => key(a).localeCompare(key(b))));
  expect(table.pointers.sort((a, b) => a.divergenceId.localeCompare(b.divergenceId)))
    .toEqual(expectedPointers.sort((a, b) => a.divergenceId.localeCompare(b.divergenceId)));
};

/** Every pushed alert went out on the bus at least once, no recorded-only one did, and nothing waits in an outbox. */
const expectEveryAlertPublished = (table: TableState, publisher: RecordingPublisher): void => {
  const published = new Set(publisher.published.map(RecordingPublisher.idOf));
  expect(table.outbox).toEqual([]);
  expect(table.alerts.filter((a) => a.pushed).map((a) => a.alertId).filter((id) => !published.has(id))).toEqual([]);
  expect(table.alerts.filter((a) => !a.pushed).map((a) => a.alertId).filter((id) => published.has(id))).toEqual([]);
};

const EXPECTED_SEED_DIVERGENCES = [
  'actor-vs-bloc:ceasefire-before-peace-deal:russia:allies',
  'actor-vs-bloc:russia-as-guarantor:russia:allies',
  'actor-vs-bloc:western-troops-in-ukraine:russia:allies',
  'bloc-split:western-troops-in-ukraine:germany:allies',
];

describe('the seed scenario, delivered in order', () => {
  it('gives the four divergences of the core issue, each alerted once with its quotes byte-exact', async () => {
    // Prepare
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const samples = seedSampleEvents();

    // Act
    await deliverAll(rig, samples);

    // Assess
    const table = await state(rig);
    expect(table.pointers.map((p) => p.divergenceId).sort()).toEqual(EXPECTED_SEED_DIVERGENCES);
    expect(table.episodes.map((e) => e.status)).toEqual(['open', 'open', 'open', 'open']);
    const diverged = rig.publisher.ofType(POSITIONS_DIVERGED);
    expect(diverged.map((e) => (e.detail as { divergenceId: string }).divergenceId).sort()).toEqual(EXPECTED_SEED_DIVERGENCES);
    expect(rig.publisher.ofType(POSITIONS_CONVERGED)).toEqual([]);
    expect(rig.publisher.ofType(POSITION_CHANGED)).toHaveLength(samples.length);
    const quotes = new Set(samples.map((s) => (s.detail as { quote: { text: string } }).quote.text));
    for (const event of diverged) {
      const { evidence } = event.detail as { evidence: { actor: Array<{ quote?: { text: string } }>; other: Array<{ quote?: { text: string } }> } };
      for (const item of [...evidence.actor, ...evidence.other]) expect(quotes.has(item.quote?.text ?? '')).toBe(true);
    }
    expectEveryAlertPublished(table, rig.publisher);
    await expectStoreMatchesReplay(rig);
    expect(rig.metrics.get('Applied')).toBe(seedRegistryEvents().length + samples.length);
    expect(rig.metrics.get('AlertsOpened')).toBe(4);
  });
});

describe('at-least-once, out-of-order delivery', () => {
  it('gives the same table state for every sample delivered three times in shuffled order as for one in-order delivery', async () => {
    // Prepare: the reference, one delivery in said order.
    const reference = await newRig();
    await loadSeedRegistry(reference);
    for (const event of seedSampleEvents()) await reference.deliver([sqsRecord(event)]);
    const expected = comparableState(await state(reference));
    expect(expected.pointers).toHaveLength(4);

    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const random = seededRandom(seed);
      const rig = await newRig();
      await loadSeedRegistry(rig);
      const copies = shuffled(seedSampleEvents().flatMap((event) => [event, event, event]), random).map((e) => sqsRecord(e));

      // Act: batches of 1 to 5 messages, as SQS may hand them out.
      for (const batch of randomChunks(copies, 5, random)) await deliverUntilDone(rig, batch);

      // Assess
      const table = await state(rig);
      expect(comparableState(table), `seed ${seed}`).toEqual(expected);
      expectEveryAlertPublished(table, rig.publisher);
      const counts = rig.reports.slice(-copies.length).reduce((sum, r) => sum + r.counts.applied, 0);
      expect(counts).toBeGreaterThan(0);
      // An episode announced and then undone by a late statement is kept, withdrawn, with its correction alert.
      for (const withdrawn of table.episodes.filter((e) => e.status === 'withdrawn')) {
        expect(withdrawn.withdrawnReason).toMatch(/replay/);
        const correction = table.alerts.find((a) => a.episodeId === withdrawn.episode.episodeId && a.transition === 'withdrawn');
        expect(correction?.detailType).toBe(POSITIONS_CONVERGED);
      }
    }
  });

  it('counts every message once: in = applied + duplicates + quarantined', async () => {
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const random = seededRandom(42);
    const copies = shuffled(seedSampleEvents().flatMap((event) => [event, event, event]), random).map((e) => sqsRecord(e));
    rig.reports.length = 0;
    for (const batch of randomChunks(copies, 4, random)) await deliverUntilDone(rig, batch);
    const total = rig.reports.reduce(
      (sum, r) => ({ received: sum.received + r.counts.received, applied: sum.applied + r.counts.applied, duplicates: sum.duplicates + r.counts.duplicates, quarantined: sum.quarantined + r.counts.quarantined }),
      { received: 0, applied: 0, duplicates: 0, quarantined: 0 },
    );
    expect(total.received).toBe(copies.length);
    expect(total.applied).toBe(seedSampleEvents().length);
    expect(total.duplicates).toBe(copies.length - seedSampleEvents().length);
    expect(total.received).toBe(total.applied + total.duplicates + total.quarantined);
    expect(rig.metrics.get('Duplicate')).toBe(total.duplicates);
  });
});

describe('concurrency', () => {
  const world = syntheticWorld({ members: 5, outsiders: 1, issues: 1 });
  const issue = world.issues[0] as string;

  const worldRig = async (w: SyntheticWorld = world): Promise<ProcessorRig> => {
    const rig = await newRig();
    await deliverAll(rig, syntheticRegistryEvents(w));
    return rig;
  };

  it('tells, for 30 statements on one issue back-filled in random said order, only changes to what is open, and dead-letters nothing', async () => {
    const actors = [...world.members, ...world.outsiders];
    for (const seed of [11, 12, 13]) {
      // Prepare: a month of statements, each actor moving a step at a time as negotiators do.
      const random = seededRandom(seed);
      const stances = new Map(actors.map((actor) => [actor, Math.floor(random() * 5) - 2] as const));
      const events = Array.from({ length: 30 }, (_, i) => {
        const actor = actors[Math.floor(random() * actors.length)] as string;
        const stance = Math.max(-2, Math.min(2, stances.get(actor)! + Math.floor(random() * 3) - 1));
        stances.set(actor, stance);
        return statementEvent({ statementId: `m${seed}-${i}`, actor, issue, stance: stance as -2, saidAt: minutesAfter(i * 24 * 60) });
      });
      const inOrder = await worldRig();
      const backFill = await worldRig();

      // Act: one invocation per message, as SQS hands them out; the fifth failure would be the DLQ.
      for (const event of events) await deliverUntilDone(inOrder, [sqsRecord(event)], 5);
      for (const event of shuffled(events, random)) await deliverUntilDone(backFill, [sqsRecord(event)], 5);

      // Assess: per divergence, subscribers hear it open, then no longer, and so on, ending where it stands.
      // (Not "no more than in said order": a delivered subset can be open at its latest said time when
      // the whole set never is, and then any rule that tells the present must tell it; see episode-plan.test.ts.)
      const table = await state(backFill);
      expectEveryAlertPublished(table, backFill.publisher);
      const told = new Map<string, string[]>();
      const firstPublications = [...new Map(backFill.publisher.published.map((e) => [RecordingPublisher.idOf(e), e] as const)).values()];
      for (const event of firstPublications.filter((e) => e.detailType !== POSITION_CHANGED)) {
        const { divergenceId } = event.detail as { divergenceId: string };
        told.set(divergenceId, [...(told.get(divergenceId) ?? []), event.detailType]);
      }
      const open = new Set(table.pointers.map((p) => p.divergenceId));
      for (const [divergenceId, alerts] of told) {
        expect(alerts, `seed ${seed}, ${divergenceId}`).toEqual(alerts.map((_, i) => (i % 2 === 0 ? POSITIONS_DIVERGED : POSITIONS_CONVERGED)));
        expect(alerts.length % 2 === 1, `seed ${seed}, ${divergenceId}`).toBe(open.has(divergenceId));
      }
      expect(comparableState(table).pointers).toEqual(comparableState(await state(inOrder)).pointers);
    }
  });

  it('leaves the latest-said statement current after 16 concurrent deliveries for one (actor, issue)', async () => {
    // Prepare: 16 statements by one actor, said a minute apart, delivered all at once in reverse.
    const rig = await worldRig();
    const actor = world.members[0] as string;
    const events = Array.from({ length: 16 }, (_, i) =>
      statementEvent({ statementId: `c16-${i}`, actor, issue, stance: ((i % 5) - 2) as -2, saidAt: minutesAfter(i) }),
    );

    // Act: 16 concurrent invocations of the handler, one message each.
    const responses = await Promise.all([...events].reverse().map((event) => rig.deliver([sqsRecord(event)])));

    // Assess
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const table = await state(rig);
    const position = table.positions.find((p) => p.actor === actor);
    expect(position?.statementId).toBe('c16-15');
    expect(position?.previous?.statementId).toBe('c16-14');
    expect(table.history.filter((s) => s.actor === actor)).toHaveLength(16);
    await expectStoreMatchesReplay(rig);
  });

  it('leaves the open divergences equal to the replay of all statements, whatever the interleaving', async () => {
    const actors = [...world.members, ...world.outsiders];
    for (let round = 1; round <= 8; round += 1) {
      // Prepare: random statements on one issue, said in random order within an hour.
      const random = seededRandom(1_000 + round);
      const rig = await worldRig();
      const events = Array.from({ length: 14 }, (_, i) =>
        statementEvent({
          statementId: `r${round}-s${i}`,
          actor: actors[Math.floor(random() * actors.length)] as string,
          issue,
          stance: (Math.floor(random() * 5) - 2) as -2,
          saidAt: minutesAfter(Math.floor(random() * 60)),
        }),
      );

      // Act: every statement in its own invocation, all at once, then the stragglers retried.
      const records = events.map((event) => sqsRecord(event));
      const responses = await Promise.all(records.map((record) => rig.deliver([record])));
      const failed = new Set(responses.flatMap((r) => r.batchItemFailures.map((f) => f.itemIdentifier)));
      await deliverUntilDone(rig, records.filter((r) => failed.has(r.messageId)).map(redeliver));

      // Assess
      await expectStoreMatchesReplay(rig);
      expectEveryAlertPublished(await state(rig), rig.publisher);
    }
  });
});

describe('crashes', () => {
  it('publishes an alert recorded before a crash on redelivery, once per id', async () => {
    // Prepare: the process dies after recording the Russia-vs-allies alert, before PutEvents.
    const publisher = new RecordingPublisher().crashOnce((events) => events.some((e) => e.detailType === POSITIONS_DIVERGED));
    const rig = await newRig({ publisher });
    await loadSeedRegistry(rig);
    const records = seedSampleEvents().map((event) => sqsRecord(event));

    // Act
    const failures: string[] = [];
    for (const record of records) {
      const response = await rig.deliver([record]);
      failures.push(...response.batchItemFailures.map((f) => f.itemIdentifier));
    }
    const crashed = failures.length;
    const beforeRedelivery = await state(rig);
    await deliverUntilDone(rig, records.filter((r) => failures.includes(r.messageId)).map(redeliver));

    // Assess
    expect(crashed).toBe(1);
    expect(beforeRedelivery.outbox).toHaveLength(1);
    const table = await state(rig);
    const alertIds = publisher.published.filter((e) => e.detailType !== POSITION_CHANGED).map(RecordingPublisher.idOf);
    expect(new Set(alertIds).size).toBe(alertIds.length);
    expect(alertIds.sort()).toEqual(table.alerts.map((a) => a.alertId).sort());
    expect(table.pointers.map((p) => p.divergenceId).sort()).toEqual(EXPECTED_SEED_DIVERGENCES);
    expect(table.outbox).toEqual([]);
  });

  it('reaches the same state whichever write the process dies after, once the message is redelivered', async () => {
    // Prepare: the writes of one run, delivered in a shuffled order so both paths are exercised.
    const order = shuffled(seedSampleEvents(), seededRandom(7));
    const reference = await newRig();
    await loadSeedRegistry(reference);
    for (const event of order) await reference.deliver([sqsRecord(event)]);
    const referenceState = await state(reference);
    const expected = comparableState(referenceState);
    const expectedChanges = comparableChanges(referenceState);

    const client = store.newClient();
    const crashes = injectCrashes(client);
    const probe = await newRig({ client });
    await loadSeedRegistry(probe);
    crashes.armAfterWrites(0);
    for (const event of order) await probe.deliver([sqsRecord(event)]);
    const writesPerRun = crashes.writes;
    expect(writesPerRun).toBeGreaterThan(order.length * 2);

    for (let crashAfter = 1; crashAfter <= writesPerRun; crashAfter += 1) {
      const rig = await newRig({ client });
      crashes.armAfterWrites(0);
      await loadSeedRegistry(rig);
      crashes.armAfterWrites(crashAfter);

      // Act: a message whose processing crashed is handed back and delivered again.
      for (const event of order) await deliverUntilDone(rig, [sqsRecord(event)]);

      // Assess
      expect(crashes.fired, `crash after write ${crashAfter}`).toBe(true);
      const table = await state(rig);
      expect(comparableState(table), `crash after write ${crashAfter}`).toEqual(expected);
      expect(comparableChanges(table), `change feed, crash after write ${crashAfter}`).toEqual(expectedChanges);
      expectEveryAlertPublished(table, rig.publisher);
    }
  });
});

describe('crashes in batches', () => {
  it('reaches the same state whichever write the process dies after, for a shuffled run in batches of five (late statements settled together)', async () => {
    // Prepare: the shuffled run in batches, so late statements of an issue share a batch and its replay.
    const batches = randomChunks(shuffled(seedSampleEvents(), seededRandom(9)), 5, seededRandom(10)).map((chunk) => chunk.map((event) => sqsRecord(event)));
    const reference = await newRig();
    await loadSeedRegistry(reference);
    for (const batch of batches) await deliverUntilDone(reference, batch);
    const referenceState = await state(reference);
    const expected = comparableState(referenceState);
    const expectedChanges = comparableChanges(referenceState);
    expect(reference.reports.some((r) => r.outcomes.filter((o) => o.status === 'statement' && o.result.late).length > 1)).toBe(true);

    const client = store.newClient();
    const crashes = injectCrashes(client);
    const probe = await newRig({ client });
    await loadSeedRegistry(probe);
    crashes.armAfterWrites(0);
    for (const batch of batches) await deliverUntilDone(probe, batch);
    const writesPerRun = crashes.writes;

    for (let crashAfter = 1; crashAfter <= writesPerRun; crashAfter += 1) {
      const rig = await newRig({ client });
      crashes.armAfterWrites(0);
      await loadSeedRegistry(rig);
      crashes.armAfterWrites(crashAfter);

      // Act: what failed in a batch is handed back and delivered again.
      for (const batch of batches) await deliverUntilDone(rig, batch);

      // Assess
      expect(crashes.fired, `crash after write ${crashAfter}`).toBe(true);
      const table = await state(rig);
      expect(comparableState(table), `crash after write ${crashAfter}`).toEqual(expected);
      expect(comparableChanges(table), `change feed, crash after write ${crashAfter}`).toEqual(expectedChanges);
      expectEveryAlertPublished(table, rig.publisher);
    }
  });
});

describe('crashes in batches written together', () => {
  it('reaches the state of one-at-a-time delivery whichever write the process dies after, for batches of ten on one issue (history and entries written together)', async () => {
    // Prepare: every actor takes a stance, then restates it, one statement in five moving a step;
    // the second batch carries one statement twice, the third one of the second's again.
    const world = syntheticWorld({ members: 5, outsiders: 1, issues: 1 });
    const issue = world.issues[0] as string;
    const actors = [...world.members, ...world.outsiders];
    const random = seededRandom(21);
    const stances = new Map<string, number>(actors.map((actor) => [actor, actor === world.outsiders[0] ? -2 : 1]));
    const events = Array.from({ length: 26 }, (_, i) => {
      const actor = (i < actors.length ? actors[i] : actors[Math.floor(random() * actors.length)]) as string;
      const stance = Math.max(-2, Math.min(2, (stances.get(actor) as number) + (i >= actors.length && random() < 0.2 ? (random() < 0.5 ? -1 : 1) : 0)));
      stances.set(actor, stance);
      return statementEvent({ statementId: `b10-${i}`, actor, issue, stance: stance as -2, saidAt: minutesAfter(i) });
    });
    const batches = [events.slice(0, 10), [...events.slice(10, 19), events[12] as PublishedEvent], [...events.slice(19), events[15] as PublishedEvent]];
    const reference = await newRig();
    await deliverAll(reference, syntheticRegistryEvents(world));
    for (const event of events) await deliverUntilDone(reference, [sqsRecord(event)]);
    const referenceState = await state(reference);
    const expected = comparableState(referenceState);
    const listedStatements = (table: TableState) =>
      table.changes.map((change) => (change.changed as { statementId?: string }).statementId).filter((id) => id !== undefined).sort();
    expect(listedStatements(referenceState)).toEqual(events.map((event) => (event.detail as { statementId: string }).statementId).sort());

    const client = store.newClient();
    const crashes = injectCrashes(client);
    let batchWrites = 0;
    client.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'BatchWriteItemCommand') batchWrites += 1;
      return next(args);
    }, { step: 'initialize', name: 'countBatchWrites' });
    const probe = await newRig({ client });
    await deliverAll(probe, syntheticRegistryEvents(world));
    crashes.armAfterWrites(0);
    batchWrites = 0;
    for (const batch of batches) await deliverUntilDone(probe, batch.map((event) => sqsRecord(event)));
    const writesPerRun = crashes.writes;
    expect(comparableState(await state(probe))).toEqual(expected);
    expect(comparableChanges(await state(probe))).toEqual(comparableChanges(referenceState));
    // History of every batch in one write, and quiet restatements' entries together.
    expect(batchWrites).toBeGreaterThanOrEqual(batches.length + 1);

    for (let crashAfter = 1; crashAfter <= writesPerRun; crashAfter += 1) {
      const rig = await newRig({ client });
      crashes.armAfterWrites(0);
      await deliverAll(rig, syntheticRegistryEvents(world));
      crashes.armAfterWrites(crashAfter);

      // Act: what failed in a batch is handed back and delivered again.
      for (const batch of batches) await deliverUntilDone(rig, batch.map((event) => sqsRecord(event)));

      // Assess
      expect(crashes.fired, `crash after write ${crashAfter}`).toBe(true);
      const table = await state(rig);
      expect(comparableState(table), `crash after write ${crashAfter}`).toEqual(expected);
      // Each statement listed once. (Its kind may differ: a statement failed back while a later one of
      // its actor in the batch went on arrives late on redelivery, and never was current.)
      expect(listedStatements(table), `change feed, crash after write ${crashAfter}`).toEqual(listedStatements(referenceState));
      expectEveryAlertPublished(table, rig.publisher);
    }
  });
});

describe('invalid events', () => {
  const valid = (id: string, stance: number): PublishedEvent => {
    const sample = seedSampleEvents().find((e) => (e.detail as { issue: string }).issue === 'western-troops-in-ukraine')!;
    return { ...sample, detail: { ...(sample.detail as object), statementId: id, stance } };
  };

  it('quarantines each with a reason naming the field, applies the valid ones, and fails nothing back to the queue', async () => {
    // Prepare: five kinds of invalid events among valid ones.
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const base = valid('valid-1', -2);
    const invalid: Array<{ record: SQSRecord; field: string }> = [
      { record: sqsRecordFromBody('{"detail-type": "Statement Recorded", "detail": {'), field: 'event' },
      { record: sqsRecord({ ...base, 'detail-type': 'Statement Recorderd' }), field: 'detail-type' },
      { record: sqsRecord({ ...base, detail: { ...(base.detail as object), stance: 5 } }), field: 'detail.stance' },
      { record: sqsRecord({ ...base, detail: { ...(base.detail as object), saidAt: 'yesterday' } }), field: 'detail.saidAt' },
      { record: sqsRecord({ ...base, detail: { ...(base.detail as object), statementId: 'ghost', speaker: 'nobody-known' } }), field: 'detail.speaker' },
      { record: sqsRecord({ source: TRACKER_SOURCE, 'detail-type': POSITION_CHANGED, detail: { schemaVersion: '1' } }), field: 'detail' },
    ];
    const validRecords = [sqsRecord(valid('valid-1', -2)), sqsRecord(valid('valid-2', 1)), sqsRecord(valid('valid-3', 2))];
    const batch = [validRecords[0]!, ...invalid.slice(0, 3).map((i) => i.record), validRecords[1]!, ...invalid.slice(3).map((i) => i.record), validRecords[2]!];

    // Act
    const response = await rig.deliver(batch);
    const again = await rig.deliver(batch.map(redeliver));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const [first, second] = rig.reports.slice(-2);
    expect(first?.counts).toMatchObject({ received: batch.length, applied: 3, duplicates: 0, quarantined: invalid.length, failed: 0 });
    expect(second?.counts).toMatchObject({ received: batch.length, applied: 0, duplicates: 3, quarantined: invalid.length, failed: 0 });
    for (const counts of [first!.counts, second!.counts]) {
      expect(counts.received).toBe(counts.applied + counts.duplicates + counts.quarantined);
    }
    const table = await state(rig);
    expect(table.history.map((s) => s.statementId).filter((id) => id.startsWith('valid-')).sort()).toEqual(['valid-1', 'valid-2', 'valid-3']);
    expect(table.quarantine).toHaveLength(invalid.length);
    const kept = await rig.ports.quarantine.list();
    for (const { record, field } of invalid) {
      const entry = kept.find((q) => q.messageId === record.messageId);
      expect(entry?.body, field).toBe(record.body);
      expect(entry?.problems.some((p) => p.field.startsWith(field) && p.reason.length > 0), `${field}: ${JSON.stringify(entry?.problems)}`).toBe(true);
    }
    expect(rig.metrics.get('Quarantined')).toBe(2 * invalid.length);
  });
});

describe('events that are not inputs of the tracker', () => {
  const statement = (id: string): PublishedEvent => {
    const sample = seedSampleEvents()[0]!;
    return { ...sample, detail: { ...(sample.detail as object), statementId: id } };
  };

  it('quarantines each with its reason and its detail-type, the body kept byte for byte, and fails none back', async () => {
    // Prepare: what the catch-all and tracker-source rules bring in, beside a good statement.
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const misspelt = sqsRecord({ ...statement('typo-1'), 'detail-type': 'Statement Recordet' });
    // The body as received, spacing and escapes included, is what is kept, not a re-serialisation.
    const handWritten = sqsRecordFromBody(`{ "source":"wire.ingest", "detail-type":"Stance Revised",\n "detail":{"note":"\u0645\u0648\u0642\u0641 روسيا"} }`);
    const fromTracker = sqsRecord({ ...statement('spoof-1'), source: TRACKER_SOURCE });
    const forgedAlert = sqsRecord({ source: DESK_SOURCE, 'detail-type': POSITIONS_DIVERGED, detail: { schemaVersion: '1' } });
    const good = sqsRecord(statement('good-1'));

    // Act
    const response = await rig.deliver([misspelt, handWritten, fromTracker, forgedAlert, good]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ received: 5, applied: 1, quarantined: 4, failed: 0 });
    const kept = new Map((await rig.ports.quarantine.list()).map((q) => [q.messageId, q]));
    expect(kept.get(misspelt.messageId)).toMatchObject({ reason: 'unknown-detail-type', detailType: 'Statement Recordet' });
    expect(kept.get(misspelt.messageId)?.problems[0]).toEqual({
      field: 'detail-type', reason: expect.stringMatching(/^unknown detail-type "Statement Recordet" \(expected one of "Statement Recorded"/),
    });
    expect(kept.get(handWritten.messageId)).toMatchObject({ reason: 'unknown-detail-type', detailType: 'Stance Revised' });
    expect(kept.get(fromTracker.messageId)).toMatchObject({
      reason: 'not-an-input', detailType: STATEMENT_RECORDED, problems: [{ field: 'source', reason: expect.stringContaining("tracker's own source") }],
    });
    expect(kept.get(forgedAlert.messageId)).toMatchObject({ reason: 'not-an-input', detailType: POSITIONS_DIVERGED });
    for (const record of [misspelt, handWritten, fromTracker, forgedAlert]) {
      expect(Buffer.from(kept.get(record.messageId)?.body ?? '', 'utf8').equals(Buffer.from(record.body, 'utf8'))).toBe(true);
    }
    expect((await state(rig)).history.map((h) => h.statementId)).toEqual(['good-1']);
  });

  it('quarantines a statement said at a year edge naming detail.saidAt, and records its batch-mates', async () => {
    // Prepare
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const edges = ['0000-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00'].map((saidAt, index) =>
      sqsRecord({ ...statement(`edge-${index}`), detail: { ...(statement(`edge-${index}`).detail as object), saidAt } }));
    const goods = [sqsRecord(statement('good-1')), sqsRecord(statement('good-2'))];

    // Act
    const response = await rig.deliver([goods[0]!, ...edges, goods[1]!]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const kept = await rig.ports.quarantine.list();
    expect(kept.map((q) => [q.reason, q.problems.map((p) => p.field)])).toEqual([
      ['invalid-event', ['detail.saidAt']],
      ['invalid-event', ['detail.saidAt']],
    ]);
    expect((await state(rig)).history.map((h) => h.statementId).sort()).toEqual(['good-1', 'good-2']);
  });
});

describe('bad input too big to keep as it came', () => {
  it('is quarantined all the same: problems that echo huge field names are cut, and the body is kept whole when it fits', async () => {
    // Prepare: 150,000-character field names with a lone surrogate, so each problem would echo one in full.
    const rig = await newRig();
    const name = (n: number) => `\ud800${String(n).repeat(150_000)}`;
    const body = `{"source":"wire.ingest","detail-type":"Statement Recorded","detail":{"${name(1)}":1,"${name(2)}":2}}`;
    const record = sqsRecordFromBody(body);

    // Act
    const response = await rig.deliver([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [kept] = await rig.ports.quarantine.list();
    expect(kept).toMatchObject({ reason: 'invalid-event', truncated: false, bodyBytes: Buffer.byteLength(body, 'utf8') });
    expect(kept?.body).toBe(body);
    expect(kept?.problems).toHaveLength(2);
    for (const problem of kept?.problems ?? []) {
      expect(problem.field).toMatch(/^detail\.\uFFFD(1|2)+…$/);
      expect(problem.field.length).toBeLessThanOrEqual(257);
    }
  });

  it('a registry record over the store\'s item limit is quarantined naming it, not retried', async () => {
    // Prepare: 1,700 aliases of 250 bytes, as an EventBridge entry of up to 1 MB allows in AWS.
    const rig = await newRig();
    const record = sqsRecord({
      source: DESK_SOURCE,
      'detail-type': 'Actor Registered',
      detail: {
        schemaVersion: '1', actor: 'atlantis', kind: 'state', names: { en: 'Atlantis', ar: 'أطلانطس' },
        aliases: Array.from({ length: 1_700 }, (_, i) => `${i} ${'x'.repeat(240)}`), updatedAt: '2025-09-01T00:00:00Z',
      },
    });

    // Act
    const response = await rig.deliver([record]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const [kept] = await rig.ports.quarantine.list();
    expect(kept).toMatchObject({ reason: 'invalid-event', problems: [{ field: 'detail', reason: expect.stringContaining('too large to store') }] });
    expect((await rig.ports.registry.loadRegistry()).actors.has('atlantis')).toBe(false);
  });
});

describe('registry events from a source not allowed to publish them', () => {
  const atlantis = (source: string, updatedAt = '2025-09-01T00:00:00Z'): PublishedEvent => ({
    source,
    'detail-type': 'Actor Registered',
    detail: { schemaVersion: '1', actor: 'atlantis', kind: 'state', names: { en: 'Atlantis', ar: 'أطلانطس' }, aliases: [], updatedAt },
  });

  it('are quarantined naming the source, and change nothing; the registry desk and the desk tools may publish them by default', async () => {
    // Prepare
    const rig = await newRig();
    const stranger = sqsRecord(atlantis('wire.ingest', '2025-09-02T00:00:00Z'));
    const invalidFromStranger = sqsRecord({ ...atlantis('wire.ingest'), detail: { schemaVersion: '1', actor: 'Atlantis' } });
    const desk = sqsRecord(atlantis(DESK_SOURCE));

    // Act
    const response = await rig.deliver([stranger, invalidFromStranger, desk]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const kept = new Map((await rig.ports.quarantine.list()).map((q) => [q.messageId, q]));
    for (const record of [stranger, invalidFromStranger]) {
      expect(kept.get(record.messageId)).toMatchObject({
        reason: 'unauthorised-source',
        detailType: 'Actor Registered',
        problems: [{ field: 'source', reason: '"wire.ingest" may not publish registry events (allowed: "newsroom.registry", "newsroom.desk")' }],
      });
    }
    expect(kept.has(desk.messageId)).toBe(false);
    expect((await rig.ports.registry.loadRegistry()).actors.get('atlantis')?.updatedAt).toBe('2025-09-01T00:00:00.000Z');
  });

  it('follow the configured allow-list', async () => {
    // Prepare
    const rig = await newRig({ options: { registrySources: ['newsroom.registry'] } });

    // Act
    const response = await rig.deliver([sqsRecord(atlantis(DESK_SOURCE)), sqsRecord(atlantis('newsroom.registry'))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 1, registry: 1, quarantined: 1 });
    expect((await rig.ports.quarantine.list()).map((q) => q.problems[0]?.reason)).toEqual([
      '"newsroom.desk" may not publish registry events (allowed: "newsroom.registry")',
    ]);
  });
});

describe('a bad registry event among good statements', () => {
  it('is quarantined alone when it is bad input, and never fails its batch-mates', async () => {
    // Prepare: an actor whose updatedAt leaves year 9999 in UTC, beside statements, one naming nobody.
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const badRegistration = sqsRecord({
      source: DESK_SOURCE,
      'detail-type': 'Actor Registered',
      detail: { schemaVersion: '1', actor: 'atlantis', kind: 'state', names: { en: 'Atlantis', ar: 'أطلانطس' }, updatedAt: '9999-12-31T23:30:00-01:00' },
    });
    const samples = seedSampleEvents().slice(0, 3).map((event) => sqsRecord(event));
    const ghost = sqsRecord({ ...seedSampleEvents()[3]!, detail: { ...(seedSampleEvents()[3]!.detail as object), statementId: 'ghost', speaker: 'nobody-known' } });

    // Act
    const response = await rig.deliver([samples[0]!, badRegistration, samples[1]!, ghost, samples[2]!]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const kept = new Map((await rig.ports.quarantine.list()).map((q) => [q.messageId, q]));
    expect(kept.get(badRegistration.messageId)).toMatchObject({ reason: 'invalid-event', problems: [{ field: 'detail.updatedAt' }] });
    expect(kept.get(ghost.messageId)).toMatchObject({ reason: 'unknown-reference' });
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 3, quarantined: 2, failed: 0 });
  });

  it('that fails in the store fails back alone: an unrelated unknown reference beside it is still quarantined', async () => {
    // Prepare: the store refuses one registration (throttled); a statement in the batch names someone else nobody registered.
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const registration = newEnvoyRegistration();
    const sample = seedSampleEvents()[0]!;
    const unrelated = sqsRecord({ ...sample, detail: { ...(sample.detail as object), statementId: 'ghost', speaker: 'nobody-known' } });
    const good = sqsRecord(sample);
    const registryRepository = rig.ports.registry as { applyUpdate: (...args: never[]) => Promise<unknown> };
    registryRepository.applyUpdate = async () => {
      throw new Error('ThrottlingException: rate exceeded');
    };

    // Act
    const response = await rig.deliver([registration, unrelated, good]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: registration.messageId }]);
    expect((await rig.ports.quarantine.list()).map((q) => [q.messageId, q.reason])).toEqual([[unrelated.messageId, 'unknown-reference']]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 1, quarantined: 1, failed: 1 });
  });
});

describe('registry events', () => {
  it('applies the latest registration and lets a statement in the same batch name what it registers', async () => {
    // Prepare
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const speaker = (actor: string, updatedAt: string): PublishedEvent => ({
      source: DESK_SOURCE,
      'detail-type': SPEAKER_REGISTERED,
      detail: { schemaVersion: '1', speaker: 'new-envoy', actor, names: { en: 'New envoy', ar: 'المبعوث الجديد' }, aliases: [], updatedAt },
    });
    const statement: PublishedEvent = {
      source: DESK_SOURCE,
      'detail-type': STATEMENT_RECORDED,
      detail: {
        schemaVersion: '1', statementId: 'envoy-1', speaker: 'new-envoy', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
        quote: { text: 'ربما', lang: 'ar' }, saidAt: '2025-09-05T10:00:00Z', source: { outlet: 'wire' }, recordedBy: 'desk',
      },
    };

    // Act: the newer registration arrives before the older one, the statement in the same batch.
    const response = await rig.deliver([
      sqsRecord(statement), sqsRecord(speaker('france', '2025-09-03T00:00:00Z')), sqsRecord(speaker('germany', '2025-09-02T00:00:00Z')),
    ]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const registry = await rig.ports.registry.loadRegistry();
    expect(registry.speakers.get('new-envoy')?.actor).toBe('france');
    const table = await state(rig);
    expect(table.positions.find((p) => p.statementId === 'envoy-1')?.actor).toBe('france');
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 2, duplicates: 1, registry: 2, quarantined: 0 });
  });
});

describe('a registration that fails in the same batch as a statement naming it', () => {
  it('fails the statement back with it instead of quarantining it as unknown, and applies both on redelivery', async () => {
    // Prepare: the registry write is throttled once.
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const registration = newEnvoyRegistration();
    const statement = sqsRecord({
      source: DESK_SOURCE,
      'detail-type': STATEMENT_RECORDED,
      detail: {
        schemaVersion: '1', statementId: 'envoy-1', speaker: 'new-envoy', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
        quote: { text: 'ربما', lang: 'ar' }, saidAt: '2025-09-05T10:00:00Z', source: { outlet: 'wire' }, recordedBy: 'desk',
      },
    });
    const registryRepository = rig.ports.registry as { applyUpdate: (...args: never[]) => Promise<unknown> };
    const applyUpdate = registryRepository.applyUpdate.bind(registryRepository);
    let refusals = 1;
    registryRepository.applyUpdate = async (...args) => {
      if (refusals-- > 0) throw new Error('ThrottlingException: rate exceeded');
      return applyUpdate(...args);
    };

    // Act
    const first = await rig.deliver([registration, statement]);
    const second = await rig.deliver(first.batchItemFailures.map((f) => [registration, statement].find((r) => r.messageId === f.itemIdentifier)!).map(redeliver));

    // Assess
    expect(new Set(first.batchItemFailures.map((f) => f.itemIdentifier))).toEqual(new Set([registration.messageId, statement.messageId]));
    expect(await rig.ports.quarantine.list()).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect((await state(rig)).positions.find((p) => p.statementId === 'envoy-1')?.actor).toBe('france');
  });
});

describe('failures', () => {
  it('hands back only the message whose events could not be published', async () => {
    // Prepare: the bus refuses events about one issue.
    const failing: RecordingPublisher = new (class extends RecordingPublisher {
      override async publish(events: Parameters<RecordingPublisher['publish']>[0]): Promise<void> {
        if (events.some((e) => (e.detail as { issue?: string }).issue === 'russia-as-guarantor')) throw new Error('ThrottlingException: rate exceeded');
        return super.publish(events);
      }
    })();
    const rig = await newRig({ publisher: failing });
    await loadSeedRegistry(rig);
    const records = seedSampleEvents().map((event) => sqsRecord(event));

    // Act
    const response = await rig.deliver(records.slice(0, 10));

    // Assess
    const failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const expected = records.slice(0, 10).filter((r) => r.body.includes('"issue":"russia-as-guarantor"')).map((r) => r.messageId);
    expect(failedIds).toEqual(new Set(expected));
    expect(expected.length).toBeGreaterThan(0);
    expect(rig.reports.at(-1)?.counts.failed).toBe(expected.length);
  });
});

describe('a registry that cannot be read', () => {
  it('fails back only the statements that need it; registry events and invalid events in the batch are settled', async () => {
    // Prepare: the registry read is throttled once, after the seed registry is in.
    const rig = await newRig();
    await loadSeedRegistry(rig);
    const statements = seedSampleEvents().slice(0, 3).map((event) => sqsRecord(event));
    const registration = sqsRecord(seedRegistryEvents()[0]!);
    const invalid = sqsRecordFromBody('{"not":"an event"}');
    const registryRepository = rig.ports.registry as { loadRegistry: () => Promise<unknown> };
    const loadRegistry = registryRepository.loadRegistry.bind(registryRepository);
    let refusals = 1;
    registryRepository.loadRegistry = async () => {
      if (refusals-- > 0) throw new Error('ThrottlingException: rate exceeded');
      return loadRegistry();
    };

    // Act
    const response = await rig.deliver([...statements, registration, invalid]);
    const retry = await rig.deliver(statements.map(redeliver));

    // Assess
    expect(new Set(response.batchItemFailures.map((f) => f.itemIdentifier))).toEqual(new Set(statements.map((r) => r.messageId)));
    expect(rig.reports.at(-2)?.counts).toMatchObject({ received: 5, failed: 3, quarantined: 1, registry: 1 });
    expect(retry.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.counts).toMatchObject({ applied: 3, failed: 0 });
  });
});

describe('divergences that close', () => {
  it('closes with the statements said while it was open as evidence, and alerts Converged once', async () => {
    // Prepare: an outsider against a bloc of three; members keep talking while it is open, then it comes round.
    const w = syntheticWorld({ members: 3, outsiders: 1, issues: 1 });
    const rig = await newRig();
    await deliverAll(rig, syntheticRegistryEvents(w, { blocSplit: false }));
    const [m1, m2, m3] = w.members as [string, string, string];
    const outsider = w.outsiders[0] as string;
    const i = w.issues[0] as string;
    const script = [
      statementEvent({ statementId: 'm1-a', actor: m1, issue: i, stance: 2, saidAt: minutesAfter(1) }),
      statementEvent({ statementId: 'm2-a', actor: m2, issue: i, stance: 2, saidAt: minutesAfter(2) }),
      statementEvent({ statementId: 'o-a', actor: outsider, issue: i, stance: -2, saidAt: minutesAfter(3) }),
      statementEvent({ statementId: 'm3-a', actor: m3, issue: i, stance: 1, saidAt: minutesAfter(4) }),
      statementEvent({ statementId: 'o-b', actor: outsider, issue: i, stance: -1, saidAt: minutesAfter(5) }),
      statementEvent({ statementId: 'm1-b', actor: m1, issue: i, stance: 1, saidAt: minutesAfter(6) }),
      statementEvent({ statementId: 'o-c', actor: outsider, issue: i, stance: 0, saidAt: minutesAfter(7) }),
    ];

    // Act
    for (const event of script) await rig.deliver([sqsRecord(event)]);

    // Assess
    const table = await state(rig);
    expect(table.pointers).toEqual([]);
    expect(table.episodes).toHaveLength(1);
    const [episode] = table.episodes;
    expect(episode?.status).toBe('closed');
    expect(episode?.episode.evidence).toEqual({ actor: ['o-a', 'o-b', 'o-c'], other: ['m1-a', 'm2-a', 'm3-a', 'm1-b'] });
    expect(rig.publisher.ofType(POSITIONS_CONVERGED)).toHaveLength(1);
    await expectStoreMatchesReplay(rig);
  });
});

describe('alerts whose evidence is at the contract maxima', () => {
  /** EventBridge's entry limit read strictly; the bus refuses any entry over it, as EventBridge does past 256 KB. */
  const ENTRY_LIMIT = 256_000;
  const w = syntheticWorld({ members: 3, outsiders: 1, issues: 1 });
  const [m1, m2, m3] = w.members as [string, string, string];
  const outsider = w.outsiders[0] as string;
  const issue = w.issues[0] as string;

  /** A Statement Recorded with quote, translation, outlet and id at their documented maxima, in Arabic. */
  const maxSizeStatement = (actor: string, n: number, stance: -2 | 2, minute: number): PublishedEvent => {
    const event = statementEvent({ statementId: maxId(actor, n), actor, issue, stance, saidAt: minutesAfter(minute) });
    return { ...event, detail: { ...(event.detail as object), quote: maxQuote('arabic'), source: maxSource('arabic') } };
  };

  /** The bloc at +2, the outsider at -2 (open), twelve more of the outsider's and ten of the members' while it is open. */
  const openForLong = (): PublishedEvent[] => [
    ...[m1, m2, m3].map((member, i) => maxSizeStatement(member, 0, 2, i)),
    maxSizeStatement(outsider, 0, -2, 10),
    ...Array.from({ length: 12 }, (_, i) => maxSizeStatement(outsider, i + 1, -2, 20 + i)),
    ...Array.from({ length: 10 }, (_, i) => maxSizeStatement([m1, m2, m3][i % 3]!, i + 1, 2, 40 + i)),
  ];

  const busRig = async () => {
    const bus = new LocalEventBus({ maxEntryBytes: ENTRY_LIMIT });
    const published: EventBridgeEvent[] = [];
    bus.subscribe((event) => published.push(event));
    const rig = await newRig({ publisher: new LocalBusPublisher(bus) });
    await deliverAll(rig, syntheticRegistryEvents(w, { blocSplit: false }));
    return { rig, published };
  };

  it('publishes the Converged alert within one entry, counting what it leaves out, and dead-letters nothing after it', async () => {
    // Prepare
    const { rig, published } = await busRig();
    const script = [...openForLong(), maxSizeStatement(outsider, 13, 2, 60)];
    const later = [m1, m2, m3, outsider].map((actor, i) =>
      statementEvent({ statementId: `after-${i}`, actor, issue, stance: 1, saidAt: minutesAfter(70 + i) }),
    );

    // Act: one message at a time, as the queue would hand them out in said order.
    const failures = [];
    for (const event of [...script, ...later]) failures.push(...(await rig.deliver([sqsRecord(event)])).batchItemFailures);

    // Assess
    expect(failures).toEqual([]);
    const table = await state(rig);
    expect(table.outbox).toEqual([]);
    const converged = published.filter((e) => e['detail-type'] === POSITIONS_CONVERGED && (e.detail as { kind: string }).kind === 'actor-vs-bloc');
    expect(converged).toHaveLength(1);
    const detail = converged[0]!.detail as { evidence: { actor: unknown[]; other: unknown[] }; evidenceOmitted: { actor: number; other: number } };
    const entry = { Source: TRACKER_SOURCE, DetailType: POSITIONS_CONVERGED, Detail: JSON.stringify(detail) };
    expect(putEventsEntrySize(entry)).toBeLessThanOrEqual(ENTRY_LIMIT);
    const episode = table.episodes.find((e) => e.episode.kind === 'actor-vs-bloc')!;
    expect(detail.evidence.actor.length + detail.evidenceOmitted.actor).toBe(episode.episode.evidence.actor.length);
    expect(detail.evidence.other.length + detail.evidenceOmitted.other).toBe(episode.episode.evidence.other.length);
    expect(detail.evidenceOmitted.actor + detail.evidenceOmitted.other).toBeGreaterThan(0);
    // The statements after it went through: each moved its actor's position and was announced.
    const changed = published.filter((e) => e['detail-type'] === POSITION_CHANGED).map((e) => (e.detail as { current: { statementId: string } }).current.statementId);
    expect(changed).toEqual(expect.arrayContaining(later.map((e) => (e.detail as { statementId: string }).statementId)));
    await expectStoreMatchesReplay(rig);
  });

  it('publishes an oversized alert left in the outbox by an earlier version, fitted, and frees the issue', async () => {
    // Prepare: the statements in history, and an alert recorded as before evidence was capped by bytes.
    const { rig, published } = await busRig();
    await deliverAll(rig, openForLong());
    const history = (await state(rig)).history;
    const latestTen = (actors: readonly string[]) =>
      history.filter((s) => actors.includes(s.actor)).sort((a, b) => (a.saidAt < b.saidAt ? 1 : -1)).slice(0, 10).map(toEvidence);
    const opened = published.find((e) => e['detail-type'] === POSITIONS_DIVERGED)!.detail as Record<string, unknown>;
    const { evidenceOmitted: _counted, ...uncounted } = opened;
    const legacyDetail = { ...uncounted, alertId: 'al-legacy00000000000000-opened', evidence: { actor: latestTen([outsider]), other: latestTen([m1, m2, m3]) } };
    expect(putEventsEntrySize({ Source: TRACKER_SOURCE, DetailType: POSITIONS_DIVERGED, Detail: JSON.stringify(legacyDetail) })).toBeGreaterThan(ENTRY_LIMIT);
    await rig.ports.tracker.recordAlert({
      alertId: legacyDetail.alertId, issue, episodeId: String(opened['episodeId']),
      transition: 'opened', detailType: POSITIONS_DIVERGED, detail: legacyDetail as never, recordedAt: minutesAfter(0), pushed: true,
    });

    // Act
    const response = await rig.deliver([sqsRecord(statementEvent({ statementId: 'after-legacy', actor: m1, issue, stance: 1, saidAt: minutesAfter(80) }))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await state(rig)).outbox).toEqual([]);
    const legacy = published.find((e) => (e.detail as { alertId: string }).alertId === 'al-legacy00000000000000-opened')!;
    expect(putEventsEntrySize({ Source: TRACKER_SOURCE, DetailType: POSITIONS_DIVERGED, Detail: JSON.stringify(legacy.detail) })).toBeLessThanOrEqual(ENTRY_LIMIT);
    const { evidence, evidenceOmitted } = legacy.detail as { evidence: { actor: unknown[]; other: unknown[] }; evidenceOmitted: { actor: number; other: number } };
    expect({ actor: evidence.actor.length + evidenceOmitted.actor, other: evidence.other.length + evidenceOmitted.other }).toEqual({ actor: 10, other: 10 });
  });
});
