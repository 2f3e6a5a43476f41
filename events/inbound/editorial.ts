/**
 * What the revision contracts (Statement Corrected, Statement Retracted) share: the statement they
 * revise, their own id, and the reason, which must say something.
 */
import * as z from '../zod.ts';
import { eventId, text, MAX_TEXT_BYTES } from '../common.ts';

/**
 * The reason of a correction or a retraction. One without a reason defeats the revision trail, so
 * a blank one is refused like an empty one. A pattern rather than a refinement, so the JSON Schemas
 * check it too; it lets the empty string through, which `text` already refuses with its own reason.
 */
export const editorialReason = text(MAX_TEXT_BYTES).check(z.regex(/^$|\S/, 'must say why (it is blank)'));

/** The statement a revision is about, e.g. `revisedStatement('corrected')`. */
export const revisedStatement = (participle: string) =>
  eventId.check(z.describe(`The id of the statement ${participle}: a \`statementId\`, or a stance change's \`changeId\`.`));

/** A revision's own id; corrections and retractions share one id space. */
export const revisionId = (noun: string) =>
  eventId.check(
    z.describe(`Publisher-chosen id naming this ${noun} forever, in one id space with the other revisions: a copy with the same content is a duplicate, one with other content is quarantined as conflicting-id.`),
  );
