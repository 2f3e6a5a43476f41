import * as z from '../zod.ts';
import { eventId, isoDateTime, schemaVersion, slug, text, MAX_TEXT_BYTES } from '../common.ts';
import { evidence } from './evidence.ts';

export const STATEMENT_REVISED = 'Statement Revised';

/** The fields a correction may set, as the tracker names them in what it publishes. */
const changedField = z.enum(['stance', 'hedged', 'speaker', 'actor', 'issue', 'saidAt', 'quote', 'source']);

/**
 * A correction or a retraction the tracker has applied, so other teams' rules can follow the record
 * (a graphics desk redraws, an archive removes a redacted quote). Published when the revision is
 * applied to its recorded statement (again on a redelivery or a later revision's application, so
 * dedupe on `revisionId` and read `statement` as the latest state).
 */
export const statementRevisedV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    revisionId: eventId.check(z.describe('The correctionId or retractionId applied: dedupe on it.')),
    kind: z.enum(['correction', 'retraction']),
    statementId: eventId.check(z.describe('The statement revised: a statementId, or a stance change\'s changeId.')),
    outcome: z.enum(['applied', 'unchanged', 'after-retraction', 'inapplicable', 'retracted', 'already-retracted'])
      .check(z.describe('What this revision did on the statement\'s trail (events/README.md, "The revision trail").')),
    changed: z.array(changedField).check(z.describe('The fields this correction changed (empty for a retraction or a correction not applied).')),
    reason: text(MAX_TEXT_BYTES),
    revisedAt: isoDateTime.check(z.describe('correctedAt or retractedAt, in UTC.')),
    recordedBy: text(MAX_TEXT_BYTES),
    status: z.enum(['standing', 'retracted']).check(z.describe('retracted: the statement counts for nothing any more.')),
    redacted: z.boolean().check(z.describe('true: its quote and translation are the removal notice everywhere the tracker keeps them.')),
    issue: slug,
    statement: evidence.check(z.describe('The statement as it now reads, after every revision known.')),
  })
  .check(z.describe('Statement Revised v1'));

export type StatementRevisedV1 = z.infer<typeof statementRevisedV1>;
