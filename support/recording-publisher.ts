/**
 * An EventPublisher that keeps what it is given, in order, and can be told to fail: to crash
 * before publishing anything (a Lambda dying between recording an alert and PutEvents), or to
 * fail on a condition.
 */
import type { EventPublisher, OutboundEvent } from '../functions/application/ports.ts';

export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

export class RecordingPublisher implements EventPublisher {
  readonly published: OutboundEvent[] = [];
  calls = 0;
  private crashes: Array<(events: readonly OutboundEvent[]) => boolean> = [];

  /** The next publish whose events satisfy `when` (any, by default) throws before publishing anything. */
  crashOnce(when: (events: readonly OutboundEvent[]) => boolean = () => true): this {
    this.crashes.push(when);
    return this;
  }

  async publish(events: readonly OutboundEvent[]): Promise<void> {
    this.calls += 1;
    const crash = this.crashes.findIndex((when) => when(events));
    if (crash >= 0) {
      this.crashes.splice(crash, 1);
      throw new InjectedCrash(`injected crash before publishing ${events.length} event(s)`);
    }
    this.published.push(...events.map((event) => structuredClone(event)));
  }

  ofType(detailType: string): OutboundEvent[] {
    return this.published.filter((event) => event.detailType === detailType);
  }

  /** The id subscribers dedupe on: alertId for alerts, changeId for position changes. */
  static idOf(event: OutboundEvent): string {
    const detail = event.detail as { alertId?: string; changeId?: string };
    return detail.alertId ?? detail.changeId ?? '';
  }

  clear(): void {
    this.published.length = 0;
    this.calls = 0;
  }
}
