import * as z from '../zod.ts';
import { eventId, isoDateTime, quote, slug, sourceRef, stance, text, MAX_TEXT_BYTES } from '../common.ts';

/** A statement (or documented stance change) behind a position or an alert. Quotes are byte-exact. */
export const evidence = z.object({
  statementId: eventId,
  kind: z.enum(['statement', 'stance-change']),
  actor: slug,
  speaker: z.optional(slug),
  issue: slug,
  stance,
  hedged: z.boolean(),
  quote: z.optional(quote),
  reason: z.optional(text(MAX_TEXT_BYTES)),
  saidAt: isoDateTime,
  source: sourceRef,
});
export type Evidence = z.infer<typeof evidence>;

/** At most this many statements per side travel in one alert event (the full list is in the API). */
export const MAX_EVIDENCE_PER_SIDE = 10;
