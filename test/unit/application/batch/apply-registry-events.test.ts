import { describe, expect, it } from 'vitest';
import { applyRegistryEvents } from '../../../../functions/application/batch/apply-registry-events.ts';
import { BatchLedger } from '../../../../functions/application/batch/ledger.ts';
import { triage } from '../../../../functions/application/batch/triage.ts';
import { ValidationError } from '../../../../functions/core/errors.ts';
import { referenceKey } from '../../../../functions/core/resolution.ts';
import { KeptQuarantine, MemoryRegistry, RememberingLogger, clock, message, NOW, speakerEvent } from './fakes.ts';

const SOURCES: ReadonlySet<string> = new Set(['newsroom.desk']);

const setUp = (...events: unknown[]) => {
  const messages = events.map(message);
  const quarantine = new KeptQuarantine();
  const ledger = new BatchLedger(quarantine, clock, new RememberingLogger());
  return { messages, quarantine, ledger, registryEvents: triage(messages, SOURCES).registryEvents, registry: new MemoryRegistry() };
};

describe('applyRegistryEvents', () => {
  it('applies each registration and says whether any took effect', async () => {
    // Prepare: a new speaker, then the same record again.
    const { messages, ledger, registryEvents, registry } = setUp(speakerEvent(), speakerEvent());

    // Act
    const changes = await applyRegistryEvents(registryEvents, registry, ledger, NOW);

    // Assess
    expect(changes).toMatchObject({ changed: true, failedReferences: new Set() });
    expect(changes.delivered.map((d) => [d.messageId, d.update.record.id])).toEqual(messages.map((m) => [m.messageId, 'barrot']));
    expect(ledger.report(messages).outcomes.map((o) => o.status === 'registry' && [o.result, o.kind, o.id])).toEqual([
      ['applied', 'speaker', 'barrot'],
      ['stale', 'speaker', 'barrot'],
    ]);
    expect(registry.registry.speakers.get('barrot')?.aliases).toEqual(['بارو']);
  });

  it('reports no change when every registration is stale', async () => {
    // Prepare: a copy of the seed's Putin, older than the seed's.
    const { ledger, registryEvents, registry } = setUp(speakerEvent({
      speaker: 'putin', actor: 'russia', names: { en: 'Putin', ar: 'بوتين' }, aliases: [], updatedAt: '2020-01-01T00:00:00Z',
    }));
    // Act / Assess
    expect((await applyRegistryEvents(registryEvents, registry, ledger, NOW)).changed).toBe(false);
  });

  it('quarantines a record the store refuses as too large, naming the field', async () => {
    // Prepare
    const { messages, quarantine, ledger, registryEvents, registry } = setUp(speakerEvent());
    registry.refuse.set('barrot', new ValidationError([{ field: 'detail.aliases', reason: 'the record is over 400 KB' }]));

    // Act
    const changes = await applyRegistryEvents(registryEvents, registry, ledger, NOW);

    // Assess
    expect(changes.changed).toBe(false);
    expect(quarantine.kept.map((q) => [q.messageId, q.reason, q.problems[0]?.field])).toEqual([[messages[0]!.messageId, 'invalid-event', 'detail.aliases']]);
  });

  it('fails back a registration the store cannot take now, and names every reference it would have resolved', async () => {
    // Prepare
    const { messages, ledger, registryEvents, registry } = setUp(speakerEvent());
    registry.refuse.set('barrot', new Error('ThrottlingException: rate exceeded'));

    // Act
    const { failedReferences } = await applyRegistryEvents(registryEvents, registry, ledger, NOW);

    // Assess
    expect(ledger.report(messages).failedMessageIds).toEqual([messages[0]!.messageId]);
    for (const name of ['barrot', 'Jean-Noël Barrot', 'جان نويل بارو', 'بارو']) expect(failedReferences.has(referenceKey({ type: 'speaker', name }))).toBe(true);
  });

  it('quarantines a record dated more than a day ahead of the processing clock, saying why, and keeps the one stored', async () => {
    // Prepare: the clock reads 2025-09-06T12:00Z; a day ahead is allowed, a year (a typo) is not.
    const { messages, quarantine, ledger, registryEvents, registry } = setUp(
      speakerEvent({ aliases: ['year-typo'], updatedAt: '2026-09-06T12:00:00Z' }),
      speakerEvent({ aliases: ['skewed-clock'], updatedAt: '2025-09-07T11:59:00Z' }),
    );

    // Act
    const changes = await applyRegistryEvents(registryEvents, registry, ledger, NOW);

    // Assess
    expect(quarantine.kept.map((q) => [q.messageId, q.reason, q.problems[0]?.field])).toEqual([[messages[0]!.messageId, 'invalid-event', 'detail.updatedAt']]);
    expect(quarantine.kept[0]?.problems[0]?.reason).toMatch(/more than a day ahead of the processing clock \(2025-09-06T12:00:00.000Z\)/);
    expect(changes.delivered.map((d) => d.messageId)).toEqual([messages[1]!.messageId]);
    expect(registry.registry.speakers.get('barrot')?.aliases).toEqual(['skewed-clock']);
  });
});
