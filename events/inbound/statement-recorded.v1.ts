import { z } from 'zod';
import { eventId, isoDateTime, quote, schemaVersion, slug, sourceRef, stance, text, MAX_TEXT_BYTES } from '../common.ts';

export const STATEMENT_RECORDED = 'Statement Recorded';

/** A leader's quote that moves the position of the actor the speaker speaks for. */
export const statementRecordedV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    statementId: eventId.describe('Publisher-chosen id, stable across retries; duplicates are ignored.'),
    speaker: slug.describe('Registry id of who said it, e.g. `putin`.'),
    actor: slug.optional().describe('Registry id of the actor spoken for; optional when the registry knows the speaker.'),
    issue: slug.describe('Registry id of the issue, e.g. `western-troops-in-ukraine`.'),
    stance: stance.describe('-2 reject (incl. claimed veto), -1 oppose, 0 undecided, +1 support (incl. hedged maybe), +2 commit.'),
    hedged: z.boolean().default(false).describe('True for a hedged statement ("maybe").'),
    quote: quote.describe('The quote in its original language, byte-exact, with an optional translation.'),
    saidAt: isoDateTime.describe('When it was said (not when it was recorded).'),
    source: sourceRef,
    recordedBy: text(MAX_TEXT_BYTES).describe('Who recorded it (desk, editor or system).'),
    recordedAt: isoDateTime.optional(),
  })
  .describe('Statement Recorded v1');

export type StatementRecordedV1 = z.infer<typeof statementRecordedV1>;
