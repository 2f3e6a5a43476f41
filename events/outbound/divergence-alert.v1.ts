import * as z from '../zod.ts';
import { isoDateTime, schemaVersion, slug } from '../common.ts';
import { evidence } from './evidence.ts';

export const POSITIONS_DIVERGED = 'Positions Diverged';
export const POSITIONS_CONVERGED = 'Positions Converged';

export const DIVERGENCE_KINDS = ['actor-vs-bloc', 'bloc-split', 'reversal'] as const;
export type DivergenceKind = (typeof DIVERGENCE_KINDS)[number];

/** A bloc's derived stance is a median, so it can fall half-way between two scale points. */
const derivedStance = z.number().check(z.gte(-2), z.lte(2), z.multipleOf(0.5));

const alertFields = {
  schemaVersion: schemaVersion('1'),
  alertId: z.string().check(z.describe('Id of this alert (one per transition), stable across retries and redeliveries: subscribers dedupe on it.')),
  episodeId: z.string().check(z.describe('Id of the divergence episode: the same on its Diverged and its Converged alert.')),
  divergenceId: z.string().check(z.describe('The watched pair (kind, issue, actor, bloc); one divergence has many episodes over time.')),
  kind: z.enum(DIVERGENCE_KINDS),
  issue: slug,
  actor: slug,
  bloc: z.nullable(slug).check(z.describe('null for a reversal.')),
  actorStance: derivedStance,
  otherStance: derivedStance.check(z.describe("The bloc's stance, or for a reversal the actor's previous stance.")),
  gap: z.number().check(z.gte(0), z.lte(4)),
  threshold: z.number().check(z.int(), z.gte(1), z.lte(4)),
  openedAt: isoDateTime.check(z.describe('Said-time of the statement that opened the divergence.')),
  evidence: z.object({
    actor: z.array(evidence).check(z.describe("Statements behind the actor's side (latest first).")),
    other: z.array(evidence).check(z.describe("Statements behind the bloc's side, or the actor's earlier stance (latest first).")),
  }),
  evidenceOmitted: z
    .optional(
      z.object({
        actor: z.number().check(z.int(), z.gte(0)),
        other: z.number().check(z.int(), z.gte(0)),
      }),
    )
    .check(
      z.describe(
        'How many of the statements behind each side this event leaves out (the oldest): beyond the latest ten, or to keep the event within one EventBridge entry (256 KB). GET /alerts has them all.',
      ),
    ),
};

export const positionsDivergedV1 = z.object(alertFields).check(z.describe('Positions Diverged v1'));

export const positionsConvergedV1 = z
  .object({
    ...alertFields,
    closedAt: isoDateTime.check(z.describe('Said-time of the statement that closed the divergence.')),
    revision: z
      .optional(
        z.object({
          revisionId: z.string(),
          kind: z.enum(['correction', 'retraction']),
          statementId: z.string(),
          reason: z.string(),
        }),
      )
      .check(z.describe('On a withdrawal caused by a correction or a retraction: the revision, and why the desk made it.')),
  })
  .check(z.describe('Positions Converged v1'));

export type PositionsDivergedV1 = z.infer<typeof positionsDivergedV1>;
export type PositionsConvergedV1 = z.infer<typeof positionsConvergedV1>;
