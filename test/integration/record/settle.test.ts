import { describe, expect, it } from 'vitest';
import { AlertLedger } from '../../../functions/application/record/alert-ledger.ts';
import { NotConvergedError, settle } from '../../../functions/application/record/settle.ts';
import { ISSUE, RUSSIA_VS_ALLIES, de1, fr1, ru1, ru2, uk1, useStore } from './scenario.ts';

const { rig } = useStore();

describe('settle', () => {
  it('takes one round for a statement in order that changes no divergence', async () => {
    // Prepare
    const setup = await rig();
    await setup.put(fr1);

    // Act
    const settled = await settle(setup.context(fr1), 12);

    // Assess
    expect(settled).toMatchObject({ late: false, replayed: false, rounds: 1 });
  });

  it('commits an opening incrementally and checks it in a second round', async () => {
    // Prepare
    const setup = await rig();
    await setup.record(fr1);
    await setup.put(ru1);

    // Act
    const settled = await settle(setup.context(ru1), 12);

    // Assess
    expect(settled).toMatchObject({ late: false, replayed: false, rounds: 2 });
    expect([...settled.snapshot.open.keys()]).toEqual([RUSSIA_VS_ALLIES]);
    expect(settled.snapshot.outbox).toHaveLength(1);
  });

  it('replays for a statement said before the latest, until a round finds nothing to write', async () => {
    // Prepare
    const setup = await rig();
    await setup.record(fr1, ru1);
    await setup.put(de1);

    // Act
    const settled = await settle(setup.context(de1), 12);

    // Assess
    expect(settled).toMatchObject({ late: true, replayed: true, rounds: 2 });
    expect(settled.snapshot.open.size).toBe(0);
  });

  it('replays a statement in order when the outbox holds leftovers of another run', async () => {
    // Prepare: the opening's alert queued again by a run that died before publishing it.
    const setup = await rig();
    await setup.record(fr1, ru1, uk1);
    const [opened] = await setup.tracker.loadAlerts(ISSUE, (await setup.state()).alerts.map((a) => a.alertId));
    await new AlertLedger(setup.tracker, ISSUE).record(opened!);
    await setup.put(ru2);

    // Act
    const settled = await settle(setup.context(ru2), 12);

    // Assess
    expect(settled).toMatchObject({ late: false, replayed: true });
    expect(settled.snapshot.open.size).toBe(0);
    expect((await setup.state()).episodes.map((e) => e.status)).toEqual(['closed']);
  });

  it('gives up with NotConvergedError when the issue is still changing after the last round allowed', async () => {
    // Prepare
    const setup = await rig();
    await setup.put(fr1, ru1);

    // Act: one round commits the opening; a second would be needed to see it settled.
    const error = await settle(setup.context(ru1), 1).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(NotConvergedError);
    expect(error).toMatchObject({ issue: ISSUE, rounds: 1 });
  });
});
