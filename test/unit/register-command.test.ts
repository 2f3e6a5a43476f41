/** `tracker register`'s pure parts: records from flags, from a file of bare details, and their events. */
import { describe, expect, it } from 'vitest';
import { REGISTRY_SOURCE } from '../../events/common.ts';
import { BLOC_REGISTERED, WATCH_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { CliError } from '../../local/cli/io.ts';
import { inferKind, recordFromFlags, recordsOf, registryEvent } from '../../local/cli/register-command.ts';

const NOW = () => new Date('2026-02-01T08:00:00.000Z');

describe('tracker register', () => {
  it('builds a bare record from flags, with only the fields given', () => {
    expect(recordFromFlags({ kind: 'bloc', id: 'allies', 'name-en': 'Allies', 'name-ar': 'الحلفاء', members: 'france, germany,,uk' })).toEqual({
      bloc: 'allies', names: { en: 'Allies', ar: 'الحلفاء' }, members: ['france', 'germany', 'uk'],
    });
    expect(recordFromFlags({ kind: 'watch', id: 'w', 'watch-kind': 'bloc-split', bloc: 'allies', issues: '*', threshold: '3' })).toEqual({
      watch: 'w', kind: 'bloc-split', bloc: 'allies', issues: '*', threshold: 3,
    });
  });

  it('refuses flags without a kind and an id, or with an unknown kind, naming the flag', () => {
    expect(() => recordFromFlags({ id: 'x' })).toThrow(new CliError('give --kind and --id (or --file); see --help', 2));
    expect(() => recordFromFlags({ kind: 'planet', id: 'x' })).toThrow(/--kind must be one of actor, speaker, issue, bloc, watch \(got 'planet'\)/);
  });

  it('reads a file of one JSON object per line, or an array, each with where it came from', () => {
    expect(recordsOf('{"actor":"a"}\n\n{"bloc":"b"}\n', 'r.ndjson')).toEqual([
      { origin: 'r.ndjson:1', record: { actor: 'a' } },
      { origin: 'r.ndjson:3', record: { bloc: 'b' } },
    ]);
    expect(recordsOf('[{"issue":"i"}]', 'r.json')).toEqual([{ origin: 'r.json[0]', record: { issue: 'i' } }]);
    expect(() => recordsOf('{"actor":"a"}\nnot json', 'r.ndjson')).toThrow(/^r\.ndjson:2: not JSON/);
    expect(() => recordsOf('[1]', 'r.json')).toThrow('r.json[0]: a registry record must be a JSON object');
  });

  it('infers the kind from the field that names the record: a watch names a bloc too, a speaker an actor', () => {
    expect(inferKind({ watch: 'w', bloc: 'b', actor: 'a' })).toBe('watch');
    expect(inferKind({ speaker: 's', actor: 'a' })).toBe('speaker');
    expect(inferKind({ bloc: 'b', members: [] })).toBe('bloc');
    expect(inferKind({ names: {} })).toBeUndefined();
  });

  it('publishes each record as its Registered event with the registry source, version 1 and now unless given', () => {
    const event = registryEvent(undefined, { bloc: 'b', members: ['x'] }, 'f:1', NOW);
    expect(event.entry.Source).toBe(REGISTRY_SOURCE);
    expect(event.entry.DetailType).toBe(BLOC_REGISTERED);
    expect(JSON.parse(event.entry.Detail ?? '')).toEqual({ schemaVersion: '1', bloc: 'b', members: ['x'], updatedAt: '2026-02-01T08:00:00.000Z' });
    const given = registryEvent('watch', { watch: 'w', updatedAt: '2025-01-01T00:00:00Z' }, 'f:2', NOW);
    expect(given.entry.DetailType).toBe(WATCH_REGISTERED);
    expect(JSON.parse(given.entry.Detail ?? '')).toMatchObject({ updatedAt: '2025-01-01T00:00:00Z' });
    expect(() => registryEvent(undefined, { names: {} }, 'f:3', NOW)).toThrow(/f:3: cannot tell the kind of record/);
  });
});
