/**
 * Corrections and retractions: an editor's fix to a recorded statement, or its withdrawal. The
 * record then reads as if the statement had been recorded correctly (or never made), and keeps the
 * revision trail: what changed, from what to what, when, why, and by whom.
 *
 * Revisions arrive late, twice and out of order like everything else, so the effective statement
 * is a function of the SET of revisions: they apply in the time the desk made them (`correctedAt`,
 * `retractedAt`), ties broken by id, whatever order they were delivered in; a copy is a duplicate;
 * two different revisions under one id are refused, both, rather than one chosen by arrival.
 *
 * Decisions this module implements (events/README.md, "Corrections policy"):
 * - later corrections override earlier ones field by field; a correction that sets every field to
 *   what it already is stays on the trail as `unchanged`;
 * - a retraction is final: a correction dated after it is kept on the trail as `after-retraction`
 *   and not applied, so a retracted record never moves (between issues or actors) and a redacted
 *   one never gets text back; a later retraction joins the trail and may add a redaction;
 * - a correction that sets a field the statement's kind lacks (a stance change has no speaker and
 *   no quote) is `inapplicable`, whole: an editor's correction applies as written or not at all;
 * - a redaction replaces every quote and translation in the result, the trail's included (and a
 *   stance change's reason, its only text), by REMOVAL_NOTICE; the fact and the reasons stay.
 */
import type { FieldProblem } from './errors.ts';
import { canonicalJson, contentFingerprint, textDigest } from './ids.ts';
import { refOf } from './positions.ts';
import { compareInstants } from './time.ts';
import type { ActorId, IssueId, Quote, StatementRecord, StatementRef } from './types.ts';

/** The fields a correction may set, in the order they are listed and compared. */
export const CORRECTABLE_FIELDS = ['stance', 'hedged', 'speaker', 'actor', 'issue', 'saidAt', 'quote', 'source'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/** What a correction sets: any non-empty subset of the correctable fields, each as the record holds it. */
export type StatementChanges = { [F in CorrectableField]?: NonNullable<StatementRecord[F]> };

export interface Correction {
  kind: 'correction';
  correctionId: string;
  /** The statement corrected: its `statementId`, or a stance change's `changeId`. */
  statementId: string;
  /** Resolved: instants in canonical UTC; a corrected speaker comes with the actor it speaks for. */
  changes: StatementChanges;
  reason: string;
  /** Canonical UTC. */
  correctedAt: string;
  recordedBy: string;
}

export interface Retraction {
  kind: 'retraction';
  retractionId: string;
  statementId: string;
  reason: string;
  /** Canonical UTC. */
  retractedAt: string;
  recordedBy: string;
  /** Legal removal: no quote or translation text is kept. */
  redact: boolean;
}

export type Revision = Correction | Retraction;

/** One field a correction sets, with the value it had at that point of the trail; `from` is absent when the field was. */
export type FieldChange = {
  [F in CorrectableField]: { field: F; from?: NonNullable<StatementRecord[F]>; to: NonNullable<StatementRecord[F]> };
}[CorrectableField];

export type CorrectionOutcome = 'applied' | 'unchanged' | 'after-retraction' | 'inapplicable';

export interface CorrectionEntry {
  kind: 'correction';
  correctionId: string;
  correctedAt: string;
  reason: string;
  recordedBy: string;
  outcome: CorrectionOutcome;
  /** The fields it sets that differ from the record at its point of the trail (applied or not, as `outcome` says). */
  changes: FieldChange[];
  /** Why it was not applied (`after-retraction`, `inapplicable`), by the field of the correction at fault. */
  problems?: FieldProblem[];
}

export interface RetractionEntry {
  kind: 'retraction';
  retractionId: string;
  retractedAt: string;
  reason: string;
  recordedBy: string;
  redact: boolean;
  /** The first retraction withdraws the statement; a later one adds its reason (and may redact). */
  outcome: 'retracted' | 'already-retracted';
}

export type TrailEntry = CorrectionEntry | RetractionEntry;

/** Two different revisions under one id: neither is applied, and both are named. */
export interface RevisionConflict {
  revisionId: string;
  problems: FieldProblem[];
}

export interface EffectiveStatement {
  /** The statement as it would have been recorded correctly; redacted when a retraction asks it. */
  record: StatementRecord;
  /** A retracted statement stays on the record but moves no position and joins no divergence. */
  status: 'standing' | 'retracted';
  /** The retraction that withdrew it: the first on the trail. */
  retraction?: RetractionEntry;
  redacted: boolean;
  /** Every revision once, in the order it applies: by time, then by id. */
  trail: TrailEntry[];
  conflicts: RevisionConflict[];
}

/**
 * What replaces a redacted quote, its translation, and a redacted stance change's reason. In the
 * desk's two languages, and saying what was removed, so a reader of a cell or an alert knows
 * that a statement was made and withdrawn, not that the tracker lost its text.
 */
export const REMOVAL_NOTICE = {
  text: 'أُزيل نص هذا التصريح لأسباب قانونية.',
  lang: 'ar',
  translation: { text: 'The text of this statement was removed for legal reasons.', lang: 'en' },
} as const satisfies Quote;

export const revisionIdOf = (revision: Revision): string =>
  revision.kind === 'correction' ? revision.correctionId : revision.retractionId;

const revisionTime = (revision: Revision): string =>
  revision.kind === 'correction' ? revision.correctedAt : revision.retractedAt;

/** The order revisions apply in: the time the desk made them, then the id (code units, as everywhere). */
export const compareRevisions = (a: Revision, b: Revision): number => {
  const byTime = compareInstants(revisionTime(a), revisionTime(b));
  if (byTime !== 0) return byTime;
  const [x, y] = [revisionIdOf(a), revisionIdOf(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Fields a kind of statement does not have; setting one makes the correction inapplicable. */
const ABSENT_FROM: Readonly<Record<StatementRecord['kind'], readonly CorrectableField[]>> = {
  statement: [],
  'stance-change': ['speaker', 'quote'],
};

const sameValue = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** The fields `changes` sets to something other than what `record` holds, in CORRECTABLE_FIELDS order. */
const changesAgainst = (record: StatementRecord, changes: StatementChanges): FieldChange[] =>
  CORRECTABLE_FIELDS.flatMap((field): FieldChange[] => {
    const to = changes[field];
    const from = record[field];
    if (to === undefined || sameValue(from, to)) return [];
    return [{ field, ...(from === undefined ? {} : { from }), to } as FieldChange];
  });

/** How the publisher spelt a speaker or an actor describes that one only: a corrected one drops it. */
const SPELLING_OF = { speaker: 'speakerAsWritten', actor: 'actorAsWritten' } as const satisfies Partial<Record<CorrectableField, keyof StatementRecord>>;

const applyChange = (record: StatementRecord, change: FieldChange): StatementRecord => {
  const next: StatementRecord = { ...record, [change.field]: change.to };
  if (change.field === 'speaker' || change.field === 'actor') delete next[SPELLING_OF[change.field]];
  return next;
};

const applyChanges = (record: StatementRecord, changes: readonly FieldChange[]): StatementRecord =>
  changes.reduce<StatementRecord>(applyChange, record);

/** Why a correction is not applied, or nothing when it is. */
const refusal = (
  record: StatementRecord,
  correction: Correction,
  retraction: RetractionEntry | undefined,
): { outcome: CorrectionOutcome; problems: FieldProblem[] } | undefined => {
  if (retraction !== undefined) {
    return {
      outcome: 'after-retraction',
      problems: [{
        field: 'detail.correctedAt',
        reason: `comes after retraction ${retraction.retractionId} (${retraction.retractedAt}); a retracted statement is not corrected, the correction is kept on its trail`,
      }],
    };
  }
  const absent = ABSENT_FROM[record.kind].filter((field) => correction.changes[field] !== undefined);
  if (absent.length === 0) return undefined;
  return {
    outcome: 'inapplicable',
    problems: absent.map((field) => ({
      field: `detail.changes.${field}`,
      reason: `statement ${record.statementId} is a ${record.kind}, which has no ${field}`,
    })),
  };
};

interface Fold {
  record: StatementRecord;
  retraction?: RetractionEntry;
  trail: TrailEntry[];
  /** Where the record sits in history after each step of the fold: the original's place first. */
  places: StatementRef[];
}

const foldCorrection = (state: Fold, correction: Correction): Fold => {
  const changes = changesAgainst(state.record, correction.changes);
  const refused = refusal(state.record, correction, state.retraction);
  const outcome: CorrectionOutcome = refused?.outcome ?? (changes.length === 0 ? 'unchanged' : 'applied');
  const entry: CorrectionEntry = {
    kind: 'correction',
    correctionId: correction.correctionId,
    correctedAt: correction.correctedAt,
    reason: correction.reason,
    recordedBy: correction.recordedBy,
    outcome,
    changes,
    ...(refused === undefined ? {} : { problems: refused.problems }),
  };
  const record = outcome === 'applied' ? applyChanges(state.record, changes) : state.record;
  return { ...state, record, trail: [...state.trail, entry], places: [...state.places, refOf(record)] };
};

const foldRetraction = (state: Fold, retraction: Retraction): Fold => {
  const entry: RetractionEntry = {
    kind: 'retraction',
    retractionId: retraction.retractionId,
    retractedAt: retraction.retractedAt,
    reason: retraction.reason,
    recordedBy: retraction.recordedBy,
    redact: retraction.redact,
    outcome: state.retraction === undefined ? 'retracted' : 'already-retracted',
  };
  return { ...state, retraction: state.retraction ?? entry, trail: [...state.trail, entry] };
};

const redactChange = (change: FieldChange): FieldChange =>
  change.field !== 'quote' ? change : { field: 'quote', ...(change.from === undefined ? {} : { from: REMOVAL_NOTICE }), to: REMOVAL_NOTICE };

/** The record with its text replaced by REMOVAL_NOTICE: what a redaction leaves of it. */
export const redactRecord = (record: StatementRecord): StatementRecord => ({
  ...record,
  ...(record.quote === undefined ? {} : { quote: REMOVAL_NOTICE }),
  ...(record.reason === undefined ? {} : { reason: REMOVAL_NOTICE.translation.text }),
});

/** A correction as a redaction of its statement leaves it: a quote it set is the notice too. */
export const redactRevision = (revision: Revision): Revision =>
  revision.kind === 'correction' && revision.changes.quote !== undefined
    ? { ...revision, changes: { ...revision.changes, quote: REMOVAL_NOTICE } }
    : revision;

const redactEntry = (entry: TrailEntry): TrailEntry =>
  entry.kind === 'retraction' ? entry : { ...entry, changes: entry.changes.map(redactChange) };

/**
 * The statement as it would have been recorded correctly, or retracted, with its revision trail.
 * `corrections` and `retractions` are every revision known for `original` (each delivery counts
 * once, in any order); one that names another statement is a caller's mistake and throws.
 */
export const effectiveStatement = (
  original: StatementRecord,
  corrections: readonly Correction[],
  retractions: readonly Retraction[] = [],
): EffectiveStatement => {
  const { folded, accepted, conflicts } = foldRevisions(original, corrections, retractions);
  const redacted = accepted.some((revision) => revision.kind === 'retraction' && revision.redact);
  return {
    record: redacted ? redactRecord(folded.record) : folded.record,
    status: folded.retraction === undefined ? 'standing' : 'retracted',
    ...(folded.retraction === undefined ? {} : { retraction: folded.retraction }),
    redacted,
    trail: redacted ? folded.trail.map(redactEntry) : folded.trail,
    conflicts,
  };
};

const foldRevisions = (
  original: StatementRecord,
  corrections: readonly Correction[],
  retractions: readonly Retraction[],
): { folded: Fold; accepted: Revision[]; conflicts: RevisionConflict[] } => {
  const revisions: Revision[] = [...corrections, ...retractions];
  const stray = revisions.find((revision) => revision.statementId !== original.statementId);
  if (stray !== undefined) {
    throw new RangeError(`revision ${revisionIdOf(stray)} is of statement ${stray.statementId}, not ${original.statementId}`);
  }
  const { accepted, conflicts } = distinctRevisions(revisions);
  const folded = [...accepted]
    .sort(compareRevisions)
    .reduce<Fold>(
      (state, revision) => (revision.kind === 'correction' ? foldCorrection(state, revision) : foldRetraction(state, revision)),
      { record: original, trail: [], places: [refOf(original)] },
    );
  return { folded, accepted, conflicts };
};

/**
 * Every place in history the statement takes as its revisions apply, in their order (the time the
 * desk made them), each once: the original's first, the effective statement's last. A corrected
 * issue, actor (a speaker brings its actor) or said time moves the statement; the places before the
 * last are where it leaves a pointer to the last, so references into history made while it stood
 * there still resolve.
 */
export const statementPlaces = (
  original: StatementRecord,
  corrections: readonly Correction[],
  retractions: readonly Retraction[] = [],
): StatementRef[] => {
  const { places } = foldRevisions(original, corrections, retractions).folded;
  const last = places.at(-1)!;
  const byKey = new Map(places.map((place) => [canonicalJson(place), place]));
  byKey.delete(canonicalJson(last));
  return [...byKey.values(), last];
};

/**
 * Every place the statement can have held under any subset of its revisions (the product of each
 * issue, actor and said time the original and the corrections name): where a statement recorded
 * before all of its revisions were known may stand, since which subset that was depends on arrival.
 */
export const possiblePlaces = (original: StatementRef, revisions: readonly Revision[]): StatementRef[] => {
  const corrections = revisions.filter((revision): revision is Correction => revision.kind === 'correction');
  const values = <K extends 'issue' | 'actor' | 'saidAt'>(field: K): string[] =>
    [...new Set([original[field], ...corrections.flatMap((c) => (c.changes[field] === undefined ? [] : [c.changes[field]!]))])];
  return values('issue').flatMap((issue) =>
    values('actor').flatMap((actor) => values('saidAt').map((saidAt) => ({ issue, actor, saidAt, statementId: original.statementId }))),
  );
};

/** Every revision once; an id that names two different revisions yields neither, and a conflict. */
export const distinctRevisions = (revisions: readonly Revision[]): { accepted: Revision[]; conflicts: RevisionConflict[] } => {
  const byId = new Map<string, Map<string, Revision>>();
  for (const revision of revisions) {
    const id = revisionIdOf(revision);
    const versions = byId.get(id) ?? new Map<string, Revision>();
    versions.set(contentFingerprint(revision), revision);
    byId.set(id, versions);
  }
  const accepted: Revision[] = [];
  const conflicts: RevisionConflict[] = [];
  for (const [revisionId, versions] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // Fingerprint order, so which version is "recorded" in the report does not depend on arrival.
    const [first, ...others] = [...versions].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, revision]) => revisionIdentity(revision));
    if (others.length === 0) {
      accepted.push(...versions.values());
      continue;
    }
    conflicts.push({ revisionId, problems: others.flatMap((other) => revisionConflicts(first!, other)) });
  }
  return { accepted, conflicts };
};

/**
 * A field of a revision as a claim keeps it: ids, instants, stances, flags and language tags as
 * they are, free text (reasons, quotes, outlets, urls, who recorded it) only by size and digest,
 * so a refusal says what differs without repeating a quote, and a claim stays small.
 */
export type RevisionField = { kind: 'value'; value: string | number | boolean } | { kind: 'text'; bytes: number; digest: string };

export interface RevisionIdentity {
  revisionId: string;
  /** sha256 of the canonical JSON of the whole revision: equal exactly when the revisions are. */
  fingerprint: string;
  /** Every field but the id, by its path in the revision (`changes.quote.text`). */
  fields: Record<string, RevisionField>;
}

const TEXT_FIELDS = /(^|\.)(reason|recordedBy|text|outlet|url)$/;

const leaves = (value: unknown, path: string): Array<[string, unknown]> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, inner]) => leaves(inner, path === '' ? key : `${path}.${key}`))
    : value === undefined ? [] : [[path, value]];

const fieldOf = (path: string, value: unknown): RevisionField => {
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'value', value };
  if (typeof value === 'string' && !TEXT_FIELDS.test(path)) return { kind: 'value', value };
  const text = typeof value === 'string' ? value : canonicalJson(value);
  return { kind: 'text', bytes: Buffer.byteLength(text, 'utf8'), digest: textDigest(text) };
};

export const revisionIdentity = (revision: Revision): RevisionIdentity => {
  const revisionId = revisionIdOf(revision);
  const fields = Object.fromEntries(
    leaves(revision, '')
      .filter(([path]) => path !== (revision.kind === 'correction' ? 'correctionId' : 'retractionId'))
      .map(([path, value]) => [path, fieldOf(path, value)]),
  );
  return { revisionId, fingerprint: contentFingerprint(revision), fields };
};

const shownField = (path: string, field: RevisionField | undefined): string => {
  if (field === undefined) return 'none';
  if (field.kind === 'text') return `${field.bytes} bytes`;
  if (path === 'kind') return `a ${String(field.value)}`;
  return typeof field.value === 'string' ? `'${field.value}'` : String(field.value);
};

const sameField = (a: RevisionField | undefined, b: RevisionField | undefined): boolean =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);

/** Where the publisher wrote a revision field; the kind is the event's detail-type. */
const revisionEventPath = (path: string): string => (path === 'kind' ? 'detail-type' : `detail.${path}`);

const differs = (path: string, was: RevisionField | undefined, now: RevisionField | undefined): FieldProblem => {
  const text = was?.kind === 'text' || now?.kind === 'text' ? '; text is not repeated here' : '';
  return {
    field: revisionEventPath(path),
    reason: `differs from the revision recorded under this id (recorded ${shownField(path, was)}, received ${shownField(path, now)}${text})`,
  };
};

/**
 * Every field in which `received` differs from the revision `recorded` under the same id (one id
 * space for corrections and retractions), named by its path in the received event.
 */
export const revisionConflicts = (recorded: RevisionIdentity, received: RevisionIdentity): FieldProblem[] => {
  if (recorded.revisionId === received.revisionId && recorded.fingerprint === received.fingerprint) return [];
  // A correction and a retraction share no fields worth comparing: the kind says it all.
  if (!sameField(recorded.fields['kind'], received.fields['kind'])) return [differs('kind', recorded.fields['kind'], received.fields['kind'])];
  const paths = [...new Set([...Object.keys(received.fields), ...Object.keys(recorded.fields)])].sort();
  const problems = paths
    .filter((path) => !sameField(recorded.fields[path], received.fields[path]))
    .map((path) => differs(path, recorded.fields[path], received.fields[path]));
  return problems.length > 0 ? problems : [{ field: 'detail', reason: 'differs from the revision recorded under this id' }];
};

/** Where a statement counts: the position it moves. */
export interface Placement {
  issue: IssueId;
  actor: ActorId;
}

export interface RevisionImpact {
  /** Issues to replay (positions, divergences, episodes): where the statement counted, and where it counts now. */
  issues: IssueId[];
  /** Positions to recompute on those issues: the one it moved, and the one it moves now. */
  positions: Placement[];
  /** What the stored statement shows (record, status, trail) changed: its history item and every copy kept as evidence are rewritten. */
  rewrite: boolean;
}

/** What a statement contributes to its issue's timeline; equal keys replay to equal results. */
const timelineKey = (effective: EffectiveStatement | undefined): string | undefined => {
  if (effective === undefined || effective.status === 'retracted') return undefined;
  const { issue, actor, stance, hedged, saidAt } = effective.record;
  return canonicalJson({ issue, actor, stance, hedged, saidAt });
};

const placementOf = (effective: EffectiveStatement | undefined): Placement[] =>
  effective === undefined || effective.status === 'retracted' ? [] : [{ issue: effective.record.issue, actor: effective.record.actor }];

/**
 * What a replay must re-evaluate when a statement's effective form goes from `before` (undefined:
 * not recorded yet) to `after`. A corrected issue, actor or speaker-with-its-actor moves the
 * statement: both issues replay, both positions are recomputed. A corrected stance, hedge or time
 * replays its issue. A corrected quote or source, or a speaker of the same actor, changes only what
 * the evidence shows: nothing replays, the stored copies are rewritten.
 */
export const revisionImpact = (before: EffectiveStatement | undefined, after: EffectiveStatement): RevisionImpact => {
  const rewrite = before === undefined || canonicalJson(before) !== canonicalJson(after);
  if (timelineKey(before) === timelineKey(after)) return { issues: [], positions: [], rewrite };
  const byKey = new Map([...placementOf(before), ...placementOf(after)].map((p) => [canonicalJson(p), p]));
  const positions = [...byKey].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, placement]) => placement);
  const issues = [...new Set(positions.map((p) => p.issue))].sort();
  return { issues, positions, rewrite };
};
