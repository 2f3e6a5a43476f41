/**
 * The registry as the runtime's readers (read API, notifier, console, snapshot and feed writers)
 * load it: one copy shared by all of them, loaded again only after the processor handled a registry
 * event, or after `ttlMs` for writes that bypass the bus (the embedded store is reachable on its
 * port). Before it, every reader's 2 s cache reloaded the whole registry (a dozen store calls) from
 * the store the processor was using, every 2 s under a steady stream.
 */
import type { SQSEvent } from 'aws-lambda';
import { detailTypes } from '../../events/catalog.ts';
import type { ReadStore } from '../../functions/application/read-store.ts';
import { memoise } from '../../functions/shared/memoise.ts';

/** As the deployed functions keep theirs (functions/application/registry-cache.ts). */
const OUT_OF_BAND_TTL_MS = 30_000;

const REGISTRY_DETAIL_TYPES: ReadonlySet<string> = new Set(detailTypes('registry'));

export interface SharedRegistryReads {
  /** `store` with its registry loads shared. */
  store: ReadStore;
  /** The next load reads the store again. */
  invalidate(): void;
}

export function shareRegistryReads(store: ReadStore, ttlMs = OUT_OF_BAND_TTL_MS): SharedRegistryReads {
  const registry = memoise(() => store.loadRegistry(), { ttlMs });
  // Everything else is the store's own (its methods keep their `this` through the prototype).
  const shared: ReadStore = Object.assign(Object.create(store) as ReadStore, { loadRegistry: () => registry() });
  return { store: shared, invalidate: () => registry.invalidate() };
}

/** Whether a processor batch carried a registry event (valid or not: the processor may have written it). */
export const carriesRegistryEvent = (event: SQSEvent): boolean =>
  event.Records.some((record) => {
    try {
      const detailType = (JSON.parse(record.body) as { 'detail-type'?: unknown })['detail-type'];
      return typeof detailType === 'string' && REGISTRY_DETAIL_TYPES.has(detailType);
    } catch {
      return false;
    }
  });
