/**
 * A restatement: a statement that becomes its actor's current position with the stance (and hedge)
 * of the position it replaces. Nine statements in ten are restatements in a newsroom's stream, and
 * most of them cannot change whether any divergence of their issue is open, so the write path can
 * record them without reading and re-evaluating the issue (application/record-statement.ts).
 */
import { hasDatedMembership } from './blocs.ts';
import { REVERSAL_THRESHOLD } from './divergence.ts';
import { watchesFor } from './registry.ts';
import type { Position, Registry, StatementRecord } from './types.ts';

/**
 * Whether making `statement` current in place of `replaced` leaves every divergence of its issue
 * diverged exactly when it was, at every said time from then on. Divergences are functions of the
 * stances (watches and blocs) and of each actor's current and previous stance (reversals), and of
 * the said time only through dated bloc memberships and the issue's closing date. So it holds when:
 *  - the stance and the hedge are those of the position replaced;
 *  - the actor's reversal was not diverged before (it becomes current against previous, now equal,
 *    a gap of 0; a diverged reversal closes);
 *  - no bloc watched on the issue has dated members (a later said time can cross a membership
 *    date). The issue's closing date needs no check: after it, nothing opens or closes anyway.
 * The issue must have been settled before (nothing pending): a statement that crashed before it
 * committed its transitions is redelivered and settles them, in order or by replay.
 */
export const changesNoDivergence = (statement: StatementRecord, replaced: Position | undefined, registry: Registry): boolean => {
  if (replaced === undefined || replaced.actor !== statement.actor || replaced.issue !== statement.issue) return false;
  if (replaced.stance !== statement.stance || replaced.hedged !== statement.hedged) return false;
  if (replaced.previous !== undefined && Math.abs(replaced.stance - replaced.previous.stance) >= REVERSAL_THRESHOLD) return false;
  return watchesFor(registry, statement.issue).every((watch) => {
    const bloc = registry.blocs.get(watch.bloc);
    return bloc === undefined || !hasDatedMembership(bloc);
  });
};
