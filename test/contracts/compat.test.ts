import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { breakingChanges, isBackwardCompatible } from './compat.ts';

type Schema = Record<string, any>;

/** The published snapshots are the fixtures: each case edits a copy the way a careless change would. */
const published = (name: string): Schema => JSON.parse(readFileSync(new URL(`./published/${name}.json`, import.meta.url), 'utf8'));
const edited = (name: string, edit: (schema: Schema) => void): Schema => {
  const copy = published(name);
  edit(copy);
  return copy;
};

describe('isBackwardCompatible flags breaking changes', () => {
  it.each<[string, string, (s: Schema) => void, string]>([
    ['removing a field', 'statement-recorded.v1', (s) => delete s.properties.source, "'source': field removed"],
    ['removing a nested field', 'statement-recorded.v1', (s) => delete s.properties.quote.properties.lang, "'quote.lang': field removed"],
    [
      'adding a required field',
      'statement-recorded.v1',
      (s) => {
        s.properties.region = { type: 'string' };
        s.required.push('region');
      },
      "'region': required field added",
    ],
    ['making an optional field required', 'statement-recorded.v1', (s) => s.required.push('actor'), "'actor': optional field became required"],
    [
      'making a required field optional',
      'statement-recorded.v1',
      (s) => (s.required = s.required.filter((k: string) => k !== 'speaker')),
      "'speaker': required field became optional (subscribers rely on it)",
    ],
    [
      'narrowing an enum',
      'watch-registered.v1',
      (s) => (s.properties.kind.enum = ['actor-vs-bloc']),
      `'kind': no longer accepts "bloc-split"`,
    ],
    ['changing a const', 'statement-recorded.v1', (s) => (s.properties.schemaVersion.const = '2'), `'schemaVersion': no longer accepts "1"`],
    [
      'changing a type',
      'statement-recorded.v1',
      (s) => (s.properties.stance = { type: 'string', enum: ['reject', 'oppose', 'undecided', 'support', 'commit'] }),
      `'stance': type changed from ["integer"] to ["string"]`,
    ],
    [
      'narrowing number to integer',
      'positions-diverged.v1',
      (s) => (s.properties.gap.type = 'integer'),
      `'gap': type changed from ["number"] to ["integer"]`,
    ],
    ['lowering a maximum', 'statement-recorded.v1', (s) => (s.properties.stance.maximum = 1), "'stance': maximum narrowed from 2 to 1"],
    ['adding a maxLength', 'statement-recorded.v1', (s) => (s.properties.recordedBy.maxLength = 10), "'recordedBy': maxLength narrowed from none to 10"],
    [
      'changing a pattern',
      'statement-recorded.v1',
      (s) => (s.properties.speaker.pattern = '^[a-z]+$'),
      `'speaker': pattern changed from "^[a-z0-9]+(?:-[a-z0-9]+)*$" to "^[a-z]+$"`,
    ],
    [
      'dropping an alternative of a union',
      'watch-registered.v1',
      (s) => (s.properties.issues = s.properties.issues.anyOf[0]),
      `'issues': a published alternative (["*"]) is no longer accepted`,
    ],
    [
      'closing the object to extra fields',
      'statement-recorded.v1',
      (s) => (s.additionalProperties = false),
      'the detail: no longer accepts additional fields',
    ],
    ['changing an array item type', 'bloc-registered.v1', (s) => (s.properties.members.items = { type: 'integer' }), `'members[]': type changed from ["string"] to ["integer"]`],
    ['renaming the detail-type', 'statement-recorded.v1', (s) => (s['x-detail-type'] = 'Statement Logged'), 'x-detail-type changed from "Statement Recorded" to "Statement Logged"'],
    ['removing a correctable field', 'statement-corrected.v1', (s) => delete s.properties.changes.properties.quote, "'changes.quote': field removed"],
    [
      'asking a correction to change more fields',
      'statement-corrected.v1',
      (s) => (s.properties.changes.minProperties = 2),
      "'changes': minProperties narrowed from 1 to 2",
    ],
    ['requiring redact', 'statement-retracted.v1', (s) => s.required.push('redact'), "'redact': optional field became required"],
  ])('%s', (_change, name, edit, expected) => {
    // Prepare
    const before = published(name);
    const after = edited(name, edit);
    // Act
    const breaks = breakingChanges(before, after);
    // Assess
    expect(isBackwardCompatible(before, after)).toBe(false);
    expect(breaks).toContain(expected);
  });
});

describe('isBackwardCompatible accepts compatible changes', () => {
  it.each<[string, string, (s: Schema) => void]>([
    ['no change', 'statement-recorded.v1', () => undefined],
    ['adding an optional field', 'statement-recorded.v1', (s) => (s.properties.location = { type: 'string' })],
    ['adding an optional nested field', 'statement-recorded.v1', (s) => (s.properties.quote.properties.transliteration = { type: 'string' })],
    ['widening an enum', 'watch-registered.v1', (s) => s.properties.kind.enum.push('bloc-vs-bloc')],
    ['raising a maximum', 'watch-registered.v1', (s) => (s.properties.threshold.maximum = 8)],
    ['dropping a minimum length', 'statement-recorded.v1', (s) => delete s.properties.recordedBy.minLength],
    ['widening integer to number', 'statement-recorded.v1', (s) => (s.properties.stance.type = 'number')],
    [
      'relaxing a slug to any non-empty text (the pattern refused the empty string already)',
      'statement-recorded.v1',
      (s) => {
        delete s.properties.speaker.pattern;
        delete s.properties.speaker.maxLength;
        s.properties.speaker.minLength = 1;
      },
    ],
    ['adding an alternative', 'statement-recorded.v1', (s) => (s.properties.actor = { anyOf: [s.properties.actor, { type: 'null' }] })],
    ['accepting redact: false too', 'statement-retracted.v1', (s) => delete s.properties.redact.const],
    ['a new correctable field', 'statement-corrected.v1', (s) => (s.properties.changes.properties.reason = { type: 'string' })],
    ['opening the changes to other fields', 'statement-corrected.v1', (s) => delete s.properties.changes.additionalProperties],
    ['editing descriptions and the comment', 'statement-recorded.v1', (s) => {
      s.description = 'Reworded';
      s.properties.speaker.description = 'Reworded';
      s.$comment = 'Regenerated';
    }],
  ])('%s', (_change, name, edit) => {
    // Prepare
    const before = published(name);
    const after = edited(name, edit);
    // Act / Assess
    expect(breakingChanges(before, after)).toEqual([]);
    expect(isBackwardCompatible(before, after)).toBe(true);
  });
});

describe('a minLength implied by a published pattern', () => {
  const withName = (name: Schema): Schema => ({ type: 'object', properties: { name }, required: ['name'] });
  const slug = withName({ type: 'string', pattern: '^[a-z]+(?:-[a-z]+)*$' });
  const lettersOrNothing = withName({ type: 'string', pattern: '^[a-z]*$' });
  const nonEmptyText = withName({ type: 'string', minLength: 1 });

  it('lets a pattern that refuses the empty string give way to minLength 1', () => {
    expect(breakingChanges(slug, nonEmptyText)).toEqual([]);
  });

  it('still flags minLength 1 where the published pattern accepted the empty string', () => {
    expect(breakingChanges(lettersOrNothing, nonEmptyText)).toEqual(["'name': minLength narrowed from none to 1"]);
  });

  it('still flags a pattern added to free text', () => {
    expect(breakingChanges(nonEmptyText, slug)).toEqual([`'name': pattern changed from null to "^[a-z]+(?:-[a-z]+)*$"`]);
  });
});
