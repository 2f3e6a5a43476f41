/**
 * The one list of every event contract: its detail-type, schema version, direction and zod
 * schema. JSON Schemas, the schema registry, rule patterns and validation all derive from it.
 */
import type * as z from './zod.ts';
import { STATEMENT_RECORDED, statementRecordedV1 } from './inbound/statement-recorded.v1.ts';
import { STANCE_CHANGED, stanceChangedV1 } from './inbound/stance-changed.v1.ts';
import { STATEMENT_CORRECTED, statementCorrectedV1 } from './inbound/statement-corrected.v1.ts';
import { STATEMENT_RETRACTED, statementRetractedV1 } from './inbound/statement-retracted.v1.ts';
import {
  ACTOR_REGISTERED, BLOC_REGISTERED, ISSUE_REGISTERED, SPEAKER_REGISTERED, WATCH_REGISTERED,
  actorRegisteredV1, blocRegisteredV1, issueRegisteredV1, speakerRegisteredV1, watchRegisteredV1,
} from './registry/registry-events.v1.ts';
import { POSITION_CHANGED, positionChangedV1 } from './outbound/position-changed.v1.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED, positionsConvergedV1, positionsDivergedV1 } from './outbound/divergence-alert.v1.ts';
import { STATEMENT_REVISED, statementRevisedV1 } from './outbound/statement-revised.v1.ts';

/**
 * `correction`: an editor's revision of a recorded statement (a correction or a retraction). Its
 * own direction, not `inbound`: the processor records every `inbound` event as a statement, and
 * until it applies revisions it must keep them aside, quarantined with the event whole, rather than
 * read one as a statement with no speaker and no issue.
 */
export type Direction = 'inbound' | 'correction' | 'registry' | 'outbound';

export interface Contract {
  detailType: string;
  version: string;
  direction: Direction;
  /** File stem of the committed JSON Schema, e.g. `statement-recorded.v1`. */
  name: string;
  schema: z.ZodMiniType;
}

const contract = (detailType: string, version: string, direction: Direction, schema: z.ZodMiniType): Contract => ({
  detailType,
  version,
  direction,
  name: `${detailType.toLowerCase().replaceAll(' ', '-')}.v${version}`,
  schema,
});

export const CONTRACTS: readonly Contract[] = [
  contract(STATEMENT_RECORDED, '1', 'inbound', statementRecordedV1),
  contract(STANCE_CHANGED, '1', 'inbound', stanceChangedV1),
  contract(STATEMENT_CORRECTED, '1', 'correction', statementCorrectedV1),
  contract(STATEMENT_RETRACTED, '1', 'correction', statementRetractedV1),
  contract(ACTOR_REGISTERED, '1', 'registry', actorRegisteredV1),
  contract(SPEAKER_REGISTERED, '1', 'registry', speakerRegisteredV1),
  contract(ISSUE_REGISTERED, '1', 'registry', issueRegisteredV1),
  contract(BLOC_REGISTERED, '1', 'registry', blocRegisteredV1),
  contract(WATCH_REGISTERED, '1', 'registry', watchRegisteredV1),
  contract(POSITION_CHANGED, '1', 'outbound', positionChangedV1),
  contract(POSITIONS_DIVERGED, '1', 'outbound', positionsDivergedV1),
  contract(POSITIONS_CONVERGED, '1', 'outbound', positionsConvergedV1),
  contract(STATEMENT_REVISED, '1', 'outbound', statementRevisedV1),
];

export const detailTypes = (...directions: Direction[]): string[] =>
  CONTRACTS.filter((c) => directions.includes(c.direction)).map((c) => c.detailType);

export const findContract = (detailType: string, version: string): Contract | undefined =>
  CONTRACTS.find((c) => c.detailType === detailType && c.version === version);

export {
  STATEMENT_RECORDED, STANCE_CHANGED, STATEMENT_CORRECTED, STATEMENT_RETRACTED, ACTOR_REGISTERED, SPEAKER_REGISTERED, ISSUE_REGISTERED,
  BLOC_REGISTERED, WATCH_REGISTERED, POSITION_CHANGED, POSITIONS_DIVERGED, POSITIONS_CONVERGED, STATEMENT_REVISED,
};
