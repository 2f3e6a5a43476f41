import { describe, expect, it } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import type { Registry } from '../../../functions/core/types.ts';
import type { ReadStore } from '../../../functions/application/read-store.ts';
import { carriesRegistryEvent, shareRegistryReads } from '../../../local/runtime/registry-reads.ts';

const registryNamed = (name: string): Registry => ({ name } as unknown as Registry);

const countingStore = () => {
  let loads = 0;
  const store = {
    loadRegistry: async () => registryNamed(`load-${++loads}`),
    other() {
      return `other of ${this === undefined ? 'nothing' : 'the store'}`;
    },
  };
  return { store: store as unknown as ReadStore & { other(): string }, loads: () => loads };
};

const sqsEvent = (...bodies: string[]): SQSEvent => ({ Records: bodies.map((body, i) => ({ messageId: `m-${i}`, body })) } as unknown as SQSEvent);

describe('the runtime readers share one registry', () => {
  it('loads it once for every reader until the processor handled a registry event', async () => {
    const { store, loads } = countingStore();
    const shared = shareRegistryReads(store);
    const [a, b] = await Promise.all([shared.store.loadRegistry(), shared.store.loadRegistry()]);
    expect(await shared.store.loadRegistry()).toBe(a);
    expect(b).toBe(a);
    expect(loads()).toBe(1);
    shared.invalidate();
    expect(await shared.store.loadRegistry()).toEqual(registryNamed('load-2'));
    expect(loads()).toBe(2);
  });

  it('loads again after the TTL, for writes that bypassed the bus', async () => {
    const { store, loads } = countingStore();
    const shared = shareRegistryReads(store, 0);
    await shared.store.loadRegistry();
    await shared.store.loadRegistry();
    expect(loads()).toBe(2);
  });

  it("keeps the store's other methods, bound to it", () => {
    const { store } = countingStore();
    expect((shareRegistryReads(store).store as typeof store).other()).toBe('other of the store');
  });

  it('tells a batch with a registry event from one without, whatever else it holds', () => {
    const registered = JSON.stringify({ source: 'newsroom.registry', 'detail-type': 'Actor Registered', detail: {} });
    const statement = JSON.stringify({ source: 'newsroom.desk', 'detail-type': 'Statement Recorded', detail: {} });
    expect(carriesRegistryEvent(sqsEvent(statement, registered))).toBe(true);
    expect(carriesRegistryEvent(sqsEvent(statement, 'not json', '{"detail-type":7}'))).toBe(false);
  });
});
