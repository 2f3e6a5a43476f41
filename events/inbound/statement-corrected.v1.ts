import * as z from '../zod.ts';
import { isoDateTime, quote, registryName, schemaVersion, slug, sourceRef, stance, text, MAX_TEXT_BYTES } from '../common.ts';
import { editorialReason, revisedStatement, revisionId } from './editorial.ts';

export const STATEMENT_CORRECTED = 'Statement Corrected';

/** The fields of a recorded statement (or stance change) a correction may set, in the order the docs list them. */
export const CORRECTABLE_FIELDS = ['stance', 'hedged', 'speaker', 'actor', 'issue', 'saidAt', 'quote', 'source'] as const;

/**
 * Each field is validated exactly as in the contract it corrects, and none has a default: a field
 * left out is left as recorded. Closed to other fields, so a misspelt one (`qoute`) is refused
 * rather than dropped, which would read as a correction that did nothing.
 */
const changes = z
  .strictObject({
    stance: z.optional(stance).check(z.describe('The corrected stance, on the scale of the contract corrected.')),
    hedged: z.optional(z.boolean()),
    speaker: z.optional(registryName).check(z.describe('Who really said it: the registry id, or any of the speaker\'s names or aliases, resolved as in Statement Recorded. The actor follows the speaker unless `actor` is given too.')),
    actor: z.optional(registryName).check(z.describe('The actor really spoken for (or, for a stance change, whose stance it is): the registry id, or any of its names or aliases, resolved as in Statement Recorded.')),
    issue: z.optional(slug),
    saidAt: z.optional(isoDateTime).check(z.describe('When it was really said; corrects `effectiveAt` of a stance change.')),
    quote: z.optional(quote).check(z.describe('The whole corrected quote, byte-exact; it replaces the recorded one, translation included.')),
    source: z.optional(sourceRef).check(z.describe('The whole corrected source; it replaces the recorded one.')),
  })
  .check(
    z.refine((value) => Object.keys(value).length > 0, `must change at least one field (${CORRECTABLE_FIELDS.join(', ')})`),
    z.meta({ minProperties: 1 }),
  );

/** An editor's fix to a recorded statement: the record then reads as if it had been recorded so. */
export const statementCorrectedV1 = z
  .strictObject({
    schemaVersion: schemaVersion('1'),
    statementId: revisedStatement('corrected'),
    correctionId: revisionId('correction'),
    changes: changes.check(z.describe('The corrected fields, any non-empty subset; fields left out stay as recorded.')),
    reason: editorialReason.check(z.describe('Why the record was wrong, as readers will see it in the revision trail.')),
    correctedAt: isoDateTime.check(z.describe('When the desk made the correction; corrections of one statement apply in this order, ties by correctionId.')),
    recordedBy: text(MAX_TEXT_BYTES).check(z.describe('Who corrected it (desk, editor).')),
  })
  .check(z.describe('Statement Corrected v1'));

export type StatementCorrectedV1 = z.infer<typeof statementCorrectedV1>;
