/**
 * The quiet path (record/restatement.ts) on the real repository: a restatement that can change no
 * divergence is recorded without reading its issue, and leaves exactly what the read path leaves.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { POSITION_CHANGED } from '../../../events/catalog.ts';
import type { Registry } from '../../../functions/core/types.ts';
import { comparableChanges, comparableState } from '../../support/tracker-table.ts';
import { createWritePathRig } from '../../support/write-path-rig.ts';
import { at, said } from '../../unit/core/helpers.ts';
import { REGISTRY, RUSSIA_VS_ALLIES, crashAtEveryWrite, fr1, ru1, useStore } from './scenario.ts';

const handle = useStore();

/** Russia says again what it said: the divergence with the allies stays open. */
const ru1Again = said({ id: 'ru1-again', actor: 'russia', stance: 0, at: 15 });

/** The scenario's registry with the allies' members dated from long before anything was said: the same evaluations, no quiet path. */
const DATED: Registry = {
  ...REGISTRY,
  blocs: new Map([...REGISTRY.blocs].map(([id, bloc]) => [id, { ...bloc, tenure: Object.fromEntries(bloc.members.map((m) => [m, [{ since: at(-100_000) }]])) }])),
};

/** Counts the Query calls made through `client`. */
const countQueries = (client: DynamoDBClient): { readonly queries: number } => {
  let queries = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countQueries', override: true },
  );
  return {
    get queries() {
      return queries;
    },
  };
};

describe('a restatement on the quiet path', () => {
  it('is recorded without reading its issue, and leaves the table as the read path does', async () => {
    // Prepare: the divergence is open; the same story with members dated, where every statement reads.
    const client = handle.store().newClient();
    const counter = countQueries(client);
    const quiet = await handle.rig(client);
    await quiet.record(fr1, ru1);
    const reading = await createWritePathRig(handle.store(), DATED);
    await reading.record(fr1, ru1);

    // Act
    const before = counter.queries;
    const [outcome] = await quiet.record(ru1Again);
    const queries = counter.queries - before;
    const [read] = await reading.record(ru1Again);

    // Assess
    expect(queries).toBe(0);
    expect(outcome).toMatchObject({ position: 'current', rounds: 0, published: 1, alerts: { opened: 0, closed: 0 } });
    expect(read?.rounds).toBe(1);
    const [quietState, readState] = [await quiet.state(), await reading.state()];
    expect(comparableState(quietState)).toEqual(comparableState(readState));
    expect(comparableChanges(quietState)).toEqual(comparableChanges(readState));
    expect(quietState.pointers.map((p) => p.divergenceId)).toEqual([RUSSIA_VS_ALLIES]);
    const told = quiet.publisher.published.filter((e) => e.detailType === POSITION_CHANGED).at(-1)?.detail as { previous: { statementId: string }; current: { statementId: string } };
    expect(told).toMatchObject({ previous: { statementId: 'ru1' }, current: { statementId: 'ru1-again' } });
  });

  it('reaches the same table whichever of its writes the process dies after, once redelivered', async () => {
    // Prepare, Act: the restatement crashed after each of its writes, then recorded again.
    const { expected, writes, resumed } = await crashAtEveryWrite(
      handle,
      async (setup) => {
        await setup.record(fr1, ru1);
        return setup;
      },
      (setup) => setup.record(ru1Again),
      (setup) => setup.record(ru1Again),
    );

    // Assess: claim, history, position, change entry.
    expect(writes).toBe(4);
    for (const { crashAfter, state } of resumed) expect(state, `crash after write ${crashAfter}`).toEqual(expected);
  });

  it('is not taken by a restatement that undoes its actor\'s reversal: that one reads, and closes it', async () => {
    // Prepare: Russia flips from -2 to +2 (a reversal opens), then says +2 again.
    const setup = await handle.rig();
    const flip = [said({ id: 'r1', actor: 'russia', stance: -2, at: 0 }), said({ id: 'r2', actor: 'russia', stance: 2, at: 1 })];
    await setup.record(...flip);
    expect((await setup.snapshot(flip[0]!.issue)).open.size).toBe(1);

    // Act
    const [outcome] = await setup.record(said({ id: 'r3', actor: 'russia', stance: 2, at: 2 }));

    // Assess
    expect(outcome?.rounds).toBeGreaterThan(0);
    expect(outcome?.alerts.closed).toBe(1);
    expect((await setup.snapshot(flip[0]!.issue)).open.size).toBe(0);
  });
});
