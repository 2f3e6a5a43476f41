import * as z from '../zod.ts';
import { text, MAX_TEXT_BYTES } from '../common.ts';

/**
 * The reason of a correction or a retraction. It must say something: one without a reason defeats
 * the revision trail, so a blank one is refused like an empty one. A pattern rather than a
 * refinement, so the JSON Schemas check it too; it lets the empty string through, which `text`
 * already refuses with its own reason.
 */
export const editorialReason = text(MAX_TEXT_BYTES).check(z.regex(/^$|\S/, 'must say why (it is blank)'));
