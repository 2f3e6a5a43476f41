/**
 * One small story for the tests of the write path's steps: Russia watched against the allies
 * (threshold 2). France commits (+2), Russia is undecided (0): the divergence opens. The UK commits
 * while it is open (evidence), then Russia comes round to support (+1): it closes. Germany's
 * opposition, said early but delivered late, would have prevented a later opening.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { divergenceId } from '../../../functions/core/ids.ts';
import { startDynalite, type EmbeddedDynamo } from '../../../support/dynalite.ts';
import { injectCrashes } from '../../support/fault-injection.ts';
import { InjectedCrash } from '../../../support/recording-publisher.ts';
import { comparableState } from '../../support/tracker-table.ts';
import { createWritePathRig, type WritePathRig } from '../../support/write-path-rig.ts';
import { ISSUE, makeRegistry, said } from '../../unit/core/helpers.ts';

export { ISSUE };

type ComparableState = ReturnType<typeof comparableState>;

export const REGISTRY = makeRegistry({ blocs: { allies: ['france', 'uk', 'germany'] }, watches: [{ actor: 'russia', bloc: 'allies' }] });
export const RUSSIA_VS_ALLIES = divergenceId('actor-vs-bloc', ISSUE, 'russia', 'allies');

export const fr1 = said({ id: 'fr1', actor: 'france', stance: 2, at: 0 });
export const ru1 = said({ id: 'ru1', actor: 'russia', stance: 0, at: 10 });
export const uk1 = said({ id: 'uk1', actor: 'uk', stance: 2, at: 20 });
export const ru2 = said({ id: 'ru2', actor: 'russia', stance: 1, at: 30 });
/** Said before Russia's first statement, delivered after it. */
export const de1 = said({ id: 'de1', actor: 'germany', stance: -1, at: 5 });

export const byId = (...statements: ReturnType<typeof said>[]) => new Map(statements.map((s) => [s.statementId, s] as const));

/** A dynalite for the file, and a rig on a fresh table of it for each test. */
export const useStore = (): { rig(client?: DynamoDBClient): Promise<WritePathRig>; store(): EmbeddedDynamo } => {
  let store: EmbeddedDynamo | undefined;
  beforeAll(async () => {
    store = await startDynalite();
  });
  afterAll(async () => {
    await store?.stop();
  });
  const running = (): EmbeddedDynamo => {
    if (store === undefined) throw new Error('the store starts in beforeAll');
    return store;
  };
  return { store: running, rig: (client) => createWritePathRig(running(), REGISTRY, client) };
};

/**
 * A step that resumes: run once on a fresh table to count its writes, then once per write with the
 * process dying right after it, followed by `resume` (what a redelivery does on what it finds).
 * Returns, for each crash point, the table as left, and the table of the run without a crash.
 */
export const crashAtEveryWrite = async <Prepared>(
  handle: ReturnType<typeof useStore>,
  prepare: (setup: WritePathRig) => Promise<Prepared>,
  run: (prepared: Prepared) => Promise<unknown>,
  resume: (setup: WritePathRig) => Promise<unknown>,
): Promise<{ expected: ComparableState; writes: number; resumed: Array<{ crashAfter: number; state: ComparableState }> }> => {
  const reference = await handle.rig();
  await run(await prepare(reference));
  const expected = comparableState(await reference.state());
  const client = handle.store().newClient();
  const crashes = injectCrashes(client);
  const probe = await prepare(await handle.rig(client));
  crashes.armAfterWrites(0);
  await run(probe);
  const writes = crashes.writes;
  const resumed = [];
  for (let crashAfter = 1; crashAfter <= writes; crashAfter += 1) {
    crashes.armAfterWrites(0);
    const setup = await handle.rig(client);
    const prepared = await prepare(setup);
    crashes.armAfterWrites(crashAfter);
    await expect(run(prepared)).rejects.toThrow(InjectedCrash);
    crashes.armAfterWrites(0);
    await resume(setup);
    resumed.push({ crashAfter, state: comparableState(await setup.state()) });
  }
  return { expected, writes, resumed };
};
