/**
 * The alerts one call of the write path records, and the issue's outbox as that call sees it.
 * An alert is recorded (alert item + outbox entry) before the write that commits its transition and
 * published only after, so what the call finds in the outbox is either its own or a leftover of a
 * crashed or concurrent run; only a replay can tell whether a leftover's transition stands.
 */
import type { IssueId } from '../../core/types.ts';
import type { AlertRecord, AlertTransition, TrackerRepository } from '../ports.ts';

export type AlertCounts = Record<AlertTransition, number>;

/** Openings before closings at one recording time, so a subscriber never sees an episode converge before it diverged. */
const PUBLICATION_RANK: Record<AlertTransition, number> = { opened: 0, reinstated: 0, closed: 1, withdrawn: 1 };

/** Recording order, then openings first, then the id: one order whoever publishes the outbox. */
export const publicationOrder = (a: AlertRecord, b: AlertRecord): number =>
  a.recordedAt !== b.recordedAt
    ? (a.recordedAt < b.recordedAt ? -1 : 1)
    : PUBLICATION_RANK[a.transition] - PUBLICATION_RANK[b.transition] || (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0);

export type LedgerStore = Pick<TrackerRepository, 'recordAlert' | 'queueAlert' | 'reviseAlert' | 'loadAlerts'>;

/** Only pushed alerts reach the outbox and the bus; the others are recorded and readable, not told. */

export class AlertLedger {
  /** Every pushed alert this call queued, recorded first here or not: its own share of the outbox. */
  private readonly queued = new Set<string>();
  /** Alerts this call recorded first, as they stand, so publishing them needs no read. */
  private readonly recordedHere = new Map<string, AlertRecord>();
  private readonly recorded: AlertCounts = { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 };
  /** Outbox entries this call wrote ahead of their alerts (`queue`), each once. */
  private readonly entries = new Map<string, Promise<void>>();

  constructor(
    private readonly store: LedgerStore,
    private readonly issue: IssueId,
  ) {}

  /** Alerts recorded for the first time by this call, by transition. */
  get counts(): AlertCounts {
    return { ...this.recorded };
  }

  /**
   * Records the alert, and queues it in the outbox when it is pushed; a redelivery finds it recorded
   * and counts nothing.
   */
  async record(alert: AlertRecord): Promise<void> {
    if (alert.pushed) this.queued.add(alert.alertId);
    const entry = alert.pushed ? this.entries.get(alert.alertId) : undefined;
    // Never the alert before its way out: the entry written ahead must be in first.
    if (entry !== undefined) await entry;
    const first = await this.store.recordAlert(alert, { queued: entry !== undefined });
    if (first) this.recorded[alert.transition] += 1;
    if (first && alert.pushed) this.recordedHere.set(alert.alertId, alert);
  }

  /**
   * Writes the outbox entry of a pushed alert this call is about to record, ahead of the reads the
   * alert needs (its statements, the episode): `record` then waits for it instead of writing it.
   * An entry whose alert is never recorded (the transition lost a race) names nothing to publish.
   */
  queue(alertId: string): Promise<void> {
    let entry = this.entries.get(alertId);
    if (entry === undefined) {
      this.queued.add(alertId);
      entry = this.store.queueAlert(this.issue, alertId);
      this.entries.set(alertId, entry);
    }
    return entry;
  }

  /** Corrects a recorded alert's detail, here as in the store, so what this call publishes is the correction. */
  async revise(alert: AlertRecord): Promise<void> {
    await this.store.reviseAlert(alert);
    const mine = this.recordedHere.get(alert.alertId);
    if (mine !== undefined) this.recordedHere.set(alert.alertId, { ...mine, detail: alert.detail } as AlertRecord);
  }

  /** Whether the outbox holds alerts this call did not queue: leftovers of a crashed or concurrent run. */
  hasForeignOutbox(outbox: readonly string[]): boolean {
    return outbox.some((id) => !this.queued.has(id));
  }

  /**
   * The outbox's alerts and this call's own in publication order, reading only those another run
   * recorded. Its own are published even if a concurrent run cleared their entries first, since they
   * count as heard from the moment they are recorded. An entry whose alert is missing or not pushed
   * (a crash between the entry and the alert) names nothing to publish.
   */
  async pending(outbox: readonly string[]): Promise<AlertRecord[]> {
    const ids = [...new Set([...outbox, ...this.queued])];
    const toLoad = ids.filter((id) => !this.recordedHere.has(id));
    const loaded = toLoad.length === 0 ? [] : await this.store.loadAlerts(this.issue, toLoad);
    return [...ids.flatMap((id) => this.recordedHere.get(id) ?? []), ...loaded].filter((alert) => alert.pushed).sort(publicationOrder);
  }
}
