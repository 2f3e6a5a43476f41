/**
 * Refreshing the feeds for graphics desks: for each issue a batch of changes touched, its files are
 * rebuilt whole from the read model (so a late, repeated or reordered change is harmless: each write
 * reflects the store as it is), then the files across issues (the all-issues matrix and the index).
 * An issue that is not published gets no files, and loses any it had: publication is checked on
 * every write, so unpublishing takes effect with the issue's next change and the index drops it at
 * once.
 */
import type { IssueId, Registry } from '../core/types.ts';
import {
  allIssuesMatrixCsv, csvFile, feedIndex, feedKeys, issueFeedFiles, issueFeedKeys, jsonFile, publishedIssues, type FeedFile,
} from './feed-files.ts';
import type { PositionReader } from './read-model.ts';

/** Where the feeds live: a folder locally, the feeds bucket under the stage's token in AWS. */
export interface FeedStore {
  put(file: FeedFile): Promise<void>;
  /** Removing a file that is not there is not an error. */
  remove(key: string): Promise<void>;
}

export interface FeedDeps {
  reader: Pick<PositionReader, 'registry' | 'issueMatrix' | 'issueTimeline'>;
  store: FeedStore;
  /** Where the feeds' root is served, for the URLs of the index. */
  baseUrl: string;
  now: () => Date;
}

export type IssueFeedWrite = 'written' | 'removed';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface FeedRefresh {
  issues: Array<{ issue: IssueId; outcome: Settled<IssueFeedWrite> }>;
  index: Settled<number>;
}

const settle = async <T>(work: () => Promise<T>): Promise<Settled<T>> => {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
};

/** Writes the issue's files when it is published, removes them when it is not. */
export const writeIssueFeeds = async (deps: FeedDeps, registry: Registry, issue: IssueId, updatedAt: string): Promise<IssueFeedWrite> => {
  const found = registry.issues.get(issue);
  if (found?.published !== true) {
    await Promise.all(issueFeedKeys(issue).map((key) => deps.store.remove(key)));
    return 'removed';
  }
  const [matrix, timeline] = await Promise.all([deps.reader.issueMatrix(issue), deps.reader.issueTimeline(issue)]);
  const files = issueFeedFiles({ issue: found, matrix, timeline: timeline.statements, registry, updatedAt });
  await Promise.all(files.map((file) => deps.store.put(file)));
  return 'written';
};

/** The all-issues matrix, then the index that lists it (so nothing listed is missing); the number of issues listed. */
export const writeFeedIndex = async (deps: FeedDeps, registry: Registry, updatedAt: string): Promise<number> => {
  const issues = publishedIssues(registry);
  const matrices = await Promise.all(issues.map((issue) => deps.reader.issueMatrix(issue.id)));
  await deps.store.put(csvFile(feedKeys.allIssuesMatrix, allIssuesMatrixCsv(matrices, registry)));
  await deps.store.put(jsonFile(feedKeys.index, feedIndex(issues, deps.baseUrl, updatedAt)));
  return issues.length;
};

/**
 * One write per issue touched (with `everyPublished`, every published issue too: after the token
 * is rotated, or on a fresh folder), then the files across issues. Each outcome stands on its own,
 * so one failure fails only its triggers.
 */
export const refreshFeeds = async (deps: FeedDeps, issues: readonly IssueId[], { everyPublished = false } = {}): Promise<FeedRefresh> => {
  const registry = await deps.reader.registry();
  const updatedAt = deps.now().toISOString();
  const touched = new Set([...(everyPublished ? publishedIssues(registry).map((issue) => issue.id) : []), ...issues]);
  const written = await Promise.all(
    [...touched].map(async (issue) => ({ issue, outcome: await settle(() => writeIssueFeeds(deps, registry, issue, updatedAt)) })),
  );
  return { issues: written, index: await settle(() => writeFeedIndex(deps, registry, updatedAt)) };
};
