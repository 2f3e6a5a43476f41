import * as z from '../zod.ts';
import { eventId, isoDateTime, schemaVersion, slug, stance } from '../common.ts';
import { evidence } from './evidence.ts';

export const POSITION_CHANGED = 'Position Changed';

const positionRef = z.object({
  stance,
  hedged: z.boolean(),
  statementId: eventId,
  saidAt: isoDateTime,
});

export const positionChangedV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    changeId: z.string().check(z.describe('Stable id of this change (issue, actor, statement): dedupe on it.')),
    issue: slug,
    actor: slug,
    previous: z.nullable(positionRef).check(z.describe('null for the first known position.')),
    current: positionRef,
    evidence,
  })
  .check(z.describe('Position Changed v1'));

export type PositionChangedV1 = z.infer<typeof positionChangedV1>;
