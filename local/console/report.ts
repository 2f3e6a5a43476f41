/**
 * Plain-text views of the tracker for the console: an issue's position matrix and the alert feed
 * with its evidence. Shared by the runtime's start-up report and the CLI, which both have the read
 * API's shapes in hand. Quotes stand on lines of their own: a line mixing right-to-left Arabic with
 * left-to-right English would be reordered by the terminal.
 *
 * Names, quotes, reasons and outlets come from publishers and the registry, so none of them may
 * steer the terminal or the layout: control characters are shown escaped (`\u001b`), a name never
 * breaks its line, and every line of a publisher's text carries its marker (`> ` for a quote), so
 * it cannot pass for one of the report's own lines. Otherwise a quote is printed as stored.
 */
import type { AlertItem, Matrix } from '../../functions/api/schemas.ts';
import type { Evidence } from '../../events/outbound/evidence.ts';
import type { Names } from '../../functions/core/types.ts';
import { controlSafeLines, escapeControlCharacters } from '../../functions/shared/control-characters.ts';

/** A field inside one of the report's lines. */
const inline = escapeControlCharacters;

/** Every line of a publisher's text, behind its marker. */
export const markedLines = (marker: string, text: string): string[] => controlSafeLines(text).map((line) => `${marker}${line}`);

export const STANCE_LABELS: Record<number, string> = {
  [-2]: 'reject',
  [-1]: 'oppose',
  0: 'undecided',
  1: 'support',
  2: 'commit',
};

export const signed = (value: number): string => (value > 0 ? `+${value}` : `${value}`);

export const stanceText = (value: number | null): string => {
  if (value === null) return 'no stance';
  const label = STANCE_LABELS[value];
  return label === undefined ? `${signed(value)} (median)` : `${signed(value)} ${label}`;
};

/** Terminal columns of a string: combining marks take none, which `padEnd` does not know. */
const displayWidth = (text: string): number => text.replace(/\p{M}/gu, '').length;
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** What the report needs to name things the read API only gives ids for. */
export interface NameLookup {
  actor?(id: string): Names | undefined;
  bloc?(id: string): Names | undefined;
  speaker?(id: string): Names | undefined;
  issue?(id: string): Names | undefined;
}

export function formatMatrix(matrix: Matrix): string[] {
  const title = { en: inline(matrix.title.en), ar: inline(matrix.title.ar) };
  const lines = [`${title.en} (${matrix.issue})`, `  ${title.ar}`, `  Proposition: ${inline(matrix.proposition.en)}`];
  if (matrix.asOf !== null) lines.push(`  As of ${matrix.asOf}`);
  if (matrix.positions.length === 0) {
    lines.push('  (no known positions yet)');
  } else {
    const rows = matrix.positions.map((position) => ({ position, en: inline(position.names.en), ar: inline(position.names.ar) }));
    const nameWidth = Math.max(...rows.map((row) => displayWidth(row.en))) + 2;
    for (const { position, en, ar } of rows) {
      const stance = pad(stanceText(position.stance), 14);
      const hedged = position.hedged ? ' (hedged)' : '         ';
      // The Arabic name comes last on the line so that bidi reordering cannot move the columns.
      lines.push(`  ${stance}${hedged}  ${pad(en, nameWidth)}${ar}`);
    }
  }
  const blocs = matrix.blocs
    .filter((bloc) => bloc.members.length > 0)
    .map((bloc) => ({ stance: bloc.stance, en: inline(bloc.names.en), ar: inline(bloc.names.ar) }));
  if (blocs.length > 0) {
    lines.push('  Blocs (median of members with a stance):');
    const blocWidth = Math.max(...blocs.map((bloc) => displayWidth(bloc.en))) + 2;
    for (const bloc of blocs) {
      lines.push(`    ${pad(stanceText(bloc.stance), 14)}  ${pad(bloc.en, blocWidth)}${bloc.ar}`);
    }
  }
  return lines;
}

const nameOf = (lookup: ((id: string) => Names | undefined) | undefined, id: string): string => inline(lookup?.(id)?.en ?? id);

/** Marks the lines of a quote; the report's own lines at that depth start with a word (`source:`). */
export const QUOTE_MARKER = '        > ';

export function formatEvidence(evidence: Evidence, names: NameLookup = {}): string[] {
  const speaker = evidence.speaker === undefined ? nameOf(names.actor, evidence.actor) : nameOf(names.speaker, evidence.speaker);
  const hedged = evidence.hedged ? ', hedged' : '';
  const header = `      ${speaker} (${nameOf(names.actor, evidence.actor)}), ${stanceText(evidence.stance)}${hedged}, said ${evidence.saidAt}`;
  const url = evidence.source.url === undefined ? '' : ` <${inline(evidence.source.url)}>`;
  const source = `        source: ${inline(evidence.source.outlet)}${url}`;
  const body: string[] = [];
  if (evidence.quote !== undefined) {
    body.push(...markedLines(QUOTE_MARKER, evidence.quote.text));
    const { translation } = evidence.quote;
    if (translation !== undefined) body.push(...markedLines(`        (${translation.lang}) `, translation.text));
  } else if (evidence.reason !== undefined) {
    body.push(...markedLines('        stance change: ', evidence.reason));
  }
  return [header, source, ...body];
}

export function formatAlert(alert: AlertItem, names: NameLookup = {}): string[] {
  const actor = nameOf(names.actor, alert.actor);
  const issue = nameOf(names.issue, alert.issue);
  const other =
    alert.kind === 'reversal' ? `${actor}'s previous stance` : alert.bloc === null ? 'the others' : nameOf(names.bloc, alert.bloc);
  const against = alert.kind === 'bloc-split' ? `${actor} against its own bloc ${other}` : `${actor} vs ${other}`;
  const lines = [
    `${alert.status === 'open' ? '⚠' : '✓'} ${against} on ${issue} (${alert.kind}, ${alert.status})`,
    `    ${actor} ${stanceText(alert.actorStance)} vs ${other} ${stanceText(alert.otherStance)}: gap ${alert.gap} (threshold ${alert.threshold}); opened ${alert.openedAt}${alert.closedAt === null ? '' : `, closed ${alert.closedAt}`}`,
  ];
  const sides: Array<['actor' | 'other', string]> = [
    ['actor', actor],
    ['other', other],
  ];
  for (const [side, label] of sides) {
    if (alert.evidence[side].length === 0) continue;
    lines.push(`    evidence, ${label}:`);
    for (const evidence of alert.evidence[side]) lines.push(...formatEvidence(evidence, names));
  }
  return lines;
}
