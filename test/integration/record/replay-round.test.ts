import { describe, expect, it } from 'vitest';
import { planReplay, targetOf } from '../../../functions/application/episode-plan.ts';
import { replayRound, writePlan } from '../../../functions/application/record/replay-round.ts';
import { correctionAlertId } from '../../../functions/core/ids.ts';
import { replayIssue } from '../../../functions/core/tracker.ts';
import { injectCrashes } from '../../support/fault-injection.ts';
import { InjectedCrash } from '../../../support/recording-publisher.ts';
import { ISSUE, REGISTRY, RUSSIA_VS_ALLIES, de1, fr1, ru1, useStore } from './scenario.ts';

const { rig, store } = useStore();

describe('replayRound', () => {
  it('withdraws, with its correction, an episode a statement delivered late shows never happened, and settles on the next round', async () => {
    // Prepare: the divergence opened and was announced; Germany's earlier opposition comes in late.
    const setup = await rig();
    await setup.record(fr1, ru1);
    const [announced] = (await setup.state()).episodes;
    await setup.put(de1);
    const ctx = setup.context(de1);

    // Act
    const first = await replayRound(ctx);
    const second = await replayRound(ctx);

    // Assess
    expect(first.next).toBe('replay');
    expect([...first.snapshot.open.keys()]).toEqual([RUSSIA_VS_ALLIES]);
    expect(second.next).toBe('settled');
    expect(second.snapshot.open.size).toBe(0);
    const table = await setup.state();
    expect(table.episodes.map((e) => [e.episode.episodeId, e.status, e.revision])).toEqual([[announced!.episode.episodeId, 'withdrawn', 1]]);
    expect(table.episodes[0]?.withdrawnReason).toMatch(/after statement de1/);
    const correction = correctionAlertId(announced!.episode.episodeId, 'withdrawn', 1);
    expect(table.outbox).toEqual([correction]);
    expect(ctx.ledger.counts).toEqual({ opened: 0, closed: 0, withdrawn: 1, reinstated: 0 });
  });

  it('settles without a write on a store that already equals the replay', async () => {
    // Prepare
    const client = store().newClient();
    const crashes = injectCrashes(client);
    const setup = await rig(client);
    await setup.record(fr1, ru1);
    crashes.armAfterWrites(0);

    // Act
    const round = await replayRound(setup.context(ru1));

    // Assess
    expect(round.next).toBe('settled');
    expect(crashes.writes).toBe(0);
    expect([...round.snapshot.open.values()]).toEqual([...targetOf(replayIssue(ISSUE, [fr1, ru1], REGISTRY)).pointers.values()]);
  });
});

describe('writePlan', () => {
  /** A store that announced the divergence, Germany's late statement in, and the plan that withdraws it. */
  const withdrawal = async (client: Parameters<typeof rig>[0]) => {
    const setup = await rig(client);
    await setup.record(fr1, ru1);
    await setup.put(de1);
    const plan = planReplay({
      replay: replayIssue(ISSUE, [fr1, ru1, de1], REGISTRY),
      stored: await setup.tracker.loadEpisodes(ISSUE),
      snapshot: await setup.snapshot(ISSUE),
      recorded: await setup.tracker.loadAlertEntries(ISSUE),
      cause: de1,
      recordedAt: setup.clock.now(),
    });
    return { setup, plan, before: await setup.state() };
  };

  it('writes the alerts before the episodes and the episodes before the pointers, wherever it dies', async () => {
    // Prepare
    const client = store().newClient();
    const crashes = injectCrashes(client);
    const probe = await withdrawal(client);
    crashes.armAfterWrites(0);
    await writePlan(probe.setup.context(de1), probe.plan);
    const writes = crashes.writes;
    expect(probe.plan.alerts).toHaveLength(1);
    expect(probe.plan.episodes).toHaveLength(1);
    expect(probe.plan.pointers).toHaveLength(1);

    let episodeBeforePointer = false;
    for (let crashAfter = 1; crashAfter < writes; crashAfter += 1) {
      crashes.armAfterWrites(0);
      const { setup, plan, before } = await withdrawal(client);
      crashes.armAfterWrites(crashAfter);

      // Act
      await expect(writePlan(setup.context(de1), plan)).rejects.toThrow(InjectedCrash);
      crashes.armAfterWrites(0);

      // Assess: whatever is written, everything before it in the plan's order is too.
      const after = await setup.state();
      const episodeWritten = JSON.stringify(after.episodes) !== JSON.stringify(before.episodes);
      const pointerWritten = JSON.stringify(after.pointers) !== JSON.stringify(before.pointers);
      if (episodeWritten) expect(after.outbox, `crash after write ${crashAfter}`).toEqual(plan.alerts.map((a) => a.alertId));
      if (episodeWritten) episodeBeforePointer = true;
      expect(pointerWritten, `crash after write ${crashAfter}`).toBe(false);
    }
    expect(episodeBeforePointer).toBe(true);
  });
});
