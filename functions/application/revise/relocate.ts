/**
 * The history item made what the set of revisions kept says, at the place its effective record
 * names. The statement is looked for at every place it can have held (`possiblePlaces`: which
 * subset of its revisions it was last written under depends on arrival), and the most revised copy
 * found is what the revisions apply to: its `original`. The statement is then written at its
 * effective place and every other place it had, the ones found and those its revisions pass
 * through in their order, points there (the adapter writes the statement first, the pointers after).
 */
import { possiblePlaces } from '../../core/corrections.ts';
import { canonicalJson } from '../../core/ids.ts';
import type { ActorId, IssueId, StatementRef } from '../../core/types.ts';
import type { HistoryPlace, RecordedStatement, RevisedStatement, TrackerRepository } from '../ports.ts';
import { revisedPlaces, revisedStatement } from './revised-statement.ts';

export interface Relocated {
  revised: RevisedStatement;
  /** Every place the statement touched, each once; its effective place last. */
  places: StatementRef[];
}

const mostRevised = (places: readonly HistoryPlace[]): RecordedStatement | undefined =>
  places
    .flatMap((place) => (place.state === 'recorded' ? [place.recorded] : []))
    .reduce<RecordedStatement | undefined>((best, next) => (best === undefined || next.revisions > best.revisions ? next : best), undefined);

const distinct = <T>(values: readonly T[]): T[] => [...new Map(values.map((value) => [canonicalJson(value), value])).values()];

/** `undefined` while the statement is claimed but not yet in history (its own delivery is under way). */
export const relocateRecord = async (
  tracker: Pick<TrackerRepository, 'loadRevisions' | 'loadPlaces' | 'relocateStatement' | 'redactRevisions' | 'redactQuarantined'>,
  claimed: StatementRef,
): Promise<Relocated | undefined> => {
  const revisions = await tracker.loadRevisions(claimed.statementId);
  const held = await tracker.loadPlaces(possiblePlaces(claimed, revisions));
  const found = mostRevised(held);
  if (found === undefined) return undefined;
  const revised = revisedStatement(found.original, revisions);
  const path = revisedPlaces(found.original, revisions);
  const effective = path.at(-1)!;
  const others = distinct([...held.map((place) => place.ref), ...path]).filter((ref) => canonicalJson(ref) !== canonicalJson(effective));
  // False means a concurrent application read a later set of revisions: it writes what stands.
  await tracker.relocateStatement(revised, others);
  if (revised.effective.redacted) {
    await tracker.redactRevisions(revisions);
    await tracker.redactQuarantined(claimed.statementId);
  }
  return { revised, places: [...others, effective] };
};

/** Every (issue, actor) position the statement counted for or counts for now. */
export const touchedPositions = (places: readonly StatementRef[]): Array<{ issue: IssueId; actor: ActorId }> =>
  distinct(places.map(({ issue, actor }) => ({ issue, actor })));

/** Every issue the statement touched, with its latest place on it: the issue it stands on now comes last. */
export const touchedIssues = (places: readonly StatementRef[]): Map<IssueId, StatementRef> => {
  const byIssue = new Map<IssueId, StatementRef>();
  for (const place of places) {
    byIssue.delete(place.issue);
    byIssue.set(place.issue, place);
  }
  return byIssue;
};
