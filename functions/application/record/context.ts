/** What every step of recording one statement works with. */
import type { Registry, StatementRecord } from '../../core/types.ts';
import type { Clock, StoredIssueState, RevisionCause, StatementRef, TrackerRepository } from '../ports.ts';
import type { AlertLedger } from './alert-ledger.ts';

export interface RecordContext {
  tracker: TrackerRepository;
  clock: Clock;
  registry: Registry;
  /** The statement being recorded: the cause of every transition the steps write. */
  statement: StatementRecord;
  ledger: AlertLedger;
  /** Set when a correction or a retraction is the cause: the alerts it withdraws name it. */
  revision?: RevisionCause;
}

/** `known` plus the statements named by `ids` that it lacks, read in one batch through their refs. */
export const statementsFor = async (
  tracker: Pick<TrackerRepository, 'loadStatements'>,
  ids: readonly string[],
  refs: ReadonlyMap<string, StatementRef>,
  known: ReadonlyMap<string, StatementRecord>,
): Promise<Map<string, StatementRecord>> => {
  const found = new Map(known);
  const missing = [...new Set(ids)].filter((id) => !found.has(id));
  const toLoad = missing.flatMap((id) => refs.get(id) ?? []);
  for (const loaded of await tracker.loadStatements(toLoad)) found.set(loaded.statementId, loaded);
  return found;
};

/**
 * What a round of settling left: the snapshot it last read, and what comes next. `settled`: nothing
 * is left to do; `incremental`: evaluate the positions again; `replay`: only a replay of the whole
 * history can tell what stands.
 */
export interface RoundResult {
  snapshot: StoredIssueState;
  next: 'settled' | 'incremental' | 'replay';
}
