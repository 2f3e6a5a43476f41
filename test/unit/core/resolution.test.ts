import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates } from '../../../local/seed/seed-files.ts';
import { AmbiguousReferenceError, UnknownReferenceError, UnresolvedReferenceError } from '../../../functions/core/errors.ts';
import { applyRegistryUpdate, buildRegistry, type RegistryUpdate } from '../../../functions/core/registry.ts';
import { lookupName, referenceKey, referenceKeysOf, resolveStatement } from '../../../functions/core/resolution.ts';
import type { Registry, ReportedQuote, ReportedStanceChange } from '../../../functions/core/types.ts';

const seedRegistry = (): Registry => buildRegistry(loadSeedRegistryUpdates());

const REGISTERED_AT = '2025-09-01T00:00:00.000Z';

const speakerUpdate = (id: string, actor: string, aliases: string[], names = { en: id, ar: id }): RegistryUpdate => ({
  type: 'speaker',
  record: { id, actor, names, aliases, updatedAt: REGISTERED_AT },
});

const actorUpdate = (id: string, aliases: string[] = [], names = { en: id, ar: id }): RegistryUpdate => ({
  type: 'actor',
  record: { id, kind: 'state', names, aliases, updatedAt: REGISTERED_AT },
});

/** The seed registry with Italy, and Meloni speaking for it under her Arabic surname. */
const withMeloni = (): Registry =>
  [
    actorUpdate('italy', ['روما'], { en: 'Italy', ar: 'إيطاليا' }),
    speakerUpdate('meloni', 'italy', ['ميلوني', 'Meloni'], { en: 'Giorgia Meloni', ar: 'جورجيا ميلوني' }),
  ].reduce(applyRegistryUpdate, seedRegistry());

/** Putin on the ceasefire, as a desk reports it (times already in UTC, as translation leaves them). */
const reportedQuote = (overrides: Partial<ReportedQuote> = {}): ReportedQuote => ({
  kind: 'statement',
  statementId: 'fixture-putin-ceasefire',
  speaker: 'putin',
  issue: 'ceasefire-before-peace-deal',
  stance: -2,
  hedged: false,
  quote: { text: 'قائد الكرملين يدّعي أن قوات بلاده تتقدم', lang: 'ar', translation: { text: 'The Kremlin leader claims', lang: 'en' } },
  saidAt: '2025-09-03T10:00:00.000Z',
  source: { outlet: 'Paris summit report' },
  recordedBy: 'desk',
  ...overrides,
});

const reportedChange = (overrides: Partial<ReportedStanceChange> = {}): ReportedStanceChange => ({
  kind: 'stance-change',
  statementId: 'change-1',
  actor: 'germany',
  issue: 'western-troops-in-ukraine',
  stance: 1,
  hedged: true,
  reason: 'Cabinet statement',
  saidAt: '2025-09-10T07:00:00.000Z',
  source: { outlet: 'Bundesregierung' },
  recordedBy: 'desk',
  ...overrides,
});

const unresolved = (act: () => unknown): UnresolvedReferenceError => {
  try {
    act();
  } catch (error) {
    if (error instanceof UnresolvedReferenceError) return error;
    throw error;
  }
  throw new Error('expected an UnresolvedReferenceError');
};

describe('lookupName: every spelling of Putin names the speaker putin', () => {
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
    const found = lookupName(registry, 'speaker', spelling);
    // Assess
    expect(found).toEqual({ status: 'found', id: 'putin' });
  });

  it.each([
    ['actor', 'موسكو', 'russia'],
    ['actor', 'الكرملين', 'russia'],
    ['actor', 'ألمانيا', 'germany'],
    ['actor', 'المانيا', 'germany'],
    ['actor', 'إلمانيا', 'germany'],
    ['actor', 'الولايات المتحدة الأمريكية', 'united-states'],
    ['speaker', 'الرئيس الاوكراني', 'zelensky'],
    ['speaker', 'مصدر بالاليزيه', 'elysee-source'],
    ['speaker', 'جون هيلي', 'healey'],
    ['speaker', 'مارك روته', 'rutte'],
  ] as const)('the %s %s is %s', (type, spelling, id) => {
    expect(lookupName(registry, type, spelling)).toEqual({ status: 'found', id });
  });

  it('matches whole names only, and answers unknown for an unknown name', () => {
    expect(lookupName(registry, 'speaker', 'بوتين يقول')).toEqual({ status: 'unknown' });
    expect(lookupName(registry, 'actor', 'أطلانطس')).toEqual({ status: 'unknown' });
    expect(lookupName(registry, 'speaker', '')).toEqual({ status: 'unknown' });
    expect(lookupName(registry, 'speaker', ' \u064B\u0640 ')).toEqual({ status: 'unknown' });
  });

  it('looks among the entries the field asks for: a speaker name is no actor, and an actor name no speaker', () => {
    expect(lookupName(registry, 'actor', 'بوتين')).toEqual({ status: 'unknown' });
    expect(lookupName(registry, 'speaker', 'موسكو')).toEqual({ status: 'unknown' });
  });

  it('resolves a key an actor and a speaker share per field, whatever the load order', () => {
    // Prepare: an actor alias and a speaker name that normalise to the same key.
    const actor = actorUpdate('vatican', ['البابا'], { en: 'Holy See', ar: 'الكرسي الرسولي' });
    const speaker = speakerUpdate('pope', 'vatican', [], { en: 'The Pope', ar: 'البابا' });
    // Act
    const one = buildRegistry([actor, speaker]);
    const other = buildRegistry([speaker, actor]);
    // Assess
    for (const registry of [one, other]) {
      expect(lookupName(registry, 'speaker', 'البابا')).toEqual({ status: 'found', id: 'pope' });
      expect(lookupName(registry, 'actor', 'البابا')).toEqual({ status: 'found', id: 'vatican' });
    }
  });

  it('lets the stronger claim win: an id over a name, a name over an alias', () => {
    // Prepare: 'putin' is also the alias of an impersonator, 'Vladimir Putin' the alias of another.
    const registry = [
      speakerUpdate('impersonator', 'russia', ['putin']),
      speakerUpdate('look-alike', 'russia', ['Vladimir Putin']),
    ].reduce(applyRegistryUpdate, seedRegistry());
    // Act / Assess
    expect(lookupName(registry, 'speaker', 'PUTIN')).toEqual({ status: 'found', id: 'putin' });
    expect(lookupName(registry, 'speaker', 'Vladimir Putin')).toEqual({ status: 'found', id: 'putin' });
  });

  it('answers ambiguous, naming every candidate, when two speakers share their strongest claim on a name', () => {
    // Prepare: two speakers with the same alias, one spelt with alef maqsura.
    const registry = [speakerUpdate('meloni', 'italy', ['ميلوني']), speakerUpdate('meloni-sister', 'italy', ['ميلونى'])]
      .reduce(applyRegistryUpdate, [actorUpdate('italy')].reduce(applyRegistryUpdate, seedRegistry()));
    // Act / Assess
    expect(lookupName(registry, 'speaker', 'ميلوني')).toEqual({ status: 'ambiguous', ids: ['meloni', 'meloni-sister'] });
    expect(lookupName(registry, 'speaker', 'meloni')).toEqual({ status: 'found', id: 'meloni' });
  });
});

describe('resolveStatement', () => {
  const registry = seedRegistry();

  it('fills the actor from the speaker and keeps the statement as reported', () => {
    // Prepare
    const reported = reportedQuote();
    // Act
    const record = resolveStatement(reported, registry);
    // Assess
    expect(record).toEqual({
      statementId: 'fixture-putin-ceasefire', kind: 'statement', actor: 'russia', speaker: 'putin', issue: 'ceasefire-before-peace-deal',
      stance: -2, hedged: false, quote: reported.quote, saidAt: '2025-09-03T10:00:00.000Z', source: reported.source, recordedBy: 'desk',
    });
    expect(record.quote).toBe(reported.quote);
  });

  it('resolves a speaker written by an alias to the id, keeping the text as written beside it', () => {
    // Prepare
    const reported = reportedQuote({ speaker: 'قائد الكرملين' });
    // Act
    const record = resolveStatement(reported, registry);
    // Assess
    expect(record).toMatchObject({ speaker: 'putin', speakerAsWritten: 'قائد الكرملين', actor: 'russia' });
    expect(record).not.toHaveProperty('actorAsWritten');
  });

  it('resolves an actor written by a name, in a statement and in a stance change', () => {
    // Prepare / Act
    const statement = resolveStatement(reportedQuote({ speaker: 'rutte', actor: 'هولندا' }), registry);
    const change = resolveStatement(reportedChange({ actor: 'ألمانيا' }), registry);
    // Assess
    expect(statement).toMatchObject({ speaker: 'rutte', actor: 'netherlands', actorAsWritten: 'هولندا' });
    expect(statement).not.toHaveProperty('speakerAsWritten');
    expect(change).toMatchObject({ kind: 'stance-change', actor: 'germany', actorAsWritten: 'ألمانيا' });
  });

  it('resolves a spelling the normaliser folds (alef maqsura for final yaa)', () => {
    // Prepare
    const registry = withMeloni();
    // Act
    const record = resolveStatement(reportedQuote({ speaker: 'ميلونى' }), registry);
    // Assess
    expect(record).toMatchObject({ speaker: 'meloni', actor: 'italy', speakerAsWritten: 'ميلونى' });
  });

  it('keeps an explicit actor even when the speaker usually speaks for another', () => {
    // Prepare: Rutte quoted as speaking for the Netherlands.
    const reported = reportedQuote({ speaker: 'rutte', actor: 'netherlands', recordedAt: '2025-09-04T18:00:00.000Z' });
    // Act
    const record = resolveStatement(reported, registry);
    // Assess
    expect(record.actor).toBe('netherlands');
    expect(record.recordedAt).toBe('2025-09-04T18:00:00.000Z');
  });

  it('rejects an unknown actor when the speaker does not resolve either, naming both fields', () => {
    // Act
    const error = unresolved(() => resolveStatement(reportedQuote({ speaker: 'nobody', actor: 'atlantis' }), registry));
    // Assess
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error.problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'atlantis' and speaker 'nobody' does not resolve to an actor" },
      { field: 'detail.speaker', reason: "unknown speaker 'nobody'" },
    ]);
    expect(error.message).toContain("detail.actor: unknown actor 'atlantis'");
  });

  it('rejects an unknown actor even when the speaker is known (no silent re-attribution)', () => {
    expect(unresolved(() => resolveStatement(reportedQuote({ actor: 'atlantis' }), registry)).problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'atlantis'" },
    ]);
  });

  it('rejects an unknown speaker when no actor is given', () => {
    expect(unresolved(() => resolveStatement(reportedQuote({ speaker: 'nobody' }), registry)).problems).toEqual([
      { field: 'detail.speaker', reason: "unknown speaker 'nobody' and no actor given" },
    ]);
  });

  it('rejects an unknown name in Arabic, and says so when the name belongs in the other field', () => {
    // Act
    const unknownName = unresolved(() => resolveStatement(reportedQuote({ speaker: 'ميلوني' }), registry));
    const actorAsSpeaker = unresolved(() => resolveStatement(reportedQuote({ speaker: 'موسكو' }), registry));
    const speakerAsActor = unresolved(() => resolveStatement(reportedChange({ actor: 'بوتين' }), registry));
    // Assess
    expect(unknownName).toBeInstanceOf(UnknownReferenceError);
    expect(unknownName.problems).toEqual([{ field: 'detail.speaker', reason: "unknown speaker 'ميلوني' and no actor given" }]);
    expect(unknownName.references).toEqual([{ type: 'speaker', name: 'ميلوني' }]);
    expect(actorAsSpeaker.problems).toEqual([
      { field: 'detail.speaker', reason: "unknown speaker 'موسكو' and no actor given; 'موسكو' names the actor 'russia', not a speaker" },
    ]);
    expect(speakerAsActor.problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'بوتين'; 'بوتين' names the speaker 'putin', who speaks for 'russia'" },
    ]);
  });

  it('rejects a name two speakers share as ambiguous, naming both candidates and the actors they speak for', () => {
    // Prepare
    const registry = [speakerUpdate('meloni-sister', 'italy', ['ميلوني'])].reduce(applyRegistryUpdate, withMeloni());
    // Act
    const error = unresolved(() => resolveStatement(reportedQuote({ speaker: 'ميلونى' }), registry));
    // Assess
    expect(error).toBeInstanceOf(AmbiguousReferenceError);
    expect(error.problems).toEqual([
      {
        field: 'detail.speaker',
        reason: "ambiguous speaker 'ميلونى' and no actor given: it names 'meloni' (for 'italy') and 'meloni-sister' (for 'italy'); write the id of the one meant",
      },
    ]);
    expect(error.references).toEqual([
      { type: 'speaker', name: 'ميلونى' }, { type: 'speaker', name: 'meloni' }, { type: 'speaker', name: 'meloni-sister' },
    ]);
  });

  it('reports an unknown reference beside an ambiguous one as unknown, with both problems', () => {
    // Prepare
    const registry = [speakerUpdate('meloni-sister', 'italy', ['ميلوني'])].reduce(applyRegistryUpdate, withMeloni());
    // Act
    const error = unresolved(() => resolveStatement(reportedQuote({ speaker: 'ميلوني', issue: 'atlantis-membership' }), registry));
    // Assess
    expect(error).toBeInstanceOf(UnknownReferenceError);
    expect(error.problems.map((p) => p.field)).toEqual(['detail.speaker', 'detail.issue']);
  });

  it('rejects an unknown issue', () => {
    expect(unresolved(() => resolveStatement(reportedQuote({ issue: 'atlantis-membership' }), registry)).problems).toEqual([
      { field: 'detail.issue', reason: "unknown issue 'atlantis-membership'" },
    ]);
  });

  it('rejects a speaker whose registered actor is unknown when no actor is given', () => {
    // Prepare: a speaker registered before the actor it speaks for.
    const registry = [speakerUpdate('envoy', 'atlantis', [])].reduce(applyRegistryUpdate, seedRegistry());
    // Act
    const error = unresolved(() => resolveStatement(reportedQuote({ speaker: 'envoy' }), registry));
    // Assess
    expect(error.problems).toEqual([{ field: 'detail.speaker', reason: "speaker 'envoy' speaks for unknown actor 'atlantis' and no actor given" }]);
    expect(error.references).toEqual([{ type: 'actor', name: 'atlantis' }]);
  });

  it('resolves a stance change to its actor', () => {
    // Act
    const record = resolveStatement(reportedChange(), registry);
    // Assess
    expect(record).toEqual({
      statementId: 'change-1', kind: 'stance-change', actor: 'germany', issue: 'western-troops-in-ukraine', stance: 1, hedged: true,
      reason: 'Cabinet statement', saidAt: '2025-09-10T07:00:00.000Z', source: { outlet: 'Bundesregierung' }, recordedBy: 'desk',
    });
  });

  it('rejects a stance change for an unknown actor', () => {
    expect(unresolved(() => resolveStatement(reportedChange({ actor: 'atlantis', issue: 'nowhere' }), registry)).problems).toEqual([
      { field: 'detail.actor', reason: "unknown actor 'atlantis'" },
      { field: 'detail.issue', reason: "unknown issue 'nowhere'" },
    ]);
  });

  it('names what would resolve it: the records a registration could supply', () => {
    // Act / Assess
    expect(unresolved(() => resolveStatement(reportedQuote({ speaker: 'nobody', actor: 'atlantis', issue: 'atlantis-membership' }), registry)).references)
      .toEqual([
        { type: 'issue', name: 'atlantis-membership' },
        { type: 'actor', name: 'atlantis' },
        { type: 'speaker', name: 'nobody' },
      ]);
    expect(unresolved(() => resolveStatement(reportedChange({ actor: 'atlantis' }), registry)).references).toEqual([{ type: 'actor', name: 'atlantis' }]);
  });
});

describe('referenceKeysOf', () => {
  it('matches a reference to a registration by any spelling of its id, names or aliases', () => {
    // Prepare
    const meloni = speakerUpdate('meloni', 'italy', ['ميلوني'], { en: 'Giorgia Meloni', ar: 'جورجيا ميلوني' });
    // Act
    const keys = new Set(referenceKeysOf(meloni));
    // Assess
    for (const name of ['meloni', 'GIORGIA MELONI', 'جورجيا ميلونى', 'ميلونى']) expect(keys.has(referenceKey({ type: 'speaker', name }))).toBe(true);
    expect(keys.has(referenceKey({ type: 'actor', name: 'meloni' }))).toBe(false);
  });

  it('keys an issue by its id, and nothing for a registration no statement names', () => {
    const names = { en: 'Sea level', ar: 'مستوى البحر' };
    expect(referenceKeysOf({ type: 'issue', record: { id: 'sea-level', title: names, proposition: names, status: 'open', updatedAt: REGISTERED_AT } }))
      .toEqual([referenceKey({ type: 'issue', name: 'sea-level' })]);
    expect(referenceKeysOf({ type: 'bloc', record: { id: 'b', names, members: [], updatedAt: REGISTERED_AT } })).toEqual([]);
  });
});
