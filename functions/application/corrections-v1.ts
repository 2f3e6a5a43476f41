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
import { CORRECTABLE_FIELDS, type CorrectableField, type Correction, type Retraction, type Revision, type StatementChanges } from '../core/corrections.ts';
import { UnknownReferenceError, ValidationError, type FieldProblem, type RegistryReference } from '../core/errors.ts';
import { normaliseInstant } from '../core/time.ts';
import type { ActorId, Registry } from '../core/types.ts';

/** The contract and the core name the same correctable fields, in the same order (checked both ways). */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const FIELDS_AGREE: Exactly<keyof StatementCorrectedV1['changes'], CorrectableField> = true;
const SAME_ORDER: Exactly<typeof V1_CORRECTABLE_FIELDS, typeof CORRECTABLE_FIELDS> = true;
void [FIELDS_AGREE, SAME_ORDER];

export type RevisionDetail =
  | { detailType: typeof STATEMENT_CORRECTED; detail: StatementCorrectedV1 }
  | { detailType: typeof STATEMENT_RETRACTED; detail: StatementRetractedV1 };

/** Validation has already refused what cannot be normalised; should it let one through, the field is still named. */
const canonical = (field: string, value: string): string => {
  try {
    return normaliseInstant(value);
  } catch (error) {
    throw new ValidationError([{ field, reason: error instanceof Error ? error.message : String(error) }]);
  }
};

interface Unresolved {
  problems: FieldProblem[];
  missing: RegistryReference[];
}

/** The actor a corrected statement moves, when the correction names one or its speaker implies one. */
const correctedActor = (changes: StatementCorrectedV1['changes'], registry: Registry, found: Unresolved): ActorId | undefined => {
  if (changes.actor !== undefined) {
    if (registry.actors.has(changes.actor)) return changes.actor;
    found.problems.push({ field: 'detail.changes.actor', reason: `unknown actor '${changes.actor}'` });
    found.missing.push({ type: 'actor', name: changes.actor });
    return undefined;
  }
  if (changes.speaker === undefined) return undefined;
  const speaker = registry.speakers.get(changes.speaker);
  if (speaker === undefined) return undefined;
  if (registry.actors.has(speaker.actor)) return speaker.actor;
  found.problems.push({
    field: 'detail.changes.speaker',
    reason: `speaker '${changes.speaker}' speaks for unknown actor '${speaker.actor}' and no actor given`,
  });
  found.missing.push({ type: 'actor', name: speaker.actor });
  return undefined;
};

/**
 * A validated Statement Corrected v1 detail as the core's correction. Every unknown id is reported
 * at once, as an UnknownReferenceError naming `detail.changes.<field>`.
 */
export const resolveCorrection = (detail: StatementCorrectedV1, registry: Registry): Correction => {
  const { changes } = detail;
  const found: Unresolved = { problems: [], missing: [] };
  if (changes.speaker !== undefined && !registry.speakers.has(changes.speaker)) {
    found.problems.push({ field: 'detail.changes.speaker', reason: `unknown speaker '${changes.speaker}'` });
    found.missing.push({ type: 'speaker', name: changes.speaker });
  }
  const actor = correctedActor(changes, registry, found);
  if (changes.issue !== undefined && !registry.issues.has(changes.issue)) {
    found.problems.push({ field: 'detail.changes.issue', reason: `unknown issue '${changes.issue}'` });
    found.missing.push({ type: 'issue', name: changes.issue });
  }
  if (found.problems.length > 0) throw new UnknownReferenceError(found.problems, found.missing);

  const resolved: StatementChanges = {
    ...(changes.stance === undefined ? {} : { stance: changes.stance }),
    ...(changes.hedged === undefined ? {} : { hedged: changes.hedged }),
    ...(changes.speaker === undefined ? {} : { speaker: changes.speaker }),
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
