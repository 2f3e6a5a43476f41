/**
 * The desk's publisher port on the local bus: the same PutEvents the endpoint on port 4010 takes,
 * as any publisher (never with the tracker's reserved source), so the rules, the quarantine and
 * the fates (`GET /_local/events?id=`) all apply to what the desk sends.
 */
import { eventIdOf } from '../../functions/adapters/eventbridge/desk-publisher.ts';
import type { DeskPublisher } from '../../functions/application/desk/desk-use-cases.ts';
import type { LocalEventBus } from './local-event-bus.ts';

export const localBusDeskPublisher = (bus: Pick<LocalEventBus, 'putEvents'>): DeskPublisher => ({
  put: async (entry) => {
    const result = await bus.putEvents([{ Source: entry.source, DetailType: entry.detailType, Detail: entry.detail }]);
    return eventIdOf(entry, result.Entries[0]);
  },
});
