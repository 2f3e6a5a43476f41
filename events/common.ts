/**
 * Building blocks shared by every event contract. Each constraint carries its own message so a
 * rejected event says which field failed and why.
 */
import * as z from './zod.ts';

/** Sources: publishers send with their own source; the tracker publishes as this one. */
export const TRACKER_SOURCE = 'position-tracker';
/** The source used by the sample events and the local CLI (any source but the tracker's is accepted). */
export const DESK_SOURCE = 'newsroom.desk';
/**
 * The source of a back-fill: statements imported from an archive, said before what the tracker
 * holds, published all at once. The bus routes them to a lane of their own (events/rules.ts,
 * ARCHIVE_TO_PROCESSOR), whose large batches settle an issue's late statements by one replay per
 * batch, while statements from every other source keep the small batches that keep alerts quick.
 * The contracts and the processing are the same.
 */
export const ARCHIVE_SOURCE = 'newsroom.archive';
/** The registry desk's source, the one `tracker register` publishes with. */
export const REGISTRY_SOURCE = 'newsroom.registry';
/**
 * Sources whose registry events are applied when the stage names none: the registry desk's, and
 * the desk tools', which publish the seed registry (locally and in the samples). Anyone else who
 * can reach the bus may send statements, but not rename an actor or move a speaker to another
 * actor. The processor's allow-list and the stage configuration's default both read this.
 */
export const DEFAULT_REGISTRY_SOURCES: readonly string[] = [REGISTRY_SOURCE, DESK_SOURCE];

/** UTF-8 bytes allowed in one quote text (and in its translation). EventBridge entries max out at 256 KB. */
export const MAX_QUOTE_BYTES = 8_192;
/** UTF-8 bytes allowed in short free-text fields (reasons, names, outlet). */
export const MAX_TEXT_BYTES = 2_048;

/** Languages a quote may be tagged with (primary subtag; a region such as en-GB is accepted). */
export const LANGUAGES = [
  'ar', 'en', 'fr', 'de', 'ru', 'uk', 'es', 'it', 'pl', 'tr', 'fa', 'he', 'zh', 'ja', 'pt', 'nl',
] as const;
export type Language = (typeof LANGUAGES)[number];

const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/**
 * A string that is well-formed UTF-16 (no lone surrogates: they cannot be stored as UTF-8 and
 * would not survive byte-exact) and within a byte budget. Text is never trimmed or rewritten.
 */
export const text = (maxBytes: number) =>
  z.string().check(
    z.minLength(1, 'must not be empty'),
    z.refine((value) => value.isWellFormed(), 'contains a lone UTF-16 surrogate (not valid Unicode text)'),
    z.refine((value) => utf8Bytes(value) <= maxBytes, `is longer than ${maxBytes} UTF-8 bytes`),
  );

/** Registry ids: lower-case slugs such as `russia`, `western-troops-in-ukraine`. */
export const slug = z.string().check(
  z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lower-case slug (a-z, 0-9, single hyphens)'),
  z.maxLength(64, 'must be at most 64 characters'),
);

/**
 * An actor or a speaker as a publisher names it: its registry id (`putin`), or any of its names or
 * aliases, in English or Arabic (`Vladimir Putin`, `قائد الكرملين`). Validation checks only that it
 * is text; the processor resolves it through the registry's normalised names, records the id, and
 * keeps the text as written beside it. Any slug is such a text, so ids sent before still validate.
 */
export const registryName = text(MAX_TEXT_BYTES);

/** Ids chosen by publishers (statement ids, change ids): stable across retries. */
export const eventId = z.string().check(
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit'),
);

/**
 * The tracker stores instants as UTC `YYYY-MM-DDTHH:mm:ss.sssZ`, whose four-digit year is what makes
 * string order time order. `0000-01-01T00:30:00+01:00` is a valid ISO 8601 date-time whose UTC
 * value falls in year -1, which that form cannot hold: refused here, with the field, rather than
 * failing later as a retry. A string that is no date-time at all is left to the format check.
 */
const withinStorableYears = (value: string): boolean => {
  const millis = Date.parse(value);
  if (!/^\d{4}-/.test(value) || Number.isNaN(millis)) return true;
  const year = new Date(millis).getUTCFullYear();
  return year >= 0 && year <= 9999;
};

/** ISO 8601 date-time with a time zone (Z or an offset). Stored normalised to UTC milliseconds. */
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-06T14:30:00Z' })
  .check(z.refine(withinStorableYears, 'must fall within the years 0000-9999 once converted to UTC (its offset moves it past the edge)'));

/** The fixed stance scale relative to an issue's proposition. */
export const STANCES = [-2, -1, 0, 1, 2] as const;
export type Stance = (typeof STANCES)[number];
export const stance = z.number({ message: 'must be a number' }).check(
  z.int('must be a whole number on the scale -2..+2'),
  z.gte(-2, 'must be between -2 (reject) and +2 (commit)'),
  z.lte(2, 'must be between -2 (reject) and +2 (commit)'),
) as unknown as z.ZodMiniType<Stance>;

/** A pattern rather than a refinement, so the exported JSON Schemas check the tag too. */
export const languageTag = z.string().check(
  z.regex(
    new RegExp(`^(?:${LANGUAGES.join('|')})(?:-[A-Z]{2})?$`),
    `must be a supported language tag (${LANGUAGES.join(', ')}, optionally with a region such as en-GB)`,
  ),
);

export const localisedText = z.object({
  text: text(MAX_QUOTE_BYTES),
  lang: languageTag,
});

export const quote = z.object({
  text: text(MAX_QUOTE_BYTES),
  lang: languageTag,
  translation: z.optional(localisedText),
});
export type Quote = z.infer<typeof quote>;

export const sourceRef = z.object({
  outlet: text(MAX_TEXT_BYTES),
  // Bounded like the other short fields: the URL travels in every event and alert that quotes the
  // statement, and an unbounded one made a valid statement's Position Changed too big to publish.
  url: z.optional(
    z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).check(
      z.refine((value) => utf8Bytes(value) <= MAX_TEXT_BYTES, `is longer than ${MAX_TEXT_BYTES} UTF-8 bytes`),
    ),
  ),
});
export type SourceRef = z.infer<typeof sourceRef>;

/** Names in English and Arabic; Arabic is kept byte-exact. */
export const names = z.object({
  en: text(MAX_TEXT_BYTES),
  ar: text(MAX_TEXT_BYTES),
});
export type Names = z.infer<typeof names>;

export const schemaVersion = <V extends string>(version: V) =>
  z.literal(version, { message: `must be "${version}"` });
