import * as z from '../zod.ts';
import { isoDateTime, schemaVersion, text, MAX_TEXT_BYTES } from '../common.ts';
import { editorialReason, revisedStatement, revisionId } from './editorial.ts';

export const STATEMENT_RETRACTED = 'Statement Retracted';

/**
 * An editor's withdrawal of a recorded statement (misattributed, fabricated source): the record then
 * reads as if it had never been made, and keeps the retraction in its revision trail. Closed to
 * other fields, so a misspelt `redact` is refused rather than dropped, which would keep text that
 * legal asked to remove.
 */
export const statementRetractedV1 = z
  .strictObject({
    schemaVersion: schemaVersion('1'),
    statementId: revisedStatement('retracted'),
    retractionId: revisionId('retraction'),
    reason: editorialReason.check(z.describe('Why the statement is withdrawn; it stays on the record, redacted or not.')),
    retractedAt: isoDateTime.check(z.describe('When the desk retracted it.')),
    recordedBy: text(MAX_TEXT_BYTES).check(z.describe('Who retracted it (desk, editor, legal).')),
    redact: z
      .optional(z.literal(true, { message: 'must be true (leave it out to retract without redacting)' }))
      .check(z.describe('Legal removal: the quote and its translation are replaced by a removal notice wherever the tracker keeps them; the fact of the statement and the reason stay.')),
  })
  .check(z.describe('Statement Retracted v1'));

export type StatementRetractedV1 = z.infer<typeof statementRetractedV1>;
