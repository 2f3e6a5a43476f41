/**
 * Statement Corrected v1 and Statement Retracted v1, as the core's corrections and retractions: the
 * one place that knows both the wire contracts and the domain types, so the core never depends on
 * a version of a contract.
 *
 * A correction is resolved against the registry like the statement it corrects: every id it names
 * must be registered (a typo must not move a statement to a phantom actor), and a corrected
 * speaker brings the actor it speaks for unless the correction names the actor too. Instants
 * become canonical UTC, so two spellings of one instant order and compare as one.
 */
import {
  CORRECTABLE_FIELDS as V1_CORRECTABLE_FIELDS, STATEMENT_CORRECTED, type StatementCorrectedV1,
} from '../../events/inbound/statement-corrected.v1.ts';
import { STATEMENT_RETRACTED, type StatementRetractedV1 } from '../../events/inbound/statement-retracted.v1.ts';
import { STATEMENT_REVISED, type StatementRevisedV1 } from '../../events/outbound/statement-revised.v1.ts';
import type { ParsedEvent } from '../../events/validation.ts';
import {
  CORRECTABLE_FIELDS, type CorrectableField, type Correction, type EffectiveStatement, type Retraction, type Revision, type StatementChanges,
} from '../core/corrections.ts';
import { ValidationError } from '../core/errors.ts';
import { ReferenceProblems } from '../core/resolution.ts';
import { normaliseInstant } from '../core/time.ts';
import type { ActorId, Registry } from '../core/types.ts';
import { toEvidence } from './contracts-v1.ts';

/** The contract and the core name the same correctable fields, in the same order (checked both ways). */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const FIELDS_AGREE: Exactly<keyof StatementCorrectedV1['changes'], CorrectableField> = true;
const SAME_ORDER: Exactly<typeof V1_CORRECTABLE_FIELDS, typeof CORRECTABLE_FIELDS> = true;
void [FIELDS_AGREE, SAME_ORDER];

export type RevisionDetail =
  | { detailType: typeof STATEMENT_CORRECTED; detail: StatementCorrectedV1 }
  | { detailType: typeof STATEMENT_RETRACTED; detail: StatementRetractedV1 };

export type RevisionEventV1 = Extract<ParsedEvent, RevisionDetail>;

export const isRevisionEvent = (event: ParsedEvent): event is RevisionEventV1 =>
  event.schemaVersion === '1' && (event.detailType === STATEMENT_CORRECTED || event.detailType === STATEMENT_RETRACTED);

/** Validation has already refused what cannot be normalised; should it let one through, the field is still named. */
const canonical = (field: string, value: string): string => {
  try {
    return normaliseInstant(value);
  } catch (error) {
    throw new ValidationError([{ field, reason: error instanceof Error ? error.message : String(error) }]);
  }
};

/** The actor a corrected statement moves, when the correction names one or its speaker implies one. */
const correctedActor = (
  changes: StatementCorrectedV1['changes'],
  speaker: string | undefined,
  registry: Registry,
  found: ReferenceProblems,
): ActorId | undefined => {
  if (changes.actor !== undefined) return found.resolve(registry, 'detail.changes.actor', 'actor', changes.actor);
  if (speaker === undefined) return undefined;
  const spokenFor = registry.speakers.get(speaker)?.actor ?? '';
  if (registry.actors.has(spokenFor)) return spokenFor;
  found.unknownName('detail.changes.speaker', `speaker '${speaker}' speaks for unknown actor '${spokenFor}' and no actor given`);
  found.reference({ type: 'actor', name: spokenFor });
  return undefined;
};

/**
 * A validated Statement Corrected v1 detail as the core's correction, its speaker and actor named
 * by id or by any name or alias, as in the statement it corrects (core/resolution.ts). Every
 * problem is reported at once, naming `detail.changes.<field>`.
 */
export const resolveCorrection = (detail: StatementCorrectedV1, registry: Registry): Correction => {
  const { changes } = detail;
  const found = new ReferenceProblems();
  const speaker = changes.speaker === undefined ? undefined : found.resolve(registry, 'detail.changes.speaker', 'speaker', changes.speaker);
  const actor = correctedActor(changes, speaker, registry, found);
  if (changes.issue !== undefined) found.issue(registry, 'detail.changes.issue', changes.issue);
  found.throwIfAny();

  const resolved: StatementChanges = {
    ...(changes.stance === undefined ? {} : { stance: changes.stance }),
    ...(changes.hedged === undefined ? {} : { hedged: changes.hedged }),
    ...(speaker === undefined ? {} : { speaker }),
    ...(actor === undefined ? {} : { actor }),
    ...(changes.issue === undefined ? {} : { issue: changes.issue }),
    ...(changes.saidAt === undefined ? {} : { saidAt: canonical('detail.changes.saidAt', changes.saidAt) }),
    ...(changes.quote === undefined ? {} : { quote: changes.quote }),
    ...(changes.source === undefined ? {} : { source: changes.source }),
  };
  return {
    kind: 'correction',
    correctionId: detail.correctionId,
    statementId: detail.statementId,
    changes: resolved,
    reason: detail.reason,
    correctedAt: canonical('detail.correctedAt', detail.correctedAt),
    recordedBy: detail.recordedBy,
  };
};

/** A validated Statement Retracted v1 detail as the core's retraction; it names no registry id. */
export const toRetraction = (detail: StatementRetractedV1): Retraction => ({
  kind: 'retraction',
  retractionId: detail.retractionId,
  statementId: detail.statementId,
  reason: detail.reason,
  retractedAt: canonical('detail.retractedAt', detail.retractedAt),
  recordedBy: detail.recordedBy,
  redact: detail.redact === true,
});

/** Either revision, from a parsed event's detail-type and detail. */
export const resolveRevision = (input: RevisionDetail, registry: Registry): Revision =>
  input.detailType === STATEMENT_CORRECTED ? resolveCorrection(input.detail, registry) : toRetraction(input.detail);

/**
 * Every revision on the effective statement's trail as Statement Revised v1: what each did, and the
 * statement as it now reads (the removal notice in place of its text once redacted).
 */
export const statementRevisedDetails = (effective: EffectiveStatement): Array<{ detailType: typeof STATEMENT_REVISED; detail: StatementRevisedV1 }> =>
  effective.trail.map((entry) => ({
    detailType: STATEMENT_REVISED,
    detail: {
      schemaVersion: '1',
      revisionId: entry.kind === 'correction' ? entry.correctionId : entry.retractionId,
      kind: entry.kind,
      statementId: effective.record.statementId,
      outcome: entry.outcome,
      changed: entry.kind === 'correction' && entry.outcome === 'applied' ? entry.changes.map((change) => change.field) : [],
      reason: entry.reason,
      revisedAt: entry.kind === 'correction' ? entry.correctedAt : entry.retractedAt,
      recordedBy: entry.recordedBy,
      status: effective.status,
      redacted: effective.redacted,
      issue: effective.record.issue,
      statement: toEvidence(effective.record),
    },
  }));
