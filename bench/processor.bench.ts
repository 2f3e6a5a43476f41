/**
 * Throughput and capacity of the statement processor: the real handler (middy, Powertools,
 * DynamoDB repositories) on SQS batches, against dynalite embedded in this process, with 1 KB
 * quotes. Side by side in the same run, plain 1 KB PutItems on the same store and client give the
 * store's own pace, so the ratio says what the processor costs relative to the cheapest write.
 *
 * Capacity is what the store reports (ReturnConsumedCapacity TOTAL) summed over every call, with
 * index copies and refused conditional writes added as DynamoDB bills them (see capacity-meter.ts).
 * Statements follow a newsroom's pattern: most restate the speaker's position, some move it by a
 * point, the watched outsider mostly opposes the bloc; all in said order, as they usually arrive.
 *
 * Prints readable lines, then one JSON object as the last line; also writes bench/results/processor.json.
 * Run with `npm run bench`; `npm run bench -- --only throughput` (or `capacity`, `batched`) runs that part alone
 * and writes nothing to bench/results/: for comparing two versions of the write path alternated on
 * the same machine load.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stance } from '../events/common.ts';
import { DynamoTrackerRepository } from '../functions/adapters/dynamodb/tracker.repository.ts';
import { toReportedStatement } from '../functions/application/contracts-v1.ts';
import { resolveStatement } from '../functions/core/resolution.ts';
import { parseEvent } from '../events/validation.ts';
import type { StatementRecord } from '../functions/core/types.ts';
import type { EventPublisher, OutboundEvent } from '../functions/application/ports.ts';
import { startDynalite, type EmbeddedDynamo } from '../support/dynalite.ts';
import { createProcessorRig, type ProcessorRig } from '../support/processor-rig.ts';
import { seededRandom } from '../support/shuffle.ts';
import { sqsRecord, type PublishedEvent } from '../support/sqs-events.ts';
import { minutesAfter, quoteOfBytes, statementEvent, syntheticRegistryEvents, syntheticWorld, type SyntheticWorld } from '../support/synthetic.ts';
import { meterCapacity, type CapacityTotals } from './capacity-meter.ts';
import { ARCHIVE_BATCH_SIZE, PROCESSOR_BATCH_SIZE } from '../infra/constructs/processor.ts';

const QUOTE_BYTES = 1_024;
const LANES = 4;
const THROUGHPUT_MEMBERS = 50;
const THROUGHPUT_STATEMENTS_PER_LANE = 150;
const RAW_PUTS = 1_200;
const REPEATS = 3;
const CAPACITY_STATEMENTS: Record<number, number> = { 5: 200, 50: 200, 500: 80 };
/** Back-fill: one issue, statements delivered in the archive lane's batches (100) in said order and in reverse; at 2,000 also in the live lane's (10). */
const BACKFILL_SIZES = [200, 2_000] as const;
const BACKFILL_MEMBERS = 50;
const RESULTS_FILE = new URL('./results/processor.json', import.meta.url);

interface Speakers {
  actors: string[];
  stances: Map<string, number>;
}

/**
 * A stream of statements on one issue: the outsider speaks one time in ten, members the rest; a
 * statement restates its actor's stance nine times in ten and moves it by one point otherwise.
 */
const newsroomStream = (world: SyntheticWorld, issue: string, random: () => number, idPrefix: string) => {
  const outsider = world.outsiders[0] as string;
  const speakers: Speakers = {
    actors: [outsider, ...world.members],
    stances: new Map([[outsider, -2], ...world.members.map((m, i) => [m, i % 2 === 0 ? 2 : 1] as [string, number])]),
  };
  let minute = 0;
  let n = 0;
  return (): PublishedEvent => {
    const actor = random() < 0.1 ? outsider : (world.members[Math.floor(random() * world.members.length)] as string);
    let stance = speakers.stances.get(actor) ?? 0;
    if (random() < 0.1) stance = Math.max(-2, Math.min(2, stance + (random() < 0.5 ? -1 : 1)));
    speakers.stances.set(actor, stance);
    minute += 1;
    n += 1;
    return statementEvent({
      statementId: `${idPrefix}-${String(n).padStart(6, '0')}`,
      actor,
      issue,
      stance: stance as Stance,
      saidAt: minutesAfter(minute, Date.parse('2026-03-01T00:00:00.000Z')),
      quoteBytes: QUOTE_BYTES,
    });
  };
};

/** Every actor's opening position on the issue, written straight to the store (no divergence among them). */
const seedPositions = async (rig: ProcessorRig, world: SyntheticWorld, issue: string): Promise<void> => {
  const registry = await rig.ports.registry.loadRegistry();
  const tracker = rig.ports.tracker as DynamoTrackerRepository;
  const actors = [...world.members, ...world.outsiders];
  const statements: StatementRecord[] = actors.map((actor, i) => {
    const parsed = parseEvent(
      statementEvent({ statementId: `seed-${issue}-${i}`, actor, issue, stance: 1, saidAt: minutesAfter(i, Date.parse('2026-02-01T00:00:00.000Z')), quoteBytes: QUOTE_BYTES }),
    );
    if (!parsed.ok || parsed.event.detailType !== 'Statement Recorded') throw new Error('bad seed statement');
    return resolveStatement(toReportedStatement(parsed.event), registry);
  });
  for (let i = 0; i < statements.length; i += 25) {
    await Promise.all(statements.slice(i, i + 25).map(async (s) => {
      await tracker.recordStatement(s);
      await tracker.applyPosition(s);
    }));
  }
};

const registryFor = async (rig: ProcessorRig, world: SyntheticWorld): Promise<void> => {
  const events = syntheticRegistryEvents(world);
  for (let i = 0; i < events.length; i += 10) {
    const response = await rig.deliver(events.slice(i, i + 10).map((e) => sqsRecord(e)));
    if (response.batchItemFailures.length > 0) throw new Error(`registry load failed: ${String((rig.reports.at(-1)?.outcomes.find((o) => o.status === 'failed') as { error?: unknown } | undefined)?.error)}`);
  }
};

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

interface CapacityFigures {
  members: number;
  statements: number;
  wcuPerStatement: number;
  rcuPerStatement: number;
  /** The same, over the statements that recorded no alert (no divergence opened or closed). */
  wcuPerQuietStatement: number;
  rcuPerQuietStatement: number;
  maxWcu: number;
  maxRcu: number;
  /** Share of statements that recorded an alert. */
  transitionRate: number;
  /**
   * What one transition (an alert recorded: opened, closed, withdrawn or reinstated) adds to its
   * statement: the WCU of statements with alerts beyond a quiet statement's, per alert.
   */
  wcuPerTransition: number;
  callsPerStatement: number;
  /** As dynalite itself reports it (strings sized in UTF-16 code units, no index copies). */
  reportedByStore: { wcuPerStatement: number; rcuPerStatement: number };
  /** The container's first statement, which also loads the registry; not in the means above. */
  firstStatement: { wcu: number; rcu: number };
}

/** The bus is not what is measured: events are counted and dropped. */
class CountingPublisher implements EventPublisher {
  events = 0;
  async publish(events: readonly OutboundEvent[]): Promise<void> {
    this.events += events.length;
  }
}

/** A metered processor on one seeded issue of `members`, and the newsroom stream on it. */
const meteredIssue = async (store: EmbeddedDynamo, members: number) => {
  const client = store.newClient();
  const meter = meterCapacity(client);
  const rig = createProcessorRig({ client, tableName: await store.createTable(), publisher: new CountingPublisher() });
  const world = syntheticWorld({ members, outsiders: 1, issues: 1 });
  const issue = world.issues[0] as string;
  await registryFor(rig, world);
  await seedPositions(rig, world, issue);
  return { meter, rig, next: newsroomStream(world, issue, seededRandom(members), `cap${members}`) };
};

interface BatchedFigures {
  members: number;
  statements: number;
  batchSize: number;
  callsPerStatement: number;
  wcuPerStatement: number;
  rcuPerStatement: number;
  /** Calls per statement by operation. */
  byOperation: Record<string, number>;
}

/** The same stream delivered as the throughput part delivers it, in batches of 10: what a statement costs there. */
const measureBatched = async (store: EmbeddedDynamo, members: number, statements: number, batchSize = 10): Promise<BatchedFigures> => {
  const { meter, rig, next } = await meteredIssue(store, members);
  await rig.deliver([sqsRecord(next())]);
  meter.reset();
  for (let i = 0; i < statements; i += batchSize) {
    const response = await rig.deliver(Array.from({ length: batchSize }, () => sqsRecord(next())));
    if (response.batchItemFailures.length > 0) throw new Error('statement failed in the batched capacity run');
  }
  const t = meter.snapshot();
  return {
    members, statements, batchSize,
    callsPerStatement: round(t.calls / statements, 2), wcuPerStatement: round(t.billed.write / statements), rcuPerStatement: round(t.billed.read / statements),
    byOperation: Object.fromEntries(Object.entries(t.byOperation).map(([operation, calls]) => [operation, round(calls / statements, 2)])),
  };
};

const measureCapacity = async (store: EmbeddedDynamo, members: number, statements: number): Promise<CapacityFigures> => {
  const { meter, rig, next } = await meteredIssue(store, members);
  // A container's first statement also loads the registry (once per container and TTL): kept apart.
  meter.reset();
  await rig.deliver([sqsRecord(next())]);
  const first = meter.snapshot();
  const per: Array<{ w: number; r: number; rw: number; rr: number; calls: number; alerts: number }> = [];
  for (let i = 0; i < statements; i += 1) {
    meter.reset();
    const response = await rig.deliver([sqsRecord(next())]);
    if (response.batchItemFailures.length > 0) throw new Error('statement failed in the capacity run');
    const counts = rig.reports.at(-1)?.counts;
    const alerts = (counts?.alertsOpened ?? 0) + (counts?.alertsClosed ?? 0) + (counts?.alertsWithdrawn ?? 0) + (counts?.alertsReinstated ?? 0);
    const t: CapacityTotals = meter.snapshot();
    if (t.reportedCalls === 0) throw new Error('the store reported no consumed capacity');
    per.push({ w: t.billed.write, r: t.billed.read, rw: t.reported.write, rr: t.reported.read, calls: t.calls, alerts });
  }
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const quiet = per.filter((p) => p.alerts === 0);
  const loud = per.filter((p) => p.alerts > 0);
  const quietWcu = mean(quiet.map((p) => p.w));
  const alerts = loud.reduce((sum, p) => sum + p.alerts, 0);
  return {
    members,
    statements,
    wcuPerStatement: round(mean(per.map((p) => p.w))),
    rcuPerStatement: round(mean(per.map((p) => p.r))),
    wcuPerQuietStatement: round(mean(quiet.map((p) => p.w))),
    rcuPerQuietStatement: round(mean(quiet.map((p) => p.r))),
    maxWcu: Math.max(...per.map((p) => p.w)),
    maxRcu: Math.max(...per.map((p) => p.r)),
    transitionRate: round(loud.length / per.length),
    wcuPerTransition: alerts === 0 ? 0 : round(loud.reduce((sum, p) => sum + p.w - quietWcu, 0) / alerts),
    callsPerStatement: round(mean(per.map((p) => p.calls)), 2),
    reportedByStore: { wcuPerStatement: round(mean(per.map((p) => p.rw))), rcuPerStatement: round(mean(per.map((p) => p.rr))) },
    firstStatement: { wcu: first.billed.write, rcu: first.billed.read },
  };
};

/**
 * CPU time of the whole process (handler and the store's thread alike) per unit of work since
 * `since`, in ms: less at the mercy of other load on the machine than the wall-clock rates.
 */
const cpuMsEach = (since: NodeJS.CpuUsage, units: number): number => {
  const { user, system } = process.cpuUsage(since);
  return round((user + system) / 1000 / units);
};

/** The processor with LANES invocations at a time, each lane feeding its own issue in batches of 10. */
const measureThroughput = async (store: EmbeddedDynamo): Promise<{ statementsPerSecond: number; statements: number; seconds: number; cpuMsEach: number }> => {
  const rig = createProcessorRig({ client: store.client, tableName: await store.createTable(), publisher: new CountingPublisher() });
  const world = syntheticWorld({ members: THROUGHPUT_MEMBERS, outsiders: 1, issues: LANES });
  await registryFor(rig, world);
  for (const issue of world.issues) await seedPositions(rig, world, issue);
  const lanes = world.issues.map((issue, lane) => {
    const next = newsroomStream(world, issue, seededRandom(100 + lane), `tp${lane}`);
    return Array.from({ length: THROUGHPUT_STATEMENTS_PER_LANE }, () => sqsRecord(next()));
  });
  // Warm the code paths (JIT, connections) on a few batches that are not timed.
  await Promise.all(lanes.map((records) => rig.deliver(records.splice(0, 10))));
  const timed = lanes.reduce((sum, records) => sum + records.length, 0);
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    lanes.map(async (records) => {
      for (let i = 0; i < records.length; i += 10) {
        const response = await rig.deliver(records.slice(i, i + 10));
        if (response.batchItemFailures.length > 0) throw new Error('statement failed in the throughput run');
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { statementsPerSecond: round(timed / seconds, 1), statements: timed, seconds: round(seconds, 2), cpuMsEach: cpuMsEach(cpu, timed) };
};

interface BackfillFigures {
  statements: number;
  /** Statements per delivered batch (the processor's SQS batch size unless `--batch` says otherwise). */
  batchSize: number;
  inOrderPerSecond: number;
  reversePerSecond: number;
  ratio: number;
}

/** `count` statements of the newsroom stream on one fresh issue, in batches of `batchSize`, in the order given; statements/s. */
const measureDelivery = async (store: EmbeddedDynamo, count: number, order: 'said' | 'reverse', batchSize: number): Promise<number> => {
  const rig = createProcessorRig({ client: store.client, tableName: await store.createTable(), publisher: new CountingPublisher() });
  const world = syntheticWorld({ members: BACKFILL_MEMBERS, outsiders: 1, issues: 1 });
  await registryFor(rig, world);
  const next = newsroomStream(world, world.issues[0] as string, seededRandom(7), `bf${count}`);
  const records = Array.from({ length: count }, () => sqsRecord(next()));
  if (order === 'reverse') records.reverse();
  const started = performance.now();
  for (let i = 0; i < records.length; i += batchSize) {
    const response = await rig.deliver(records.slice(i, i + batchSize));
    if (response.batchItemFailures.length > 0) throw new Error(`statement failed in the ${order} back-fill run`);
  }
  return round(count / ((performance.now() - started) / 1000), 1);
};

/** The same statements in said order and in reverse said order (every one late), each on a fresh store, in one run. */
const measureBackfill = async (count: number, batchSize: number): Promise<BackfillFigures> => {
  const inOrderPerSecond = await withStore((fresh) => measureDelivery(fresh, count, 'said', batchSize));
  const reversePerSecond = await withStore((fresh) => measureDelivery(fresh, count, 'reverse', batchSize));
  return { statements: count, batchSize, inOrderPerSecond, reversePerSecond, ratio: round(reversePerSecond / inOrderPerSecond) };
};

/** Plain 1 KB PutItems on the same store and client, LANES at a time. */
const measureRawPuts = async (store: EmbeddedDynamo, client: DynamoDBClient): Promise<{ rawPutsPerSecond: number; seconds: number; cpuMsEach: number }> => {
  const tableName = await store.createTable();
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const text = quoteOfBytes(QUOTE_BYTES);
  const put = (i: number) => doc.send(new PutCommand({ TableName: tableName, Item: { pk: `RAW#${i % 64}`, sk: `ITEM#${String(i).padStart(8, '0')}`, text } }));
  for (let i = 0; i < 40; i += 1) await put(-1 - i);
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < RAW_PUTS) {
        const i = next;
        next += 1;
        await put(i);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rawPutsPerSecond: round(RAW_PUTS / seconds, 1), seconds: round(seconds, 2), cpuMsEach: cpuMsEach(cpu, RAW_PUTS) };
};

/** dynalite on a thread of its own, as DynamoDB is a service of its own: its work does not queue behind the handler's. */
const withStore = async <T>(work: (store: EmbeddedDynamo) => Promise<T>): Promise<T> => {
  const store = await startDynalite({ thread: true });
  try {
    return await work(store);
  } finally {
    await store.stop();
  }
};

const PARTS = ['throughput', 'capacity', 'batched', 'backfill'] as const;
type Part = (typeof PARTS)[number];

/**
 * `--only throughput` (the alternated runs and their ratio), `--only capacity` (the capacity runs)
 * `--only batched` (calls and units per statement in batches of 10) or `--only backfill [--sizes 200,2000] [--batch 100]`
 * (the back-fill runs, to measure a change to the replay); undefined: everything.
 */
const onlyPart = (args: readonly string[]): Part | undefined => {
  const at = args.indexOf('--only');
  if (at === -1) return undefined;
  const part = args[at + 1];
  if (!PARTS.includes(part as Part)) throw new Error(`--only takes one of ${PARTS.join(', ')}, not ${JSON.stringify(part ?? '')}`);
  return part as Part;
};

type Log = (line: string) => void;

interface ThroughputFigures {
  statementsPerSecond: number;
  rawPutsPerSecond: number;
  ratio: number;
  /** Process CPU per raw put / per statement (medians): the ratio as CPU cost, steadier under load. */
  cpuRatio: number;
  cpuMsPerStatement: number;
  cpuMsPerRawPut: number;
  runs: { statementsPerSecond: number[]; rawPutsPerSecond: number[]; cpuMsPerStatement: number[]; cpuMsPerRawPut: number[] };
}

/**
 * Alternated and repeated, each on a fresh store, so warm-up, drift and the store's growing memory
 * weigh on both sides alike; the median is kept.
 */
const throughputPart = async (log: Log): Promise<ThroughputFigures> => {
  const rawRuns: number[] = [];
  const statementRuns: number[] = [];
  const rawCpu: number[] = [];
  const statementCpu: number[] = [];
  await withStore((fresh) => measureRawPuts(fresh, fresh.client));
  await withStore((fresh) => measureThroughput(fresh));
  for (let run = 1; run <= REPEATS; run += 1) {
    const raw = await withStore((fresh) => measureRawPuts(fresh, fresh.client));
    rawRuns.push(raw.rawPutsPerSecond);
    rawCpu.push(raw.cpuMsEach);
    log(`run ${run}: raw PutItem (1 KB)          ${raw.rawPutsPerSecond} puts/s (${raw.cpuMsEach} ms CPU each)`);
    const throughput = await withStore((fresh) => measureThroughput(fresh));
    statementRuns.push(throughput.statementsPerSecond);
    statementCpu.push(throughput.cpuMsEach);
    log(`run ${run}: statements (${THROUGHPUT_MEMBERS}-member bloc) ${throughput.statementsPerSecond} statements/s (${throughput.statements} in ${throughput.seconds}s, ${throughput.cpuMsEach} ms CPU each)`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const statementsPerSecond = median(statementRuns);
  const rawPutsPerSecond = median(rawRuns);
  const ratio = round(statementsPerSecond / rawPutsPerSecond);
  const cpuMsPerStatement = median(statementCpu);
  const cpuMsPerRawPut = median(rawCpu);
  const cpuRatio = round(cpuMsPerRawPut / cpuMsPerStatement);
  log(`median: ${statementsPerSecond} statements/s, ${rawPutsPerSecond} raw puts/s, ratio ${ratio}; CPU ${cpuMsPerStatement} / ${cpuMsPerRawPut} ms, ratio ${cpuRatio}`);
  return {
    statementsPerSecond, rawPutsPerSecond, ratio, cpuRatio, cpuMsPerStatement, cpuMsPerRawPut,
    runs: { statementsPerSecond: statementRuns, rawPutsPerSecond: rawRuns, cpuMsPerStatement: statementCpu, cpuMsPerRawPut: rawCpu },
  };
};

const capacityPart = async (log: Log): Promise<{ capacity: Record<string, CapacityFigures>; batched: BatchedFigures }> => {
  const batched = await withStore((fresh) => measureBatched(fresh, THROUGHPUT_MEMBERS, 200));
  log(
    `in batches of ${batched.batchSize} (${batched.members} members): ${batched.callsPerStatement} calls, ` +
      `${batched.wcuPerStatement} WCU, ${batched.rcuPerStatement} RCU per statement`,
  );
  const capacity: Record<string, CapacityFigures> = {};
  for (const members of [5, 50, 500]) {
    const figures = await withStore((fresh) => measureCapacity(fresh, members, CAPACITY_STATEMENTS[members] ?? 100));
    capacity[String(members)] = figures;
    log(
      `bloc of ${String(members).padStart(3)}: ${figures.wcuPerStatement} WCU, ${figures.rcuPerStatement} RCU per statement ` +
        `(without alerts: ${figures.wcuPerQuietStatement} WCU, ${figures.rcuPerQuietStatement} RCU; ` +
        `${Math.round(figures.transitionRate * 100)}% with alerts; ${figures.callsPerStatement} calls)`,
    );
  }
  return { capacity, batched };
};

/** `--sizes 200,2000`: the back-fill counts of `--only backfill` (by default those of the full run). */
const backfillSizes = (args: readonly string[]): number[] => {
  const at = args.indexOf('--sizes');
  if (at === -1) return [...BACKFILL_SIZES];
  const sizes = String(args[at + 1] ?? '').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error(`--sizes takes counts of at least 10, comma-separated, not ${JSON.stringify(args[at + 1] ?? '')}`);
  return sizes;
};

/**
 * `--batch 10`: the statements per delivered batch of `--only backfill` (by default the archive
 * lane's SQS batch size, as deployed: infra/constructs/processor.ts, where a back-fill is routed;
 * 10 is the live lane's).
 */
const backfillBatch = (args: readonly string[]): number => {
  const at = args.indexOf('--batch');
  if (at === -1) return ARCHIVE_BATCH_SIZE;
  const size = Number(args[at + 1]);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new Error(`--batch takes a batch size from 1 to 10000 (SQS's largest), not ${JSON.stringify(args[at + 1] ?? '')}`);
  return size;
};

const backfillPart = async (log: Log, sizes: readonly number[], batchSize: number): Promise<Record<string, BackfillFigures>> => {
  const backfill: Record<string, BackfillFigures> = {};
  for (const count of sizes) {
    const figures = await measureBackfill(count, batchSize);
    backfill[String(count)] = figures;
    log(`back-fill of ${count} on one issue in batches of ${batchSize}: ${figures.inOrderPerSecond} statements/s in said order, ${figures.reversePerSecond} in reverse, ratio ${figures.ratio}`);
  }
  return backfill;
};

const main = async (): Promise<void> => {
  const only = onlyPart(process.argv.slice(2));
  {
    const log: Log = (line) => process.stdout.write(`${line}\n`);
    log(`processor bench: dynalite embedded (own thread), ${QUOTE_BYTES} B quotes, ${LANES} lanes, node ${process.version}`);
    const part = { bench: 'processor', part: only, node: process.version };
    if (only === 'batched') {
      log(JSON.stringify({ ...part, batched: await withStore((fresh) => measureBatched(fresh, THROUGHPUT_MEMBERS, 200)), recordedAt: new Date().toISOString() }));
      return;
    }
    if (only === 'backfill') {
      const args = process.argv.slice(2);
      log(JSON.stringify({ ...part, backfill: await backfillPart(log, backfillSizes(args), backfillBatch(args)), recordedAt: new Date().toISOString() }));
      return;
    }
    if (only === 'capacity') {
      log(JSON.stringify({ ...part, ...(await capacityPart(log)), recordedAt: new Date().toISOString() }));
      return;
    }
    const { statementsPerSecond, rawPutsPerSecond, ratio, cpuRatio, cpuMsPerStatement, cpuMsPerRawPut, runs } = await throughputPart(log);
    if (only === 'throughput') {
      log(JSON.stringify({ ...part, statementsPerSecond, rawPutsPerSecond, ratio, cpuRatio, cpuMsPerStatement, cpuMsPerRawPut, runs, recordedAt: new Date().toISOString() }));
      return;
    }
    const { capacity, batched } = await capacityPart(log);
    // A back-fill is an archive import, which the bus routes to the archive lane's batches; the
    // same 2,000 through the live lane's batches of ten are measured beside it.
    const backfill = await backfillPart(log, BACKFILL_SIZES, ARCHIVE_BATCH_SIZE);
    const backfillRatio = (backfill[String(BACKFILL_SIZES.at(-1))] as BackfillFigures).ratio;
    const liveLaneBackfill = await backfillPart(log, [BACKFILL_SIZES.at(-1) as number], PROCESSOR_BATCH_SIZE);
    const liveLaneBackfillRatio = (liveLaneBackfill[String(BACKFILL_SIZES.at(-1))] as BackfillFigures).ratio;
    const at50 = capacity['50'] as CapacityFigures;
    const result = {
      bench: 'processor',
      quoteBytes: QUOTE_BYTES,
      lanes: LANES,
      statementsPerSecond,
      rawPutsPerSecond,
      ratio,
      cpuRatio,
      cpuMsPerStatement,
      cpuMsPerRawPut,
      wcuPerStatement: at50.wcuPerStatement,
      rcuPerStatement: at50.rcuPerStatement,
      wcuPerQuietStatement: at50.wcuPerQuietStatement,
      rcuPerQuietStatement: at50.rcuPerQuietStatement,
      wcuPerTransition: at50.wcuPerTransition,
      batched,
      backfillRatio,
      liveLaneBackfillRatio,
      members: THROUGHPUT_MEMBERS,
      runs,
      capacity,
      backfill,
      liveLaneBackfill,
      targets: {
        ratio: { min: 0.5, met: ratio >= 0.5 },
        wcuPerQuietStatementAt50: { max: 3, met: at50.wcuPerQuietStatement <= 3 },
        rcuPerQuietStatementAt50: { max: 2, met: at50.rcuPerQuietStatement <= 2 },
        backfillRatio: { min: 0.5, met: backfillRatio >= 0.5 },
      },
      node: process.version,
      recordedAt: new Date().toISOString(),
    };
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    log(JSON.stringify(result));
  }
};

await main();
