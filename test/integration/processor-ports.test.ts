/**
 * The one factory of the processor's ports, which the Lambda entry, the local runtime and the rigs
 * all use: its repositories share the table they are given, and the publisher and clock are the
 * caller's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processorPorts, systemClock } from '../../functions/adapters/processor-ports.ts';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import { RecordingPublisher } from '../../support/recording-publisher.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';

describe('processorPorts', () => {
  let store: EmbeddedDynamo;
  beforeAll(async () => {
    store = await startDynalite();
  });
  afterAll(async () => {
    await store.stop();
  });

  it('builds repositories on the one table it is given, so what one writes the others see', async () => {
    // Prepare
    const tableName = await store.createTable();
    const ports = processorPorts({ client: store.client, tableName, publisher: new RecordingPublisher() });
    const other = processorPorts({ client: store.client, tableName: await store.createTable(), publisher: new RecordingPublisher() });

    // Act
    for (const update of loadSeedRegistryUpdates()) await ports.registry.applyUpdate(update);
    await ports.quarantine.quarantine({
      messageId: 'm-1',
      body: '{"not":"an event"}',
      reason: 'invalid-event',
      problems: [{ field: 'detail', reason: 'is missing' }],
      receivedAt: '2026-01-06T10:00:00.000Z',
    });

    // Assess: the registry and quarantine live on this table, not on another one.
    const registry = await processorPorts({ client: store.client, tableName, publisher: new RecordingPublisher() }).registry.loadRegistry();
    expect(registry.speakers.get('putin')?.actor).toBe('russia');
    expect((await ports.quarantine.list(10)).map((event) => event.messageId)).toEqual(['m-1']);
    expect((await other.registry.loadRegistry()).speakers.size).toBe(0);
    expect(await other.quarantine.list(10)).toEqual([]);
  });

  it('hands on the caller\'s publisher and clock, and tells the wall-clock time canonically by default', () => {
    const publisher = new RecordingPublisher();
    const clock = { now: () => '2026-01-06T10:00:00.000Z' };

    const given = processorPorts({ client: store.client, tableName: 'any', publisher, clock });
    const byDefault = processorPorts({ client: store.client, tableName: 'any', publisher });

    expect(given.publisher).toBe(publisher);
    expect(given.clock.now()).toBe('2026-01-06T10:00:00.000Z');
    expect(byDefault.clock).toBe(systemClock);
    const before = Date.now();
    const now = byDefault.clock.now();
    expect(now).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(now)).toBeLessThanOrEqual(Date.now());
  });
});
