/**
 * The desk's dry run: what recording an event would change, computed by the pure core on the
 * issue's record as the processor reads it for a replay (`loadHistory`), with nothing written. The
 * issue is replayed without the event and with it, and the two ends compared: each actor whose
 * stance moves, each divergence that opens or closes. A correction or a retraction is applied in
 * memory to the statement as it reads now; a registry record to the registry, with the issues it
 * can move replayed under both.
 */
import { effectiveStatement, type Revision } from '../../core/corrections.ts';
import { applyRegistryUpdate, affectedIssues, withRegistryDefaults } from '../../core/registry.ts';
import { resolveStatement } from '../../core/resolution.ts';
import { openDivergences, replayIssue } from '../../core/tracker.ts';
import type { Episode, IssueId, Registry, StatementRecord } from '../../core/types.ts';
import type { ParsedEvent } from '../../../events/validation.ts';
import { isInboundEvent, isRegistryEvent, toRegistryUpdate, toReportedStatement } from '../contracts-v1.ts';
import { isRevisionEvent, resolveRevision } from '../corrections-v1.ts';
import type { TrackerRepository } from '../ports.ts';
import { divergenceLabel, summarise, type Effect, type Preview } from './preview-summary.ts';

export type { Effect, Preview } from './preview-summary.ts';

export interface PreviewDeps {
  registry(): Promise<Registry>;
  history: Pick<TrackerRepository, 'loadHistory'>;
}

/** One issue's statements before and after the event, and the registry each side is read with. */
interface IssueChange {
  issue: IssueId;
  before: readonly StatementRecord[];
  after: readonly StatementRecord[];
}

const watchOf = (episode: Episode, registry: Registry): string | null => {
  if (episode.kind === 'reversal') return null;
  const watch = [...registry.watches.values()].find(
    (candidate) => candidate.kind === episode.kind && candidate.bloc === episode.bloc && (episode.kind === 'bloc-split' || candidate.actor === episode.actor),
  );
  return watch?.id ?? null;
};

const effectsOf = ({ issue, before, after }: IssueChange, registries: { before: Registry; after: Registry }): Effect[] => {
  const was = replayIssue(issue, before, registries.before);
  const will = replayIssue(issue, after, registries.after);
  const effects: Effect[] = [];
  const actors = [...new Set([...was.state.positions.keys(), ...will.state.positions.keys()])].sort();
  for (const actor of actors) {
    const from = was.state.positions.get(actor)?.stance ?? null;
    const to = will.state.positions.get(actor)?.stance ?? null;
    if (from !== to) effects.push({ kind: 'position', actor, issue, from, to });
  }
  const openBefore = new Map(openDivergences(was).map((episode) => [episode.divergenceId, episode]));
  const openAfter = new Map(openDivergences(will).map((episode) => [episode.divergenceId, episode]));
  const divergence = (kind: 'divergence-opens' | 'divergence-closes', episode: Episode, registry: Registry): Effect => ({
    kind, watch: watchOf(episode, registry), issue, divergenceId: episode.divergenceId, label: divergenceLabel(episode, registry),
  });
  for (const [id, episode] of openAfter) if (!openBefore.has(id)) effects.push(divergence('divergence-opens', episode, registries.after));
  for (const [id, episode] of openBefore) if (!openAfter.has(id)) effects.push(divergence('divergence-closes', episode, registries.before));
  return effects;
};

const histories = async (deps: PreviewDeps, issues: Iterable<IssueId>): Promise<Map<IssueId, StatementRecord[]>> => {
  const list = [...new Set(issues)].sort();
  const loaded = await Promise.all(list.map((issue) => deps.history.loadHistory(issue)));
  return new Map(list.map((issue, i) => [issue, loaded[i] ?? []]));
};

/** A statement added to its issue; a copy of one already recorded changes nothing. */
const statementChanges = async (statement: StatementRecord, deps: PreviewDeps): Promise<IssueChange[]> => {
  const before = (await histories(deps, [statement.issue])).get(statement.issue) ?? [];
  if (before.some((recorded) => recorded.statementId === statement.statementId)) return [];
  return [{ issue: statement.issue, before, after: [...before, statement] }];
};

/** The revised statement in place of the one it revises, in its issue (and in the issue a correction moves it to). */
const revisionChanges = async (revision: Revision, registry: Registry, deps: PreviewDeps): Promise<IssueChange[] | undefined> => {
  const all = await histories(deps, registry.issues.keys());
  const shown = [...all.values()].flat().find((statement) => statement.statementId === revision.statementId);
  if (shown === undefined) return undefined;
  const effective = revision.kind === 'correction' ? effectiveStatement(shown, [revision]) : effectiveStatement(shown, [], [revision]);
  const revised = effective.status === 'retracted' ? [] : [effective.record];
  const issues = [...new Set([shown.issue, ...revised.map((record) => record.issue)])].sort();
  return issues.map((issue) => {
    const before = all.get(issue) ?? [];
    const kept = before.filter((statement) => statement.statementId !== revision.statementId);
    return { issue, before, after: [...kept, ...revised.filter((record) => record.issue === issue)] };
  });
};

/** Previews a validated event. Throws the core's reference errors (an unknown speaker) for the caller to report. */
export const previewEvent = async (event: ParsedEvent, deps: PreviewDeps): Promise<Preview> => {
  const registry = await deps.registry();
  const same = { before: registry, after: registry };
  if (isInboundEvent(event)) {
    const statement = resolveStatement(toReportedStatement(event), registry);
    const changes = await statementChanges(statement, deps);
    return summarise(changes.flatMap((change) => effectsOf(change, same)), registry, changes.length === 0 ? 'duplicate' : undefined);
  }
  if (isRevisionEvent(event)) {
    const changes = await revisionChanges(resolveRevision(event, registry), registry, deps);
    if (changes === undefined) return summarise([], registry, 'statement-not-recorded');
    return summarise(changes.flatMap((change) => effectsOf(change, same)), registry);
  }
  if (isRegistryEvent(event)) {
    const update = withRegistryDefaults(toRegistryUpdate(event));
    const after = applyRegistryUpdate(registry, update);
    const issues = [...new Set([...affectedIssues(update, registry), ...affectedIssues(update, after)])].filter((issue) => after.issues.has(issue));
    const loaded = await histories(deps, issues);
    const effects = [...loaded].flatMap(([issue, statements]) => effectsOf({ issue, before: statements, after: statements }, { before: registry, after }));
    return summarise(effects, after);
  }
  return summarise([], registry);
};
