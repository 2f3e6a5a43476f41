/**
 * The seed as the runtime publishes it: the registry first, then the samples the store does not
 * hold yet. A restart on a data directory must not publish the seed again: the processor answers a
 * duplicate by re-publishing the position change it may have failed to publish before.
 */
import type { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { toPutEventsEntry, type FileEvent } from '../events-file.ts';
import { seedRegistryEvents, seedSampleEvents, type SeedBusEvent } from '../seed/seed-events.ts';

const asFileEvent = ({ origin, event }: SeedBusEvent): FileEvent => ({ origin, entry: toPutEventsEntry(event, origin) });

/** Every seed registry record as its registry event, published with `source`. */
export const seedRegistryFileEvents = (source: string): FileEvent[] => seedRegistryEvents(source).map(asFileEvent);

/** The seed samples whose statement (or stance change) the store does not hold yet, in file order. */
export async function seedNotStored(store: Pick<DynamoReadRepository, 'issueHistory'>): Promise<{ samples: FileEvent[]; alreadyStored: number }> {
  const all = seedSampleEvents();
  const detailOf = ({ event }: SeedBusEvent): Record<string, unknown> => event.detail;
  const keyOf = (sample: SeedBusEvent): string => {
    const detail = detailOf(sample);
    return `${String(detail['issue'])} ${String(detail['statementId'] ?? detail['changeId'])}`;
  };
  const issues = [...new Set(all.map((sample) => String(detailOf(sample)['issue'])))];
  const stored = new Set((await Promise.all(issues.map((issue) => store.issueHistory(issue)))).flat().map((s) => `${s.issue} ${s.statementId}`));
  const samples = all.filter((sample) => !stored.has(keyOf(sample))).map(asFileEvent);
  return { samples, alreadyStored: all.length - samples.length };
}
