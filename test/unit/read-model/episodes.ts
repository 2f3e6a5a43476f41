/** Stored episodes for the read steps' tests: Russia against the allies on the core issue. */
import type { StoredEpisode } from '../../../functions/application/ports.ts';
import type { StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE } from '../core/helpers.ts';

const refOf = (s: StatementRecord) => ({ issue: s.issue, actor: s.actor, saidAt: s.saidAt, statementId: s.statementId });

/** Opened by the first of `actorSide`, with both sides' statements as its evidence. */
export const episodeOn = (id: string, actorSide: StatementRecord[], otherSide: StatementRecord[], status: StoredEpisode['status'] = 'open'): StoredEpisode => ({
  episode: {
    episodeId: id,
    divergenceId: `actor-vs-bloc:${ISSUE}:russia:allies`,
    kind: 'actor-vs-bloc',
    issue: ISSUE,
    actor: 'russia',
    bloc: 'allies',
    threshold: 2,
    openedBy: actorSide[0]!.statementId,
    openedAt: actorSide[0]!.saidAt,
    actorStance: -2,
    otherStance: 2,
    gap: 4,
    evidence: { actor: actorSide.map((s) => s.statementId), other: otherSide.map((s) => s.statementId) },
  },
  status,
  revision: 0,
  evidenceRefs: { actor: actorSide.map(refOf), other: otherSide.map(refOf) },
});

