import * as z from '../zod.ts';
import { eventId, isoDateTime, registryName, schemaVersion, slug, sourceRef, stance, text, MAX_TEXT_BYTES } from '../common.ts';

export const STANCE_CHANGED = 'Stance Changed';

/** A documented or editorial change of position without a direct quote. */
export const stanceChangedV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    changeId: eventId.check(z.describe('Publisher-chosen id naming one stance change forever: a copy with the same content is a duplicate, one with other content is quarantined as conflicting-id.')),
    actor: registryName.check(z.describe('The actor whose stance changes: its registry id (`germany`), or any of its names or aliases in English or Arabic (`ألمانيا`), matched whole after normalisation. The tracker records the id it resolves to and keeps the text as written beside it.')),
    issue: slug,
    stance,
    hedged: z._default(z.boolean(), false),
    effectiveAt: isoDateTime.check(z.describe('When the change took effect (plays the role of "said at").')),
    reason: text(MAX_TEXT_BYTES).check(z.describe('Why the desk records this change (document, briefing, vote).')),
    source: sourceRef,
    recordedBy: text(MAX_TEXT_BYTES),
  })
  .check(z.describe('Stance Changed v1'));

export type StanceChangedV1 = z.infer<typeof stanceChangedV1>;
