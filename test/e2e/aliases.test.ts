/**
 * Names and aliases end to end, as a desk uses them: a statement published with the AWS CLI (or the
 * tracker CLI) names its speaker the way the article does, in Arabic or English, and the local
 * runtime moves the position of the actor that speaker speaks for.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Matrix } from '../../functions/api/schemas.ts';
import { runCli, type CliIo } from '../../local/cli.ts';
import { AWS_CLI_SKIP, HAS_AWS_CLI, apiGet, awsCliEnv, startTestRuntime, type TestRuntime } from './support.ts';

const run = promisify(execFile);
const ISSUE = 'us-security-backstop';

const statementEntry = (statementId: string, speaker: string, stance: number, saidAt: string) => ({
  Source: 'newsroom.desk',
  DetailType: 'Statement Recorded',
  Detail: JSON.stringify({
    schemaVersion: '1',
    statementId,
    speaker,
    issue: ISSUE,
    stance,
    hedged: false,
    quote: { text: 'قائد الكرملين يرفض أي ضمانات أمريكية', lang: 'ar' },
    saidAt,
    source: { outlet: 'e2e aliases' },
    recordedBy: 'e2e',
  }),
});

const russiaOn = async (test: TestRuntime): Promise<Matrix['positions'][number] | undefined> => {
  const { status, body } = await apiGet<Matrix>(test.runtime, `/issues/${ISSUE}/positions`);
  expect(status).toBe(200);
  return body.positions.find((position) => position.actor === 'russia');
};

describe('a speaker named by name or alias', () => {
  let test: TestRuntime;

  beforeAll(async () => {
    test = await startTestRuntime();
  });

  afterAll(async () => {
    await test?.stop();
  });

  it.skipIf(!HAS_AWS_CLI)(`aws events put-events with "speaker": "قائد الكرملين" moves Russia's position${AWS_CLI_SKIP}`, async () => {
    // Prepare: Russia on record by the speaker's id, the way publishers did before names resolved.
    const file = join(test.dir, 'alias-entries.json');
    const putWithAwsCli = async (entries: unknown[]): Promise<void> => {
      await writeFile(file, JSON.stringify(entries), 'utf8');
      const { stdout } = await run(
        'aws',
        ['events', 'put-events', '--endpoint-url', test.runtime.endpoints.bus, '--region', 'us-east-1', '--output', 'json', '--entries', `file://${file}`],
        { env: awsCliEnv(test.dir), timeout: 60_000 },
      );
      expect((JSON.parse(stdout) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
    };
    await putWithAwsCli([statementEntry('e2e-alias-by-id', 'putin', 1, '2025-09-05T08:00:00Z')]);
    await test.runtime.settle();
    expect((await russiaOn(test))?.stance).toBe(1);

    // Act: a later statement names the speaker by the article's Arabic alias.
    await putWithAwsCli([statementEntry('e2e-alias-by-arabic-alias', 'قائد الكرملين', -2, '2025-09-05T09:00:00Z')]);
    await test.runtime.settle();

    // Assess
    const russia = await russiaOn(test);
    expect(russia?.statementId).toBe('e2e-alias-by-arabic-alias');
    expect(russia?.stance).toBe(-2);
  });

  it('the tracker CLI publishes a statement whose speaker is an English name', async () => {
    // Prepare
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { out: (text) => void stdout.push(text), err: (text) => void stderr.push(text), write: () => {}, env: {} };
    // Act
    const code = await runCli(
      [
        'publish', '--endpoint', test.runtime.endpoints.bus, '--api', test.runtime.endpoints.api, '--api-key', test.runtime.apiKey,
        '--speaker', 'Vladimir Putin', '--issue', ISSUE, '--stance', '2', '--quote', 'بوتين يقبل الضمانات', '--outlet', 'e2e',
        '--said-at', '2025-09-06T09:00:00Z', '--statement-id', 'e2e-alias-by-english-name', '--wait',
      ],
      io,
    );
    // Assess
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    const russia = await russiaOn(test);
    expect(russia?.statementId).toBe('e2e-alias-by-english-name');
    expect(russia?.stance).toBe(2);
  });
});
