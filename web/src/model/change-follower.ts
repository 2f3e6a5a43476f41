/**
 * Follows the change feed the way the README tells tools to: page to the end, then ask again with
 * `since` the last `recordedAt` and skip the ids already seen (several changes can share an
 * instant, and `since` is inclusive). Each call of `poll` answers only what is new.
 */
import type { ChangeItem, ChangesPage } from '../api/types.ts';

export type FetchPage = (query: { since?: string; cursor?: string; limit: string }) => Promise<ChangesPage>;

/** A bound on one poll, so a follower far behind catches up over several polls instead of one long one. */
const MAX_PAGES_PER_POLL = 50;

export class ChangeFollower {
  private since: string | undefined;
  /** The ids seen at `since`, the one instant a later page can repeat. */
  private seenAtSince = new Set<string>();

  constructor(private readonly fetchPage: FetchPage) {}

  async poll(): Promise<ChangeItem[]> {
    const fresh: ChangeItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page += 1) {
      const answer = await this.fetchPage({
        ...(this.since === undefined ? {} : { since: this.since }),
        ...(cursor === undefined ? {} : { cursor }),
        limit: '100',
      });
      for (const change of answer.changes) {
        if (change.recordedAt === this.since && this.seenAtSince.has(change.changeId)) continue;
        fresh.push(change);
      }
      if (answer.nextCursor === null) break;
      cursor = answer.nextCursor;
    }
    this.advance(fresh);
    return fresh;
  }

  private advance(fresh: readonly ChangeItem[]): void {
    for (const change of fresh) {
      if (this.since === undefined || change.recordedAt > this.since) {
        this.since = change.recordedAt;
        this.seenAtSince = new Set();
      }
      if (change.recordedAt === this.since) this.seenAtSince.add(change.changeId);
    }
  }
}

/** The issues whose matrix a batch of changes may have moved, and whether the alert feed did. */
export const affected = (changes: readonly ChangeItem[]): { issues: Set<string>; alerts: boolean; registry: boolean } => ({
  issues: new Set(changes.flatMap((change) => (change.issue === null ? [] : [change.issue]))),
  alerts: changes.some((change) => change.kind.startsWith('divergence-') || change.kind.startsWith('statement-') || change.kind === 'position-changed'),
  registry: changes.some((change) => change.kind === 'registry-changed'),
});
