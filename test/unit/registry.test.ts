import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates, loadSeedSamples } from '../../events/seed/index.ts';
import { parseEvent } from '../../events/validation.ts';
import { normaliseForLookup } from '../../functions/core/arabic.ts';
import { UnknownReferenceError, ValidationError } from '../../functions/core/errors.ts';
import {
  applyRegistryUpdate, buildRegistry, emptyRegistry, resolveAlias, resolveStatement, toRegistryUpdate, watchesFor,
  type RegistryUpdate,
} from '../../functions/core/registry.ts';
import type { StatementRecordedV1 } from '../../events/inbound/statement-recorded.v1.ts';
import type { StanceChangedV1 } from '../../events/inbound/stance-changed.v1.ts';
import type { Registry } from '../../functions/core/types.ts';

const seedRegistry = (): Registry => buildRegistry(loadSeedRegistryUpdates());

/** The crafted feed of registry events (several versions of the same ids), parsed as the processor would. */
const fixtureUpdates = (): RegistryUpdate[] => {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/contracts/registry-updates.json', import.meta.url), 'utf8')) as Array<
    Record<string, unknown>
  >;
  return raw.map((event) => {
    const result = parseEvent({ source: 'newsroom.desk', ...event });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return toRegistryUpdate(result.event.detailType, result.event.detail);
  });
};

const validStatement = (): StatementRecordedV1 => {
  const raw = JSON.parse(readFileSync(new URL('../fixtures/contracts/statement-recorded.valid.json', import.meta.url), 'utf8'));
  const result = parseEvent(raw);
  if (!result.ok || result.event.detailType !== 'Statement Recorded') throw new Error('fixture must be a valid Statement Recorded');
  return result.event.detail;
};

const unknownReference = (act: () => unknown): UnknownReferenceError => {
  try {
    act();
  } catch (error) {
    if (error instanceof UnknownReferenceError) return error;
    throw error;
  }
  throw new Error('expected an UnknownReferenceError');
};

describe('resolveAlias: every spelling of Putin resolves to putin, who speaks for russia', () => {
  const registry = seedRegistry();

  it.each([
    ['his surname', 'بوتين'],
    ['his full name', 'فلاديمير بوتين'],
    ['the epithet used in the article', 'قائد الكرملين'],
    ['with diacritics', 'بُوتِين'],
    ['full name with diacritics and shadda', 'فْلادِيمِير بُوتِّين'],
    ['with tatweel', 'بوتـــين'],
    ['the epithet with hamza dropped from its seat', 'قايد الكرملين'],
    ['the epithet with a decomposed hamza', 'قا\u064Aٔد الكرملين'],
    ['with his title, its hamza seat written as a plain yaa', 'الرييس بوتين'],
    ['with his title, vocalised', 'الرَّئِيسُ بُوتِين'],
    ['with extra and unusual spaces', '  فلاديمير\u00A0\u00A0بوتين '],
    ['as presentation-form glyphs', '\uFE91\uFEEE\uFE97\uFEF4\uFEE6'],
    ['in English', 'Vladimir Putin'],
    ['in English, shouted', 'PUTIN'],
    ['by his id', 'putin'],
  ])('%s: %s', (_case, spelling) => {
    // Prepare: the seed registry.
    // Act
    const match = resolveAlias(registry, spelling);
    // Assess
    expect(match).toEqual({ type: 'speaker', id: 'putin', actor: 'russia' });
  });

  it.each([
    ['موسكو', { type: 'actor', id: 'russia', actor: 'russia' }],
    ['الكرملين', { type: 'actor', id: 'russia', actor: 'russia' }],
    ['ألمانيا', { type: 'actor', id: 'germany', actor: 'germany' }],
    ['المانيا', { type: 'actor', id: 'germany', actor: 'germany' }],
    ['إلمانيا', { type: 'actor', id: 'germany', actor: 'germany' }],
    ['الولايات المتحدة الأمريكية', { type: 'actor', id: 'united-states', actor: 'united-states' }],
    ['الرئيس الاوكراني', { type: 'speaker', id: 'zelensky', actor: 'ukraine' }],
    ['مصدر بالاليزيه', { type: 'speaker', id: 'elysee-source', actor: 'france' }],
    ['جون هيلي', { type: 'speaker', id: 'healey', actor: 'united-kingdom' }],
    ['مارك روته', { type: 'speaker', id: 'rutte', actor: 'nato' }],
  ])('%s resolves', (spelling, expected) => {
    expect(resolveAlias(registry, spelling)).toEqual(expected);
  });

  it('matches whole names only, and answers undefined for an unknown name', () => {
    expect(resolveAlias(registry, 'بوتين يقول')).toBeUndefined();
    expect(resolveAlias(registry, 'أطلانطس')).toBeUndefined();
    expect(resolveAlias(registry, '')).toBeUndefined();
  });

  it('prefers a speaker over an actor on a shared key, whatever the load order', () => {
    // Prepare: an actor alias and a speaker alias that normalise to the same key.
    const [actor, speaker] = [
      toRegistryUpdate('Actor Registered', {
        schemaVersion: '1', actor: 'vatican', kind: 'state', names: { en: 'Holy See', ar: 'الكرسي الرسولي' }, aliases: ['البابا'],
        updatedAt: '2025-09-01T00:00:00Z',
      }),
      toRegistryUpdate('Speaker Registered', {
        schemaVersion: '1', speaker: 'pope', actor: 'vatican', names: { en: 'The Pope', ar: 'البابا' }, aliases: [],
        updatedAt: '2025-09-01T00:00:00Z',
      }),
    ];
    // Act
    const one = resolveAlias(buildRegistry([actor, speaker]), 'البابا');
    const other = resolveAlias(buildRegistry([speaker, actor]), 'البابا');
    // Assess
    expect(one).toEqual({ type: 'speaker', id: 'pope', actor: 'vatican' });
    expect(other).toEqual(one);
  });
});

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

describe('toRegistryUpdate', () => {
  it('names updatedAt when it cannot be stored, rather than throwing a RangeError', () => {
    // Prepare: a detail built without parseEvent.
    const detail = { schemaVersion: '1', actor: 'atlantis', kind: 'state', names: { en: 'Atlantis', ar: 'أطلانطس' }, aliases: [], updatedAt: '9999-12-31T23:30:00-01:00' };
    // Act / Assess
    expect(() => toRegistryUpdate('Actor Registered', detail)).toThrow(
      expect.objectContaining({ name: 'ValidationError', problems: [{ field: 'detail.updatedAt', reason: expect.stringContaining('years 0000-9999') }] }),
    );
  });
});

describe('resolveStatement', () => {
  const registry = seedRegistry();

  it('fills the actor from the speaker and normalises the times', () => {
    // Prepare: Putin, no actor, said at 18:00 Beijing time.
    const detail = validStatement();
    // Act
    const record = resolveStatement(detail, registry);
    // Assess
    expect(record).toMatchObject({
      statementId: 'fixture-putin-ceasefire',
      kind: 'statement',
      actor: 'russia',
      speaker: 'putin',
      issue: 'ceasefire-before-peace-deal',
      stance: -2,
      hedged: false,
      saidAt: '2025-09-03T10:00:00.000Z',
    });
    expect(record.quote).toEqual(detail.quote);
  });

  it('accepts { detailType, detail } as a parsed event carries it', () => {
    // Prepare
    const detail = validStatement();
    // Act
    const record = resolveStatement({ detailType: 'Statement Recorded', detail }, registry);
    // Assess
    expect(record.actor).toBe('russia');
  });

  it('keeps an explicit actor even when the speaker usually speaks for another', () => {
    // Prepare: Rutte quoted as speaking for the Netherlands.
    const detail = { ...validStatement(), speaker: 'rutte', actor: 'netherlands', recordedAt: '2025-09-04T20:00:00+02:00' };
    // Act
    const record = resolveStatement(detail, registry);
    // Assess
    expect(record.actor).toBe('netherlands');
    expect(record.recordedAt).toBe('2025-09-04T18:00:00.000Z');
  });

  it('rejects an unknown actor when the speaker does not resolve either, naming both fields', () => {
    // Prepare
    const detail = { ...validStatement(), speaker: 'nobody', actor: 'atlantis' };
    // Act
    const error = unknownReference(() => resolveStatement(detail, registry));
    // Assess
    expect(error.problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'atlantis' and speaker 'nobody' does not resolve to an actor" },
      { field: 'detail.speaker', reason: "unknown speaker 'nobody'" },
    ]);
    expect(error.message).toContain("detail.actor: unknown actor 'atlantis'");
  });

  it('rejects an unknown actor even when the speaker is known (no silent re-attribution)', () => {
    // Prepare
    const detail = { ...validStatement(), actor: 'atlantis' };
    // Act / Assess
    expect(unknownReference(() => resolveStatement(detail, registry)).problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'atlantis'" },
    ]);
  });

  it('rejects an unknown speaker when no actor is given', () => {
    // Prepare
    const detail = { ...validStatement(), speaker: 'nobody' };
    // Act / Assess
    expect(unknownReference(() => resolveStatement(detail, registry)).problems).toEqual([
      { field: 'detail.speaker', reason: "unknown speaker 'nobody' and no actor given" },
    ]);
  });

  it('rejects an unknown issue', () => {
    // Prepare
    const detail = { ...validStatement(), issue: 'atlantis-membership' };
    // Act / Assess
    expect(unknownReference(() => resolveStatement(detail, registry)).problems).toEqual([
      { field: 'detail.issue', reason: "unknown issue 'atlantis-membership'" },
    ]);
  });

  it('resolves a stance change to its actor, with effectiveAt as said-time', () => {
    // Prepare
    const change: StanceChangedV1 = {
      schemaVersion: '1', changeId: 'change-1', actor: 'germany', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
      effectiveAt: '2025-09-10T09:00:00+02:00', reason: 'Cabinet statement', source: { outlet: 'Bundesregierung' }, recordedBy: 'desk',
    };
    // Act
    const record = resolveStatement(change, registry);
    // Assess
    expect(record).toEqual({
      statementId: 'change-1', kind: 'stance-change', actor: 'germany', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
      reason: 'Cabinet statement', saidAt: '2025-09-10T07:00:00.000Z', source: { outlet: 'Bundesregierung' }, recordedBy: 'desk',
    });
  });

  it('rejects a stance change for an unknown actor', () => {
    // Prepare
    const change: StanceChangedV1 = {
      schemaVersion: '1', changeId: 'change-2', actor: 'atlantis', issue: 'nowhere', stance: 0, hedged: false,
      effectiveAt: '2025-09-10T09:00:00Z', reason: 'x', source: { outlet: 'y' }, recordedBy: 'desk',
    };
    // Act / Assess
    expect(unknownReference(() => resolveStatement({ detailType: 'Stance Changed', detail: change }, registry)).problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'atlantis'" },
      { field: 'detail.issue', reason: "unknown issue 'nowhere'" },
    ]);
  });

  it('names what would resolve it: the records a registration could supply', () => {
    // Prepare
    const statement = { ...validStatement(), speaker: 'nobody', actor: 'atlantis', issue: 'atlantis-membership' };
    const change: StanceChangedV1 = {
      schemaVersion: '1', changeId: 'change-3', actor: 'atlantis', issue: 'western-troops-in-ukraine', stance: 0, hedged: false,
      effectiveAt: '2025-09-10T09:00:00Z', reason: 'x', source: { outlet: 'y' }, recordedBy: 'desk',
    };
    // Act / Assess
    expect(unknownReference(() => resolveStatement(statement, registry)).references).toEqual([
      { type: 'issue', id: 'atlantis-membership' },
      { type: 'actor', id: 'atlantis' },
      { type: 'speaker', id: 'nobody' },
    ]);
    expect(unknownReference(() => resolveStatement(change, registry)).references).toEqual([{ type: 'actor', id: 'atlantis' }]);
  });

  it.each([
    ['saidAt', { saidAt: '0000-01-01T00:30:00+01:00' }],
    ['recordedAt', { recordedAt: '9999-12-31T23:30:00-01:00' }],
  ])('names %s when a time slipped past validation cannot be stored, rather than throwing a RangeError', (field, override) => {
    // Prepare: a detail built without parseEvent, as a contract that let too much through would pass it.
    const detail = { ...validStatement(), ...override };
    // Act
    const act = () => resolveStatement(detail, registry);
    // Assess
    expect(act).toThrow(ValidationError);
    try {
      act();
    } catch (error) {
      expect((error as ValidationError).problems).toEqual([
        { field: `detail.${field}`, reason: expect.stringContaining('not a representable instant (years 0000-9999)') },
      ]);
    }
  });

  it('resolves every seed sample', () => {
    for (const { file, event } of loadSeedSamples()) {
      const result = parseEvent(event);
      expect(result.ok, file).toBe(true);
      if (result.ok && result.event.detailType === 'Statement Recorded') {
        const { detail } = result.event;
        expect(() => resolveStatement(detail, registry), file).not.toThrow();
      }
    }
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

  it('sort and de-duplicate bloc members and watched issues', () => {
    // Prepare / Act
    const bloc = toRegistryUpdate('Bloc Registered', {
      schemaVersion: '1', bloc: 'b', names: { en: 'B', ar: 'ب' }, members: ['z', 'a', 'z'], updatedAt: '2025-09-01T00:00:00Z',
    });
    // Assess
    expect(bloc.type === 'bloc' && bloc.record.members).toEqual(['a', 'z']);
  });

  it('refuse a detail-type that is not a registry event', () => {
    expect(() => toRegistryUpdate('Statement Recorded', {})).toThrow(TypeError);
  });
});
