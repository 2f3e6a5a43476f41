import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../functions/application/ports.ts';
import { AlertLedger, publicationOrder, type LedgerStore } from '../../../functions/application/record/alert-ledger.ts';
import { divergedAlert, convergedAlert } from '../../../functions/application/record/alert-records.ts';
import { replayIssue } from '../../../functions/core/tracker.ts';
import { ISSUE, REGISTRY, byId, fr1, ru1, ru2, uk1, useStore } from './scenario.ts';

const { rig } = useStore();

/** The episode of the story as it opened and as it closed, with their alerts recorded at `at`. */
const storyAlerts = (at: { opened: string; closed: string }): { opened: AlertRecord; closed: AlertRecord } => {
  const replay = replayIssue(ISSUE, [fr1, ru1, uk1, ru2], REGISTRY);
  const [opening, closing] = replay.transitions.filter((t) => t.type !== 'evidence');
  const statements = byId(fr1, ru1, uk1, ru2);
  return {
    opened: divergedAlert(opening!.episode, 'opened', { alertId: opening!.alertId, statements, recordedAt: at.opened }),
    closed: convergedAlert(closing!.episode, 'closed', { alertId: closing!.alertId, statements, recordedAt: at.closed }),
  };
};

/** A table with the story in history, as alerts are stored with references into it. */
const storyRig = async () => {
  const setup = await rig();
  await setup.put(fr1, ru1, uk1, ru2);
  return setup;
};

/** The repository, counting the alerts it is asked to read. */
const counting = (store: LedgerStore): LedgerStore & { loads: string[] } => {
  const loads: string[] = [];
  return {
    loads,
    recordAlert: (alert, options) => store.recordAlert(alert, options),
    queueAlert: (issue, id) => store.queueAlert(issue, id),
    reviseAlert: (alert) => store.reviseAlert(alert),
    loadAlerts: (issue, ids) => {
      loads.push(...ids);
      return store.loadAlerts(issue, ids);
    },
  };
};

describe('AlertLedger', () => {
  it('counts the alerts it records first, and tells its own outbox entries from leftovers of another run', async () => {
    // Prepare
    const { tracker } = await storyRig();
    const { opened, closed } = storyAlerts({ opened: '2026-03-01T00:00:00.000Z', closed: '2026-03-01T00:00:01.000Z' });
    const crashedRun = new AlertLedger(tracker, ISSUE);
    await crashedRun.record(closed);
    const ledger = new AlertLedger(tracker, ISSUE);

    // Act
    await ledger.record(opened);
    await ledger.record(closed);
    const outbox = (await tracker.loadIssueState(ISSUE)).outbox;

    // Assess
    expect(ledger.counts).toEqual({ opened: 1, closed: 0, withdrawn: 0, reinstated: 0 });
    expect(crashedRun.counts).toEqual({ opened: 0, closed: 1, withdrawn: 0, reinstated: 0 });
    expect(outbox.sort()).toEqual([opened.alertId, closed.alertId].sort());
    expect(ledger.hasForeignOutbox(outbox)).toBe(false);
    expect(new AlertLedger(tracker, ISSUE).hasForeignOutbox(outbox)).toBe(true);
    expect(crashedRun.hasForeignOutbox(outbox)).toBe(true);
  });

  it('records an alert queued ahead only once its outbox entry is in, and writes that entry once', async () => {
    // Prepare: a store that logs its writes and holds the entry back until released.
    const { tracker } = await storyRig();
    const { opened } = storyAlerts({ opened: '2026-03-01T00:00:00.000Z', closed: '2026-03-01T00:00:01.000Z' });
    const writes: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const store: LedgerStore = {
      ...counting(tracker),
      queueAlert: async (issue, id) => {
        writes.push(`entry ${id} asked`);
        await held;
        await tracker.queueAlert(issue, id);
        writes.push(`entry ${id} in`);
      },
      recordAlert: async (alert, options) => {
        writes.push(`alert ${alert.alertId}${options?.queued === true ? ' (queued)' : ''}`);
        return tracker.recordAlert(alert, options);
      },
    };
    const ledger = new AlertLedger(store, ISSUE);

    // Act: queued twice, recorded while the entry is still on its way.
    const entry = ledger.queue(opened.alertId);
    void ledger.queue(opened.alertId);
    const recording = ledger.record(opened);
    await new Promise((resolve) => setImmediate(resolve));
    const beforeRelease = [...writes];
    release();
    await Promise.all([entry, recording]);

    // Assess
    expect(beforeRelease).toEqual([`entry ${opened.alertId} asked`]);
    expect(writes).toEqual([`entry ${opened.alertId} asked`, `entry ${opened.alertId} in`, `alert ${opened.alertId} (queued)`]);
    expect(ledger.counts.opened).toBe(1);
    expect(ledger.hasForeignOutbox([opened.alertId])).toBe(false);
    expect((await tracker.loadIssueState(ISSUE)).outbox).toEqual([opened.alertId]);
    expect((await ledger.pending([opened.alertId])).map((a) => a.alertId)).toEqual([opened.alertId]);
  });

  it('gives the outbox in publication order, reading only the alerts another run recorded', async () => {
    // Prepare: the closing recorded by a run that crashed, the opening by this one.
    const { tracker } = await storyRig();
    const { opened, closed } = storyAlerts({ opened: '2026-03-01T00:00:00.000Z', closed: '2026-03-01T00:00:00.000Z' });
    await new AlertLedger(tracker, ISSUE).record(closed);
    const store = counting(tracker);
    const ledger = new AlertLedger(store, ISSUE);
    await ledger.record(opened);

    // Act
    const pending = await ledger.pending((await tracker.loadIssueState(ISSUE)).outbox);

    // Assess: recorded at the same time, the opening goes first.
    expect(pending.map((a) => a.alertId)).toEqual([opened.alertId, closed.alertId]);
    expect(pending[1]).toEqual(closed);
    expect(store.loads).toEqual([closed.alertId]);
  });

  it('publishes its own alert as revised', async () => {
    // Prepare
    const { tracker } = await storyRig();
    const { opened } = storyAlerts({ opened: '2026-03-01T00:00:00.000Z', closed: '2026-03-01T00:00:01.000Z' });
    const ledger = new AlertLedger(tracker, ISSUE);
    await ledger.record(opened);
    const revised = { ...opened, detail: { ...opened.detail, gap: 3 } } as AlertRecord;

    // Act
    await ledger.revise(revised);
    const pending = await ledger.pending([opened.alertId]);

    // Assess
    expect(pending).toEqual([revised]);
    expect(await tracker.loadAlerts(ISSUE, [opened.alertId])).toEqual([revised]);
  });
});

describe('publicationOrder', () => {
  const alert = (id: string, transition: AlertRecord['transition'], recordedAt: string) => ({ alertId: id, transition, recordedAt }) as AlertRecord;

  it('orders by recording time, then openings before closings, then by id', () => {
    // Prepare
    const alerts = [
      alert('al-b', 'closed', '2026-03-01T00:00:01.000Z'),
      alert('al-z', 'withdrawn', '2026-03-01T00:00:00.000Z'),
      alert('al-y', 'reinstated', '2026-03-01T00:00:00.000Z'),
      alert('al-a', 'closed', '2026-03-01T00:00:01.000Z'),
      alert('al-x', 'opened', '2026-03-01T00:00:00.000Z'),
    ];

    // Act
    const ordered = [...alerts].sort(publicationOrder).map((a) => a.alertId);

    // Assess
    expect(ordered).toEqual(['al-x', 'al-y', 'al-z', 'al-a', 'al-b']);
  });
});
