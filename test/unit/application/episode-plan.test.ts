/**
 * The replay plan on plain data: a store modelled in memory (episodes, pointers, alerts, with the
 * repository's write conditions), brought to what a replay says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmptyPlan, planReplay, targetOf, type ReplayPlan } from '../../../functions/application/episode-plan.ts';
import type { AlertEntry, AlertRecord, OpenPointer, StoredEpisode } from '../../../functions/application/ports.ts';
import { alertId, correctionAlertId, divergenceId } from '../../../functions/core/ids.ts';
import { replayIssue, type IssueReplay } from '../../../functions/core/tracker.ts';
import type { Registry, StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, makeRegistry, said } from '../core/helpers.ts';
import { RUNS, scenarioArb } from '../core/timeline-arbitraries.ts';

const registry = makeRegistry({ blocs: { allies: ['france', 'uk', 'germany'] }, watches: [{ actor: 'russia', bloc: 'allies' }] });
const RUSSIA_VS_ALLIES = divergenceId('actor-vs-bloc', ISSUE, 'russia', 'allies');
const RECORDED_AT = '2026-03-01T00:00:00.000Z';

interface StoreModel {
  episodes: Map<string, StoredEpisode>;
  pointers: Map<string, OpenPointer>;
  alerts: Map<string, AlertRecord>;
  /** Every alert told to subscribers, in the order it was pushed. */
  pushed: AlertRecord[];
}

const emptyStore = (): StoreModel => ({ episodes: new Map(), pointers: new Map(), alerts: new Map(), pushed: [] });

const entriesOf = (store: StoreModel): AlertEntry[] =>
  [...store.alerts.values()].map(({ alertId, episodeId, transition, pushed }) => ({ alertId, episodeId, transition, pushed }));

/** The plan that brings `store` to the replay of `history`, made as the replay round makes it. */
const planFor = (store: StoreModel, history: readonly StatementRecord[] | IssueReplay, cause: StatementRecord, reg: Registry = registry): ReplayPlan =>
  planReplay({
    replay: Array.isArray(history) ? replayIssue(cause.issue, history, reg) : (history as IssueReplay),
    stored: [...store.episodes.values()],
    snapshot: { issue: cause.issue, positions: new Map(), open: new Map(store.pointers), outbox: [] },
    recorded: entriesOf(store),
    cause,
    recordedAt: RECORDED_AT,
  });

/** Carries a plan out as the repository would, failing loudly where one of its conditions would fail. */
const applyPlan = (store: StoreModel, plan: ReplayPlan): void => {
  for (const alert of plan.alerts) {
    const have = store.alerts.get(alert.alertId);
    if (have !== undefined && (have.pushed || !alert.pushed)) continue;
    store.alerts.set(alert.alertId, have === undefined ? alert : { ...alert, recordedAt: have.recordedAt });
    if (alert.pushed) store.pushed.push(alert);
  }
  for (const alert of plan.revisions) {
    if (!store.alerts.has(alert.alertId)) throw new Error(`revision of ${alert.alertId}, never recorded`);
    const { recordedAt, pushed } = store.alerts.get(alert.alertId)!;
    store.alerts.set(alert.alertId, { ...alert, recordedAt, pushed } as AlertRecord);
  }
  for (const write of plan.episodes) {
    const have = store.episodes.get(write.episode.episode.episodeId);
    if (write.type === 'create' ? have !== undefined : have?.revision !== write.expectedRevision) {
      throw new Error(`${write.type} of ${write.episode.episode.episodeId} fails its condition`);
    }
    store.episodes.set(write.episode.episode.episodeId, write.episode);
  }
  for (const write of plan.pointers) {
    const divergence = write.type === 'open' ? write.pointer.divergenceId : write.divergenceId;
    const have = store.pointers.get(divergence);
    const expected = write.type === 'open' ? write.replacing : write.episodeId;
    if (have?.episodeId !== expected) throw new Error(`${write.type} of pointer ${divergence} fails its condition`);
    if (write.type === 'open') store.pointers.set(divergence, write.pointer);
    else store.pointers.delete(divergence);
  }
};

/** A store that recorded `history` in said order, each statement's plan carried out. */
const storeOf = (history: readonly StatementRecord[]): StoreModel => {
  const store = emptyStore();
  history.forEach((statement, i) => applyPlan(store, planFor(store, history.slice(0, i + 1), statement)));
  return store;
};

const summary = (plan: ReplayPlan) => ({
  alerts: plan.alerts.map((a) => [a.transition, a.alertId, a.pushed ? 'pushed' : 'recorded']),
  revisions: plan.revisions.map((a) => [a.transition, a.alertId]),
  episodes: plan.episodes.map((w) => [w.type, w.episode.episode.openedBy, w.episode.status, w.episode.revision]),
  pointers: plan.pointers.map((w) => (w.type === 'open' ? ['open', w.pointer.openedBy, w.replacing] : ['close', w.episodeId])),
});

const episodeOf = (store: StoreModel, openedBy: string): string =>
  [...store.episodes.values()].find((e) => e.episode.openedBy === openedBy)!.episode.episodeId;

describe('planReplay', () => {
  it('withdraws, with a correction alert, an episode that a statement said earlier prevented', () => {
    // Prepare
    const inTime = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru1', actor: 'russia', stance: -1, at: 2 })];
    const store = storeOf(inTime);
    const late = said({ id: 'de1', actor: 'germany', stance: -1, at: 1 });
    const episode = episodeOf(store, 'ru1');

    // Act
    const plan = planFor(store, [...inTime, late], late);

    // Assess
    expect(summary(plan)).toEqual({
      alerts: [['withdrawn', correctionAlertId(episode, 'withdrawn', 1), 'pushed']],
      revisions: [],
      episodes: [['replace', 'ru1', 'withdrawn', 1]],
      pointers: [['close', episode]],
    });
    expect(plan.alerts[0]).toMatchObject({ detailType: 'Positions Converged', detail: { closedAt: late.saidAt, episodeId: episode } });
    expect(plan.episodes[0]?.episode.withdrawnReason).toMatch(/after statement de1/);
  });

  it('reinstates, with a correction alert, a closed episode that is open again, and revises its opening', () => {
    // Prepare
    const inTime = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 1 }),
      said({ id: 'de1', actor: 'germany', stance: -1, at: 3 }),
    ];
    const store = storeOf(inTime);
    const late = said({ id: 'uk1', actor: 'uk', stance: 2, at: 2 });
    const episode = episodeOf(store, 'ru1');

    // Act
    const plan = planFor(store, [...inTime, late], late);

    // Assess
    expect(store.episodes.get(episode)?.status).toBe('closed');
    expect(summary(plan)).toEqual({
      alerts: [['reinstated', correctionAlertId(episode, 'reinstated', 1), 'pushed']],
      revisions: [['opened', alertId(episode, 'opened')]],
      episodes: [['replace', 'ru1', 'open', 1]],
      pointers: [['open', 'ru1', undefined]],
    });
  });

  it('records, without pushing, the opening and the closing of an episode that happened entirely in the past', () => {
    // Prepare
    const inTime = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru2', actor: 'russia', stance: 1, at: 2 })];
    const store = storeOf(inTime);
    const late = said({ id: 'ru1', actor: 'russia', stance: 0, at: 1 });

    // Act
    const plan = planFor(store, [...inTime, late], late);

    // Assess
    const [created] = plan.episodes;
    const episode = created!.episode.episode.episodeId;
    expect(summary(plan)).toEqual({
      alerts: [['opened', alertId(episode, 'opened'), 'recorded'], ['closed', alertId(episode, 'closed'), 'recorded']],
      revisions: [],
      episodes: [['create', 'ru1', 'closed', 0]],
      pointers: [],
    });
    expect(plan.alerts[0]?.detail).toMatchObject({ divergenceId: RUSSIA_VS_ALLIES, actorStance: 0, gap: 2 });
  });

  it('reinstates an episode withdrawn before when a later delivery brings it back', () => {
    // Prepare: withdrawn by Germany's late opposition, back once the UK's support is known too.
    const inTime = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru1', actor: 'russia', stance: -1, at: 20 })];
    const de1 = said({ id: 'de1', actor: 'germany', stance: -1, at: 5 });
    const store = storeOf(inTime);
    applyPlan(store, planFor(store, [...inTime, de1], de1));
    const uk1 = said({ id: 'uk1', actor: 'uk', stance: 2, at: 10 });
    const episode = episodeOf(store, 'ru1');

    // Act
    const plan = planFor(store, [...inTime, de1, uk1], uk1);

    // Assess
    expect(store.episodes.get(episode)?.status).toBe('withdrawn');
    expect(summary(plan)).toEqual({
      alerts: [['reinstated', correctionAlertId(episode, 'reinstated', 2), 'pushed']],
      revisions: [['opened', alertId(episode, 'opened')]],
      episodes: [['replace', 'ru1', 'open', 2]],
      pointers: [['open', 'ru1', undefined]],
    });
  });

  it('revises in place, announcing nothing, the alerts of an episode whose evidence a late statement adds to', () => {
    // Prepare
    const inTime = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: 0, at: 1 }),
      said({ id: 'ru2', actor: 'russia', stance: 1, at: 3 }),
    ];
    const store = storeOf(inTime);
    const late = said({ id: 'uk1', actor: 'uk', stance: 2, at: 2 });
    const episode = episodeOf(store, 'ru1');

    // Act
    const plan = planFor(store, [...inTime, late], late);

    // Assess
    expect(summary(plan)).toEqual({
      alerts: [],
      revisions: [['opened', alertId(episode, 'opened')], ['closed', alertId(episode, 'closed')]],
      episodes: [['replace', 'ru1', 'closed', 0]],
      pointers: [],
    });
    expect(plan.episodes[0]?.episode.episode.evidence.other).toEqual(['fr1', 'uk1']);
  });

  it('points the divergence at the episode the replay has open, replacing the one stored', () => {
    // Prepare: Russia's earlier, sharper opposition comes in late; the divergence opened with it.
    const inTime = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru1', actor: 'russia', stance: 0, at: 10 })];
    const store = storeOf(inTime);
    const late = said({ id: 'ru0', actor: 'russia', stance: -1, at: 5 });
    const stored = episodeOf(store, 'ru1');

    // Act
    const plan = planFor(store, [...inTime, late], late);

    // Assess
    const created = plan.episodes.find((w) => w.type === 'create')!.episode.episode.episodeId;
    expect(summary(plan)).toEqual({
      alerts: [['opened', alertId(created, 'opened'), 'pushed'], ['withdrawn', correctionAlertId(stored, 'withdrawn', 1), 'pushed']],
      revisions: [],
      episodes: [['create', 'ru0', 'open', 0], ['replace', 'ru1', 'withdrawn', 1]],
      pointers: [['open', 'ru0', stored]],
    });
  });

  it('is empty for a store that holds what the replay says', () => {
    // Prepare
    const history = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru1', actor: 'russia', stance: 0, at: 10 })];
    const store = storeOf(history);

    // Act
    const plan = planFor(store, history, history[1]!);

    // Assess
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan).toEqual({ alerts: [], revisions: [], episodes: [], pointers: [] });
  });

  it('brings the store to the replay in one plan per delivery, whatever the order and repeats, recording every alert of the replay', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry: reg, statements, delivered }) => {
        // Prepare
        const stores = new Map<string, StoreModel>();
        const histories = new Map<string, StatementRecord[]>();

        // Act: each delivery replans its issue from what the store holds.
        for (const statement of delivered) {
          const store = stores.get(statement.issue) ?? emptyStore();
          const history = [...(histories.get(statement.issue) ?? []), statement];
          const replay = replayIssue(statement.issue, history, reg);
          applyPlan(store, planFor(store, replay, statement));
          stores.set(statement.issue, store);
          histories.set(statement.issue, history);

          // Assess: one plan is enough; the next one has nothing to do.
          expect(isEmptyPlan(planFor(store, replay, statement))).toBe(true);
        }

        // Assess
        for (const [issue, store] of stores) {
          const replay = replayIssue(issue, statements.filter((s) => s.issue === issue), reg);
          const target = targetOf(replay);
          const standing = [...store.episodes.values()].filter((e) => e.status !== 'withdrawn');
          // Revisions count the corrections on the way, which the target knows nothing of.
          const content = (e: StoredEpisode) => [e.episode.episodeId, { status: e.status, episode: e.episode, evidenceRefs: e.evidenceRefs }] as const;
          expect(new Map(standing.map(content))).toEqual(new Map([...target.episodes.values()].map(content)));
          expect(store.pointers).toEqual(target.pointers);
          for (const transition of replay.transitions) {
            if (transition.type !== 'evidence') expect(store.alerts.has(transition.alertId)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });
});
