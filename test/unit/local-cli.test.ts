/**
 * The CLI's own logic, apart from the runtime it talks to (test/e2e/local-runtime.test.ts runs the
 * commands against one): reading arguments the way people type them, and one statement from flags.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../local/cli/connection.ts';
import { CliError } from '../../local/cli/io.ts';
import { statementFromFlags } from '../../local/cli/publish-commands.ts';

describe('the CLI\'s arguments', () => {
  it('takes a negative number after a string option as its value, as people type `--stance -2`', () => {
    const { values } = parse(['--stance', '-2', '--issue', 'western-troops-in-ukraine'], { stance: { type: 'string' }, issue: { type: 'string' } }, false);

    expect(values).toMatchObject({ stance: '-2', issue: 'western-troops-in-ukraine' });
  });

  it('refuses an unknown option with exit code 2, pointing at --help', () => {
    expect(() => parse(['--stanse', '2'], { stance: { type: 'string' } }, false)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/--stanse.*\(see --help\)$/) }));
  });

  it('knows the connection options of every command', () => {
    const { values } = parse(['--endpoint', 'http://127.0.0.1:4010', '--api-key', 'k', '-h'], {}, false);

    expect(values).toMatchObject({ endpoint: 'http://127.0.0.1:4010', 'api-key': 'k', help: true });
  });
});

describe('statementFromFlags', () => {
  const flags = { speaker: 'putin', issue: 'western-troops-in-ukraine', stance: '-2', quote: 'لن نقبل بأي قوات غربية', outlet: 'Reuters' };

  it('builds one Statement Recorded from the desk, the quote byte for byte, with the defaults filled in', () => {
    const event = statementFromFlags(flags, () => new Date('2026-01-06T10:00:00.000Z'));

    expect(event.entry).toMatchObject({ Source: 'newsroom.desk', DetailType: 'Statement Recorded' });
    const detail = JSON.parse(event.entry.Detail!) as Record<string, unknown>;
    expect(detail).toMatchObject({
      schemaVersion: '1',
      speaker: 'putin',
      issue: 'western-troops-in-ukraine',
      stance: -2,
      hedged: false,
      quote: { text: 'لن نقبل بأي قوات غربية', lang: 'ar' },
      saidAt: '2026-01-06T10:00:00.000Z',
      source: { outlet: 'Reuters' },
      recordedBy: 'cli',
    });
    expect(detail['statementId']).toMatch(/^cli-[0-9a-f-]{36}$/);
    expect(event.origin).toBe(detail['statementId']);
    expect(detail).not.toHaveProperty('actor');
  });

  it('keeps what is given: id, actor, hedge, translation, time said, URL, who recorded it', () => {
    const event = statementFromFlags({
      ...flags,
      stance: '1',
      hedged: true,
      'statement-id': 'desk-0001',
      actor: 'russia',
      translation: 'We will not accept any Western troops',
      'said-at': '2026-01-06T09:00:00Z',
      url: 'https://example.org/a',
      'recorded-by': 'night desk',
    });

    expect(JSON.parse(event.entry.Detail!)).toMatchObject({
      statementId: 'desk-0001',
      actor: 'russia',
      stance: 1,
      hedged: true,
      quote: { translation: { text: 'We will not accept any Western troops', lang: 'en' } },
      saidAt: '2026-01-06T09:00:00Z',
      source: { outlet: 'Reuters', url: 'https://example.org/a' },
      recordedBy: 'night desk',
    });
  });

  it('names every required flag that is missing, with exit code 2', () => {
    const error = (() => {
      try {
        statementFromFlags({ speaker: 'putin', stance: '2' });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 2, message: 'missing --issue, --quote, --outlet (or give --file); see --help' });
  });

  it.each(['3', '-3', '1.5', 'two'])('refuses --stance %s', (stance) => {
    expect(() => statementFromFlags({ ...flags, stance })).toThrow('--stance must be a whole number from -2 to 2');
  });
});
