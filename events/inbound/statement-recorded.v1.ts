import * as z from '../zod.ts';
import { eventId, isoDateTime, quote, schemaVersion, slug, sourceRef, stance, text, MAX_TEXT_BYTES } from '../common.ts';

export const STATEMENT_RECORDED = 'Statement Recorded';

/** A leader's quote that moves the position of the actor the speaker speaks for. */
export const statementRecordedV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    statementId: eventId.check(z.describe('Publisher-chosen id naming one statement forever: a copy with the same content is a duplicate, one with other content is quarantined as conflicting-id.')),
    speaker: slug.check(z.describe('Registry id of who said it, e.g. `putin`.')),
    actor: z.optional(slug).check(z.describe('Registry id of the actor spoken for; optional when the registry knows the speaker.')),
    issue: slug.check(z.describe('Registry id of the issue, e.g. `western-troops-in-ukraine`.')),
    stance: stance.check(z.describe('-2 reject (incl. claimed veto), -1 oppose, 0 undecided, +1 support (incl. hedged maybe), +2 commit.')),
    hedged: z._default(z.boolean(), false).check(z.describe('True for a hedged statement ("maybe").')),
    quote: quote.check(z.describe('The quote in its original language, byte-exact, with an optional translation.')),
    saidAt: isoDateTime.check(z.describe('When it was said (not when it was recorded).')),
    source: sourceRef,
    recordedBy: text(MAX_TEXT_BYTES).check(z.describe('Who recorded it (desk, editor or system).')),
    recordedAt: z.optional(isoDateTime),
  })
  .check(z.describe('Statement Recorded v1'));

export type StatementRecordedV1 = z.infer<typeof statementRecordedV1>;
