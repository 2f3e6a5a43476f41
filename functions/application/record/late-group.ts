/**
 * Late statements of one issue in one batch share one replay. Each late statement alone would
 * replay the issue's whole history (reads that grow with it), so a back-fill delivered in batches
 * of ten replays a tenth as often. Every one of them is written (claim, history, position) before
 * the replay reads, as a lone statement is, so the crash argument is unchanged: a failure fails
 * every message of the group, and each redelivery is a late statement again (or a duplicate, which
 * settles alone). The replay leaves what the whole history implies; intermediate states, which a
 * statement-by-statement replay would announce and then withdraw, are never told.
 */
import { compareSaid } from '../../core/positions.ts';
import { DEFAULT_MAX_ROUNDS, type RecordOutcome, type RecordStatementDeps, type WrittenStatement } from '../record-statement.ts';
import type { OutboundEvent } from '../ports.ts';
import type { Registry } from '../../core/types.ts';
import { AlertLedger } from './alert-ledger.ts';
import { positionChangedEvent } from './alert-records.ts';
import { publishAlerts } from './publish-outbox.ts';
import { settleByReplay } from './settle.ts';
import { recordStatementChanges, statementChangeOf } from './statement-change.ts';

const NO_ALERTS = { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 };

/**
 * One replay for `late` (one issue, said order), then each statement's change entry, and one
 * publication: their Position Changed events (a late statement is rarely still current) and the
 * outbox. The group's alerts and publications are counted on its first statement, the cause the
 * replay names.
 */
export const settleLateGroup = async (deps: RecordStatementDeps, late: readonly WrittenStatement[], registry: Registry): Promise<RecordOutcome[]> => {
  const { tracker, publisher, clock, maxRounds = DEFAULT_MAX_ROUNDS } = deps;
  const cause = (late[0] as WrittenStatement).statement;
  const ledger = new AlertLedger(tracker, cause.issue);
  const { snapshot, rounds } = await settleByReplay({ tracker, clock, registry, statement: cause, ledger }, maxRounds);
  const events: OutboundEvent[] = late.flatMap(({ statement }) => positionChangedEvent(statement, snapshot.positions.get(statement.actor)) ?? []);
  // First claims' entries together, as a batch's quiet restatements' go (recordStatementChanges).
  const entries = late.map(({ statement, first }) => ({ first, statementId: statement.statementId, change: statementChangeOf(statement, snapshot.positions.get(statement.actor), clock.now()) }));
  const [, published] = await Promise.all([
    recordStatementChanges(tracker, entries),
    publishAlerts({ tracker, publisher, ledger, issue: cause.issue }, snapshot, events),
  ]);
  return late.map(({ statement, history, advance }, i) => ({
    statementId: statement.statementId,
    issue: statement.issue,
    actor: statement.actor,
    history,
    position: advance?.write ?? 'unchanged',
    late: snapshot.watermark === undefined || compareSaid(statement, snapshot.watermark) < 0,
    replayed: true,
    rounds,
    alerts: i === 0 ? ledger.counts : NO_ALERTS,
    published: i === 0 ? published : 0,
  }));
};
