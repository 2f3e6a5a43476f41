/**
 * Re-evaluates one issue after a registry change (a watch, a bloc's membership, the issue's own
 * status): its whole history replayed under the registry now in force, the stored episodes and
 * pointers made equal to the replay with the change as their cause, then the alerts that follow
 * published through the outbox like any alert. Idempotent: a redelivery of the change finds the
 * store equal to the replay and publishes only what a crash left in the outbox.
 */
import type { IssueId, Registry } from '../core/types.ts';
import type { RegistryCause } from './episode-plan.ts';
import type { Clock, EventPublisher, TrackerRepository } from './ports.ts';
import { AlertLedger, type AlertCounts } from './record/alert-ledger.ts';
import { publishAlerts } from './record/publish-outbox.ts';
import { replayRound } from './record/replay-round.ts';
import { NotConvergedError } from './record/settle.ts';

export interface ReevaluateIssueDeps {
  tracker: TrackerRepository;
  publisher: EventPublisher;
  clock: Clock;
  /** Replay rounds before giving up with NotConvergedError (the registry message is then retried). */
  maxRounds: number;
}

export interface Reevaluation {
  issue: IssueId;
  rounds: number;
  /** Alerts recorded for the first time by this call. */
  alerts: AlertCounts;
  published: number;
}

export const reevaluateIssue = async (
  { tracker, publisher, clock, maxRounds }: ReevaluateIssueDeps,
  issue: IssueId,
  registry: Registry,
  cause: RegistryCause,
): Promise<Reevaluation> => {
  const ledger = new AlertLedger(tracker, issue);
  for (let rounds = 1; rounds <= maxRounds; rounds += 1) {
    const { snapshot, next } = await replayRound({ tracker, clock, registry, ledger, issue, cause });
    if (next !== 'settled') continue;
    const published = await publishAlerts({ tracker, publisher, ledger, issue }, snapshot);
    return { issue, rounds, alerts: ledger.counts, published };
  }
  throw new NotConvergedError(issue, maxRounds);
};
