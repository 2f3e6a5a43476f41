/**
 * A run: events put on the bus as PutEvents would take them, a wait until everything they caused
 * is done (retries, downstream handlers), and an account of every one: accepted or refused,
 * processed, quarantined or dead-lettered, with the alerts the tracker published meanwhile. The
 * runtime loads the registry and replays the seed as runs; tests and the bench make their own.
 */
import { TRACKER_SOURCE } from '../../events/common.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import type { QuarantineRepository } from '../../functions/application/ports.ts';
import { MAX_ENTRIES_PER_REQUEST, type LocalEventBus } from '../bus/local-event-bus.ts';
import { Terminal, type Output, type ProgressBar } from '../console/terminal.ts';
import type { DeadLetter } from '../delivery/dead-letter-queue.ts';
import type { QueueActivity } from '../delivery/local-queue.ts';
import type { FileEvent } from '../events-file.ts';
import { ARCHIVE_QUEUE, isProcessorQueue, PROCESSOR_QUEUE, type Deliveries } from './deliveries.ts';
import type { PublishOutcome, RunOutcome } from './types.ts';

export type Run = (label: string, events: readonly FileEvent[], options?: { progress?: boolean }) => Promise<RunOutcome>;

export interface RunnerDeps {
  deliveries: Deliveries;
  quarantine: Pick<QuarantineRepository, 'list'>;
  output: Output;
}

/** Messages the processor's queues have settled (deleted), both lanes. */
const processedBy = (deliveries: Deliveries): number =>
  [PROCESSOR_QUEUE, ARCHIVE_QUEUE].reduce((sum, name) => sum + (deliveries.queues.get(name)?.stats().deleted ?? 0), 0);

export const createRunner = ({ deliveries, quarantine, output }: RunnerDeps): Run => async (label, events, options = {}) => {
  const startedAt = Date.now();
  const processedBefore = processedBy(deliveries);
  const errorsBefore = deliveries.targetErrors();
  const bar = options.progress === true && output instanceof Terminal ? output.progress(label, events.length) : undefined;
  const watch = watchRun(deliveries, bar);
  let published: PublishOutcome;
  try {
    published = await publishAll(deliveries.bus, events, {
      accepted: (eventId) => watch.expect(eventId),
      refused: (origin, errorCode) => bar?.fail(`${origin}: ${errorCode}`),
    });
    await deliveries.settle();
  } finally {
    bar?.finish();
    watch.stop();
  }

  const quarantined = await quarantinedSince(quarantine, new Date(startedAt).toISOString());
  const problems = runProblems({
    refused: published.refused,
    deadLettered: watch.deadLettered,
    quarantined,
    failedDeliveries: deliveries.targetErrors() - errorsBefore,
    unseen: watch.unseen(),
  });
  return {
    label,
    ...published,
    processed: processedBy(deliveries) - processedBefore,
    deadLettered: watch.deadLettered,
    quarantined,
    alerts: watch.alerts(),
    durationMs: Date.now() - startedAt,
    clean: problems.length === 0,
    problems,
  };
};

/** PutEvents in requests of at most 10 entries, in order. */
export async function publishAll(
  bus: Pick<LocalEventBus, 'putEvents'>,
  events: readonly FileEvent[],
  on: { accepted?: (eventId: string) => void; refused?: (origin: string, errorCode: string) => void } = {},
): Promise<PublishOutcome> {
  const accepted: PublishOutcome['accepted'] = [];
  const refused: PublishOutcome['refused'] = [];
  for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_REQUEST) {
    const chunk = events.slice(i, i + MAX_ENTRIES_PER_REQUEST);
    const result = await bus.putEvents(chunk.map((event) => event.entry));
    result.Entries.forEach((outcome, index) => {
      const origin = chunk[index]?.origin ?? '?';
      if ('EventId' in outcome) {
        accepted.push({ origin, eventId: outcome.EventId });
        on.accepted?.(outcome.EventId);
      } else {
        refused.push({ origin, errorCode: outcome.ErrorCode, errorMessage: outcome.ErrorMessage });
        on.refused?.(origin, outcome.ErrorCode);
      }
    });
  }
  return { accepted, refused };
}

interface RunWatch {
  /** An event of this run the processor is to see: the bar ticks when it is done with it. */
  expect(eventId: string): void;
  deadLettered: DeadLetter[];
  alerts(): number;
  /** Events expected and never finished by the processor. */
  unseen(): number;
  stop(): void;
}

/** Watches the bus and the queues while a run lasts: alerts published, dead letters, and the processor's progress on the run's events. */
function watchRun(deliveries: Deliveries, bar: ProgressBar | undefined): RunWatch {
  const pendingIds = new Set<string>();
  const messageToEvent = new Map<string, string>();
  const deadLettered: DeadLetter[] = [];
  let alerts = 0;
  const unsubscribe = deliveries.bus.subscribe((event) => {
    if (event.source === TRACKER_SOURCE && (event['detail-type'] === POSITIONS_DIVERGED || event['detail-type'] === POSITIONS_CONVERGED)) alerts++;
  });
  const tick = (messageId: string, failed: string | undefined): void => {
    const eventId = messageToEvent.get(messageId);
    if (eventId === undefined || !pendingIds.delete(eventId)) return;
    if (failed === undefined) bar?.tick();
    else bar?.fail(failed);
  };
  const unwatch = deliveries.watch((activity: QueueActivity) => {
    if (activity.type === 'dead-lettered') deadLettered.push(activity.letter);
    if (!isProcessorQueue(activity.queue)) return;
    if (activity.type === 'dead-lettered') tick(activity.letter.messageId, activity.letter.reason);
    if (activity.type === 'done') for (const id of activity.messageIds) tick(id, undefined);
  });
  const unobserve = [PROCESSOR_QUEUE, ARCHIVE_QUEUE].map((name) => deliveries.queues.get(name)?.observe((messageId, body) => {
    const id = eventIdOf(body);
    if (id !== undefined && pendingIds.has(id)) messageToEvent.set(messageId, id);
  }));
  return {
    expect: (eventId) => void pendingIds.add(eventId),
    deadLettered,
    alerts: () => alerts,
    unseen: () => pendingIds.size,
    stop: () => {
      unsubscribe();
      unwatch();
      for (const stop of unobserve) stop?.();
    },
  };
}

function eventIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

const quarantinedSince = async (quarantine: Pick<QuarantineRepository, 'list'>, sinceIso: string): Promise<RunOutcome['quarantined']> =>
  (await quarantine.list(100))
    .filter((event) => event.receivedAt >= sinceIso)
    .map((event) => ({ messageId: event.messageId, reason: event.reason, problems: event.problems.map((p) => `${p.field}: ${p.reason}`).join('; ') }));

/** Why a run is not clean, one line each; empty when it is. */
export function runProblems(facts: {
  refused: PublishOutcome['refused'];
  deadLettered: readonly DeadLetter[];
  quarantined: RunOutcome['quarantined'];
  failedDeliveries: number;
  unseen: number;
}): string[] {
  const problems: string[] = [];
  for (const entry of facts.refused) problems.push(`PutEvents refused ${entry.origin}: ${entry.errorCode} ${entry.errorMessage}`);
  for (const letter of facts.deadLettered) problems.push(`dead-lettered from ${letter.queue}: ${letter.reason}`);
  for (const event of facts.quarantined) problems.push(`quarantined (${event.reason}): ${event.problems}`);
  if (facts.failedDeliveries > 0) problems.push(`${facts.failedDeliveries} bus deliveries failed (see the log above)`);
  // A dead letter already explains an event the processor never finished.
  if (facts.unseen > 0 && facts.deadLettered.length === 0) problems.push(`${facts.unseen} accepted event(s) were never seen by the processor`);
  return problems;
}
