import { describe, expect, it } from 'vitest';
import { pointerOf, refsOfPositions, storedEpisode } from '../../../functions/application/episode-plan.ts';
import { commitOpening } from '../../../functions/application/record/commit-opening.ts';
import { pendingTransitions } from '../../../functions/application/record/incremental-round.ts';
import type { StatusTransition } from '../../../functions/core/tracker.ts';
import { comparableState } from '../../support/tracker-table.ts';
import type { WritePathRig } from '../../support/write-path-rig.ts';
import { ISSUE, RUSSIA_VS_ALLIES, byId, crashAtEveryWrite, fr1, ru1, useStore } from './scenario.ts';

const handle = useStore();
const { rig } = handle;

type Opening = Extract<StatusTransition, { type: 'opened' }>;

/** France and Russia in history and positions, and the opening Russia's statement calls for. */
const opening = async (setup: WritePathRig) => {
  await setup.put(fr1, ru1);
  const snapshot = await setup.snapshot(ISSUE);
  const ctx = setup.context(ru1);
  const [transition] = pendingTransitions(ctx, snapshot);
  return { ctx, transition: transition as Opening, refs: refsOfPositions(snapshot.positions.values()) };
};

describe('commitOpening', () => {
  it('stores the episode as it opened and records its alert, then opens the pointer', async () => {
    // Prepare
    const setup = await rig();
    const { ctx, transition, refs } = await opening(setup);

    // Act
    const committed = await commitOpening(ctx, transition, refs, byId(fr1, ru1));

    // Assess
    expect(committed).toBe(true);
    const table = await setup.state();
    expect(table.episodes).toEqual([storedEpisode(transition.episode, refs)]);
    expect(table.episodes[0]?.episode.evidence).toEqual({ actor: ['ru1'], other: ['fr1'] });
    expect(table.pointers).toEqual([pointerOf(table.episodes[0]!.episode)]);
    expect(table.pointers[0]?.divergenceId).toBe(RUSSIA_VS_ALLIES);
    expect(table.alerts.map((a) => [a.alertId, a.transition, a.detailType])).toEqual([[transition.alertId, 'opened', 'Positions Diverged']]);
    expect(table.outbox).toEqual([transition.alertId]);
    expect(ctx.ledger.counts.opened).toBe(1);
    const [alert] = await setup.tracker.loadAlerts(ISSUE, [transition.alertId]);
    expect(alert?.detail.evidence.actor.map((e) => e.quote?.text)).toEqual([ru1.quote?.text]);
  });

  it('answers false, recording nothing new, when another writer opened the divergence first', async () => {
    // Prepare
    const setup = await rig();
    const { ctx, transition, refs } = await opening(setup);
    await commitOpening(ctx, transition, refs, byId(fr1, ru1));
    const before = await setup.state();
    const second = setup.context(ru1);

    // Act
    const committed = await commitOpening(second, transition, refs, byId(fr1, ru1));

    // Assess
    expect(committed).toBe(false);
    expect(comparableState(await setup.state())).toEqual(comparableState(before));
    expect(second.ledger.counts).toEqual({ opened: 0, closed: 0, withdrawn: 0, reinstated: 0 });
  });

  it('reaches the same state when it dies after any of its writes and is run again', async () => {
    // Act: the run dies; a redelivery runs the step again on what it finds.
    const { expected, writes, resumed } = await crashAtEveryWrite(
      handle,
      opening,
      ({ ctx, transition, refs }) => commitOpening(ctx, transition, refs, byId(fr1, ru1)),
      async (setup) => {
        const again = setup.context(ru1);
        const snapshot = await setup.snapshot(ISSUE);
        const [transition] = pendingTransitions(again, snapshot);
        if (transition !== undefined) await commitOpening(again, transition as Opening, refsOfPositions(snapshot.positions.values()), byId(fr1, ru1));
      },
    );

    // Assess
    expect(writes).toBeGreaterThanOrEqual(3);
    for (const { crashAfter, state } of resumed) expect(state, `crash after write ${crashAfter}`).toEqual(expected);
  });
});
