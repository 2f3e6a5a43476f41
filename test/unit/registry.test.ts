import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import { parseEvent } from '../../events/validation.ts';
import { isRegistryEvent, toRegistryUpdate } from '../../functions/application/contracts-v1.ts';
import { normaliseForLookup } from '../../functions/core/arabic.ts';
import { applyRegistryUpdate, buildRegistry, emptyRegistry, watchesFor, type RegistryUpdate } from '../../functions/core/registry.ts';
import type { Registry } from '../../functions/core/types.ts';

const seedRegistry = (): Registry => buildRegistry(loadSeedRegistryUpdates());

/** The crafted feed of registry events (several versions of the same ids), parsed as the processor would. */
const fixtureUpdates = (): RegistryUpdate[] => {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/contracts/registry-updates.json', import.meta.url), 'utf8')) as Array<
    Record<string, unknown>
  >;
  return raw.map((event) => {
    const result = parseEvent({ source: 'newsroom.desk', ...event });
    if (!result.ok || !isRegistryEvent(result.event)) throw new Error(JSON.stringify(result));
    return toRegistryUpdate(result.event);
  });
};

describe('the seed registry is consistent', () => {
  const registry = seedRegistry();

  it('has no name or alias that two entries claim (lookups are unambiguous)', () => {
    // Prepare
    const claims = new Map<string, Set<string>>();
    const claim = (text: string, owner: string): void => {
      const key = normaliseForLookup(text);
      claims.set(key, (claims.get(key) ?? new Set()).add(owner));
    };
    for (const a of registry.actors.values()) [a.id, a.names.en, a.names.ar, ...a.aliases].forEach((t) => claim(t, `actor:${a.id}`));
    for (const s of registry.speakers.values()) [s.id, s.names.en, s.names.ar, ...s.aliases].forEach((t) => claim(t, `speaker:${s.id}`));
    // Act
    const ambiguous = [...claims].filter(([, owners]) => owners.size > 1).map(([key, owners]) => `${key}: ${[...owners].join(', ')}`);
    // Assess
    expect(ambiguous).toEqual([]);
  });

  it('refers only to actors, blocs and issues it defines', () => {
    const missing = [
      ...[...registry.speakers.values()].filter((s) => !registry.actors.has(s.actor)).map((s) => `speaker ${s.id} → ${s.actor}`),
      ...[...registry.blocs.values()].flatMap((b) => b.members.filter((m) => !registry.actors.has(m)).map((m) => `bloc ${b.id} → ${m}`)),
      ...[...registry.watches.values()].flatMap((w) => [
        ...(registry.blocs.has(w.bloc) ? [] : [`watch ${w.id} → bloc ${w.bloc}`]),
        ...(w.actor === undefined || registry.actors.has(w.actor) ? [] : [`watch ${w.id} → actor ${w.actor}`]),
        ...(w.issues === '*' ? [] : w.issues.filter((i) => !registry.issues.has(i)).map((i) => `watch ${w.id} → issue ${i}`)),
      ]),
    ];
    expect(missing).toEqual([]);
  });

  it('watches every issue three ways at the default threshold', () => {
    for (const issue of registry.issues.keys()) {
      const watches = watchesFor(registry, issue);
      expect(watches.map((w) => w.id)).toEqual(['allies-split', 'russia-vs-allies', 'united-states-vs-allies']);
      expect(watches.every((w) => w.threshold === 2)).toBe(true);
    }
  });
});

describe('watchesFor', () => {
  it('returns watches listing the issue explicitly or by "*", sorted by id', () => {
    // Prepare
    const registry = buildRegistry(fixtureUpdates());
    // Act / Assess
    expect(watchesFor(registry, 'sea-level').map((w) => w.id)).toEqual(['lost-lands-split']);
    expect(watchesFor(registry, 'other-issue')).toEqual([]);
  });
});

describe('registry updates', () => {
  it('keep, per id, the one with the latest updatedAt (compared as instants, not strings)', () => {
    // Prepare: atlantis v1 (09-01), v2 (09-02), a stale copy (09-01 12:00+02:00) delivered last.
    const updates = fixtureUpdates();
    // Act
    const registry = buildRegistry(updates);
    // Assess
    expect(registry.actors.get('atlantis')).toMatchObject({ names: { en: 'Atlantis (renamed)' }, aliases: ['Lost City'] });
    expect(registry.speakers.get('poseidon')).toMatchObject({ actor: 'lemuria', aliases: ['Sea King'] });
    expect(registry.blocs.get('lost-lands')?.members).toEqual(['atlantis']);
  });

  it('break a tie on equal updatedAt deterministically (same instant, different offsets)', () => {
    // Prepare: two lemuria records said at the same instant, in both delivery orders.
    const updates = fixtureUpdates().filter((u) => u.record.id === 'lemuria');
    // Act
    const forward = buildRegistry(updates).actors.get('lemuria');
    const backward = buildRegistry([...updates].reverse()).actors.get('lemuria');
    // Assess
    expect(forward).toEqual(backward);
    expect(forward?.updatedAt).toBe('2025-09-03T00:00:00.000Z');
  });

  it('build the same registry in any order, with duplicates (property)', () => {
    // Prepare
    const updates = [...fixtureUpdates(), ...loadSeedRegistryUpdates()];
    const reference = buildRegistry(updates);
    fc.assert(
      fc.property(fc.shuffledSubarray(updates, { minLength: updates.length }), fc.array(fc.nat(updates.length - 1)), (order, repeats) => {
        // Act: a permutation, with some updates delivered again.
        const registry = buildRegistry([...order, ...repeats.map((i) => updates[i]!)]);
        // Assess
        expect(registry).toEqual(reference);
      }),
      { numRuns: 100 },
    );
  });

  it('never change the registry they are applied to', () => {
    // Prepare
    const before = emptyRegistry();
    const [first] = fixtureUpdates();
    // Act
    const after = applyRegistryUpdate(before, first!);
    // Assess
    expect(before.actors.size).toBe(0);
    expect(after.actors.size).toBe(1);
    expect(after.speakers).toBe(before.speakers);
  });

  it('return the same registry when an update changes nothing', () => {
    // Prepare
    const updates = fixtureUpdates();
    const registry = buildRegistry(updates);
    // Act / Assess
    expect(applyRegistryUpdate(registry, updates[0]!)).toBe(registry);
  });
});
