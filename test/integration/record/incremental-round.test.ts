import { describe, expect, it } from 'vitest';
import { AlertLedger } from '../../../functions/application/record/alert-ledger.ts';
import { commitOpening } from '../../../functions/application/record/commit-opening.ts';
import { refsOfPositions } from '../../../functions/application/episode-plan.ts';
import { incrementalRound, pendingTransitions } from '../../../functions/application/record/incremental-round.ts';
import { injectCrashes } from '../../support/fault-injection.ts';
import { said } from '../../unit/core/helpers.ts';
import { ISSUE, RUSSIA_VS_ALLIES, byId, fr1, ru1, ru2, uk1, useStore } from './scenario.ts';

const { rig, store } = useStore();

describe('pendingTransitions', () => {
  it('lists the openings and closings the positions call for, with the statement as their cause, and no evidence', async () => {
    // Prepare
    const setup = await rig();
    await setup.put(fr1, ru1);
    const opening = await setup.snapshot(ISSUE);
    await setup.record(ru1);
    await setup.put(uk1);
    const whileOpen = await setup.snapshot(ISSUE);

    // Act
    const opened = pendingTransitions(setup.context(ru1), opening);
    const heard = pendingTransitions(setup.context(uk1), whileOpen);

    // Assess
    expect(opened.map((t) => [t.type, t.episode.divergenceId, t.episode.openedBy])).toEqual([['opened', RUSSIA_VS_ALLIES, 'ru1']]);
    expect(heard).toEqual([]);
  });
});

describe('incrementalRound', () => {
  it('commits the transitions of the issue\'s latest statement, then asks for another look at what it re-read', async () => {
    // Prepare
    const setup = await rig();
    await setup.put(fr1, ru1);
    const ctx = setup.context(ru1);

    // Act
    const first = await incrementalRound(ctx, await setup.snapshot(ISSUE), 1);
    const second = await incrementalRound(ctx, first.snapshot, 2);

    // Assess
    expect(first.next).toBe('incremental');
    expect([...first.snapshot.open.keys()]).toEqual([RUSSIA_VS_ALLIES]);
    expect(first.snapshot.outbox).toHaveLength(1);
    expect(second).toEqual({ snapshot: first.snapshot, next: 'settled' });
  });

  it('leaves it to the replay, writing nothing, when the statement is not the latest or a later round still finds work', async () => {
    // Prepare: France speaks again after Russia, before Russia's statement is evaluated.
    const client = store().newClient();
    const crashes = injectCrashes(client);
    const setup = await rig(client);
    const fr2 = said({ id: 'fr2', actor: 'france', stance: 2, at: 15 });
    await setup.put(fr1, ru1, fr2);
    const snapshot = await setup.snapshot(ISSUE);
    crashes.armAfterWrites(0);

    // Act
    const notLatest = await incrementalRound(setup.context(ru1), snapshot, 1);
    const laterRound = await incrementalRound(setup.context(fr2), snapshot, 2);

    // Assess
    expect(notLatest).toEqual({ snapshot, next: 'replay' });
    expect(laterRound).toEqual({ snapshot, next: 'replay' });
    expect(crashes.writes).toBe(0);
  });

  it('leaves it to the replay when another writer got there first', async () => {
    // Prepare: a concurrent run opens the divergence after this one read the issue.
    const setup = await rig();
    await setup.put(fr1, ru1);
    const snapshot = await setup.snapshot(ISSUE);
    const other = setup.context(ru1);
    const [opening] = pendingTransitions(other, snapshot);
    if (opening?.type !== 'opened') throw new Error('the story opens here');
    await commitOpening(other, opening, refsOfPositions(snapshot.positions.values()), byId(fr1, ru1));

    // Act
    const round = await incrementalRound(setup.context(ru1), snapshot, 1);

    // Assess
    expect(round.next).toBe('replay');
    expect([...round.snapshot.open.keys()]).toEqual([RUSSIA_VS_ALLIES]);
  });

  it('leaves it to the replay when the outbox holds leftovers of another run', async () => {
    // Prepare: the opening's alert queued again by a run that died before publishing it.
    const setup = await rig();
    await setup.record(fr1, ru1, uk1);
    await setup.put(ru2);
    const snapshot = await setup.snapshot(ISSUE);
    const [closing] = pendingTransitions(setup.context(ru2), snapshot);
    const [opened] = await setup.tracker.loadAlerts(ISSUE, (await setup.state()).alerts.map((a) => a.alertId));
    await new AlertLedger(setup.tracker, ISSUE).record(opened!);

    // Act
    const round = await incrementalRound(setup.context(ru2), snapshot, 1);

    // Assess
    expect(closing?.type).toBe('closed');
    expect(round.next).toBe('replay');
    expect(round.snapshot.open.size).toBe(0);
  });
});
