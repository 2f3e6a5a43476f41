import { describe, expect, it } from 'vitest';
import { commitClosing, sharedHistoryWindows } from '../../../functions/application/record/commit-closing.ts';
import { pendingTransitions } from '../../../functions/application/record/incremental-round.ts';
import type { StatusTransition } from '../../../functions/core/tracker.ts';
import type { WritePathRig } from '../../support/write-path-rig.ts';
import { said } from '../../unit/core/helpers.ts';
import { ISSUE, byId, crashAtEveryWrite, fr1, ru1, ru2, uk1, useStore } from './scenario.ts';

const handle = useStore();
const { rig } = handle;

type Closing = Extract<StatusTransition, { type: 'closed' }>;

/** The divergence open since Russia's first statement, the UK heard while open, and Russia's second statement in. */
const closing = async (setup: WritePathRig) => {
  await setup.record(fr1, ru1, uk1);
  await setup.put(ru2);
  const snapshot = await setup.snapshot(ISSUE);
  const ctx = setup.context(ru2);
  const [transition] = pendingTransitions(ctx, snapshot);
  return { ctx, snapshot, transition: transition as Closing };
};

describe('commitClosing', () => {
  it('closes the episode with what was said while it was open, records the Converged alert, then removes the pointer', async () => {
    // Prepare
    const setup = await rig();
    const { ctx, snapshot, transition } = await closing(setup);
    expect(transition.type).toBe('closed');

    // Act
    const committed = await commitClosing(ctx, transition, snapshot, byId(ru2));

    // Assess
    expect(committed).toBe(true);
    const table = await setup.state();
    expect(table.pointers).toEqual([]);
    expect(table.episodes.map((e) => [e.status, e.episode.closedBy, e.revision])).toEqual([['closed', 'ru2', 0]]);
    expect(table.episodes[0]?.episode.evidence).toEqual({ actor: ['ru1', 'ru2'], other: ['fr1', 'uk1'] });
    const [alert] = await setup.tracker.loadAlerts(ISSUE, [transition.alertId]);
    expect(alert).toMatchObject({ transition: 'closed', detailType: 'Positions Converged' });
    expect(alert?.detail.evidence.other.map((e) => e.statementId)).toEqual(['uk1', 'fr1']);
    expect(table.outbox).toEqual([transition.alertId]);
    expect(ctx.ledger.counts.closed).toBe(1);
  });

  it('answers false without a write when the divergence is no longer open', async () => {
    // Prepare
    const setup = await rig();
    const { ctx, snapshot, transition } = await closing(setup);
    const before = await setup.state();

    // Act
    const committed = await commitClosing(ctx, transition, { ...snapshot, open: new Map() }, byId(ru2));

    // Assess
    expect(committed).toBe(false);
    expect(await setup.state()).toEqual(before);
  });

  it('answers false when another statement closed the episode first', async () => {
    // Prepare: Russia's second statement closed it; a third one reads the snapshot from before.
    const setup = await rig();
    const { ctx, snapshot, transition } = await closing(setup);
    await commitClosing(ctx, transition, snapshot, byId(ru2));
    const ru3 = said({ id: 'ru3', actor: 'russia', stance: 1, at: 40 });
    await setup.put(ru3);
    const before = await setup.state();

    // Act
    const committed = await commitClosing(setup.context(ru3), transition, snapshot, byId(ru3));

    // Assess
    expect(committed).toBe(false);
    expect(await setup.state()).toEqual(before);
  });

  it("reads each actor's history once for all of a statement's closings, each keeping the window since its own opening", async () => {
    // Prepare: a second open divergence, opened later (by the UK's statement), closing with the same statement.
    const setup = await rig();
    const { ctx, snapshot, transition } = await closing(setup);
    const pointer = snapshot.open.get(transition.episode.divergenceId)!;
    const later = { ...pointer, divergenceId: 'later', openedAt: uk1.saidAt, openedBy: uk1.statementId };
    const both = { ...snapshot, open: new Map([...snapshot.open, ['later', later]]) };
    const second = { ...transition, episode: { ...transition.episode, divergenceId: 'later' } };
    const reads: string[] = [];
    const tracker = Object.create(setup.tracker) as typeof setup.tracker;
    tracker.loadHistoryWindow = (issue, actor, after, upTo) => {
      reads.push(actor);
      return setup.tracker.loadHistoryWindow(issue, actor, after, upTo);
    };
    const windows = sharedHistoryWindows({ ...ctx, tracker }, [transition, second], both);

    // Act
    const [sinceFirst, sinceSecond] = await Promise.all(
      [pointer, later].map((p) => Promise.all(['russia', 'uk'].map((actor) => windows(actor, { saidAt: p.openedAt, statementId: p.openedBy })))),
    );

    // Assess: the same windows as read one by one, in one read per actor.
    const direct = (p: typeof pointer) =>
      Promise.all(['russia', 'uk'].map((actor) => setup.tracker.loadHistoryWindow(ISSUE, actor, { saidAt: p.openedAt, statementId: p.openedBy }, ru2)));
    expect(sinceFirst).toEqual(await direct(pointer));
    expect(sinceSecond).toEqual(await direct(later));
    expect(sinceFirst?.map((refs) => refs.map((r) => r.statementId))).toEqual([['ru2'], ['uk1']]);
    expect(sinceSecond?.map((refs) => refs.map((r) => r.statementId))).toEqual([['ru2'], []]);
    expect(reads.sort()).toEqual(['russia', 'uk']);
  });

  it('reaches the same state when it dies after any of its writes and is run again', async () => {
    // Act: the run dies; a redelivery runs the step again on what it finds (closed by this very statement, perhaps).
    const { expected, writes, resumed } = await crashAtEveryWrite(
      handle,
      closing,
      ({ ctx, transition, snapshot }) => commitClosing(ctx, transition, snapshot, byId(ru2)),
      async (setup) => {
        const again = setup.context(ru2);
        const snapshot = await setup.snapshot(ISSUE);
        const [transition] = pendingTransitions(again, snapshot);
        if (transition !== undefined) expect(await commitClosing(again, transition as Closing, snapshot, byId(ru2))).toBe(true);
      },
    );

    // Assess
    expect(writes).toBeGreaterThanOrEqual(3);
    for (const { crashAfter, state } of resumed) expect(state, `crash after write ${crashAfter}`).toEqual(expected);
  });
});
