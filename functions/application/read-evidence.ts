/**
 * Evidence while open: an open episode is stored as it opened, and the statements that keep it
 * open are in history until it closes. The alert feed reads them at read time, exactly as the
 * closing will gather them (episode-plan.ts `evidenceAtClose`): the actor's and the other side's
 * statements said since the opening, in said order. Only actors whose current position is later
 * than the opening can have said any, so only their history is read; the response budget
 * (`fitAlert`) then keeps the latest of them and counts the rest.
 */
import { compareSaid, refOf, type SaidKey } from '../core/positions.ts';
import type { ActorId, IssueId, Position, Registry } from '../core/types.ts';
import { evidenceAtClose, otherSideActors } from './episode-plan.ts';
import type { StatementRef, StoredEpisode } from './ports.ts';
import type { ReadStore, ShownStatement } from './read-store.ts';

/** Statements read per call while walking an actor's history since an opening. */
const WINDOW_PAGE = 100;

const saidSince = async (store: ReadStore, actor: ActorId, issue: IssueId, after: SaidKey): Promise<ShownStatement[]> => {
  const found: ShownStatement[] = [];
  for (let from = after; ; ) {
    const page = await store.actorHistory(actor, [issue], { after: from, limit: WINDOW_PAGE });
    found.push(...page);
    const last = page.at(-1);
    if (page.length < WINDOW_PAGE || last === undefined) return found;
    from = last;
  }
};

/**
 * The episodes with every statement said since each open one opened as evidence, and those
 * statements by id (so the caller loads only the rest). Closed and withdrawn episodes are as stored.
 */
export const withEvidenceSoFar = async (
  store: ReadStore,
  registry: Registry,
  episodes: readonly StoredEpisode[],
): Promise<{ episodes: StoredEpisode[]; statements: ShownStatement[] }> => {
  const positionsOf = new Map<IssueId, Promise<Position[]>>();
  const read: ShownStatement[] = [];
  const completed = await Promise.all(
    episodes.map(async (stored) => {
      if (stored.status !== 'open') return stored;
      const { episode } = stored;
      const after = { saidAt: episode.openedAt, statementId: episode.openedBy };
      if (!positionsOf.has(episode.issue)) positionsOf.set(episode.issue, store.issuePositions(episode.issue));
      const positions = new Map((await positionsOf.get(episode.issue)!).map((p) => [p.actor, p]));
      const speakers = [episode.actor, ...otherSideActors(episode, registry)].filter((actor) => {
        const position = positions.get(actor);
        return position !== undefined && compareSaid(position, after) > 0;
      });
      const window = (await Promise.all(speakers.map((actor) => saidSince(store, actor, episode.issue, after)))).flat();
      read.push(...window);
      const evidence = evidenceAtClose(stored, window.map(refOf), registry);
      const refsOf = (ids: readonly string[]): StatementRef[] => ids.flatMap((id) => evidence.refs.get(id) ?? []);
      return {
        ...stored,
        episode: { ...episode, evidence: evidence.ids },
        evidenceRefs: { actor: refsOf(evidence.ids.actor), other: refsOf(evidence.ids.other) },
      };
    }),
  );
  return { episodes: completed, statements: read };
};
