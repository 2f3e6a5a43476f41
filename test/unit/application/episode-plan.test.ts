/**
 * The replay plan on plain data: a store modelled in memory (episodes, pointers, alerts, with the
 * repository's write conditions), brought to what a replay says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heardOf, isEmptyPlan, planReplay, targetOf, type ReplayPlan } from '../../../functions/application/episode-plan.ts';
import type { AlertEntry, AlertRecord, OpenPointer, StoredEpisode } from '../../../functions/application/ports.ts';
import { alertId, correctionAlertId, divergenceId } from '../../../functions/core/ids.ts';
import { compareSaid } from '../../../functions/core/positions.ts';
import { isStatusTransition, replayAll, replayIssue, type IssueReplay } from '../../../functions/core/tracker.ts';
import type { Registry, StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, makeRegistry, said } from '../core/helpers.ts';
import { deriveRecord, recordScenarioArb, type Delivery } from '../core/record-arbitraries.ts';
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
  [...store.alerts.values()].map(({ alertId, episodeId, transition, pushed, detail }) => ({ alertId, episodeId, transition, pushed, divergenceId: detail.divergenceId }));

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

  it('points the divergence at the episode the replay has open, replacing the one stored, and tells subscribers nothing: it is open still', () => {
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
      alerts: [['opened', alertId(created, 'opened'), 'recorded'], ['withdrawn', correctionAlertId(stored, 'withdrawn', 1), 'recorded']],
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

describe('what subscribers are told: push the present, record the past', () => {

  type Told = Map<string, ('diverged' | 'converged')[]>;
  const tell = (told: Told, episodeId: string, what: 'diverged' | 'converged') => told.set(episodeId, [...(told.get(episodeId) ?? []), what]);

  /**
   * Every delivery replanned from what the store holds, as the replay round does. Beside it the
   * oracle, from the core's replay alone: a divergence is told open each time it starts standing
   * open at the issue's latest said time after a delivery, and told it ended each time it stops.
   */
  const deliverEach = (delivered: readonly StatementRecord[], reg: Registry): { stores: Map<string, StoreModel>; expected: Told } => {
    const stores = new Map<string, StoreModel>();
    const histories = new Map<string, StatementRecord[]>();
    const expected: Told = new Map();
    const openNow = new Map<string, Set<string>>();
    for (const statement of delivered) {
      const store = stores.get(statement.issue) ?? emptyStore();
      const history = [...(histories.get(statement.issue) ?? []), statement];
      const replay = replayIssue(statement.issue, history, reg);
      const before = openNow.get(statement.issue) ?? new Set();
      const now = new Set(replay.state.open.keys());
      openNow.set(statement.issue, now);
      for (const divergence of now) if (!before.has(divergence)) tell(expected, divergence, 'diverged');
      for (const divergence of before) if (!now.has(divergence)) tell(expected, divergence, 'converged');
      applyPlan(store, planFor(store, replay, statement, reg));
      stores.set(statement.issue, store);
      histories.set(statement.issue, history);
    }
    return { stores, expected };
  };
  const pushedOf = (stores: ReadonlyMap<string, StoreModel>): AlertRecord[] => [...stores.values()].flatMap((store) => store.pushed);

  const told = (pushed: readonly AlertRecord[]): Told => {
    const byDivergence: Told = new Map();
    for (const alert of pushed) tell(byDivergence, alert.detail.divergenceId, alert.detailType === 'Positions Diverged' ? 'diverged' : 'converged');
    return byDivergence;
  };

  // Moves of one step, so no reversal opens on the way: only Russia against the allies.
  it('records an episode that opened and closed before the latest said time, and pushes nothing of it', () => {
    // Prepare: in said order the divergence opens at 1 and closes at 2; Russia's statement at 3 came first.
    const fr0 = said({ id: 'fr0', actor: 'france', stance: -1, at: 0 });
    const ru1 = said({ id: 'ru1', actor: 'russia', stance: 1, at: 1 });
    const ru2 = said({ id: 'ru2', actor: 'russia', stance: 0, at: 2 });
    const ru3 = said({ id: 'ru3', actor: 'russia', stance: 0, at: 3 });

    // Act
    const { stores } = deliverEach([fr0, ru3, ru1, ru2], registry);

    // Assess
    const store = stores.get(ISSUE)!;
    expect(pushedOf(stores)).toEqual([]);
    expect([...store.episodes.values()].map((e) => [e.episode.openedBy, e.status, e.episode.closedBy])).toEqual([['ru1', 'closed', 'ru2']]);
    expect([...store.alerts.values()].map((a) => [a.transition, a.pushed])).toEqual([['opened', false], ['closed', false]]);
  });

  it('pushes the opening of an episode recorded in the past, under its own id, once a late statement keeps it open now', () => {
    // Prepare: the divergence opened at 1 and closed at 2, recorded only.
    const fr0 = said({ id: 'fr0', actor: 'france', stance: -1, at: 0 });
    const ru1 = said({ id: 'ru1', actor: 'russia', stance: 1, at: 1 });
    const ru2 = said({ id: 'ru2', actor: 'russia', stance: 0, at: 2 });
    const store = deliverEach([fr0, ru2, ru1], registry).stores.get(ISSUE)!;
    const episode = episodeOf(store, 'ru1');
    const fr1 = said({ id: 'fr1', actor: 'france', stance: -2, at: 1.5 });

    // Act: France hardened before Russia softened, so the divergence never closed.
    applyPlan(store, planFor(store, [fr0, ru2, ru1, fr1], fr1));

    // Assess
    expect(store.pushed.map((a) => [a.transition, a.alertId])).toEqual([['opened', alertId(episode, 'opened')]]);
    expect(store.pushed[0]?.detail).toMatchObject({ evidence: { actor: [{ statementId: 'ru1' }] } });
    expect(store.episodes.get(episode)?.status).toBe('open');
  });

  it('cannot keep to the in-order count when a delivery makes a divergence open now that the full set never has', () => {
    // Prepare: in said order Russia moves from 1 to 0 before France speaks at -1: never 2 apart.
    const ru0 = said({ id: 'ru0', actor: 'russia', stance: 1, at: 0 });
    const ru1 = said({ id: 'ru1', actor: 'russia', stance: 0, at: 1 });
    const fr2 = said({ id: 'fr2', actor: 'france', stance: -1, at: 2 });

    // Act
    const inOrder = pushedOf(deliverEach([ru0, ru1, fr2], registry).stores);
    const shuffled = pushedOf(deliverEach([ru0, fr2, ru1], registry).stores);

    // Assess: with ru0 and fr2 alone the divergence is open at the latest said time, so any rule
    // that tells the present tells it, and then its withdrawal: one Diverged and one Converged more.
    expect(inOrder).toEqual([]);
    expect(shuffled.map((a) => a.transition)).toEqual(['opened', 'withdrawn']);
  });

  /**
   * The same rule over whole records: statements, corrections (moving ones too), retractions and
   * registry changes. After each delivery every issue is replanned from the record derived so far,
   * as the processor settles every issue a statement, a revision or a registry change touches.
   */
  const deliverRecord = (delivered: readonly Delivery[], issues: readonly string[]): { stores: Map<string, StoreModel>; expected: Told } => {
    const stores = new Map(issues.map((issue) => [issue, emptyStore()]));
    const expected: Told = new Map();
    const openNow = new Map<string, Set<string>>();
    delivered.forEach((delivery, index) => {
      const derived = deriveRecord(delivered.slice(0, index + 1), issues);
      // The statement delivered or revised is the cause, as it stood on each issue (a retracted one is known only so).
      const statementId = delivery.kind === 'statement' ? delivery.statement.statementId : delivery.kind === 'revision' ? delivery.revision.statementId : undefined;
      const touched = statementId === undefined ? undefined : derived.trails[statementId]?.record;
      for (const issue of issues) {
        const replay = derived.replays.get(issue)!;
        const before = openNow.get(issue) ?? new Set();
        const now = new Set(replay.state.open.keys());
        openNow.set(issue, now);
        for (const divergence of now) if (!before.has(divergence)) tell(expected, divergence, 'diverged');
        for (const divergence of before) if (!now.has(divergence)) tell(expected, divergence, 'converged');
        const store = stores.get(issue)!;
        const cause = touched === undefined ? { type: 'registry' as const, records: [`delivery:${index}`] } : { ...touched, issue };
        // What the store reads of the statements its episodes name that the issue no longer counts.
        const referenced = new Map(Object.values(derived.trails).map(({ record }) => [record.statementId, record]));
        applyPlan(store, planReplay({
          replay, stored: [...store.episodes.values()], snapshot: { issue, positions: new Map(), open: new Map(store.pointers), outbox: [] },
          recorded: entriesOf(store), cause, recordedAt: RECORDED_AT, referenced,
        }));
      }
    });
    return { stores, expected };
  };

  it('tells each divergence open each time it starts standing open and ended each time it stops, nothing else, for statements, corrections, retractions and registry changes in any order and repeats', () => {
    fc.assert(
      fc.property(recordScenarioArb, ({ issues, once, delivered }) => {
        // Act
        const { stores, expected } = deliverRecord(delivered, issues);
        const inOrder = deliverRecord(once, issues);

        // Assess: the alternation bound, against the core's own view of what stood open after each delivery.
        expect(told(pushedOf(stores))).toEqual(expected);
        expect(told(pushedOf(inOrder.stores))).toEqual(inOrder.expected);
        // What subscribers heard open at the end is exactly what is open, whatever the order.
        const final = deriveRecord(once, issues);
        for (const [issue, store] of stores) {
          expect([...heardOf(entriesOf(store)).keys()].sort(), issue).toEqual([...final.replays.get(issue)!.state.open.keys()].sort());
        }
      }),
      RUNS,
    );
  });

  it('tells each divergence open each time it starts standing open at a delivery and ended each time it stops, nothing else, whatever the order and repeats', () => {
    fc.assert(
      fc.property(scenarioArb, ({ registry: reg, statements, delivered }) => {
        // Act
        const { stores, expected } = deliverEach(delivered, reg);
        const inOrder = pushedOf(deliverEach([...statements].sort(compareSaid), reg).stores);

        // Assess: the rule, against the core's own view of what stood open after each delivery.
        expect(told(pushedOf(stores))).toEqual(expected);
        // In said order every transition is the present when it happens: each is pushed, once.
        const transitions = [...replayAll(statements, reg).values()].flatMap((replay) => replay.transitions.filter(isStatusTransition));
        expect(inOrder.map((a) => a.alertId).sort()).toEqual(transitions.map((t) => t.alertId).sort());
        // What subscribers heard open at the end is exactly what is open.
        for (const [issue, store] of stores) {
          const open = [...replayIssue(issue, statements.filter((s) => s.issue === issue), reg).state.open.keys()];
          expect([...heardOf(entriesOf(store)).keys()].sort()).toEqual(open.sort());
        }
      }),
      RUNS,
    );
  });
});
