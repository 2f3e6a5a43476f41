import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates } from '../../events/seed/index.ts';
import {
  POSITIONS_CONVERGED, POSITIONS_DIVERGED, positionsConvergedV1, positionsDivergedV1,
  type PositionsConvergedV1, type PositionsDivergedV1,
} from '../../events/outbound/divergence-alert.v1.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import type { Registry } from '../../functions/core/types.ts';
import { MAX_SUBJECT_LENGTH, slackBlocks, snsMessage, type SlackBlock } from '../../functions/notify/format-alert.ts';

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

  it('puts every quote and translation byte-exact on a line of its own, under an English attribution', () => {
    // Act
    const { message } = snsMessage(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    const lines = message.split('\n');
    for (const quote of quoteLines(russiaVsAllies)) {
      const line = lines.find((l) => l === quote);
      expect(line, `quote missing: ${quote}`).toBeDefined();
      expect(utf8(line!).equals(utf8(quote))).toBe(true);
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
    expect(message.split('\n')).toContain(germanyBackInLine.evidence.actor[0]!.reason);
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
    for (const quote of quoteLines(usReversal)) expect(lines).toContain(quote);
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

  it('gives each quote and translation an element of its own, byte-exact', () => {
    // Act
    const payload = slackBlocks(russiaVsAllies, POSITIONS_DIVERGED, registry);

    // Assess
    const elements = payload.blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => e.text) : []));
    for (const quote of quoteLines(russiaVsAllies)) {
      const element = elements.find((text) => text === quote);
      expect(element, `quote missing: ${quote}`).toBeDefined();
      expect(utf8(element!).equals(utf8(quote))).toBe(true);
    }
    for (const element of elements) expect(ARABIC.test(element) && LATIN.test(element), `mixed element: ${element}`).toBe(false);
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
    expect(elements).toContain('Troops &lt;now&gt; &amp; later');
    expect(payload.text).toMatch(/^Converged: Germany/);
    expect(textOf(payload.blocks[2])).toContain('عاد موقف ألمانيا');
  });
});
