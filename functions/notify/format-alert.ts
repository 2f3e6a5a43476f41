/**
 * Alerts for people: an SNS message (e-mail, SMS, HTTPS subscribers) and a Slack Block Kit payload,
 * readable in English and in Arabic. Pure: names come from the registry handed in, times from the alert.
 *
 * Arabic always sits in lines of its own. A line mixing a right-to-left paragraph with left-to-right
 * English is reordered by the reader's bidi algorithm into something nobody wrote, so the English
 * and the Arabic paragraphs are separate, and each quote stands alone on its lines.
 *
 * Names, quotes, reasons and outlets come from whoever publishes or registers, so they are inert
 * here: control characters are written visibly (functions/shared/control-characters.ts), a name
 * never breaks a line, and every line of a quote is framed with `> `, so no line of a quote can
 * start where the message's own lines start (its headings, its attributions, its `Alert …` line).
 * Slack gets every text escaped (&, <, >) as plain_text where no formatting is wanted, and is told
 * not to parse mentions or unfurl links: an actor named `<!channel>` reads as typed and pings nobody.
 * Apart from the frame, a quote's characters are the stored ones, Arabic byte for byte.
 */
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import type { PositionsConvergedV1, PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import type { Evidence } from '../../events/outbound/evidence.ts';
import type { Names, Registry } from '../core/types.ts';
import { controlSafeLines, escapeControlCharacters } from '../shared/control-characters.ts';

export type AlertDetailType = typeof POSITIONS_DIVERGED | typeof POSITIONS_CONVERGED;
export type AlertDetail = PositionsDivergedV1 | PositionsConvergedV1;

/** SNS subjects are ASCII, without line breaks, under 100 characters. */
export const MAX_SUBJECT_LENGTH = 100;
/** Evidence listed per side in a message; the full list is in the read API (GET /alerts). */
export const MAX_EVIDENCE_IN_MESSAGE = 3;
/** Slack rejects a text object over 3000 characters; mrkdwn sections and context elements are text objects. */
const SLACK_TEXT_LIMIT = 3_000;
const SLACK_HEADER_LIMIT = 150;

/** The value of the `bloc` attribute on a reversal, which has no bloc; SNS attributes cannot be empty. */
export const NO_BLOC = 'none';

export type AlertEvent = 'diverged' | 'converged';

export interface SnsAttribute {
  DataType: 'String';
  StringValue: string;
}

/**
 * The message attributes subscription filter policies match on, all of type String: issue, actor
 * and bloc ids (`none` on a reversal), the divergence kind, and `diverged` or `converged`.
 */
export const ALERT_ATTRIBUTE_NAMES = ['issue', 'actor', 'bloc', 'kind', 'event'] as const;

export type AlertAttributes = Record<(typeof ALERT_ATTRIBUTE_NAMES)[number], SnsAttribute>;

export interface SnsAlertMessage {
  /** Carried as the `alertId` message attribute too, so a subscriber can deduplicate without reading the body. */
  alertId: string;
  subject: string;
  message: string;
  attributes: AlertAttributes;
}

export const alertEvent = (detailType: AlertDetailType): AlertEvent =>
  detailType === POSITIONS_CONVERGED ? 'converged' : 'diverged';

const string = (value: string): SnsAttribute => ({ DataType: 'String', StringValue: value });

export const alertAttributes = (detail: AlertDetail, detailType: AlertDetailType): AlertAttributes => ({
  issue: string(detail.issue),
  actor: string(detail.actor),
  bloc: string(detail.bloc ?? NO_BLOC),
  kind: string(detail.kind),
  event: string(alertEvent(detailType)),
});

// ---------------------------------------------------------------------------------------------
// Names and numbers

interface Resolved {
  actor: Names;
  bloc: Names | null;
  issue: Names;
}

/** A field that sits inside a line of the message: it can neither break the line nor steer the display. */
const inline = escapeControlCharacters;

const inlineNames = (names: Names): Names => ({ en: inline(names.en), ar: inline(names.ar) });

/** An alert must go out even when the registry lags behind it, so an unknown id reads as itself. */
const fallback = (id: string): Names => ({ en: id, ar: id });

const resolveNames = (detail: AlertDetail, registry: Registry): Resolved => ({
  actor: inlineNames(registry.actors.get(detail.actor)?.names ?? fallback(detail.actor)),
  bloc: detail.bloc === null ? null : inlineNames(registry.blocs.get(detail.bloc)?.names ?? fallback(detail.bloc)),
  issue: inlineNames(registry.issues.get(detail.issue)?.title ?? fallback(detail.issue)),
});

const speakerNames = (evidence: Evidence, registry: Registry): Names | undefined =>
  evidence.speaker === undefined ? undefined : inlineNames(registry.speakers.get(evidence.speaker)?.names ?? fallback(evidence.speaker));

const STANCE_WORDS: Record<number, Names> = {
  [-2]: { en: 'reject', ar: 'رفض' },
  [-1]: { en: 'oppose', ar: 'معارضة' },
  0: { en: 'undecided', ar: 'غير محسوم' },
  1: { en: 'support', ar: 'تأييد' },
  2: { en: 'commit', ar: 'التزام' },
};

/** "between support and commit" takes the definite forms in Arabic. */
const STANCE_WORDS_AR_DEFINITE: Record<number, string> = {
  [-2]: 'الرفض',
  [-1]: 'المعارضة',
  0: 'عدم الحسم',
  1: 'التأييد',
  2: 'الالتزام',
};

const signed = (value: number): string => (value > 0 ? `+${value}` : `${value}`);

/**
 * A bloc's median can fall half-way between two points of the scale. In Arabic the signed number is
 * preceded by a left-to-right mark so that "-2" is not displayed as "2-" inside right-to-left text.
 */
const stanceLabel = (value: number, lang: 'en' | 'ar'): string => {
  const number = lang === 'ar' ? `\u200E${signed(value)}` : signed(value);
  const exact = STANCE_WORDS[value];
  if (exact !== undefined) return `${exact[lang]} (${number})`;
  const [lower, upper] = [Math.floor(value), Math.ceil(value)];
  return lang === 'ar'
    ? `${number} (بين ${STANCE_WORDS_AR_DEFINITE[lower] ?? ''} و${STANCE_WORDS_AR_DEFINITE[upper] ?? ''})`
    : `${number} (between ${STANCE_WORDS[lower]?.en ?? ''} and ${STANCE_WORDS[upper]?.en ?? ''})`;
};

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_AR = ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'];

/** Written by hand rather than through Intl so the text does not change with the runtime's ICU data. */
const formatInstant = (iso: string, lang: 'en' | 'ar'): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = date.getUTCDate();
  const month = date.getUTCMonth();
  const year = date.getUTCFullYear();
  const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  return lang === 'ar'
    ? `${day} ${MONTHS_AR[month]} ${year}، الساعة ${time} بتوقيت غرينتش`
    : `${day} ${MONTHS_EN[month]} ${year}, ${time} UTC`;
};

// ---------------------------------------------------------------------------------------------
// Evidence, as both channels show it

const actorName = (evidence: Evidence, registry: Registry): string => inline(registry.actors.get(evidence.actor)?.names.en ?? evidence.actor);

/** English attribution: who, when, stance. The speaker's Arabic name stays out of this English line. */
const attributionText = (evidence: Evidence, registry: Registry): string => {
  const actor = actorName(evidence, registry);
  const speaker = speakerNames(evidence, registry);
  const who = speaker === undefined ? actor : `${speaker.en} (${actor})`;
  const hedged = evidence.hedged ? ', hedged' : '';
  return `${who}, ${formatInstant(evidence.saidAt, 'en')}, stance ${signed(evidence.stance)}${hedged}`;
};

/** What a publisher wrote as a multi-line text: the quote, its translation, the reason for a change. */
const publisherTexts = (evidence: Evidence): string[] => {
  if (evidence.quote === undefined) return evidence.reason === undefined ? [] : [evidence.reason];
  return evidence.quote.translation === undefined ? [evidence.quote.text] : [evidence.quote.text, evidence.quote.translation.text];
};

/** Marks every line of a publisher's text; `> ` is how plain-text mail has always marked a quotation. */
const QUOTE_FRAME = '> ';

const framedLines = (text: string): string[] => controlSafeLines(text).map((line) => `${QUOTE_FRAME}${line}`);

// ---------------------------------------------------------------------------------------------
// The two paragraphs

const englishParagraph = (detail: AlertDetail, event: AlertEvent, n: Resolved): string => {
  const actor = n.actor.en;
  const bloc = n.bloc?.en ?? '';
  const issue = `"${n.issue.en}"`;
  const gap = `a gap of ${detail.gap} (threshold ${detail.threshold})`;
  const opened = `Opened ${formatInstant(detail.openedAt, 'en')}.`;
  const closedAt = 'closedAt' in detail ? detail.closedAt : undefined;
  const actorStance = `at ${stanceLabel(detail.actorStance, 'en')}`;
  const otherStance = `at ${stanceLabel(detail.otherStance, 'en')}`;

  if (event === 'converged') {
    const closed = closedAt === undefined ? '' : ` Closed ${formatInstant(closedAt, 'en')}.`;
    switch (detail.kind) {
      case 'reversal':
        return `${actor}'s reversal on ${issue} is no longer open: now ${actorStance}, previously ${otherStance}, ${gap}. ${opened}${closed}`;
      case 'bloc-split':
        return `${actor} is back in line with the rest of ${bloc} on ${issue}: ${actor} ${actorStance}, the rest of the bloc ${otherStance}, ${gap}. ${opened}${closed}`;
      default:
        return `${actor} and ${bloc} have converged on ${issue}: ${actor} ${actorStance}, ${bloc} ${otherStance}, ${gap}. ${opened}${closed}`;
    }
  }
  switch (detail.kind) {
    case 'reversal':
      return `${actor} has reversed its position on ${issue}: from ${stanceLabel(detail.otherStance, 'en')} to ${stanceLabel(detail.actorStance, 'en')}, ${gap}. ${opened}`;
    case 'bloc-split':
      return `${actor} has split from the rest of ${bloc} on ${issue}: ${actor} ${actorStance}, the rest of the bloc ${otherStance}, ${gap}. ${opened}`;
    default:
      return `${actor} has diverged from ${bloc} on ${issue}: ${actor} ${actorStance}, ${bloc} ${otherStance}, ${gap}. ${opened}`;
  }
};

const arabicParagraph = (detail: AlertDetail, event: AlertEvent, n: Resolved): string => {
  const actor = n.actor.ar;
  const bloc = n.bloc?.ar ?? '';
  const issue = `«${n.issue.ar}»`;
  const gap = `بفارق ${detail.gap} (العتبة ${detail.threshold})`;
  const opened = `فُتح التنبيه في ${formatInstant(detail.openedAt, 'ar')}.`;
  const closedAt = 'closedAt' in detail ? detail.closedAt : undefined;
  const actorStance = stanceLabel(detail.actorStance, 'ar');
  const otherStance = stanceLabel(detail.otherStance, 'ar');

  if (event === 'converged') {
    const closed = closedAt === undefined ? '' : ` وأُغلق في ${formatInstant(closedAt, 'ar')}.`;
    switch (detail.kind) {
      case 'reversal':
        return `لم يعد تحوّل موقف ${actor} بشأن ${issue} قائماً: الموقف الآن ${actorStance} وكان ${otherStance}، ${gap}. ${opened}${closed}`;
      case 'bloc-split':
        return `عاد موقف ${actor} إلى الاتساق مع بقية أعضاء ${bloc} بشأن ${issue}: موقف ${actor} ${actorStance} وموقف بقية الكتلة ${otherStance}، ${gap}. ${opened}${closed}`;
      default:
        return `تقارب موقف ${actor} مع موقف ${bloc} بشأن ${issue}: موقف ${actor} ${actorStance} وموقف ${bloc} ${otherStance}، ${gap}. ${opened}${closed}`;
    }
  }
  switch (detail.kind) {
    case 'reversal':
      return `تحوّل موقف ${actor} بشأن ${issue}: من ${otherStance} إلى ${actorStance}، ${gap}. ${opened}`;
    case 'bloc-split':
      return `خرج موقف ${actor} عن موقف بقية أعضاء ${bloc} بشأن ${issue}: موقف ${actor} ${actorStance} وموقف بقية الكتلة ${otherStance}، ${gap}. ${opened}`;
    default:
      return `تباعد موقف ${actor} عن موقف ${bloc} بشأن ${issue}: موقف ${actor} ${actorStance} وموقف ${bloc} ${otherStance}، ${gap}. ${opened}`;
  }
};

// ---------------------------------------------------------------------------------------------
// SNS

/**
 * Non-ASCII letters are folded to their base letter (é → e) and anything else non-ASCII dropped:
 * SNS refuses a subject that is not printable ASCII.
 */
const asciiSafe = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Cut between characters, never inside a surrogate pair. */
const truncate = (value: string, max: number, ellipsis: string): string => {
  if (value.length <= max) return value;
  let kept = '';
  for (const character of value) {
    if (kept.length + character.length > max - ellipsis.length) break;
    kept += character;
  }
  return `${kept.trimEnd()}${ellipsis}`;
};

const subjectLine = (detail: AlertDetail, event: AlertEvent, n: Resolved): string => {
  const actor = asciiSafe(n.actor.en) || detail.actor;
  const bloc = detail.bloc === null ? '' : asciiSafe(n.bloc?.en ?? '') || detail.bloc;
  const issue = asciiSafe(n.issue.en) || detail.issue;
  const verb = event === 'converged' ? 'Converged' : 'Diverged';
  const who =
    detail.kind === 'reversal'
      ? `${actor} reversed`
      : detail.kind === 'bloc-split'
        ? `${actor} vs rest of ${bloc}`
        : `${actor} vs ${bloc}`;
  return truncate(`${verb}: ${who} on ${issue}`, MAX_SUBJECT_LENGTH, '...');
};

const sideHeading = (side: 'actor' | 'other', detail: AlertDetail, n: Resolved): string => {
  if (side === 'actor') return `Evidence for ${n.actor.en}:`;
  if (detail.kind === 'reversal') return `Evidence for ${n.actor.en}'s earlier position:`;
  if (detail.kind === 'bloc-split') return `Evidence for the rest of ${n.bloc?.en ?? detail.bloc}:`;
  return `Evidence for ${n.bloc?.en ?? detail.bloc}:`;
};

/** English attribution with the source: who, when, where. */
const attribution = (evidence: Evidence, registry: Registry): string => {
  const outlet = inline(evidence.source.outlet);
  const source = evidence.source.url === undefined ? outlet : `${outlet} ${inline(evidence.source.url)}`;
  return `- ${attributionText(evidence, registry)}. Source: ${source}`;
};

/** The quote, then its translation, on lines of their own, each line framed; a stance change has its reason instead. */
const evidenceLines = (evidence: Evidence): string[] => publisherTexts(evidence).flatMap(framedLines);

const evidenceBlock = (side: 'actor' | 'other', detail: AlertDetail, n: Resolved, registry: Registry): string | undefined => {
  const all = detail.evidence[side];
  if (all.length === 0) return undefined;
  const shown = all.slice(0, MAX_EVIDENCE_IN_MESSAGE);
  const lines = [sideHeading(side, detail, n)];
  for (const evidence of shown) lines.push(attribution(evidence, registry), ...evidenceLines(evidence));
  if (all.length > shown.length) lines.push(`(${all.length - shown.length} more: GET /alerts?issue=${detail.issue}&actor=${detail.actor})`);
  return lines.join('\n');
};

/**
 * Subject, body and attributes for SNS. The body is the English paragraph, a blank line, the Arabic
 * paragraph, then the evidence (English attribution lines, each quote on lines of its own, framed)
 * and the ids subscribers can deduplicate on.
 */
export const snsMessage = (detail: AlertDetail, detailType: AlertDetailType, registry: Registry): SnsAlertMessage => {
  const event = alertEvent(detailType);
  const n = resolveNames(detail, registry);
  const paragraphs = [
    englishParagraph(detail, event, n),
    arabicParagraph(detail, event, n),
    evidenceBlock('actor', detail, n, registry),
    evidenceBlock('other', detail, n, registry),
    `Alert ${detail.alertId}, episode ${detail.episodeId}.`,
  ].filter((p): p is string => p !== undefined);
  return {
    alertId: detail.alertId,
    subject: subjectLine(detail, event, n),
    message: paragraphs.join('\n\n'),
    attributes: alertAttributes(detail, detailType),
  };
};

// ---------------------------------------------------------------------------------------------
// Slack

interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  /** true: Slack does not turn URLs, channel names or mentions in the text into links. */
  verbatim?: boolean;
}
export type SlackText = PlainText | Mrkdwn;
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

/**
 * The message-level switches that stop Slack from reading anything into the text: no mention or
 * channel parsing (`@channel` in a quote stays text), no link previews fetched from a publisher's URL.
 */
export const SLACK_NO_PARSING = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false, mrkdwn: false } as const;

export interface SlackMessage {
  /** Shown in notifications and by clients that cannot render blocks. */
  text: string;
  blocks: SlackBlock[];
}

export type SlackPayload = SlackMessage & typeof SLACK_NO_PARSING;

/** Slack reads &, < and > as control characters in every text object; escaped, they display as typed. */
const escapeSlack = (value: string): string => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Escaped and within `limit`, cut between characters of the original: never inside an entity or a surrogate pair. */
const slackEscaped = (value: string, limit: number): string => {
  const escaped = escapeSlack(value);
  if (escaped.length <= limit) return escaped;
  let kept = '';
  for (const character of value) {
    const next = escapeSlack(character);
    if (kept.length + next.length > limit - 1) break;
    kept += next;
  }
  return `${kept.trimEnd()}…`;
};

/** Text Slack shows as it is: no bold, italics, code, quotes, emoji codes, links or mentions. */
const plain = (value: string, limit = SLACK_TEXT_LIMIT): PlainText => ({ type: 'plain_text', text: slackEscaped(value, limit), emoji: false });

/** Inside `<url|label>` a `|` or `>` would end the URL or the label early; `&` is escaped as everywhere in mrkdwn. */
const slackLink = (url: string, label: string): string =>
  `<${url.replaceAll('&', '&amp;').replaceAll('<', '%3C').replaceAll('>', '%3E').replaceAll('|', '%7C')}|${escapeSlack(label).replaceAll('|', '¦')}>`;

/** The source: a link when there is a URL (the one mrkdwn element, verbatim), else the outlet's name. */
const slackSource = (evidence: Evidence): SlackText => {
  const outlet = inline(evidence.source.outlet);
  if (evidence.source.url === undefined) return plain(outlet);
  return { type: 'mrkdwn', text: slackLink(inline(evidence.source.url), outlet), verbatim: true };
};

/**
 * One context block per piece of evidence: the quote alone in one element (its own direction),
 * the translation in another, each line framed as in the e-mail; then the English attribution and
 * the source link.
 */
const slackEvidence = (detail: AlertDetail, registry: Registry): SlackBlock[] =>
  (['actor', 'other'] as const).flatMap((side) =>
    detail.evidence[side].slice(0, MAX_EVIDENCE_IN_MESSAGE).map((evidence): SlackBlock => ({
      type: 'context',
      elements: [
        ...publisherTexts(evidence).map((text) => plain(framedLines(text).join('\n'))),
        plain(`— ${attributionText(evidence, registry)}`),
        slackSource(evidence),
      ],
    })),
  );

/** A Block Kit message: header, English section, Arabic section, evidence with source links. */
export const slackBlocks = (detail: AlertDetail, detailType: AlertDetailType, registry: Registry): SlackPayload => {
  const event = alertEvent(detailType);
  const n = resolveNames(detail, registry);
  const subject = subjectLine(detail, event, n);
  return {
    ...SLACK_NO_PARSING,
    text: slackEscaped(subject, SLACK_TEXT_LIMIT),
    blocks: [
      { type: 'header', text: plain(subject, SLACK_HEADER_LIMIT) },
      { type: 'section', text: plain(englishParagraph(detail, event, n)) },
      { type: 'section', text: plain(arabicParagraph(detail, event, n)) },
      { type: 'divider' },
      ...slackEvidence(detail, registry),
      { type: 'context', elements: [plain(`${detail.kind} · ${detail.issue} · alert ${detail.alertId}`)] },
    ],
  };
};
