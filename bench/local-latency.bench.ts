/**
 * Publish-to-event latency of the local runtime: 1,000 statements published one at a time through
 * the PutEvents endpoint with the AWS SDK, each timed until the bus carries the Position Changed
 * it causes (and, when it opens or closes a divergence, each alert, timed from the statement that
 * caused it: the latest said of the alert's evidence). The path measured is the whole
 * local pipeline: HTTP, the bus, rule matching, the processor queue (with its batching window),
 * the handler on the embedded DynamoDB, and the publish back onto the bus.
 *
 *   npx tsx bench/local-latency.bench.ts [--statements N]
 *
 * Prints the figures; the last line is one JSON object, also written to bench/results/local-latency.json.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DESK_SOURCE, TRACKER_SOURCE } from '../events/common.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../events/outbound/divergence-alert.v1.ts';
import { POSITION_CHANGED } from '../events/outbound/position-changed.v1.ts';
import type { Output } from '../local/console/terminal.ts';
import { startRuntime } from '../local/runtime.ts';

/** Issue 15's targets: p99 of publish → Position Changed, and of publish → alert. */
const TARGET_POSITION_CHANGED_P99_MS = 50;
const TARGET_ALERT_P99_MS = 100;
const WARM_UP = 20;
/** A statement whose Position Changed has not arrived by then counts as lost. */
const TIMEOUT_MS = 5_000;

const { values } = parseArgs({ options: { statements: { type: 'string', default: '1000' }, churn: { type: 'string', default: '0.25' } } });
const STATEMENTS = Number(values.statements);
/**
 * Share of statements that move the speaker's actor to another stance; the others reaffirm the
 * current one (a new statement, so still a Position Changed, but no divergence transition). A
 * desk's stream is mostly reaffirmations; --churn 1 is the worst case, nearly every statement
 * opening or closing a divergence.
 */
const CHURN = Number(values.churn);

const SPEAKERS = ['putin', 'rutte', 'elysee-source', 'trump', 'german-government', 'zelensky', 'starmer'];
const ISSUES = ['western-troops-in-ukraine', 'russia-as-guarantor', 'ceasefire-before-peace-deal', 'us-security-backstop'];

/** A fixed pseudo-random sequence in [0, 1), so every run publishes the same statements. */
function* randoms(seed = 42): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
};

interface AlertDetail {
  evidence: { actor: ReadonlyArray<{ statementId: string; saidAt: string }>; other: ReadonlyArray<{ statementId: string; saidAt: string }> };
}

/** The statement that caused an alert: the latest said of its evidence, both sides. */
const alertCause = ({ evidence }: AlertDetail): string | undefined =>
  [...evidence.actor, ...evidence.other].reduce<{ statementId: string; saidAt: string } | undefined>(
    (latest, item) => (latest === undefined || item.saidAt > latest.saidAt ? item : latest),
    undefined,
  )?.statementId;

const round = (value: number): number => Math.round(value * 100) / 100;

const summary = (samples: readonly number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)),
  };
};

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'tracker-bench-'));
  const errors: string[] = [];
  const quiet: Output = { line: () => undefined, error: (text) => void errors.push(text) };
  const runtime = await startRuntime({ busPort: 0, apiPort: 0, dynamodbPort: 0, replay: false, output: quiet, snapshotsDir: join(dir, 'snapshots') });
  const client = new EventBridgeClient({
    endpoint: runtime.endpoints.bus,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  // statementId → resolves when its Position Changed is on the bus.
  const waiting = new Map<string, (at: number) => void>();
  // statementId → when it was published, for the statements measured.
  const publishedAt = new Map<string, number>();
  const alertLatencies: number[] = [];
  runtime.bus.subscribe((event) => {
    const at = performance.now();
    if (event.source !== TRACKER_SOURCE) return;
    if (event['detail-type'] === POSITION_CHANGED) {
      const statementId = (event.detail as { current: { statementId: string } }).current.statementId;
      waiting.get(statementId)?.(at);
    } else if (event['detail-type'] === POSITIONS_DIVERGED || event['detail-type'] === POSITIONS_CONVERGED) {
      // An alert is timed from the statement that caused it: the latest said of its evidence (the
      // bench says each statement a minute after the one before), not from whichever statement is
      // in flight, so an alert published after the next statement went out still counts for its own.
      const cause = alertCause(event.detail as unknown as AlertDetail);
      const from = cause === undefined ? undefined : publishedAt.get(cause);
      if (from !== undefined) alertLatencies.push(at - from);
    }
  });

  const random = randoms();
  const next = (): number => random.next().value as number;
  const current = new Map<string, number>();
  const stanceFor = (speaker: string, issue: string): number => {
    const key = `${speaker} ${issue}`;
    const previous = current.get(key);
    let stance = previous ?? Math.floor(next() * 5) - 2;
    if (previous !== undefined && next() < CHURN) {
      const others = [-2, -1, 0, 1, 2].filter((value) => value !== previous);
      stance = others[Math.floor(next() * others.length)] as number;
    }
    current.set(key, stance);
    return stance;
  };
  const latencies: number[] = [];
  let measuring = false;
  let lost = 0;
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  const startedAt = performance.now();
  let measuredFrom = startedAt;
  let cpuFrom = process.cpuUsage();
  try {
    for (let i = 0; i < WARM_UP + STATEMENTS; i++) {
      if (i === WARM_UP) {
        measuring = true;
        measuredFrom = performance.now();
        cpuFrom = process.cpuUsage();
      }
      const statementId = `bench-${i}`;
      const saidAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      const speaker = SPEAKERS[i % SPEAKERS.length] as string;
      const issue = ISSUES[Math.floor(i / SPEAKERS.length) % ISSUES.length] as string;
      const detail = {
        schemaVersion: '1',
        statementId,
        speaker,
        issue,
        stance: stanceFor(speaker, issue),
        hedged: false,
        quote: { text: 'تصريح للقياس', lang: 'ar' },
        saidAt,
        source: { outlet: 'bench' },
        recordedBy: 'bench',
      };
      const observed = new Promise<number>((resolve) => waiting.set(statementId, resolve));
      const sentAt = performance.now();
      if (measuring) publishedAt.set(statementId, sentAt);
      const result = await client.send(
        new PutEventsCommand({ Entries: [{ Source: DESK_SOURCE, DetailType: 'Statement Recorded', Detail: JSON.stringify(detail) }] }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) throw new Error(`PutEvents refused ${statementId}: ${JSON.stringify(result.Entries)}`);
      let timer: NodeJS.Timeout | undefined;
      const at = await Promise.race([observed, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), TIMEOUT_MS)))]);
      clearTimeout(timer);
      waiting.delete(statementId);
      if (at === undefined) lost++;
      else if (measuring) latencies.push(at - sentAt);
    }
    // Alerts of the last statement may still be on their way.
    await runtime.settle();
    cpu = process.cpuUsage(cpuFrom);
  } finally {
    client.destroy();
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
  }
  const elapsedS = (performance.now() - measuredFrom) / 1000;

  const positionChanged = summary(latencies);
  const alerts = summary(alertLatencies);
  const result = {
    benchmark: 'local-latency',
    statements: STATEMENTS,
    warmUp: WARM_UP,
    churn: CHURN,
    mode: 'closed loop: one statement in flight at a time, SDK PutEvents over HTTP',
    positionChangedMs: positionChanged,
    alertMs: alerts,
    lost,
    throughputPerSecond: round(STATEMENTS / elapsedS),
    // The whole pipeline (SDK, bus, handlers, embedded DynamoDB) runs in this one process: its CPU
    // time per statement is the latency floor on an otherwise idle core.
    cpuMsPerStatement: round((cpu.user + cpu.system) / 1000 / STATEMENTS),
    targetP99Ms: { positionChanged: TARGET_POSITION_CHANGED_P99_MS, alert: TARGET_ALERT_P99_MS },
    meetsTarget: lost === 0 && positionChanged.p99 < TARGET_POSITION_CHANGED_P99_MS && (alerts.count === 0 || alerts.p99 < TARGET_ALERT_P99_MS),
    runtimeErrors: errors.length,
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    // Other processes on the machine compete for its cores; the 1-minute load says how much.
    loadAverage: { before: round(loadBefore), after: round(loadavg()[0] ?? 0) },
    at: new Date().toISOString(),
  };

  console.log(`Local runtime, publish → event on the bus, ${STATEMENTS} statements (after ${WARM_UP} warm-up), one at a time, churn ${CHURN}`);
  console.log(`  Position Changed  p50 ${positionChanged.p50} ms  p90 ${positionChanged.p90} ms  p99 ${positionChanged.p99} ms  max ${positionChanged.max} ms  (n=${positionChanged.count})`);
  console.log(`  Alerts            p50 ${alerts.p50} ms  p90 ${alerts.p90} ms  p99 ${alerts.p99} ms  max ${alerts.max} ms  (n=${alerts.count})`);
  console.log(`  ${result.throughputPerSecond} statements/s, ${lost} lost, ${errors.length} runtime error line(s); targets p99 < ${TARGET_POSITION_CHANGED_P99_MS} ms (Position Changed) and < ${TARGET_ALERT_P99_MS} ms (alerts): ${result.meetsTarget ? 'met' : 'NOT met'}`);
  console.log(`  ${result.cpuMsPerStatement} ms of CPU per statement in the runtime process; machine: ${result.cpus} CPUs, 1-minute load ${result.loadAverage.before} before, ${result.loadAverage.after} after`);
  for (const line of errors.slice(0, 10)) console.log(`  runtime: ${line}`);

  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'local-latency.json'), `${JSON.stringify(result, null, 2)}\n`, 'utf8');
  console.log(JSON.stringify(result));
  if (!result.meetsTarget) process.exitCode = 1;
}

await main();
