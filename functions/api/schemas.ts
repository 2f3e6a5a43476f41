/**
 * The read API's contract in zod: query parameters, responses and errors. The route table
 * (`routes.ts`) validates with these schemas and the OpenAPI document is generated from them, so the
 * two cannot drift apart.
 */
import * as z from '../../events/zod.ts';
import { isoDateTime, names, slug, stance } from '../../events/common.ts';
import { DIVERGENCE_KINDS } from '../../events/outbound/divergence-alert.v1.ts';
import { evidence } from '../../events/outbound/evidence.ts';
import { normaliseInstant } from '../core/time.ts';
import { QUARANTINE_REASONS } from '../application/ports.ts';
import { apiSchemas } from './schema-registry.ts';

// ---------------------------------------------------------------------------------------------
// Parameters

const isoDate = z.iso.date({ message: 'must be an ISO 8601 date (YYYY-MM-DD) or date-time with a time zone' });

/**
 * A date-time with a zone, or a bare date. A bare date stands for a whole UTC day, and which end of
 * the day depends on the question: "as it stood on the 5th" includes the 5th, "since the 5th" starts with it.
 */
const instant = (bareDateMeans: 'end-of-day' | 'start-of-day') =>
  z.pipe(
    z.union([isoDateTime, isoDate], {
      error: 'must be an ISO 8601 date-time with a time zone (2026-01-06T14:30:00Z) or a date (2026-01-06)',
    }),
    z.transform((value: string, ctx) => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
        return `${value}T${bareDateMeans === 'end-of-day' ? '23:59:59.999' : '00:00:00.000'}Z`;
      }
      try {
        return normaliseInstant(value);
      } catch {
        // An offset can push year 0000 or 9999 out of the range the store can order.
        ctx.issues.push({ code: 'custom', input: value, message: 'is outside the years 0000-9999 once converted to UTC' });
        return z.NEVER;
      }
    }),
  );

export const issueParam = slug.check(z.describe('Registry id of the issue, e.g. `western-troops-in-ukraine`.'));
export const actorParam = slug.check(z.describe('Registry id of the actor, e.g. `russia`.'));

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** CSV only; JSON is always exact. */
const rawCsv = z
  .optional(z.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }), z.transform((value: 'true' | 'false') => value === 'true')))
  .check(
    z.describe(
      "CSV only. true: every cell exactly as stored. By default a text cell starting with =, +, -, @, a tab or a CR gets a leading apostrophe (and is quoted), so a spreadsheet shows it instead of running it as a formula; the stance column is a number and never changed.",
    ),
  );

export const matrixQuery = z.strictObject({
  asOf: z
    .optional(instant('end-of-day'))
    .check(z.describe('The matrix as it stood then: only statements said at or before this instant. A bare date means the end of that UTC day.')),
  raw: rawCsv,
});

/** Cursor paging, the same on every feed. */
const pageCursor = z
  .optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,4096}$/, 'must be the nextCursor of a previous page')))
  .check(z.describe('The `nextCursor` of the previous page, as returned.'));

const pageLimit = (description: string) =>
  z
    ._default(
      z.coerce
        .number({ error: 'must be a whole number' })
        .check(z.int('must be a whole number'), z.gte(1, 'must be at least 1'), z.lte(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)),
      DEFAULT_PAGE_SIZE,
    )
    .check(z.describe(description));

export const historyQuery = z.strictObject({
  issue: z.optional(slug).check(z.describe('Only statements on this issue.')),
  raw: rawCsv,
  cursor: pageCursor,
  limit: pageLimit('Statements per page.'),
});

export const alertsQuery = z.strictObject({
  since: z
    .optional(instant('start-of-day'))
    .check(
      z.describe(
        'Only divergences whose last transition (closing, else opening) was said at or after this instant. A bare date means the start of that UTC day.',
      ),
    ),
  issue: z.optional(slug).check(z.describe('Only alerts on this issue.')),
  actor: z.optional(slug).check(z.describe('Only alerts about this actor.')),
  open: z
    .optional(z.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }), z.transform((value: 'true' | 'false') => value === 'true')))
    .check(z.describe('true: only divergences still open; false: only those closed (converged) or withdrawn.')),
  cursor: pageCursor,
  limit: pageLimit('Alerts per page.'),
});

export const quarantineQuery = z.strictObject({
  cursor: pageCursor,
  limit: pageLimit('Rejected events per page.'),
});

export const changesQuery = z.strictObject({
  since: z
    .optional(instant('start-of-day'))
    .check(z.describe('Only changes recorded at or after this instant (the tracker\'s clock). A bare date means the start of that UTC day.')),
  issue: z.optional(slug).check(z.describe('Only changes to this issue (registry changes only when they are of the issue itself).')),
  raw: rawCsv,
  cursor: pageCursor,
  limit: pageLimit('Changes per page.'),
});

export type MatrixQuery = z.infer<typeof matrixQuery>;
export type HistoryQuery = z.infer<typeof historyQuery>;
export type AlertsQuery = z.infer<typeof alertsQuery>;
export type QuarantineQuery = z.infer<typeof quarantineQuery>;

// ---------------------------------------------------------------------------------------------
// Responses

/** Named response schemas: each becomes a `components.schemas` entry of the OpenAPI document. */
export { apiSchemas };
apiSchemas.add(evidence, { id: 'Evidence' });

const derivedStance = z
  .number()
  .check(z.gte(-2), z.lte(2), z.multipleOf(0.5), z.describe("A bloc's stance: the median of its members' stances, so it may fall on a half point."));

export const issueSummary = z
  .object({
    issue: slug,
    title: names,
    proposition: names.check(z.describe('The open question phrased as a proposition; stances are relative to it.')),
    status: z.enum(['open', 'closed']),
  })
  .register(apiSchemas, { id: 'IssueSummary' });

export const issueList = z.object({ issues: z.array(issueSummary) }).register(apiSchemas, { id: 'IssueList' });

export const matrixPosition = z
  .object({
    actor: slug,
    names,
    stance,
    hedged: z.boolean(),
    saidAt: isoDateTime.check(z.describe('When the statement the position rests on was said.')),
    statementId: z.string(),
    evidence: evidence.check(z.describe('The statement the position rests on, quote byte-exact.')),
  })
  .register(apiSchemas, { id: 'MatrixPosition' });

export const blocPosition = z
  .object({
    bloc: slug,
    names,
    stance: z
      .nullable(derivedStance)
      .check(z.describe('The median of the members\' stances; null when fewer than `quorum` members have a known stance (silence is not a stance).')),
    members: z.array(slug).check(z.describe('The members (at the matrix\'s time) with a known stance: those the median is taken over.')),
    basis: z.number().check(z.int(), z.gte(0), z.describe('How many members the stance rests on (the length of `members`).')),
    quorum: z
      .number()
      .check(z.int(), z.gte(1), z.describe('Members needed for a stance: the lowest quorum of the watches on this bloc and issue, or the default (3).')),
  })
  .register(apiSchemas, { id: 'BlocPosition' });

export const matrix = z
  .object({
    issue: slug,
    title: names,
    proposition: names,
    asOf: z.nullable(isoDateTime).check(z.describe('The instant asked for, or null for the current matrix.')),
    positions: z.array(matrixPosition).check(z.describe('Every actor with a known stance, by actor id.')),
    blocs: z.array(blocPosition).check(z.describe('Every registered bloc, by bloc id.')),
  })
  .register(apiSchemas, { id: 'Matrix' });

const positionRef = z.object({ stance, hedged: z.boolean(), statementId: z.string(), saidAt: isoDateTime });

export const actorIssuePosition = z
  .object({
    issue: slug,
    title: names,
    stance,
    hedged: z.boolean(),
    saidAt: isoDateTime,
    statementId: z.string(),
    previous: z.nullable(positionRef).check(z.describe('The statement said just before the current one, if any.')),
    evidence,
  })
  .register(apiSchemas, { id: 'ActorIssuePosition' });

export const actorPositions = z
  .object({
    actor: slug,
    names,
    positions: z.array(actorIssuePosition).check(z.describe('One per issue the actor has a known stance on, by issue id.')),
  })
  .register(apiSchemas, { id: 'ActorPositions' });

export const trailItem = z
  .object({
    kind: z.enum(['correction', 'retraction']),
    revisionId: z.string().check(z.describe('The correctionId or retractionId.')),
    revisedAt: isoDateTime.check(z.describe('When the desk made it (correctedAt, retractedAt); revisions apply in this order.')),
    reason: z.string(),
    recordedBy: z.string(),
    outcome: z
      .enum(['applied', 'unchanged', 'after-retraction', 'inapplicable', 'retracted', 'already-retracted'])
      .check(z.describe('applied: its changes are in the record; unchanged: it set fields to what they were; after-retraction / inapplicable: kept, not applied; retracted / already-retracted: a retraction, the first or a later one.')),
    changes: z
      .array(z.object({ field: z.string(), from: z.optional(z.unknown()), to: z.unknown() }))
      .check(z.describe('A correction: each field it sets that differed, from what to what (a redacted quote shows the removal notice). Empty for a retraction.')),
    redact: z.boolean().check(z.describe('A retraction that removed the text for legal reasons.')),
  })
  .register(apiSchemas, { id: 'TrailEntry' });

/** A statement as history and evidence show it: as it now reads, with its status and revision trail. */
export const shownEvidence = z
  .extend(evidence, {
    status: z
      .enum(['recorded', 'corrected', 'retracted'])
      .check(z.describe('corrected: a correction was applied (the record reads as corrected); retracted: withdrawn, it counts for no position or divergence and stays in history for the record.')),
    trail: z.array(trailItem).check(z.describe('Every correction and retraction of the statement, once, in the order they apply.')),
  })
  .register(apiSchemas, { id: 'HistoryStatement' });

export const actorHistory = z
  .object({
    actor: slug,
    names,
    issue: z.nullable(slug),
    statements: z.array(shownEvidence).check(z.describe('Every statement and documented change, in said order (earliest first), a page at a time; a retracted one too, marked so.')),
    nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` for the next page; null on the last page.')),
  })
  .register(apiSchemas, { id: 'ActorHistory' });

export const alertItem = z
  .object({
    episodeId: z.string().check(z.describe('The divergence episode; the same id as in the Positions Diverged/Converged events.')),
    divergenceId: z.string(),
    kind: z.enum(DIVERGENCE_KINDS),
    issue: slug,
    actor: slug,
    bloc: z.nullable(slug),
    status: z
      .enum(['open', 'closed', 'withdrawn'])
      .check(z.describe('withdrawn: a statement delivered late showed the divergence never happened; its alerts were corrected.')),
    threshold: z.number().check(z.int()),
    actorStance: derivedStance,
    otherStance: derivedStance,
    gap: z.number().check(z.gte(0), z.lte(4)),
    openedAt: isoDateTime,
    closedAt: z.nullable(isoDateTime),
    evidence: z
      .object({
        actor: z.array(shownEvidence).check(z.describe("The statements behind the actor's side, latest first; for an open divergence, every one said so far (what it opened with and each since).")),
        other: z.array(shownEvidence).check(z.describe('The statements behind the other side, latest first.')),
      })
      .check(z.describe('As the episode was last recorded: at opening while open, at closing once closed.')),
    evidenceOmitted: z.object({ actor: z.number().check(z.int(), z.gte(0)), other: z.number().check(z.int(), z.gte(0)) }).check(
      z.describe(
        'How many statements of each side (the oldest) this answer leaves out, which it does only when they would not fit one response; each is in the history of the actor who made it (`/actors/{actor}/history`).',
      ),
    ),
  })
  .register(apiSchemas, { id: 'Alert' });

export const alertsPage = z
  .object({
    alerts: z.array(alertItem).check(z.describe('Latest activity first (said-time of the last transition).')),
    nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` for the next page; null on the last page.')),
  })
  .register(apiSchemas, { id: 'AlertsPage' });

export const CHANGE_KIND_NAMES = [
  'statement-applied', 'position-changed', 'statement-corrected', 'statement-retracted',
  'divergence-opened', 'divergence-closed', 'divergence-withdrawn', 'divergence-reinstated', 'registry-changed',
] as const;

export const changeItem = z
  .object({
    changeId: z.string().check(z.describe('Derived from the facts it names (a statement id, the Position Changed `changeId`, an alert id, a registry version), never a clock: the same change is never listed under two ids.')),
    kind: z
      .enum(CHANGE_KIND_NAMES)
      .check(z.describe(
        'position-changed: a statement became its actor\'s current position (the change its Position Changed event announces, under the same id); statement-applied: a statement joined the history without moving the position (said before the current one); statement-corrected / statement-retracted: a revision of a statement; divergence-opened / -closed / -withdrawn / -reinstated: an alert recorded (withdrawn: a correction showed the episode never stood); registry-changed: a registry record version applied. Every statement is listed once, as position-changed or statement-applied. Clients must accept kinds added later.',
      )),
    recordedAt: isoDateTime.check(z.describe('When the tracker first recorded the change; the feed is in this order (ties by `changeId`).')),
    issue: z.nullable(slug).check(z.describe('The issue changed, when the change has one.')),
    changed: z.looseObject({}).check(z.describe('What it changed, by kind: the statement (id, actor, stance, said time) and for a position change the previous position; the alert (transition, divergence, stances, gap); the registry record as applied.')),
  })
  .register(apiSchemas, { id: 'Change' });

export const changesPage = z
  .object({
    changes: z.array(changeItem).check(z.describe('In the order recorded, earliest first.')),
    nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` for the next page; null on the last page. To follow the feed later, ask again with `since` the last `recordedAt` and skip the `changeId`s already seen.')),
  })
  .register(apiSchemas, { id: 'ChangesPage' });


export const fieldProblem = z
  .object({
    field: z.string().check(z.describe('Dotted path into the event, e.g. `detail.stance`; `event` when the body is not JSON.')),
    reason: z.string(),
  })
  .register(apiSchemas, { id: 'FieldProblem' });

export const quarantinedEvent = z
  .object({
    fingerprint: z.string().check(z.describe('Names the body: the same body delivered again is kept once, with its first arrival.')),
    messageId: z.nullable(z.string()).check(z.describe('The SQS message id of the first delivery, when stored.')),
    receivedAt: isoDateTime.check(z.describe('When the processor first rejected it.')),
    reason: z
      .enum(QUARANTINE_REASONS)
      .check(z.describe(
        'invalid-event: not valid against its contract; unknown-reference: names a speaker, actor or issue the registry does not know; ambiguous-reference: names a speaker or an actor by a name or an alias several registry entries share, and the problems name the candidates; not-an-input: not an event the tracker takes in (its own source, or an event it publishes); unknown-detail-type: a detail-type no contract describes; unauthorised-source: a registry event from a source not allowed to publish them; conflicting-id: reuses a statement id (or change id) already recorded with other content, and the problems name every field that differs. Clients must accept reasons added later.',
      )),
    detailType: z.nullable(z.string()).check(z.describe('The detail-type the event gave, when it gave one as a string (well-formed); at most 256 characters kept, the body has it whole.')),
    problems: z.array(fieldProblem).check(z.describe('Every problem found, each naming the field at fault.')),
    body: z.string().check(z.describe('The message body exactly as received (the EventBridge event as JSON, or whatever arrived), byte-exact unless `truncated`.')),
    bodyBytes: z.number().check(z.int(), z.gte(0), z.describe('The size of the body as received, in UTF-8 bytes.')),
    truncated: z.boolean().check(z.describe('true when the body was too large to keep whole (over 350,000 bytes, or less beside unusually long problems) and only its head was kept, cut between characters.')),
  })
  .register(apiSchemas, { id: 'QuarantinedEvent' });

export const quarantinePage = z
  .object({
    events: z.array(quarantinedEvent).check(z.describe('Newest first (time of rejection).')),
    nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` for the next page; null on the last page.')),
  })
  .register(apiSchemas, { id: 'QuarantinePage' });

export const snapshotLink = z
  .object({
    issue: slug,
    url: z.string().check(z.describe('Where to fetch the JSON snapshot: a short-lived signed URL in AWS, a file URL locally.')),
    expiresAt: z.nullable(isoDateTime),
  })
  .register(apiSchemas, { id: 'SnapshotLink' });

export const ERROR_CODES = [
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'MethodNotAllowed',
  'NotAcceptable',
  'NotImplemented',
  'InternalError',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const apiError = z
  .object({
    error: z.enum(ERROR_CODES),
    parameter: z.optional(z.string()).check(z.describe('The path or query parameter at fault (400 only).')),
    message: z.string(),
    problems: z
      .optional(z.array(fieldProblem))
      .check(z.describe('On a desk request refused with 400: every problem, `field` a dotted path inside `detail` (`quote.lang`), `detailType`, or `body`.')),
  })
  .register(apiSchemas, { id: 'Error' });

export type IssueSummary = z.infer<typeof issueSummary>;
export type MatrixPosition = z.infer<typeof matrixPosition>;
export type BlocPosition = z.infer<typeof blocPosition>;
export type Matrix = z.infer<typeof matrix>;
export type ActorIssuePosition = z.infer<typeof actorIssuePosition>;
export type ActorPositions = z.infer<typeof actorPositions>;
export type ActorHistory = z.infer<typeof actorHistory>;
export type TrailItem = z.infer<typeof trailItem>;
export type ShownEvidence = z.infer<typeof shownEvidence>;
export type AlertItem = z.infer<typeof alertItem>;
export type AlertsPage = z.infer<typeof alertsPage>;
export type QuarantinedEventItem = z.infer<typeof quarantinedEvent>;
export type QuarantinePage = z.infer<typeof quarantinePage>;
export type ChangeItem = z.infer<typeof changeItem>;
export type ChangesPage = z.infer<typeof changesPage>;
export type SnapshotLink = z.infer<typeof snapshotLink>;
export type ApiError = z.infer<typeof apiError>;
