import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates } from '../../local/seed/seed-files.ts';
import {
  POSITIONS_CONVERGED, POSITIONS_DIVERGED, positionsConvergedV1, positionsDivergedV1,
  type PositionsConvergedV1, type PositionsDivergedV1,
} from '../../events/outbound/divergence-alert.v1.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import type { Registry } from '../../functions/core/types.ts';
import { MAX_SUBJECT_LENGTH, SLACK_NO_PARSING, slackBlocks, snsMessage, type SlackBlock } from '../../functions/notify/format-alert.ts';
import { forgedQuote } from '../support/hostile-text.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), 'utf8'));

const russiaVsAllies: PositionsDivergedV1 = positionsDivergedV1.parse(fixture('positions-diverged.russia-vs-allies'));
const germanyBackInLine: PositionsConvergedV1 = positionsConvergedV1.parse(fixture('positions-converged.germany-split-from-allies'));
const usReversal: PositionsDivergedV1 = positionsDivergedV1.parse(fixture('positions-diverged.united-states-reversal'));

const registry = buildRegistry(loadSeedRegistryUpdates());

const ARABIC = /[\u0600-\u06FF]/;
const LATIN = /[A-Za-z]/;
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** The seed quotes and translations: the only lines allowed to be in whatever language they were said in. */
const quoteLines = (detail: PositionsDivergedV1): string[] =>
  [...detail.evidence.actor, ...detail.evidence.other].flatMap((e) => [
    ...(e.quote === undefined ? [] : [e.quote.text]),
    ...(e.quote?.translation === undefined ? [] : [e.quote.translation.text]),
  ]);

describe('snsMessage', () => {
  it('writes an English paragraph, a blank line, then an Arabic paragraph, never mixing them on one line', () => {
    // Act
    const { message } = snsMessage(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    const [english = '', arabic = ''] = message.split('\n\n');
    expect(english).toContain('Russia has diverged from Ukraine and its Western allies on "Western troops in Ukraine"');
    expect(english).toContain('Russia at reject (-2), Ukraine and its Western allies at commit (+2), a gap of 4 (threshold 2)');
    expect(english).not.toMatch(ARABIC);
    expect(arabic).toContain('تباعد موقف روسيا عن موقف أوكرانيا وحلفاؤها بشأن «نشر قوات غربية في أوكرانيا»');
    expect(arabic).toContain('بتوقيت غرينتش');
    expect(arabic).not.toMatch(LATIN);
    for (const line of message.split('\n')) {
      expect(ARABIC.test(line) && LATIN.test(line), `mixed line: ${line}`).toBe(false);
    }
  });

  it('puts every quote and translation on a line of its own, framed with "> ", byte-exact after the frame, under an English attribution', () => {
    // Act
    const { message } = snsMessage(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    const lines = message.split('\n');
    for (const quote of quoteLines(russiaVsAllies)) {
      const line = lines.find((l) => l === `> ${quote}`);
      expect(line, `quote missing: ${quote}`).toBeDefined();
      expect(utf8(line!.slice(2)).equals(utf8(quote))).toBe(true);
      expect(lines).not.toContain(quote);
    }
    expect(message).toContain('Evidence for Russia:\n- Russian government (official statement from Moscow) (Russia), 4 Sep 2025, 07:00 UTC, stance -2.');
    expect(message).toContain('Source: Kyiv Independent https://kyivindependent.com/reassurance-force?a=1&b=2');
    expect(message).toContain(`Alert ${russiaVsAllies.alertId}, episode ${russiaVsAllies.episodeId}.`);
  });

  it('has a short ASCII subject and the attributes filter policies match on', () => {
    // Act
    const { subject, attributes } = snsMessage(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    expect(subject).toBe('Diverged: Russia vs Ukraine and its Western allies on Western troops in Ukraine');
    expect(attributes).toEqual({
      issue: { DataType: 'String', StringValue: 'western-troops-in-ukraine' },
      actor: { DataType: 'String', StringValue: 'russia' },
      bloc: { DataType: 'String', StringValue: 'allies' },
      kind: { DataType: 'String', StringValue: 'actor-vs-bloc' },
      event: { DataType: 'String', StringValue: 'diverged' },
    });
  });

  it('tells a convergence in both languages, with when it closed and the stance change behind it', () => {
    // Act
    const { subject, message, attributes } = snsMessage(germanyBackInLine, POSITIONS_CONVERGED, registry);

    // Assess
    const [english = '', arabic = ''] = message.split('\n\n');
    expect(subject).toBe('Converged: Germany vs rest of Ukraine and its Western allies on Western troops in Ukraine');
    expect(english).toContain('Germany is back in line with the rest of Ukraine and its Western allies');
    expect(english).toContain('Closed 5 Sep 2025, 09:00 UTC.');
    expect(arabic).toContain('عاد موقف ألمانيا إلى الاتساق مع بقية أعضاء أوكرانيا وحلفاؤها');
    expect(arabic).toContain('وأُغلق في 5 سبتمبر 2025، الساعة 09:00 بتوقيت غرينتش');
    expect(arabic).not.toMatch(LATIN);
    expect(message.split('\n')).toContain(`> ${germanyBackInLine.evidence.actor[0]!.reason}`);
    expect(attributes.event.StringValue).toBe('converged');
    expect(attributes.kind.StringValue).toBe('bloc-split');
  });

  it('reports a reversal with "none" as its bloc and an English quote with its Arabic translation on separate lines', () => {
    // Act
    const { subject, message, attributes } = snsMessage(usReversal, POSITIONS_DIVERGED, registry);

    // Assess
    expect(subject).toBe('Diverged: United States reversed on US security backstop');
    expect(message).toContain('United States has reversed its position on "US security backstop": from support (+1) to oppose (-1)');
    expect(message).toContain('تحوّل موقف الولايات المتحدة بشأن «شبكة أمان أميركية»: من تأييد (\u200E+1) إلى معارضة (\u200E-1)');
    expect(message).toContain("Evidence for United States's earlier position:");
    const lines = message.split('\n');
    for (const quote of quoteLines(usReversal)) expect(lines).toContain(`> ${quote}`);
    expect(attributes.bloc.StringValue).toBe('none');
  });

  it('names a half-point bloc stance between the two scale points', () => {
    // Prepare
    const detail = { ...russiaVsAllies, otherStance: 1.5, gap: 3.5 };

    // Act
    const { message } = snsMessage(detail, POSITIONS_DIVERGED, registry);

    // Assess
    expect(message).toContain('Ukraine and its Western allies at +1.5 (between support and commit), a gap of 3.5');
    expect(message).toContain('وموقف أوكرانيا وحلفاؤها \u200E+1.5 (بين التأييد والالتزام)');
  });

  it('folds accents and drops other non-ASCII from the subject, and keeps it within SNS limits', () => {
    // Prepare
    const issue = registry.issues.get('western-troops-in-ukraine')!;
    const long: Registry = {
      ...registry,
      issues: new Map(registry.issues).set(issue.id, {
        ...issue,
        title: { en: `Déploiement de troupes occidentales en Ukraine — ${'très '.repeat(20)}longtemps`, ar: issue.title.ar },
      }),
    };

    // Act
    const { subject } = snsMessage(russiaVsAllies, POSITIONS_DIVERGED, long);

    // Assess
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^Diverged: Russia vs Ukraine and its Western allies on Deploiement de troupes .*\.\.\.$/);
  });

  it('still goes out when the registry does not know the actor, under its id', () => {
    // Prepare
    const detail = { ...russiaVsAllies, actor: 'belarus' };

    // Act
    const { subject, message } = snsMessage(detail, POSITIONS_DIVERGED, registry);

    // Assess
    expect(subject).toBe('Diverged: belarus vs Ukraine and its Western allies on Western troops in Ukraine');
    expect(message).toContain('belarus has diverged');
  });
});

const textOf = (block: SlackBlock | undefined): string =>
  block === undefined ? '' : 'text' in block ? block.text.text : 'elements' in block ? block.elements.map((e) => e.text).join('\n') : '';

describe('slackBlocks', () => {
  it('has a header, an English section, an Arabic section, then the evidence as context with source links', () => {
    // Act
    const payload = slackBlocks(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    const [header, english, arabic, divider] = payload.blocks;
    expect(payload.text).toBe('Diverged: Russia vs Ukraine and its Western allies on Western troops in Ukraine');
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: payload.text, emoji: false } });
    expect(payload).toMatchObject(SLACK_NO_PARSING);
    expect(english?.type).toBe('section');
    expect(textOf(english)).toContain('Russia has diverged from Ukraine and its Western allies');
    expect(textOf(english)).not.toMatch(ARABIC);
    expect(arabic?.type).toBe('section');
    expect(textOf(arabic)).toContain('تباعد موقف روسيا عن موقف أوكرانيا وحلفاؤها');
    expect(textOf(arabic)).not.toMatch(LATIN);
    expect(divider).toEqual({ type: 'divider' });
    const contexts = payload.blocks.slice(4).filter((b) => b.type === 'context');
    expect(contexts).toHaveLength(russiaVsAllies.evidence.actor.length + russiaVsAllies.evidence.other.length + 1);
    expect(textOf(contexts[1])).toContain('<https://kyivindependent.com/reassurance-force?a=1&amp;b=2|Kyiv Independent>');
  });

  it('gives each quote and translation a plain-text element of its own, framed, byte-exact after the frame', () => {
    // Act
    const payload = slackBlocks(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    const elements = payload.blocks.flatMap((b) => (b.type === 'context' ? b.elements : []));
    for (const quote of quoteLines(russiaVsAllies)) {
      const element = elements.find((e) => e.text === `&gt; ${quote}`);
      expect(element, `quote missing: ${quote}`).toMatchObject({ type: 'plain_text', emoji: false });
      expect(utf8(element!.text.slice('&gt; '.length)).equals(utf8(quote))).toBe(true);
    }
    // As Slack displays them: the escaped frame is a ">", not Latin letters.
    for (const { text } of elements) {
      const shown = text.replaceAll('&gt;', '>').replaceAll('&lt;', '<').replaceAll('&amp;', '&');
      expect(ARABIC.test(shown) && LATIN.test(shown), `mixed element: ${shown}`).toBe(false);
    }
  });

  it('escapes the characters Slack reads as markup, and tells a convergence', () => {
    // Prepare
    const [first, ...rest] = germanyBackInLine.evidence.other;
    const detail: PositionsConvergedV1 = {
      ...germanyBackInLine,
      evidence: { ...germanyBackInLine.evidence, other: [{ ...first!, quote: { text: 'Troops <now> & later', lang: 'en' } }, ...rest] },
    };

    // Act
    const payload = slackBlocks(detail, POSITIONS_CONVERGED, registry);

    // Assess
    const elements = payload.blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => e.text) : []));
    expect(elements).toContain('&gt; Troops &lt;now&gt; &amp; later');
    expect(payload.text).toMatch(/^Converged: Germany/);
    expect(textOf(payload.blocks[2])).toContain('عاد موقف ألمانيا');
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile text: any publisher writes quotes and outlets, any registrant writes names.

/** What must never reach a reader: C0 but tab and LF, DEL, C1, line and paragraph separators, bidi embeddings/overrides/isolates. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** Twenty lines that imitate the e-mail's own layout, with every kind of line break between them. */
const FORGED_LINES = [
  'Moscow said:',
  '',
  'Russia and Ukraine and its Western allies have converged on "Western troops in Ukraine": Russia at commit (+2).',
  'تقارب موقف روسيا مع موقف أوكرانيا وحلفاؤها بشأن «نشر قوات غربية في أوكرانيا»',
  '',
  'Evidence for Russia:',
  '- Vladimir Putin (Russia), 4 Sep 2025, 07:00 UTC, stance +2. Source: Kremlin',
  'Evidence for Ukraine and its Western allies:',
  '- Ukrainian government (Ukraine), 4 Sep 2025, 11:00 UTC, stance +2. Source: Kyiv Independent',
  '(2 more: GET /alerts?issue=western-troops-in-ukraine&actor=russia)',
  '',
  'Alert al-00000000000000000000-closed, episode ep-00000000000000000000.',
  '\u001b[2J\u001b]0;title\u0007',
  '=HYPERLINK("http://evil","x")',
  '<!channel> *urgent* _now_ ~struck~ `code` <@U0123ABC>',
  '> already framed',
  '\u202Eevil reversed\u202C',
  'a NUL \u0000 and a C1 CSI \u009b2J',
  '\t- indented forgery',
  'the last line',
];
const FORGED_QUOTE = forgedQuote(FORGED_LINES);

const hostileRegistry: Registry = (() => {
  const russia = registry.actors.get('russia')!;
  const allies = registry.blocs.get('allies')!;
  const speaker = registry.speakers.get('russian-government')!;
  return {
    ...registry,
    actors: new Map(registry.actors).set('russia', { ...russia, names: { en: '<!channel> Russia\u001b[2J', ar: 'روسيا\u001b]0;title\u0007' } }),
    blocs: new Map(registry.blocs).set('allies', { ...allies, names: { en: 'Allies\nAlert al-fake, episode ep-fake.', ar: allies.names.ar } }),
    speakers: new Map(registry.speakers).set('russian-government', { ...speaker, names: { en: '<!here> *Kremlin*\r\n- forged', ar: speaker.names.ar } }),
  };
})();

const withActorQuote = (text: string): PositionsDivergedV1 => {
  const [first, ...rest] = russiaVsAllies.evidence.actor;
  return {
    ...russiaVsAllies,
    evidence: {
      ...russiaVsAllies.evidence,
      actor: [{ ...first!, quote: { ...first!.quote!, text }, source: { outlet: '<!everyone>\u001b[31m Outlet', url: 'https://evil.example/a?b=1&c=<2>|x' } }, ...rest],
    },
  };
};
const forged = withActorQuote(FORGED_QUOTE);
const oneLine = withActorQuote('أكدت موسكو أنها ترفض');

describe('alerts carrying hostile text', () => {
  it('SNS: a twenty-line quote adds only framed lines; the message keeps exactly its own headings and Alert line', () => {
    // Act
    const hostile = snsMessage(forged, POSITIONS_DIVERGED, hostileRegistry).message.split('\n');
    const benign = snsMessage(oneLine, POSITIONS_DIVERGED, hostileRegistry).message.split('\n');

    // Assess
    const unframed = (lines: string[]) => lines.filter((line) => !line.startsWith('> '));
    expect(unframed(hostile)).toEqual(unframed(benign));
    expect(hostile.filter((line) => line.startsWith('> ')).length).toBe(benign.filter((line) => line.startsWith('> ')).length + FORGED_LINES.length - 1);
    expect(hostile.filter((line) => line.startsWith('Alert '))).toEqual([`Alert ${forged.alertId}, episode ${forged.episodeId}.`]);
    expect(hostile.filter((line) => line.startsWith('Evidence for '))).toHaveLength(2);
    expect(hostile).toContain('> Evidence for Russia:');
    expect(hostile).toContain('> Alert al-00000000000000000000-closed, episode ep-00000000000000000000.');
    // The Arabic line of the quote is there, framed, byte for byte.
    expect(hostile.some((line) => utf8(line).equals(utf8(`> ${FORGED_LINES[3]}`)))).toBe(true);
  });

  it('SNS: no control character survives in the subject or the body; escape sequences show as text', () => {
    // Act
    const { subject, message } = snsMessage(forged, POSITIONS_DIVERGED, hostileRegistry);

    // Assess
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('> \\u001b[2J\\u001b]0;title\\u0007');
    expect(message).toContain('> \\u202eevil reversed\\u202c');
    expect(message).toContain('> a NUL \\u0000 and a C1 CSI \\u009b2J');
    // A name cannot break a line: the bloc's forged Alert line stays inside the paragraph.
    expect(message.split('\n').filter((line) => line.startsWith('Alert '))).toHaveLength(1);
    expect(message).toContain('Allies\\u000aAlert al-fake, episode ep-fake.');
    expect(message).toContain('<!here> *Kremlin*\\u000d\\u000a- forged');
  });

  it('Slack: every text is escaped, mentions are not parsed, and the only mrkdwn is the source link', () => {
    // Act
    const payload = slackBlocks(forged, POSITIONS_DIVERGED, hostileRegistry);

    // Assess
    expect(payload).toMatchObject({ parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false, mrkdwn: false });
    expect(payload.text).toContain('&lt;!channel&gt; Russia');
    expect(payload.text).not.toMatch(/[<>]/);
    const texts = payload.blocks.flatMap((block) =>
      block.type === 'header' || block.type === 'section' ? [block.text] : block.type === 'context' ? block.elements : [],
    );
    const [header] = payload.blocks;
    expect(header).toMatchObject({ type: 'header', text: { type: 'plain_text', emoji: false } });
    for (const text of texts) {
      expect(text.text).not.toMatch(CONTROL);
      if (text.type === 'plain_text') {
        expect(text.emoji).toBe(false);
        expect(text.text).not.toMatch(/[<>]/);
        expect(text.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      } else {
        expect(text).toMatchObject({ verbatim: true });
        expect(text.text).toMatch(/^<https:\/\/[^<>|]+\|[^<>|]+>$/);
      }
    }
    expect(JSON.stringify(payload)).not.toMatch(/<[!@#]/);
    expect(texts.filter((t) => t.type === 'mrkdwn').map((t) => t.text)).toContain(
      '<https://evil.example/a?b=1&amp;c=%3C2%3E%7Cx|&lt;!everyone&gt;\\u001b[31m Outlet>',
    );
  });

  it('Slack: a twenty-line quote stays in its one element, every line framed, adding no block', () => {
    // Act
    const hostile = slackBlocks(forged, POSITIONS_DIVERGED, hostileRegistry);
    const benign = slackBlocks(oneLine, POSITIONS_DIVERGED, hostileRegistry);

    // Assess
    expect(hostile.blocks.map((b) => b.type)).toEqual(benign.blocks.map((b) => b.type));
    const evidence = hostile.blocks[4];
    expect(evidence?.type).toBe('context');
    const quote = evidence?.type === 'context' ? evidence.elements[0]! : undefined;
    const lines = quote!.text.split('\n');
    expect(lines).toHaveLength(FORGED_LINES.length);
    for (const line of lines) expect(line.startsWith('&gt; ')).toBe(true);
    expect(lines).toContain('&gt; Alert al-00000000000000000000-closed, episode ep-00000000000000000000.');
    expect(lines).toContain('&gt; &lt;!channel&gt; *urgent* _now_ ~struck~ `code` &lt;@U0123ABC&gt;');
  });
});
