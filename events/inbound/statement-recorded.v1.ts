import * as z from '../zod.ts';
import { eventId, isoDateTime, quote, registryName, schemaVersion, slug, sourceRef, stance, text, MAX_TEXT_BYTES } from '../common.ts';

export const STATEMENT_RECORDED = 'Statement Recorded';

/** A leader's quote that moves the position of the actor the speaker speaks for. */
export const statementRecordedV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    statementId: eventId.check(z.describe('Publisher-chosen id naming one statement forever: a copy with the same content is a duplicate, one with other content is quarantined as conflicting-id.')),
    speaker: registryName.check(z.describe('Who said it: the registry id of the speaker (`putin`), or any of its names or aliases in English or Arabic (`Vladimir Putin`, `قائد الكرملين`), matched whole after normalisation. The tracker records the id it resolves to and keeps the text as written beside it; a name two speakers share is quarantined as ambiguous-reference, an unknown one as unknown-reference.')),
    actor: z.optional(registryName).check(z.describe('The actor spoken for: its registry id (`russia`) or any of its names or aliases, resolved like the speaker; optional when the registry knows the speaker, and when given it wins over the speaker\'s own actor.')),
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
