import { describe, expect, it } from 'vitest';
import { BatchLedger } from '../../../../functions/application/batch/ledger.ts';
import { resolveStatements } from '../../../../functions/application/batch/resolve-statements.ts';
import { triage } from '../../../../functions/application/batch/triage.ts';
import { RegistryCache } from '../../../../functions/application/registry-cache.ts';
import { toRegistryUpdate } from '../../../../functions/application/contracts-v1.ts';
import { applyRegistryUpdate } from '../../../../functions/core/registry.ts';
import { referenceKey } from '../../../../functions/core/resolution.ts';
import { KeptQuarantine, MemoryRegistry, RememberingLogger, clock, message, statementEvent } from './fakes.ts';

const SOURCES: ReadonlySet<string> = new Set(['newsroom.desk']);

const barrot = (aliases = ['بارو'], speaker = 'barrot') =>
  toRegistryUpdate({
    detailType: 'Speaker Registered',
    detail: { schemaVersion: '1', speaker, actor: 'france', names: { en: speaker, ar: speaker }, aliases, updatedAt: '2025-09-02T00:00:00Z' },
  });

const setUp = (events: unknown[], { nowMs = 100, batchStartedMs = 100, failedReferences = new Set<string>() } = {}) => {
  const messages = events.map(message);
  const registry = new MemoryRegistry();
  const quarantine = new KeptQuarantine();
  const ledger = new BatchLedger(quarantine, clock, new RememberingLogger());
  const time = { now: nowMs };
  const cache = new RegistryCache(registry, { nowMs: () => time.now });
  const run = () => resolveStatements(triage(messages, SOURCES).statements, { cache, batchStartedMs, failedReferences }, ledger);
  return { messages, registry, quarantine, ledger, cache, time, run };
};

describe('resolveStatements', () => {
  it('resolves ids and names against the registry, keeping the spelling as written', async () => {
    // Prepare
    const { run } = setUp([statementEvent({ statementId: 'by-id' }), statementEvent({ statementId: 'by-alias', speaker: 'بوتين' })]);

    // Act
    const resolved = await run();

    // Assess
    expect(resolved?.statements.map((s) => [s.statement.statementId, s.statement.speaker, s.statement.actor, s.statement.speakerAsWritten])).toEqual([
      ['by-id', 'putin', 'russia', undefined],
      ['by-alias', 'putin', 'russia', 'بوتين'],
    ]);
  });

  it('loads nothing when the batch has no statement', async () => {
    const { run, registry } = setUp([]);
    expect(await run()).toBeUndefined();
    expect(registry.loads).toBe(0);
  });

  it('fails back every statement when the registry cannot be loaded', async () => {
    // Prepare
    const { run, registry, ledger, messages } = setUp([statementEvent({ statementId: 'a' }), statementEvent({ statementId: 'b' })]);
    registry.failLoads = 1;

    // Act
    const resolved = await run();

    // Assess
    expect(resolved).toBeUndefined();
    expect(ledger.report(messages).failedMessageIds).toEqual(messages.map((m) => m.messageId));
  });

  it('checks a name the cached registry does not know against a fresh copy, once', async () => {
    // Prepare: the registry was cached before another container registered Barrot.
    const { run, registry, cache, time } = setUp([statementEvent({ speaker: 'بارو' })], { batchStartedMs: 100 });
    time.now = 0;
    await cache.get();
    registry.registry = applyRegistryUpdate(registry.registry, barrot());
    time.now = 100;

    // Act
    const resolved = await run();

    // Assess
    expect(resolved?.statements.map((s) => s.statement.speaker)).toEqual(['barrot']);
    expect(registry.loads).toBe(2);
  });

  it('quarantines an unknown name as unknown-reference and a shared alias as ambiguous-reference, without reloading a fresh registry', async () => {
    // Prepare: two speakers share an alias.
    const { run, registry, quarantine, messages } = setUp([statementEvent({ speaker: 'nobody' }), statementEvent({ speaker: 'بارو' })]);
    registry.registry = [barrot(), barrot(['بارو'], 'barrot-twin')].reduce(applyRegistryUpdate, registry.registry);

    // Act
    const resolved = await run();

    // Assess
    expect(resolved?.statements).toEqual([]);
    expect(quarantine.kept.map((q) => [q.messageId, q.reason, q.problems[0]?.reason])).toEqual([
      [messages[0]!.messageId, 'unknown-reference', "unknown speaker 'nobody' and no actor given"],
      [messages[1]!.messageId, 'ambiguous-reference', expect.stringContaining("'barrot' (for 'france') and 'barrot-twin' (for 'france')")],
    ]);
    expect(registry.loads).toBe(1);
  });

  it('fails back, rather than quarantines, a statement naming what a registration that failed in this batch would register', async () => {
    // Prepare
    const failedReferences = new Set([referenceKey({ type: 'speaker', name: 'بارو' })]);
    const { run, quarantine, ledger, messages } = setUp([statementEvent({ speaker: 'بارو' })], { failedReferences });

    // Act
    await run();

    // Assess
    expect(quarantine.kept).toEqual([]);
    expect(ledger.report(messages).failedMessageIds).toEqual([messages[0]!.messageId]);
  });
});
