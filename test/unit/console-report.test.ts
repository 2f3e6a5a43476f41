import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AlertItem, Matrix } from '../../functions/api/schemas.ts';
import { QUOTE_MARKER, formatAlert, formatMatrix, type NameLookup } from '../../local/console/report.ts';
import { Terminal } from '../../local/console/terminal.ts';
import { forgedQuote } from '../support/hostile-text.ts';

/** What must never reach a terminal: C0 but tab (and LF, which no line here may hold), DEL, C1, bidi embeddings/overrides/isolates. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const fixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/positions-diverged.russia-vs-allies.json', import.meta.url), 'utf8')) as AlertItem & {
  alertId: string;
};
const alert: AlertItem = { ...fixture, status: 'open', closedAt: null };

/** Twenty lines imitating the report's own lines, the escape sequences of a hostile terminal among them. */
const FORGED_LINES = [
  '✓ Russia vs Ukraine and its Western allies on Western troops in Ukraine (actor-vs-bloc, closed)',
  '    Russia +2 commit vs Ukraine and its Western allies +2 commit: gap 0 (threshold 2)',
  '    evidence, Russia:',
  '      Vladimir Putin (Russia), +2 commit, said 2025-09-04T07:00:00.000Z',
  '        source: Kremlin <https://kremlin.example>',
  '        (en) Russia agrees',
  '        stance change: none',
  '',
  '⚠ Germany against its own bloc allies on troops (bloc-split, open)',
  '\u001b[2J\u001b[H',
  '\u001b]0;title\u0007',
  'C1 CSI \u009b31m red',
  '\u202Eevil reversed',
  'tab\tkept',
  'أكدت موسكو أنها ترفض',
  'after a lone CR',
  '2 alert(s)',
  'No alerts.',
  '      indented',
  'the last line',
];
const FORGED_QUOTE = forgedQuote(FORGED_LINES);

const withQuote = (text: string): AlertItem => {
  const [first, ...rest] = alert.evidence.actor;
  return {
    ...alert,
    evidence: { ...alert.evidence, actor: [{ ...first!, quote: { ...first!.quote!, text }, source: { outlet: 'Outlet\u001b[31m\nforged: x' } }, ...rest] },
  };
};

const hostileNames: NameLookup = {
  actor: (id) => (id === 'russia' ? { en: 'Russia\u001b]0;owned\u0007\n⚠ forged heading', ar: 'روسيا\u202E' } : undefined),
  bloc: () => ({ en: 'Allies\r\n    evidence, forged:', ar: 'الحلفاء' }),
  speaker: () => ({ en: '\u001b[2JKremlin', ar: 'الكرملين' }),
};

describe('the console report with hostile text', () => {
  it('frames every line of a twenty-line quote; the report keeps exactly its own lines', () => {
    // Act
    const hostile = formatAlert(withQuote(FORGED_QUOTE), hostileNames);
    const benign = formatAlert(withQuote('أكدت موسكو'), hostileNames);

    // Assess
    const unframed = (lines: string[]) => lines.filter((line) => !line.startsWith(QUOTE_MARKER));
    expect(unframed(hostile)).toEqual(unframed(benign));
    expect(hostile.filter((line) => line.startsWith(QUOTE_MARKER))).toHaveLength(benign.filter((line) => line.startsWith(QUOTE_MARKER)).length + FORGED_LINES.length - 1);
    expect(hostile.filter((line) => /^[⚠✓]/.test(line))).toHaveLength(1);
    expect(hostile).toContain(`${QUOTE_MARKER}أكدت موسكو أنها ترفض`);
    expect(hostile).toContain(`${QUOTE_MARKER}tab\tkept`);
  });

  it('lets no control character through, and keeps every name on its line', () => {
    // Act
    const lines = formatAlert(withQuote(FORGED_QUOTE), hostileNames);

    // Assess
    for (const line of lines) expect(line, line).not.toMatch(CONTROL);
    expect(lines).toContain(`${QUOTE_MARKER}\\u001b[2J\\u001b[H`);
    expect(lines).toContain(`${QUOTE_MARKER}\\u001b]0;title\\u0007`);
    expect(lines).toContain(`${QUOTE_MARKER}C1 CSI \\u009b31m red`);
    expect(lines).toContain(`${QUOTE_MARKER}\\u202eevil reversed`);
    expect(lines[0]).toContain('Russia\\u001b]0;owned\\u0007\\u000a⚠ forged heading');
    expect(lines.join('\n')).toContain('source: Outlet\\u001b[31m\\u000aforged: x');
  });

  it('keeps the matrix to its rows whatever the names hold', () => {
    // Prepare
    const matrix: Matrix = {
      issue: 'western-troops-in-ukraine',
      title: { en: 'Troops\u001b[2J\nforged', ar: 'قوات' },
      proposition: { en: 'Deploy\r\u001b]0;t\u0007', ar: 'نشر' },
      asOf: null,
      positions: [],
      blocs: [{ bloc: 'allies', names: { en: 'Allies\n  +2 commit  Forged', ar: 'الحلفاء\u2066' }, stance: 2, members: ['france'] }],
    } as unknown as Matrix;

    // Act
    const lines = formatMatrix(matrix);

    // Assess
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    expect(lines[0]).toBe('Troops\\u001b[2J\\u000aforged (western-troops-in-ukraine)');
  });
});

describe('the runtime console', () => {
  it('writes log lines with every control character but the line break shown as text', () => {
    // Prepare
    const written: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString('utf8'));
        done();
      },
    });
    const terminal = new Terminal(sink, sink);

    // Act
    terminal.line('[bus] Position Changed: \u001b[2JRussia\u001b]0;title\u0007 on troops\nsecond line');
    terminal.error('[processor] \u009b31m failed\r');

    // Assess
    expect(written.join('')).toBe('[bus] Position Changed: \\u001b[2JRussia\\u001b]0;title\\u0007 on troops\nsecond line\n[processor] \\u009b31m failed\\u000d\n');
  });
});
