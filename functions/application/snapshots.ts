/**
 * Snapshots for graphics: the issue's current matrix as a JSON document, rewritten on every position
 * change, so a graphic can poll one small static file instead of the API.
 */
import type { Matrix, SnapshotLink } from '../api/schemas.ts';
import type { IssueId } from '../core/types.ts';
import type { PositionReader } from './read-model.ts';

/** Where snapshots live: an S3 bucket in AWS, a folder locally. */
export interface SnapshotStore {
  put(issue: IssueId, json: string): Promise<void>;
  /** Where a client can fetch the issue's snapshot, or null when none has been written yet. */
  link(issue: IssueId): Promise<SnapshotLink | null>;
}

export interface Snapshot extends Matrix {
  /** When the snapshot was written (not when anything was said). */
  generatedAt: string;
}

export const snapshotKey = (issue: IssueId): string => `snapshots/${issue}.json`;

/** Writes the current matrix of the issue; returns what was written. */
export const writeIssueSnapshot = async (
  deps: { reader: PositionReader; store: Pick<SnapshotStore, 'put'>; now: () => Date },
  issue: IssueId,
): Promise<Snapshot> => {
  const matrix = await deps.reader.issueMatrix(issue);
  const snapshot: Snapshot = { ...matrix, generatedAt: deps.now().toISOString() };
  await deps.store.put(issue, `${JSON.stringify(snapshot, null, 2)}\n`);
  return snapshot;
};
