/**
 * `tracker correct` and `tracker retract`: a Statement Corrected or Statement Retracted detail from
 * command-line flags. Only what the flags say is set; the contract validates the rest when the
 * processor receives it, so the CLI refuses only what it cannot build (no statement, no reason, no
 * change, a stance off the scale).
 */
import { randomUUID } from 'node:crypto';

export class RevisionFlagError extends Error {}

export interface CorrectionFlags {
  statement?: string;
  'correction-id'?: string;
  stance?: string;
  hedged?: boolean;
  'not-hedged'?: boolean;
  speaker?: string;
  actor?: string;
  issue?: string;
  'said-at'?: string;
  quote?: string;
  lang?: string;
  translation?: string;
  'translation-lang'?: string;
  outlet?: string;
  url?: string;
  reason?: string;
  by?: string;
  at?: string;
}

export interface RetractionFlags {
  statement?: string;
  'retraction-id'?: string;
  reason?: string;
  by?: string;
  at?: string;
  redact?: boolean;
}

const required = (flags: { statement?: string; reason?: string }): { statement: string; reason: string } => {
  const missing = (['statement', 'reason'] as const).filter((name) => flags[name] === undefined);
  if (missing.length > 0) throw new RevisionFlagError(`missing ${missing.map((name) => `--${name}`).join(', ')} (or give --file); see --help`);
  return { statement: flags.statement!, reason: flags.reason! };
};

const stanceOf = (value: string): number => {
  const stance = Number(value);
  if (!Number.isInteger(stance) || stance < -2 || stance > 2) throw new RevisionFlagError('--stance must be a whole number from -2 to 2');
  return stance;
};

const hedgedOf = (flags: CorrectionFlags): boolean | undefined => {
  if (flags.hedged === true && flags['not-hedged'] === true) throw new RevisionFlagError('--hedged and --not-hedged contradict each other');
  return flags.hedged === true ? true : flags['not-hedged'] === true ? false : undefined;
};

const changesOf = (flags: CorrectionFlags): Record<string, unknown> => {
  const hedged = hedgedOf(flags);
  if (flags.quote === undefined && (flags.translation !== undefined || flags.lang !== undefined)) {
    throw new RevisionFlagError('--lang and --translation correct a quote: give the whole quote with --quote');
  }
  if (flags.outlet === undefined && flags.url !== undefined) throw new RevisionFlagError('--url corrects a source: give the whole source with --outlet');
  return {
    ...(flags.stance === undefined ? {} : { stance: stanceOf(flags.stance) }),
    ...(hedged === undefined ? {} : { hedged }),
    ...(flags.speaker === undefined ? {} : { speaker: flags.speaker }),
    ...(flags.actor === undefined ? {} : { actor: flags.actor }),
    ...(flags.issue === undefined ? {} : { issue: flags.issue }),
    ...(flags['said-at'] === undefined ? {} : { saidAt: flags['said-at'] }),
    ...(flags.quote === undefined ? {} : {
      quote: {
        text: flags.quote,
        lang: flags.lang ?? 'ar',
        ...(flags.translation === undefined ? {} : { translation: { text: flags.translation, lang: flags['translation-lang'] ?? 'en' } }),
      },
    }),
    ...(flags.outlet === undefined ? {} : { source: { outlet: flags.outlet, ...(flags.url === undefined ? {} : { url: flags.url }) } }),
  };
};

export const correctionDetail = (flags: CorrectionFlags, now: () => string = () => new Date().toISOString()): Record<string, unknown> => {
  const { statement, reason } = required(flags);
  const changes = changesOf(flags);
  if (Object.keys(changes).length === 0) {
    throw new RevisionFlagError('nothing to correct: give at least one of --stance, --hedged/--not-hedged, --speaker, --actor, --issue, --said-at, --quote, --outlet');
  }
  return {
    schemaVersion: '1',
    statementId: statement,
    correctionId: flags['correction-id'] ?? `cli-corr-${randomUUID()}`,
    changes,
    reason,
    correctedAt: flags.at ?? now(),
    recordedBy: flags.by ?? 'cli',
  };
};

export const retractionDetail = (flags: RetractionFlags, now: () => string = () => new Date().toISOString()): Record<string, unknown> => {
  const { statement, reason } = required(flags);
  return {
    schemaVersion: '1',
    statementId: statement,
    retractionId: flags['retraction-id'] ?? `cli-retr-${randomUUID()}`,
    reason,
    retractedAt: flags.at ?? now(),
    recordedBy: flags.by ?? 'cli',
    ...(flags.redact === true ? { redact: true } : {}),
  };
};
