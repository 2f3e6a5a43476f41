/**
 * The seed as the events a publisher puts on the bus: every registry record as its registry event
 * (in load order: actors, speakers, issues, blocs, watches), then every sample in file (said) order,
 * each with where it came from for progress bars and error lines. The local runtime publishes
 * them, the processor rig feeds them to the handler, and the end-to-end tests send them with the
 * SDK and the AWS CLI: all the same list.
 */
import { DESK_SOURCE } from '../../events/common.ts';
import { loadSeedRegistryDetails, loadSeedSamples, type SeedEvent } from './seed-files.ts';

export interface SeedBusEvent {
  /** `registry/speakers.json[3]` or `03-russia-western-troops-in-ukraine.json`. */
  origin: string;
  event: SeedEvent;
}

/** Every seed registry record as the registry event a desk tool would publish, with `source`. */
export const seedRegistryEvents = (source: string = DESK_SOURCE): SeedBusEvent[] =>
  loadSeedRegistryDetails().flatMap(({ file, detailType, details }) =>
    details.map((detail, index) => ({
      origin: `registry/${file}[${index}]`,
      event: { source, 'detail-type': detailType, detail: detail as Record<string, unknown> },
    })),
  );

export const seedSampleEvents = (): SeedBusEvent[] => loadSeedSamples().map(({ file, event }) => ({ origin: file, event }));
