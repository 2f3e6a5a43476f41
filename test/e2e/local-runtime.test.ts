/**
 * The local runtime end to end, as a developer uses it: started in-process on free ports with
 * --no-replay, fed by the real publishers (AWS SDK v3, the AWS CLI, the tracker CLI), read through
 * the read API. The seed scenario must come out as PRODUCT.md says: the positions, and exactly
 * the four divergences, with their Arabic quotes byte for byte.
 */
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { POSITIONS_DIVERGED } from '../../events/catalog.ts';
import type { AlertItem, Matrix } from '../../functions/api/schemas.ts';
import { DEFAULT_MAX_ENTRY_BYTES, putEventsEntrySize } from '../../local/bus/local-event-bus.ts';
import { runCli } from '../../local/cli.ts';
import { QUOTE_MARKER } from '../../local/console/report.ts';
import type { DeadLetter } from '../../local/delivery/dead-letter-queue.ts';
import {
  AWS_CLI_SKIP, EXPECTED_DIVERGENCES, cliIo, EXPECTED_STANCES, HAS_AWS_CLI, apiGet, awsCliEnv, divergenceKey, openAlerts, seedEntries, seedQuotes,
  stancesOf, startTestRuntime, type TestRuntime,
} from './support.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../local/bin/tracker.js', import.meta.url));

/** What the bin printed and how it ended, a non-zero exit included (execFile rejects on those). */
interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}
const runBin = (args: string[], env: NodeJS.ProcessEnv): Promise<BinResult> =>
  run(process.execPath, [BIN, ...args], { env, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );

/** A statement by Rutte whose quote, translation and outlet a spreadsheet would run as formulas. */
const formulaText = JSON.parse(
  readFileSync(new URL('../fixtures/statements/formula-text.hypothetical.json', import.meta.url), 'utf8'),
) as { source: string; 'detail-type': string; detail: Record<string, unknown> };

/** C0 but tab and LF, DEL, C1, and the bidi embeddings, overrides and isolates: none may reach a terminal. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const sdkClient = (endpoint: string): EventBridgeClient =>
  new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

async function putInChunks(client: EventBridgeClient, entries: readonly PutEventsRequestEntry[]): Promise<number> {
  let failed = 0;
  for (let i = 0; i < entries.length; i += 10) {
    const result = await client.send(new PutEventsCommand({ Entries: entries.slice(i, i + 10) }));
    failed += result.FailedEntryCount ?? 0;
  }
  return failed;
}

async function expectSeedOutcome(test: TestRuntime): Promise<AlertItem[]> {
  const { runtime } = test;
  for (const [issue, expected] of Object.entries(EXPECTED_STANCES)) {
    const { status, body } = await apiGet<Matrix>(runtime, `/issues/${issue}/positions`);
    expect(status).toBe(200);
    expect(stancesOf(body)).toEqual(expected);
  }
  const alerts = await openAlerts(runtime);
  expect(alerts.map(divergenceKey).sort()).toEqual(EXPECTED_DIVERGENCES);
  // Every quote behind every alert is the committed seed text, byte for byte.
  const quotes = seedQuotes();
  for (const alert of alerts) {
    for (const evidence of [...alert.evidence.actor, ...alert.evidence.other]) {
      const committed = quotes.get(evidence.statementId);
      expect(committed).toBeDefined();
      expect(Buffer.from(evidence.quote?.text ?? '', 'utf8').equals(Buffer.from(committed ?? '', 'utf8'))).toBe(true);
    }
  }
  return alerts;
}

describe('the seed published with the AWS SDK EventBridge client', () => {
  let test: TestRuntime;
  let client: EventBridgeClient;
  let webhook: Server;
  const posted: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];

  beforeAll(async () => {
    webhook = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        posted.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/alerts`;
    test = await startTestRuntime({ alertsWebhook: hook });
    client = sdkClient(test.runtime.endpoints.bus);
  });

  afterAll(async () => {
    client?.destroy();
    await test?.stop();
    await new Promise<void>((resolve) => webhook?.close(() => resolve()));
  });

  it('starts with the registry only, and says where each endpoint listens', async () => {
    const { runtime, output } = test;
    expect(runtime.registry.clean).toBe(true);
    expect(runtime.replay).toBeUndefined();
    const text = output.text();
    expect(text).toContain(`EventBridge PutEvents  ${runtime.endpoints.bus}`);
    expect(text).toContain(`Read API               ${runtime.endpoints.api}`);
    expect(text).toContain(runtime.endpoints.dynamodb);
    expect(text).toContain(runtime.apiKey);
    const issues = await apiGet<{ issues: Array<{ issue: string }> }>(runtime, '/issues');
    expect(issues.body.issues.map((i) => i.issue).sort()).toEqual(Object.keys(EXPECTED_STANCES).sort());
    expect(await openAlerts(runtime)).toEqual([]);
  });

  it('turns the seed into the expected positions and exactly the four divergences, quotes byte-exact', async () => {
    expect(await putInChunks(client, seedEntries())).toBe(0);
    await test.runtime.settle();

    await expectSeedOutcome(test);
    expect(await test.runtime.deadLetters.list()).toEqual([]);
  });

  it('ran the notifier and the snapshot writer on the tracker\'s own events, through the local rules', async () => {
    const text = test.output.text();
    expect(text.match(/\[notifier\] SNS \(local console\) Diverged:/g)).toHaveLength(4);
    const snapshot = JSON.parse(await readFile(join(test.dir, 'snapshots', 'western-troops-in-ukraine.json'), 'utf8')) as Matrix;
    expect(stancesOf(snapshot)).toEqual(EXPECTED_STANCES['western-troops-in-ukraine']);
    const link = await apiGet<{ url: string }>(test.runtime, '/issues/western-troops-in-ukraine/snapshot');
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/^file:\/\/.*western-troops-in-ukraine\.json$/);
  });

  it('POSTs every alert detail to --alerts-webhook as JSON', () => {
    expect(posted).toHaveLength(4);
    for (const { headers, body } of posted) {
      expect(headers['content-type']).toContain('application/json');
      expect(headers['x-tracker-detail-type']).toBe('Positions Diverged');
      expect(headers['x-tracker-alert-id']).toBe(body['alertId']);
    }
    expect(posted.map(({ body }) => divergenceKey(body as unknown as AlertItem)).sort()).toEqual(EXPECTED_DIVERGENCES);
  });

  it('refuses a forged Positions Diverged sent as the tracker; neither it nor one from a desk reaches the notifier or the webhook', async () => {
    // Prepare: a well-formed alert, as the tracker would publish it.
    const detail = readFileSync(new URL('../fixtures/alerts/positions-diverged.russia-vs-allies.json', import.meta.url), 'utf8');
    const asTracker = { Source: TRACKER_SOURCE, DetailType: POSITIONS_DIVERGED, Detail: detail };
    const asDesk = { Source: 'newsroom.desk', DetailType: POSITIONS_DIVERGED, Detail: detail };
    const notified = () => test.output.text().match(/\[notifier\] SNS \(local console\)/g)?.length ?? 0;
    const before = { posted: posted.length, notified: notified() };

    // Act
    const result = await client.send(new PutEventsCommand({ Entries: [asTracker, asDesk] }));
    await test.runtime.settle();

    // Assess: the forgery fails alone; the desk's copy is taken in and quarantined, not alerted.
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: expect.stringContaining("'position-tracker' is reserved for the tracker") });
    const accepted = result.Entries?.[1]?.EventId;
    expect(accepted).toMatch(/^[0-9a-f-]{36}$/);
    expect(posted).toHaveLength(before.posted);
    expect(notified()).toBe(before.notified);
    const { body } = await apiGet<{ events: Array<{ reason: string; body: string }> }>(test.runtime, '/quarantine?limit=100');
    const kept = body.events.filter((event) => (JSON.parse(event.body) as { id: string }).id === accepted);
    expect(kept.map((event) => event.reason)).toEqual(['not-an-input']);
  });

  it('answers 401 without the API key', async () => {
    const { status, body } = await apiGet<{ error: string }>(test.runtime, '/issues', null);
    expect(status).toBe(401);
    expect(body.error).toBe('Unauthorized');
    expect((await apiGet(test.runtime, '/_local/dlq', 'wrong-key')).status).toBe(401);
  });

  it('answers malformed PutEvents requests with the AWS error shapes', async () => {
    const post = (body: string) =>
      fetch(test.runtime.endpoints.bus, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
        body,
      });

    const notJson = await post('{"Entries": [');
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(((await notJson.json()) as { __type: string }).__type).toBe('SerializationException');

    const noEntries = await post('{}');
    expect(noEntries.status).toBe(400);
    expect(((await noEntries.json()) as { __type: string }).__type).toBe('ValidationException');

    const eleven = Array.from({ length: 11 }, () => ({ Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: '{}' }));
    const tooMany = await client.send(new PutEventsCommand({ Entries: eleven })).catch((error: Error) => error);
    expect((tooMany as Error).name).toBe('ValidationException');
    expect((tooMany as Error).message).toContain('Member must have length less than or equal to 10');

    const perEntry = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'newsroom.desk', Detail: '{}' },
          { Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: '[1]' },
        ],
      }),
    );
    expect(perEntry.FailedEntryCount).toBe(2);
    expect(perEntry.Entries).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
    ]);
  });

  it('refuses an entry over 256 KB on its own; the other entries of the request are accepted and processed', async () => {
    const statement = (statementId: string, stance: number, saidAt: string, padding?: string): PutEventsRequestEntry => ({
      Source: 'newsroom.desk',
      DetailType: 'Statement Recorded',
      Detail: JSON.stringify({
        schemaVersion: '1',
        statementId,
        speaker: 'trump',
        issue: 'us-security-backstop',
        stance,
        hedged: false,
        quote: { text: 'قال ترامب إن الولايات المتحدة ستكون حاضرة', lang: 'ar' },
        saidAt,
        source: { outlet: 'e2e' },
        recordedBy: 'e2e',
        ...(padding === undefined ? {} : { padding }),
      }),
    });
    const big = statement(`e2e-big-${randomUUID()}`, -2, '2025-09-05T12:00:00Z', 'x'.repeat(300 * 1024));
    const first = statement(`e2e-a-${randomUUID()}`, 1, '2025-09-05T10:00:00Z');
    const last = statement(`e2e-b-${randomUUID()}`, 2, '2025-09-05T11:00:00Z');

    const result = await client.send(new PutEventsCommand({ Entries: [first, big, last] }));

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries?.[1]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: `Parameter Entry is not valid. Reason: the entry is ${putEventsEntrySize(big as never)} bytes, over the limit of ${DEFAULT_MAX_ENTRY_BYTES} bytes per entry.`,
    });
    expect(result.Entries?.[2]?.EventId).toMatch(/^[0-9a-f-]{36}$/);

    await test.runtime.settle();
    const { body } = await apiGet<Matrix>(test.runtime, '/issues/us-security-backstop/positions');
    const us = body.positions.find((p) => p.actor === 'united-states');
    expect(us?.stance).toBe(2);
    expect(us?.statementId).toBe(JSON.parse(last.Detail ?? '{}').statementId);
  });

  it('the tracker CLI (the package bin) shows an issue\'s matrix and the alerts from the read API', async () => {
    const connection = ['--api', test.runtime.endpoints.api, '--api-key', test.runtime.apiKey];
    const env = { ...process.env, TRACKER_RUNTIME_FILE: join(test.dir, 'no-runtime.json') };
    const positions = await run(process.execPath, [BIN, 'positions', 'western-troops-in-ukraine', ...connection], { env, timeout: 60_000 });
    expect(positions.stdout).toContain('Western troops in Ukraine (western-troops-in-ukraine)');
    expect(positions.stdout).toMatch(/-2 reject\s+Russia\s+روسيا/);
    expect(positions.stdout).toMatch(/0 undecided\s+Germany\s+ألمانيا/);

    const alerts = await run(process.execPath, [BIN, 'alerts', '--open', ...connection], { env, timeout: 60_000 });
    expect(alerts.stdout).toContain('4 alert(s)');
    expect(alerts.stdout).toContain('Germany against its own bloc Ukraine and its Western allies on Western troops in Ukraine');
    // Quotes stand alone on their lines behind the quote marker, exactly as committed.
    const lines = alerts.stdout.split('\n');
    for (const quote of seedQuotes().values()) {
      if (alerts.stdout.includes(quote)) expect(lines).toContain(`${QUOTE_MARKER}${quote}`);
    }
    expect(lines).toContain(`${QUOTE_MARKER}أكدت موسكو أنها ترفض نشر قوات غربية على أرض أوكرانيا`);
  });

  it('the tracker CLI publishes one statement from flags with the SDK, and every command has --help', async () => {
    const io = cliIo();
    const statementId = `e2e-cli-${randomUUID()}`;
    const code = await runCli(
      [
        'publish', '--endpoint', test.runtime.endpoints.bus, '--api', test.runtime.endpoints.api, '--api-key', test.runtime.apiKey,
        '--speaker', 'elysee-source', '--issue', 'russia-as-guarantor', '--stance', '-2', '--quote', 'رفض الإليزيه', '--outlet', 'e2e',
        '--said-at', '2025-09-06T09:00:00Z', '--statement-id', statementId, '--wait',
      ],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain('Published 1 event(s)');
    const { body } = await apiGet<Matrix>(test.runtime, '/issues/russia-as-guarantor/positions');
    expect(body.positions.find((p) => p.actor === 'france')?.statementId).toBe(statementId);

    for (const command of [['publish'], ['replay'], ['register'], ['positions'], ['alerts'], ['dlq', 'list'], ['dlq', 'redrive']]) {
      const help = cliIo();
      expect(await runCli([...command, '--help'], help)).toBe(0);
      expect(help.stdout.join('\n')).toMatch(/^Usage: tracker /);
    }
  });
});

describe('the tracker CLI against a running runtime, with hostile input', () => {
  let test: TestRuntime;
  let connection: string[];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    test = await startTestRuntime({ replay: true, report: false });
    connection = ['--endpoint', test.runtime.endpoints.bus, '--api', test.runtime.endpoints.api, '--api-key', test.runtime.apiKey];
    env = { ...process.env, TRACKER_RUNTIME_FILE: join(test.dir, 'no-runtime.json') };
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('publish --wait reports each event: applied, and quarantined with the field and the reason, and exits 1', async () => {
    // Prepare
    const file = join(test.dir, 'mixed.json');
    const offScale = { ...formulaText, detail: { ...formulaText.detail, statementId: 'e2e-off-scale', stance: 3 } };
    await writeFile(file, JSON.stringify([formulaText, offScale]), 'utf8');

    // Act
    const result = await runBin(['publish', '--file', file, '--wait', ...connection], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Published 2 event(s)');
    expect(result.stdout).toContain('Processed: 1 applied, 0 duplicate, 1 quarantined, 0 dead-lettered');
    expect(result.stdout).toContain('  applied: Statement Recorded test-nato-formula-text');
    expect(result.stderr).toContain(`  quarantined: ${file}[1]: invalid-event (see 'tracker quarantine')`);
    expect(result.stderr).toContain('    detail.stance: must be between -2 (reject) and +2 (commit)');
  });

  it('publish --wait tells a duplicate from an applied event, and exits 0 for it', async () => {
    // Prepare: the statement the previous test applied, once more.
    const io = cliIo();
    const file = join(test.dir, 'again.json');
    await writeFile(file, JSON.stringify(formulaText), 'utf8');

    // Act
    const code = await runCli(['publish', '--file', file, '--wait', ...connection], io);

    // Assess
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout).toContain('  duplicate: Statement Recorded test-nato-formula-text was already recorded; nothing changed');
  });

  it('positions --csv writes the bytes of the API\'s CSV, formula cells defused, and --raw those of ?raw=true', async () => {
    // Prepare
    const csvOf = async (query: string) => {
      const response = await fetch(`${test.runtime.endpoints.api}/issues/russia-as-guarantor/positions${query}`, {
        headers: { 'x-api-key': test.runtime.apiKey, accept: 'text/csv' },
      });
      return Buffer.from(await response.arrayBuffer());
    };
    const binBytes = (args: string[]) =>
      new Promise<Buffer>((resolve, reject) =>
        execFile(process.execPath, [BIN, ...args], { env, encoding: 'buffer', timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );

    // Act
    const cli = await binBytes(['positions', 'russia-as-guarantor', '--csv', ...connection]);
    const cliRaw = await binBytes(['positions', 'russia-as-guarantor', '--csv', '--raw', ...connection]);
    const api = await csvOf('');
    const apiRaw = await csvOf('?raw=true');

    // Assess
    expect(cli.equals(api)).toBe(true);
    expect(cliRaw.equals(apiRaw)).toBe(true);
    expect([...cli.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(cli.toString('utf8')).toContain('\r\n');
    expect(cli.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(cli.includes(Buffer.from(`'-روته: لا دور لروسيا كضامن`, 'utf8'))).toBe(true);
    expect(cliRaw.toString('utf8')).toContain(`"=HYPERLINK(""http://evil"",""x"")"`);
    expect(cli.toString('utf8')).toMatch(/,nato,[^,]*,[^,]*,-2,/);
  });

  it('quarantine shows escape sequences in a rejected event as text, and its body behind a marker', async () => {
    // Prepare: a quote that would clear the screen and retitle the window, by a speaker nobody registered.
    const io = cliIo();
    const file = join(test.dir, 'ansi.json');
    const quote = 'cleared\u001b[2J\u001b]0;title\u0007\nForged line\u009b2J';
    await writeFile(file, JSON.stringify({ ...formulaText, detail: { ...formulaText.detail, statementId: 'e2e-ansi', speaker: 'nobody\u001b[31m', quote: { text: quote, lang: 'en' } } }), 'utf8');
    await runCli(['publish', '--file', file, '--wait', ...connection], io);

    // Act
    const result = await runBin(['quarantine', '--limit', '5', ...connection], env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(result.stdout).toContain('\\u001b[2J');
    const bodyLines = result.stdout.split('\n').filter((line) => line.includes('e2e-ansi'));
    expect(bodyLines.length).toBeGreaterThan(0);
    for (const line of bodyLines) expect(line.startsWith('  > ')).toBe(true);
  });

  it('alerts --open into a reader that has already gone away ends quietly, with exit code 0', async () => {
    // Act: the reading end of the pipe is closed before the CLI writes its first line.
    const child = spawn(process.execPath, [BIN, 'alerts', '--open', ...connection], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));

    // Assess
    expect(Buffer.concat(stderr).toString('utf8')).toBe('');
    expect(code).toBe(0);
  });
});

describe('a restart on the same --data-dir', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-e2e-restart-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its API key, owner-only in the directory, and publishes nothing for the statements it already holds', async () => {
    // Prepare: a first run replays the seed into the directory.
    const first = await startTestRuntime({ dataDir, replay: true, report: false });
    const firstKey = first.runtime.apiKey;
    const firstChanges = first.output.lines.filter((line) => line.startsWith('[bus] Position Changed:')).length;
    await first.stop();

    // Act
    const again = await startTestRuntime({ dataDir, replay: true, report: false });
    try {
      // Assess
      expect(firstChanges).toBeGreaterThan(0);
      expect(again.runtime.apiKey).toBe(firstKey);
      expect(again.runtime.apiKeySource).toBe('kept');
      expect(((await stat(join(dataDir, 'api-key'))).mode & 0o777).toString(8)).toBe('600');
      expect(again.output.text()).toContain(`${firstKey}   (kept in ${join(dataDir, 'api-key')})`);
      expect(again.output.lines.filter((line) => line.includes('Position Changed'))).toEqual([]);
      expect(again.runtime.seedAlreadyStored).toBe(seedEntries().length);
      expect(again.runtime.replay?.accepted).toEqual([]);
      for (const [issue, expected] of Object.entries(EXPECTED_STANCES)) {
        const { body } = await apiGet<Matrix>(again.runtime, `/issues/${issue}/positions`);
        expect(stancesOf(body)).toEqual(expected);
      }
      expect((await apiGet(again.runtime, '/issues', firstKey)).status).toBe(200);
    } finally {
      await again.stop();
    }
  });
});

describe('retries, dead letters and redrive', () => {
  let test: TestRuntime;
  let dataDir: string;
  let blocked: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-e2e-data-'));
    // A file where the snapshot writer wants a directory: every write fails until it is removed.
    blocked = join(dataDir, 'snapshots-blocked');
    await writeFile(blocked, 'not a directory\n');
    test = await startTestRuntime({ dataDir, snapshotsDir: join(blocked, 'snapshots'), maxReceiveCount: 3, retryBaseMs: 10 });
  });

  afterAll(async () => {
    await test?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('retries a failing handler with backoff, dead-letters after maxReceiveCount, lists and redrives through the CLI', async () => {
    const client = sdkClient(test.runtime.endpoints.bus);
    try {
      expect(await putInChunks(client, seedEntries().slice(0, 1))).toBe(0);
    } finally {
      client.destroy();
    }
    await test.runtime.settle();

    const connection = ['--api', test.runtime.endpoints.api, '--api-key', test.runtime.apiKey];
    const list = cliIo();
    expect(await runCli(['dlq', 'list', '--json', ...connection], list)).toBe(0);
    const letters = JSON.parse(list.stdout.join('\n')) as DeadLetter[];
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ queue: 'snapshots', rule: 'PositionChangesToSnapshots', receiveCount: 3 });
    expect(letters[0]?.reason).toMatch(/snapshot write failed/);
    expect(JSON.parse(letters[0]?.body ?? '{}')['detail-type']).toBe('Position Changed');
    // Persisted next to the store, because the runtime has a data directory.
    expect(JSON.parse(await readFile(join(dataDir, 'dead-letters', 'snapshots.json'), 'utf8'))).toHaveLength(1);

    await rm(blocked);
    const redrive = cliIo();
    expect(await runCli(['dlq', 'redrive', '--queue', 'snapshots', ...connection], redrive)).toBe(0);
    expect(redrive.stdout.join('\n')).toContain(`Redrove 1 message(s): ${letters[0]?.messageId} → snapshots`);
    await test.runtime.settle();

    expect(await test.runtime.deadLetters.list()).toEqual([]);
    expect(existsSync(join(blocked, 'snapshots', 'us-security-backstop.json'))).toBe(true);
  });

  it('reports a run as not clean, with the reasons, when an event is refused or quarantined', async () => {
    const unknownSpeaker = JSON.parse(seedEntries()[0]?.Detail ?? '{}') as Record<string, unknown>;
    const outcome = await test.runtime.run('bad', [
      {
        origin: 'unknown-speaker.json',
        entry: { Source: 'newsroom.desk', DetailType: 'Statement Recorded', Detail: JSON.stringify({ ...unknownSpeaker, statementId: 'e2e-unknown', speaker: 'nobody' }) },
      },
      { origin: 'no-detail-type.json', entry: { Source: 'newsroom.desk', Detail: '{}' } },
    ]);

    expect(outcome.clean).toBe(false);
    expect(outcome.accepted.map((a) => a.origin)).toEqual(['unknown-speaker.json']);
    expect(outcome.quarantined).toEqual([expect.objectContaining({ reason: 'unknown-reference', problems: expect.stringContaining('nobody') })]);
    expect(outcome.problems).toEqual([
      'PutEvents refused no-detail-type.json: InvalidArgument Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      expect.stringMatching(/^quarantined \(unknown-reference\): .*nobody/),
    ]);
  });

  it('keeps the store in --data-dir across restarts', async () => {
    await test.runtime.close();
    const again = await startTestRuntime({ dataDir });
    try {
      const { body } = await apiGet<Matrix>(again.runtime, '/issues/us-security-backstop/positions');
      expect(stancesOf(body)).toEqual({ 'united-states': 1 });
    } finally {
      await again.stop();
    }
  });
});

describe('the seed published with the AWS CLI', () => {
  let test: TestRuntime;

  beforeAll(async () => {
    if (HAS_AWS_CLI) test = await startTestRuntime();
  });

  afterAll(async () => {
    await test?.stop();
  });

  it.skipIf(!HAS_AWS_CLI)(`aws events put-events --endpoint-url gives the same positions and divergences${AWS_CLI_SKIP}`, async () => {
    const entries = seedEntries();
    for (let i = 0; i < entries.length; i += 10) {
      const file = join(test.dir, `entries-${i}.json`);
      await writeFile(file, JSON.stringify(entries.slice(i, i + 10)), 'utf8');
      const { stdout } = await run(
        'aws',
        ['events', 'put-events', '--endpoint-url', test.runtime.endpoints.bus, '--region', 'us-east-1', '--output', 'json', '--entries', `file://${file}`],
        { env: awsCliEnv(test.dir), timeout: 60_000 },
      );
      expect((JSON.parse(stdout) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
    }
    await test.runtime.settle();
    await expectSeedOutcome(test);
  });
});

describe('a back-fill published as an archive import', () => {
  let test: TestRuntime;

  beforeAll(async () => {
    test = await startTestRuntime();
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('replay --archive sends it through the archive lane in reverse said order, and it leaves what the seed in order leaves', async () => {
    // Prepare: the seed's statements, latest said first, as a desk's PutEvents entries.
    const file = join(test.dir, 'archive.json');
    await writeFile(file, JSON.stringify(seedEntries().reverse()), 'utf8');
    const io = cliIo();
    const registrySent = (await apiGet<{ queues: Record<string, { sent: number }> }>(test.runtime, '/_local/status')).body.queues['processor']!.sent;

    // Act
    const code = await runCli(['replay', file, '--archive', '--wait', '--endpoint', test.runtime.endpoints.bus, '--api', test.runtime.endpoints.api, '--api-key', test.runtime.apiKey], io);

    // Assess: every event applied (the waiting publisher followed them through the archive queue), and the seed's outcome, quotes byte-exact.
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain(`Processed: ${seedEntries().length} applied, 0 duplicate, 0 quarantined, 0 dead-lettered`);
    await expectSeedOutcome(test);
    expect(await test.runtime.deadLetters.list()).toEqual([]);
    // Through the archive lane, none through the live one (the registry the runtime loads at start aside).
    const status = await apiGet<{ queues: Record<string, { sent: number; deleted: number }> }>(test.runtime, '/_local/status');
    expect(status.body.queues['processor-archive']).toMatchObject({ sent: seedEntries().length, deleted: seedEntries().length });
    expect(status.body.queues['processor']!.sent).toBe(registrySent);
  });
});
