/**
 * Evidence while open: the alert feed shows every statement that has kept an open divergence open
 * so far, read from history as the closing will gather it, and leaves closed episodes as stored.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEpisode } from '../../../functions/application/ports.ts';
import { alerts } from '../../../functions/application/read-feeds.ts';
import type { Position, StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, makeRegistry, said } from '../core/helpers.ts';
import { episodeOn } from './episodes.ts';
import { memoryStore } from './memory-store.ts';

const OTHER_ISSUE = 'ceasefire-before-peace-deal';
const registry = makeRegistry({
  issues: [ISSUE, OTHER_ISSUE],
  actors: ['russia', 'germany', 'france', 'poland'],
  blocs: { allies: ['germany', 'france'] },
});

const germans = [0, 1, 2].map((i) => said({ id: `de-${i}`, actor: 'germany', stance: 2, at: i }));
const opening = said({ id: 'ru-0', actor: 'russia', stance: -2, at: 5 });
const history: StatementRecord[] = [
  ...germans,
  opening,
  said({ id: 'de-3', actor: 'germany', stance: 2, at: 4 }),
  said({ id: 'ru-1', actor: 'russia', stance: -2, at: 7 }),
  said({ id: 'fr-0', actor: 'france', stance: 1, at: 8 }),
  said({ id: 'pl-0', actor: 'poland', stance: 2, at: 9 }),
  said({ id: 'ru-other', actor: 'russia', stance: 2, at: 10, issue: OTHER_ISSUE }),
];

const positionOf = (s: StatementRecord): Position => ({ issue: s.issue, actor: s.actor, stance: s.stance, hedged: s.hedged, saidAt: s.saidAt, statementId: s.statementId });
const byId = (id: string) => history.find((s) => s.statementId === id)!;
const positions = ['de-3', 'ru-1', 'fr-0', 'pl-0', 'ru-other'].map((id) => positionOf(byId(id)));

const episodeOf = (status: StoredEpisode['status']): StoredEpisode => episodeOn(`ep-${status}`, [opening], germans, status);

describe('evidence while open', () => {
  it("adds every statement of the actor and of the bloc's other members said since the opening, latest first", async () => {
    // Prepare
    const { context } = memoryStore({ registry, history, positions, episodes: [episodeOf('open')] });

    // Act
    const [alert] = (await alerts(context, { limit: 10 })).alerts;

    // Assess: Poland is no member, Germany's de-3 was said before the opening, ru-other is on another issue.
    expect(alert?.evidence.actor.map((e) => e.statementId)).toEqual(['ru-1', 'ru-0']);
    expect(alert?.evidence.other.map((e) => e.statementId)).toEqual(['fr-0', 'de-2', 'de-1', 'de-0']);
  });

  it('leaves a closed episode with the evidence it closed with', async () => {
    const { context } = memoryStore({ registry, history, positions, episodes: [episodeOf('closed')] });
    const [alert] = (await alerts(context, { limit: 10 })).alerts;
    expect(alert?.evidence.actor.map((e) => e.statementId)).toEqual(['ru-0']);
    expect(alert?.evidence.other.map((e) => e.statementId)).toEqual(['de-2', 'de-1', 'de-0']);
  });
});
