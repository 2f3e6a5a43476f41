/**
 * The processor's EventPublisher port on the local bus: what the tracker publishes goes through
 * PutEvents on the same LocalEventBus publishers use, so the local rules (notifier, snapshots,
 * console, webhook) see it exactly as EventBridge rules would.
 */
import { TRACKER_SOURCE } from '../../events/common.ts';
import type { EventPublisher, OutboundEvent } from '../../functions/application/ports.ts';
import { MAX_ENTRIES_PER_REQUEST, type LocalEventBus, type PutEventsEntry } from './local-event-bus.ts';

/** Attempts for entries the bus refused; the port must publish all or throw. */
const MAX_ATTEMPTS = 3;

export class LocalBusPublisher implements EventPublisher {
  constructor(
    private readonly bus: LocalEventBus,
    private readonly source: string = TRACKER_SOURCE,
  ) {}

  async publish(events: readonly OutboundEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_REQUEST) {
      let pending: PutEventsEntry[] = events.slice(i, i + MAX_ENTRIES_PER_REQUEST).map((event) => ({
        Source: this.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        // The tracker's own publisher, the one caller that may use its reserved source.
        const result = await this.bus.putEvents(pending, { mayUseReservedSources: true });
        const refused = pending.flatMap((entry, index) => {
          const outcome = result.Entries[index];
          return outcome !== undefined && 'ErrorCode' in outcome ? [{ entry, outcome }] : [];
        });
        if (refused.length === 0) break;
        if (attempt >= MAX_ATTEMPTS) {
          const reasons = refused.map(({ entry, outcome }) => `${entry.DetailType ?? '?'}: ${outcome.ErrorCode} ${outcome.ErrorMessage}`);
          throw new Error(`the local bus refused ${refused.length} event(s) after ${attempt} attempts: ${reasons.join('; ')}`);
        }
        pending = refused.map(({ entry }) => entry);
      }
    }
  }
}
