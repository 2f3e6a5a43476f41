/**
 * One batch of inbound messages (EventBridge events as SQS bodies). Every message ends applied, a
 * duplicate, quarantined with its reason, or failed back to the queue, in five steps (batch/):
 *
 * 1. triage: validate against the contracts; refuse what is not an input of the tracker;
 * 2. registry events: apply them first, so a statement may name what its batch registers, and
 *    re-evaluate at once every issue they can change (its alerts go out like any alert);
 * 3. resolution: translate each statement and resolve its names against the registry;
 * 4. record by issue: each issue's statements in said order (its late ones settled by one replay),
 *    different issues side by side;
 * 5. revisions: corrections and retractions, resolved and applied (apply-revision.ts).
 *
 * Translating and resolving an event's fields is pure, so whatever it throws is about the event:
 * it is quarantined with the field, since retrying cannot fix it and must not block the queue. A
 * message that fails for any other reason (throttling, network, a bug in a write) is reported
 * failed, alone, so only it is retried.
 */
import { DEFAULT_REGISTRY_SOURCES } from '../../events/common.ts';
import { applyRegistryEvents } from './batch/apply-registry-events.ts';
import { applyRevisions, type ApplyOne } from './batch/apply-revisions.ts';
import { applyRevision } from './apply-revision.ts';
import { BatchLedger } from './batch/ledger.ts';
import type { BatchReport, InboundMessage } from './batch/outcomes.ts';
import { recordByIssue, type StatementRecorder } from './batch/record-by-issue.ts';
import { reevaluateIssues, type ReevaluateOne } from './batch/reevaluate-issues.ts';
import { resolveStatements } from './batch/resolve-statements.ts';
import { triage } from './batch/triage.ts';
import { silentLogger, type LoggerPort } from './logger.ts';
import type { Clock, EventPublisher, QuarantineRepository, RegistryRepository, TrackerRepository } from './ports.ts';
import { reevaluateIssue } from './reevaluate-issue.ts';
import { DEFAULT_MAX_ROUNDS, claimIdentity, quietRestatement, rewriteRevisedMeanwhile, recordQuietRestatements, settleStatement, writeStatement } from './record-statement.ts';
import { settleLateGroup } from './record/late-group.ts';
import { RegistryCache, type RegistryCacheOptions } from './registry-cache.ts';

export { countOutcomes } from './batch/outcomes.ts';
export type { BatchCounts, BatchReport, InboundMessage, MessageOutcome } from './batch/outcomes.ts';

export interface ProcessorPorts {
  tracker: TrackerRepository;
  registry: RegistryRepository;
  quarantine: QuarantineRepository;
  publisher: EventPublisher;
  clock: Clock;
}

export interface BatchProcessorOptions {
  registryCache?: RegistryCacheOptions;
  /** Issues processed side by side within one batch. */
  issueConcurrency?: number;
  /** See RecordStatementDeps.maxRounds. */
  maxRounds?: number;
  /** Event sources allowed to publish registry events. @default DEFAULT_REGISTRY_SOURCES */
  registrySources?: readonly string[];
  log?: LoggerPort;
}

export type BatchProcessor = (messages: readonly InboundMessage[]) => Promise<BatchReport>;

/** Holds the registry cache, so build it once per container and reuse it for every batch. */
export const createBatchProcessor = (ports: ProcessorPorts, options: BatchProcessorOptions = {}): BatchProcessor => {
  const cache = new RegistryCache(ports.registry, options.registryCache);
  const log = options.log ?? silentLogger;
  const issueConcurrency = options.issueConcurrency ?? 4;
  const registrySources: ReadonlySet<string> = new Set(options.registrySources ?? DEFAULT_REGISTRY_SOURCES);
  const { tracker, publisher, clock } = ports;
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  const recordDeps = { tracker, publisher, clock, maxRounds };
  const recorder: StatementRecorder = {
    claim: (statement) => claimIdentity(tracker, statement),
    recordNew: (statements) => tracker.recordNewStatements(statements),
    rewriteRevised: (statement) => rewriteRevisedMeanwhile(tracker, statement),
    write: (statement, claimed) => writeStatement(recordDeps, statement, claimed),
    quiet: quietRestatement,
    recordQuiet: (quiet) => recordQuietRestatements(recordDeps, quiet),
    settle: (written, registry) => settleStatement(recordDeps, written, registry),
    settleLate: (late, registry) => settleLateGroup(recordDeps, late, registry),
  };
  const reevaluateOne: ReevaluateOne = (issue, registry, cause) =>
    reevaluateIssue({ tracker, publisher, clock, maxRounds }, issue, registry, cause);
  const applyOne: ApplyOne = (revision, registry) =>
    applyRevision({ tracker, publisher, clock, maxRounds }, revision, registry);

  return async (messages) => {
    const batchStartedMs = Date.now();
    const ledger = new BatchLedger(ports.quarantine, clock, log);
    const { registryEvents, statements, revisions, refused } = triage(messages, registrySources);
    for (const { message, reason, problems, detailType } of refused) await ledger.quarantine(message, reason, problems, detailType);
    const registrations = await applyRegistryEvents(registryEvents, ports.registry, ledger, clock.now());
    if (registrations.changed) cache.invalidate();
    // Read from the store, not the cache: the re-evaluation needs this batch's records, whatever the cache holds.
    await reevaluateIssues(registrations.delivered, () => ports.registry.loadRegistry(), reevaluateOne, issueConcurrency, ledger);
    const resolved = await resolveStatements(statements, { cache, batchStartedMs, failedReferences: registrations.failedReferences }, ledger);
    await recordByIssue(resolved, recorder, issueConcurrency, ledger);
    await applyRevisions(revisions, cache, applyOne, ledger);
    return ledger.report(messages);
  };
};
