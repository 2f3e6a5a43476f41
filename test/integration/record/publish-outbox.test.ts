import { describe, expect, it } from 'vitest';
import { POSITION_CHANGED, POSITIONS_DIVERGED } from '../../../events/catalog.ts';
import { AlertLedger } from '../../../functions/application/record/alert-ledger.ts';
import { publishOutbox } from '../../../functions/application/record/publish-outbox.ts';
import { settle } from '../../../functions/application/record/settle.ts';
import { positionChangeId } from '../../../functions/core/ids.ts';
import type { StatementRecord } from '../../../functions/core/types.ts';
import { RecordingPublisher } from '../../../support/recording-publisher.ts';
import type { WritePathRig } from '../../support/write-path-rig.ts';
import { said } from '../../unit/core/helpers.ts';
import { ISSUE, fr1, ru1, useStore } from './scenario.ts';

const { rig } = useStore();

/** The statement in and settled, as recordStatement leaves it before publishing. */
const settled = async (setup: WritePathRig, statement: StatementRecord) => {
  await setup.put(statement);
  const ctx = setup.context(statement);
  const { snapshot } = await settle(ctx, 12);
  return { ...ctx, snapshot };
};

describe('publishOutbox', () => {
  it("publishes the statement's Position Changed, then the outbox, and clears the outbox", async () => {
    // Prepare
    const setup = await rig();
    await setup.record(fr1);
    const { snapshot, ledger, tracker } = await settled(setup, ru1);
    const publisher = new RecordingPublisher();

    // Act
    const published = await publishOutbox({ tracker, publisher, ledger, statement: ru1 }, snapshot);

    // Assess
    expect(published).toBe(2);
    expect(publisher.published.map((e) => e.detailType)).toEqual([POSITION_CHANGED, POSITIONS_DIVERGED]);
    expect(publisher.published[0]?.detail).toMatchObject({ changeId: positionChangeId(ISSUE, 'russia', 'ru1'), previous: null, current: { statementId: 'ru1' } });
    expect(publisher.published.slice(1).map(RecordingPublisher.idOf)).toEqual(snapshot.outbox);
    expect((await setup.state()).outbox).toEqual([]);
  });

  it('announces no position change for a statement said before the current one', async () => {
    // Prepare
    const setup = await rig();
    await setup.record(fr1);
    const fr0 = said({ id: 'fr0', actor: 'france', stance: 2, at: -10 });
    const { snapshot, ledger, tracker } = await settled(setup, fr0);
    const publisher = new RecordingPublisher();

    // Act
    const published = await publishOutbox({ tracker, publisher, ledger, statement: fr0 }, snapshot);

    // Assess
    expect(published).toBe(0);
    expect(publisher.calls).toBe(0);
  });

  it('publishes what another run recorded and left in the outbox, under the same id', async () => {
    // Prepare: the opening's alert queued again by a run that died before publishing it.
    const setup = await rig();
    await setup.record(fr1, ru1);
    const [opened] = await setup.tracker.loadAlerts(ISSUE, (await setup.state()).alerts.map((a) => a.alertId));
    await new AlertLedger(setup.tracker, ISSUE).record(opened!);
    const snapshot = await setup.snapshot(ISSUE);
    const publisher = new RecordingPublisher();

    // Act: a delivery of France's statement again, finding nothing of its own to record.
    await publishOutbox({ tracker: setup.tracker, publisher, ledger: new AlertLedger(setup.tracker, ISSUE), statement: fr1 }, snapshot);

    // Assess
    expect(publisher.ofType(POSITIONS_DIVERGED)).toEqual([{ detailType: POSITIONS_DIVERGED, detail: opened!.detail }]);
    expect((await setup.state()).outbox).toEqual([]);
  });

  it('keeps the outbox for the next delivery when the bus refuses the events', async () => {
    // Prepare
    const setup = await rig();
    await setup.record(fr1);
    const { snapshot, ledger, tracker } = await settled(setup, ru1);
    const publisher = new RecordingPublisher().crashOnce();

    // Act
    const publishing = publishOutbox({ tracker, publisher, ledger, statement: ru1 }, snapshot);

    // Assess
    await expect(publishing).rejects.toThrow(/injected crash/);
    expect((await setup.state()).outbox).toEqual(snapshot.outbox);
    expect(snapshot.outbox).toHaveLength(1);
  });
});
