/**
 * What the end-to-end suites share: the seed as publishers send it, the divergences the seed
 * scenario must raise, a quiet runtime on free ports, and the read API called over HTTP.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { toPutEventsEntry } from '../../local/events-file.ts';
import { seedSampleEvents } from '../../local/seed/seed-events.ts';
import type { AlertItem, Matrix } from '../../functions/api/schemas.ts';
import type { Output } from '../../local/console/terminal.ts';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../local/runtime.ts';
import type { CliIo } from '../../local/cli.ts';

const runFile = promisify(execFile);

/** The seed samples as PutEvents entries, in file (said) order. */
export const seedEntries = (): PutEventsRequestEntry[] => seedSampleEvents().map(({ origin, event }) => toPutEventsEntry(event, origin));

/** statementId → the Arabic quote of the seed sample, as committed. */
export const seedQuotes = (): Map<string, string> =>
  new Map(
    seedSampleEvents().map(({ event }) => {
      const detail = event.detail as { statementId: string; quote: { text: string } };
      return [detail.statementId, detail.quote.text];
    }),
  );

/** The four divergences of the seed scenario (PRODUCT.md), as `kind issue actor bloc`. */
export const EXPECTED_DIVERGENCES = [
  'actor-vs-bloc ceasefire-before-peace-deal russia allies',
  'actor-vs-bloc russia-as-guarantor russia allies',
  'actor-vs-bloc western-troops-in-ukraine russia allies',
  'bloc-split western-troops-in-ukraine germany allies',
];

export const divergenceKey = (alert: Pick<AlertItem, 'kind' | 'issue' | 'actor' | 'bloc'>): string =>
  `${alert.kind} ${alert.issue} ${alert.actor} ${alert.bloc ?? '-'}`;

/** Stances the seed leaves on each issue, by actor. */
export const EXPECTED_STANCES: Record<string, Record<string, number>> = {
  'western-troops-in-ukraine': { france: 2, germany: 0, nato: 2, russia: -2, ukraine: 2 },
  'russia-as-guarantor': { russia: 2, ukraine: -2 },
  'ceasefire-before-peace-deal': { russia: -2, ukraine: 2 },
  'us-security-backstop': { france: 2, 'united-states': 1 },
};

export interface CapturedOutput extends Output {
  lines: string[];
  errors: string[];
  text(): string;
}

export const captureOutput = (): CapturedOutput => {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    line: (text) => void lines.push(text),
    error: (text) => void errors.push(text),
    text: () => [...lines, ...errors].join('\n'),
  };
};

export interface TestRuntime {
  runtime: Runtime;
  output: CapturedOutput;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A runtime on free ports, output captured, snapshots and feeds in a temporary directory. It builds
 * and serves the web app only when asked (`webApp: true`, the browser tests): every other suite
 * talks to the API and would pay an esbuild run per start for nothing.
 */
export async function startTestRuntime(options: RuntimeOptions = {}): Promise<TestRuntime> {
  const dir = await mkdtemp(join(tmpdir(), 'tracker-e2e-'));
  const output = captureOutput();
  const runtime = await startRuntime({
    busPort: 0,
    apiPort: 0,
    dynamodbPort: 0,
    replay: false,
    snapshotsDir: join(dir, 'snapshots'),
    feedsDir: join(dir, 'feeds'),
    output,
    webApp: false,
    ...options,
  });
  return {
    runtime,
    output,
    dir,
    stop: async () => {
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function apiGet<T>(runtime: Runtime, path: string, apiKey: string | null = runtime.apiKey): Promise<{ status: number; body: T }> {
  const response = await fetch(`${runtime.endpoints.api}${path}`, { headers: apiKey === null ? {} : { 'x-api-key': apiKey } });
  return { status: response.status, body: (await response.json()) as T };
}

export const stancesOf = (matrix: Matrix): Record<string, number> =>
  Object.fromEntries(matrix.positions.map((position) => [position.actor, position.stance]));

/** Every open alert through the read API (one page is enough for the seed). */
export async function openAlerts(runtime: Runtime): Promise<AlertItem[]> {
  const { status, body } = await apiGet<{ alerts: AlertItem[] }>(runtime, '/alerts?open=true&limit=100');
  if (status !== 200) throw new Error(`GET /alerts answered ${status}`);
  return body.alerts;
}

const awsProbe = spawnSync('aws', ['--version'], { stdio: 'ignore', timeout: 30_000 });
export const HAS_AWS_CLI = awsProbe.error === undefined && awsProbe.status === 0;
export const AWS_CLI_SKIP = HAS_AWS_CLI ? '' : ' [skipped: the aws CLI is not on PATH; install awscli to run it]';

/** Only what the CLI needs: no profile, config or real credentials of the machine. */
export const awsCliEnv = (home: string): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  HOME: home,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: join(home, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** `aws events put-events` against the runtime's bus, 10 entries a call (the API's limit), then the runtime settled. */
export const putWithAwsCli = async (test: TestRuntime, entries: readonly PutEventsRequestEntry[]): Promise<void> => {
  const { runtime, dir } = test;
  const file = join(dir, 'aws-cli-entries.json');
  for (let i = 0; i < entries.length; i += 10) {
    await writeFile(file, JSON.stringify(entries.slice(i, i + 10)), 'utf8');
    const { stdout } = await runFile(
      'aws',
      ['events', 'put-events', '--endpoint-url', runtime.endpoints.bus, '--region', 'us-east-1', '--output', 'json', '--entries', `file://${file}`],
      { env: awsCliEnv(dir), timeout: 60_000 },
    );
    const { FailedEntryCount } = JSON.parse(stdout) as { FailedEntryCount: number };
    if (FailedEntryCount !== 0) throw new Error(`aws events put-events failed ${FailedEntryCount} entries: ${stdout}`);
  }
  await runtime.settle();
};

/** A CLI io that keeps what the command printed. */
export const cliIo = (): CliIo & { stdout: string[]; stderr: string[]; bytes: Buffer[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const bytes: Buffer[] = [];
  return {
    stdout,
    stderr,
    bytes,
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
    write: (chunk) => void bytes.push(Buffer.from(chunk)),
    env: {},
  };
};

/**
 * A runtime with the seed replayed for the tests of one describe block, started before them and
 * stopped after; `connection` is the CLI's flags for it. Read both inside the tests.
 */
export const useSeededRuntime = (): { readonly test: TestRuntime; readonly connection: string[] } => {
  let test: TestRuntime | undefined;
  beforeAll(async () => {
    test = await startTestRuntime({ replay: true, report: false });
  });
  afterAll(async () => {
    await test?.stop();
  });
  return {
    get test() {
      if (test === undefined) throw new Error('the seeded runtime is read before it started');
      return test;
    },
    get connection() {
      const { endpoints, apiKey } = this.test.runtime;
      return ['--endpoint', endpoints.bus, '--api', endpoints.api, '--api-key', apiKey];
    },
  };
};
