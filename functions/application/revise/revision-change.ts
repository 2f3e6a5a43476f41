/**
 * What applying a revision changed, as the change feed lists it: a `statement-corrected` or a
 * `statement-retracted` under the revision's id, with its trail entry (outcome, when, why, by whom),
 * the fields it changed (from what to what; a quote or a source by name only, so the feed never
 * holds text a redaction must reach) and the statement as it now stands.
 */
import type { EffectiveStatement, FieldChange, TrailEntry } from '../../core/corrections.ts';
import type { ChangeRecord, TrackerRepository } from '../ports.ts';

/** Free text stays out of the feed: the history item (and the API) has it, redacted when it must be. */
const TEXT_FIELDS: ReadonlySet<FieldChange['field']> = new Set(['quote', 'source']);

const fieldChange = (change: FieldChange): Record<string, unknown> =>
  TEXT_FIELDS.has(change.field) ? { field: change.field } : { ...change };

const entryFacts = (entry: TrailEntry): Record<string, unknown> =>
  entry.kind === 'correction'
    ? {
      revisionId: entry.correctionId, revisedAt: entry.correctedAt, outcome: entry.outcome, changes: entry.changes.map(fieldChange),
      ...(entry.problems === undefined ? {} : { problems: entry.problems }),
    }
    : { revisionId: entry.retractionId, revisedAt: entry.retractedAt, outcome: entry.outcome, redact: entry.redact };

export const revisionChangeOf = (effective: EffectiveStatement, revisionId: string, recordedAt: string): ChangeRecord | undefined => {
  const entry = effective.trail.find((e) => (e.kind === 'correction' ? e.correctionId : e.retractionId) === revisionId);
  if (entry === undefined) return undefined;
  const { record } = effective;
  return {
    changeId: revisionId,
    kind: entry.kind === 'correction' ? 'statement-corrected' : 'statement-retracted',
    recordedAt,
    issue: record.issue,
    changed: {
      ...entryFacts(entry),
      revisionKind: entry.kind,
      reason: entry.reason,
      recordedBy: entry.recordedBy,
      statementId: record.statementId,
      statementKind: record.kind,
      actor: record.actor,
      ...(record.speaker === undefined ? {} : { speaker: record.speaker }),
      stance: record.stance,
      hedged: record.hedged,
      saidAt: record.saidAt,
      status: effective.status,
      redacted: effective.redacted,
    },
  };
};

/**
 * Every revision on the trail listed in the change feed (each once, the first recording standing):
 * what recording a statement its revisions waited for lists, and what a redelivery finds done.
 */
export const recordRevisionChanges = async (
  tracker: Pick<TrackerRepository, 'recordRevisionChange'>,
  effective: EffectiveStatement,
  recordedAt: string,
  only?: string,
): Promise<void> => {
  const ids = effective.trail.map((entry) => (entry.kind === 'correction' ? entry.correctionId : entry.retractionId));
  for (const id of only === undefined ? ids : ids.filter((revisionId) => revisionId === only)) {
    const change = revisionChangeOf(effective, id, recordedAt);
    if (change !== undefined) await tracker.recordRevisionChange(effective.record.statementId, change);
  }
};
