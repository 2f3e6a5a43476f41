/**
 * The desk's publisher port (application/desk/desk-use-cases.ts) on EventBridge: one PutEvents
 * entry on the tracker bus, its EventId back, or an error naming why the bus refused it (the
 * caller answers 500 and nothing was sent; the desk may send again, the processor dedupes on the
 * statement id).
 *
 * The SDK package's command is imported on the first put, not with this module: the desk API
 * records on few of its requests (GET /me and the preview do not), and esbuild would hoist a static
 * import of the external package, loading it at every cold start (see `onDemandClient`).
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DeskEntry, DeskPublisher } from '../../application/desk/desk-use-cases.ts';

/** One PutEvents result entry, as the SDK and the local bus both shape it. */
export type PutResultEntry = { EventId?: string | undefined; ErrorCode?: string | undefined; ErrorMessage?: string | undefined };

export class DeskPublishError extends Error {
  override readonly name = 'DeskPublishError';
}

/** The event id of the one entry put, or the error the bus gave for it. */
export const eventIdOf = (entry: DeskEntry, result: PutResultEntry | undefined): { eventId: string } => {
  if (result?.EventId !== undefined) return { eventId: result.EventId };
  throw new DeskPublishError(`the bus refused the ${entry.detailType} event: ${result?.ErrorCode ?? 'no result'} ${result?.ErrorMessage ?? ''}`.trim());
};

export const eventBridgeDeskPublisher = ({ client, eventBusName }: { client: EventBridgeClient; eventBusName: string }): DeskPublisher => ({
  put: async (entry) => {
    const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    const result = await client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: eventBusName, Source: entry.source, DetailType: entry.detailType, Detail: entry.detail }] }),
    );
    return eventIdOf(entry, result.Entries?.[0]);
  },
});
