/**
 * What a tracker table must equal: the said-time replay of its own history. The standing episodes
 * and the open pointers are compared; withdrawn episodes are the trace of an out-of-order delivery.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { targetOf } from '../../functions/application/episode-plan.ts';
import { replayIssue } from '../../functions/core/tracker.ts';
import type { Registry, StatementRecord } from '../../functions/core/types.ts';
import { readTableState } from './tracker-table.ts';

const byId = <T>(key: (item: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export const storeAndReplay = async (client: DynamoDBClient, tableName: string, registry: Registry) => {
  const table = await readTableState(client, tableName);
  const byIssue = new Map<string, StatementRecord[]>();
  for (const statement of table.history) byIssue.set(statement.issue, [...(byIssue.get(statement.issue) ?? []), statement]);
  const targets = [...byIssue].map(([issue, history]) => targetOf(replayIssue(issue, history, registry)));
  const episodeKey = (e: { episode: { episodeId: string } }) => e.episode.episodeId;
  const shape = (e: { status: string; episode: { episodeId: string }; evidenceRefs: unknown }) =>
    ({ status: e.status, episode: e.episode, evidenceRefs: e.evidenceRefs });
  return {
    stored: {
      episodes: table.episodes.filter((e) => e.status !== 'withdrawn').sort(byId(episodeKey)).map(shape),
      pointers: [...table.pointers].sort(byId((p) => p.divergenceId)),
    },
    replayed: {
      episodes: targets.flatMap((t) => [...t.episodes.values()]).sort(byId(episodeKey)).map(shape),
      pointers: targets.flatMap((t) => [...t.pointers.values()]).sort(byId((p) => p.divergenceId)),
    },
  };
};
