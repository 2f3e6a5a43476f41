/**
 * A statement as the API shows it in history and as evidence: the record as it now reads, its
 * `status` (`recorded`, `corrected`, `retracted`) and its revision trail (what changed, from what to
 * what, when, why and by whom). A redacted statement shows the removal notice, in its quote and in
 * every quote on its trail (the store keeps nothing else).
 */
import type { FieldChange, TrailEntry } from '../core/corrections.ts';
import type { ShownEvidence, TrailItem } from '../api/schemas.ts';
import { toEvidence } from './contracts-v1.ts';
import type { ShownStatement } from './read-store.ts';

const changeItem = ({ field, from, to }: FieldChange): TrailItem['changes'][number] => ({ field, ...(from === undefined ? {} : { from }), to });

export const toTrailItem = (entry: TrailEntry): TrailItem =>
  entry.kind === 'correction'
    ? {
      kind: 'correction', revisionId: entry.correctionId, revisedAt: entry.correctedAt, reason: entry.reason, recordedBy: entry.recordedBy,
      outcome: entry.outcome, changes: entry.changes.map(changeItem), redact: false,
    }
    : {
      kind: 'retraction', revisionId: entry.retractionId, revisedAt: entry.retractedAt, reason: entry.reason, recordedBy: entry.recordedBy,
      outcome: entry.outcome, changes: [], redact: entry.redact,
    };

export const toShownEvidence = (statement: ShownStatement): ShownEvidence => ({
  ...toEvidence(statement),
  status: statement.revision?.status ?? 'recorded',
  trail: (statement.revision?.trail ?? []).map(toTrailItem),
});
