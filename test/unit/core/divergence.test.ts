import { describe, expect, it } from 'vitest';
import { REVERSAL_THRESHOLD, evaluateAll, reconcile } from '../../../functions/core/divergence.ts';
import { OutOfOrderError } from '../../../functions/core/errors.ts';
import { alertId, divergenceId, episodeId } from '../../../functions/core/ids.ts';
import { emptyIssueState, replayIssue, step, type IssueState } from '../../../functions/core/tracker.ts';
import type { Registry, StatementRecord, Transition } from '../../../functions/core/types.ts';
import { ISSUE, at, divergedNow, makeRegistry, said } from './helpers.ts';

const RUSSIA_VS_ALLIES = divergenceId('actor-vs-bloc', ISSUE, 'russia', 'allies');

const alliesWatchedBy = (watches: Parameters<typeof makeRegistry>[0]['watches']): Registry =>
  makeRegistry({ issues: [ISSUE], blocs: { allies: ['france', 'uk', 'germany'] }, watches });

const russiaVsAllies = alliesWatchedBy([{ actor: 'russia', bloc: 'allies' }]);

/** Applies statements one by one in the order given and returns each step's transitions. */
const run = (registry: Registry, statements: readonly StatementRecord[]) => {
  let state: IssueState = emptyIssueState(ISSUE);
  const steps: Transition[][] = [];
  for (const statement of statements) {
    const result = step(state, statement, registry);
    state = result.state;
    steps.push(result.transitions);
  }
  return { state, steps, last: steps.at(-1) ?? [] };
};

const kinds = (transitions: readonly Transition[]) => transitions.map((t) => `${t.type} ${t.episode.divergenceId}`);

describe('actor-vs-bloc', () => {
  it('opens when the gap reaches the threshold', () => {
    // Prepare
    const allies = [said({ id: 'fr1', actor: 'france', stance: 1, at: 0 }), said({ id: 'uk1', actor: 'uk', stance: 1, at: 1 })];
    const russia = said({ id: 'ru1', actor: 'russia', stance: -1, at: 2 });

    // Act
    const { last, state } = run(russiaVsAllies, [...allies, russia]);

    // Assess
    expect(last).toHaveLength(1);
    const [opened] = last;
    expect(opened).toMatchObject({
      type: 'opened',
      episode: {
        divergenceId: RUSSIA_VS_ALLIES, kind: 'actor-vs-bloc', actor: 'russia', bloc: 'allies', status: 'open',
        actorStance: -1, otherStance: 1, gap: 2, threshold: 2, openedBy: 'ru1', openedAt: at(2),
        evidence: { actor: ['ru1'], other: ['fr1', 'uk1'] },
      },
    });
    expect(opened?.episode.episodeId).toBe(episodeId(RUSSIA_VS_ALLIES, 'ru1'));
    expect(opened?.type === 'opened' && opened.alertId).toBe(alertId(opened!.episode.episodeId, 'opened'));
    expect([...state.open.keys()]).toEqual([RUSSIA_VS_ALLIES]);
  });

  it('does not open below the threshold', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 1, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: 0, at: 1 }),
    ];

    // Act
    const { steps, state } = run(russiaVsAllies, statements);

    // Assess
    expect(steps.flat()).toEqual([]);
    expect(state.open.size).toBe(0);
  });

  it('follows the threshold of the watch', () => {
    // Prepare
    const registry = alliesWatchedBy([{ actor: 'russia', bloc: 'allies', threshold: 3 }]);
    const france = said({ id: 'fr1', actor: 'france', stance: 1, at: 0 });

    // Act
    const gapOfTwo = run(registry, [france, said({ id: 'ru1', actor: 'russia', stance: -1, at: 1 })]);
    const gapOfThree = run(registry, [france, said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 })]);

    // Assess
    expect(gapOfTwo.last).toEqual([]);
    expect(kinds(gapOfThree.last)).toEqual([`opened ${RUSSIA_VS_ALLIES}`]);
    expect(gapOfThree.last[0]?.episode).toMatchObject({ threshold: 3, gap: 3 });
  });

  it('leaves the watched actor out of the bloc it belongs to', () => {
    // Prepare
    const registry = alliesWatchedBy([{ actor: 'germany', bloc: 'allies' }]);
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'de1', actor: 'germany', stance: 0, at: 2 }),
    ];

    // Act
    const { last } = run(registry, statements);

    // Assess
    // Counted in, Germany would pull the median to 1 and hide its own gap.
    expect(last.map((t) => t.episode)).toMatchObject([
      { divergenceId: divergenceId('actor-vs-bloc', ISSUE, 'germany', 'allies'), actorStance: 0, otherStance: 2, gap: 2 },
    ]);
  });

  it('closes when the gap falls back below the threshold', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 1, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 1 }),
      said({ id: 'ru2', actor: 'russia', stance: 0, at: 2 }),
    ];

    // Act
    const { steps, state } = run(russiaVsAllies, statements);

    // Assess
    const opened = steps[1]?.[0];
    const closed = steps[2]?.[0];
    expect(kinds(steps[2] ?? [])).toEqual([`closed ${RUSSIA_VS_ALLIES}`]);
    expect(closed?.episode).toMatchObject({
      episodeId: opened?.episode.episodeId, status: 'closed', openedBy: 'ru1', closedBy: 'ru2', closedAt: at(2),
      actorStance: 0, otherStance: 1, gap: 1,
    });
    expect(closed?.type === 'closed' && closed.alertId).toBe(alertId(opened!.episode.episodeId, 'closed'));
    expect(state.open.size).toBe(0);
  });

  it('keeps the statement that closes it as evidence on its side', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 }),
      said({ id: 'fr2', actor: 'france', stance: -1, at: 2 }),
    ];

    // Act
    const { last } = run(russiaVsAllies, statements);

    // Assess
    expect(last[0]?.episode.evidence).toEqual({ actor: ['ru1'], other: ['fr1', 'fr2'] });
  });

  it('gathers evidence from both sides while open, without a new alert', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 }),
      said({ id: 'ru2', actor: 'russia', stance: -2, at: 2 }),
      said({ id: 'uk1', actor: 'uk', stance: 2, at: 3 }),
      said({ id: 'us1', actor: 'usa', stance: 1, at: 4 }),
    ];

    // Act
    const { steps, state } = run(russiaVsAllies, statements);

    // Assess
    expect(steps[2]).toMatchObject([{ type: 'evidence', side: 'actor', statementId: 'ru2' }]);
    expect(steps[3]).toMatchObject([{ type: 'evidence', side: 'other', statementId: 'uk1' }]);
    expect(steps[4]).toEqual([]);
    expect(state.open.get(RUSSIA_VS_ALLIES)).toMatchObject({
      openedBy: 'ru1', actorStance: -2, otherStance: 2, evidence: { actor: ['ru1', 'ru2'], other: ['fr1', 'uk1'] },
    });
  });

  it('opens a new episode, with new ids, when it diverges again after closing', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 }),
      said({ id: 'ru2', actor: 'russia', stance: 2, at: 2 }),
      said({ id: 'ru3', actor: 'russia', stance: -1, at: 3 }),
    ];

    // Act
    const replay = replayIssue(ISSUE, statements, russiaVsAllies);

    // Assess
    const onRussia = replay.episodes.filter((e) => e.divergenceId === RUSSIA_VS_ALLIES);
    expect(onRussia.map((e) => [e.openedBy, e.status])).toEqual([['ru1', 'closed'], ['ru3', 'open']]);
    expect(new Set(onRussia.map((e) => e.episodeId)).size).toBe(2);
  });

  it('neither opens nor closes while the bloc has no known stance', () => {
    // Prepare
    const opened = run(russiaVsAllies, [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 }),
    ]);
    const alliesNowSilent = makeRegistry({ blocs: { allies: ['poland'] }, watches: [{ actor: 'russia', bloc: 'allies' }] });

    // Act
    const lonelyRussia = run(russiaVsAllies, [said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 })]);
    const afterConverging = step(opened.state, said({ id: 'ru2', actor: 'russia', stance: 2, at: 2 }), alliesNowSilent);

    // Assess
    expect(lonelyRussia.last).toEqual([]);
    expect(afterConverging.transitions.filter((t) => t.episode.divergenceId === RUSSIA_VS_ALLIES)).toEqual([]);
    expect(afterConverging.state.open.get(RUSSIA_VS_ALLIES)).toEqual(opened.state.open.get(RUSSIA_VS_ALLIES));
  });

  it('ignores a watch on a bloc the registry does not know', () => {
    // Prepare
    const registry = makeRegistry({ watches: [{ actor: 'russia', bloc: 'nowhere' }] });
    const statements = [said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 })];

    // Act
    const replay = replayIssue(ISSUE, statements, registry);

    // Assess
    expect(replay.episodes).toEqual([]);
  });

  it('applies only the watches of the issue', () => {
    // Prepare
    const registry = alliesWatchedBy([{ actor: 'russia', bloc: 'allies', issues: ['russia-as-guarantor'] }]);
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 }),
    ];

    // Act
    const replay = replayIssue(ISSUE, statements, registry);

    // Assess
    expect(replay.episodes).toEqual([]);
  });

  it('takes the most sensitive threshold when two watches name the same pair', () => {
    // Prepare
    const registry = alliesWatchedBy([
      { id: 'broad', actor: 'russia', bloc: 'allies', threshold: 4 },
      { id: 'narrow', actor: 'russia', bloc: 'allies', issues: [ISSUE], threshold: 2 },
    ]);
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 1, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 1 }),
    ];

    // Act
    const replay = replayIssue(ISSUE, statements, registry);

    // Assess
    expect(replay.episodes).toMatchObject([{ divergenceId: RUSSIA_VS_ALLIES, threshold: 2 }]);
  });
});

describe('bloc-split', () => {
  const registry = alliesWatchedBy([{ kind: 'bloc-split', bloc: 'allies' }]);
  const GERMANY_VS_ALLIES = divergenceId('bloc-split', ISSUE, 'germany', 'allies');

  it('opens for the member whose gap to the rest of its bloc reaches the threshold', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'uk1', actor: 'uk', stance: 2, at: 1 }),
      said({ id: 'de1', actor: 'germany', stance: 0, at: 2 }),
    ];

    // Act
    const { last } = run(registry, statements);

    // Assess
    // France and the UK each face a median of (2, 0) = 1: a gap of 1, below the threshold.
    expect(kinds(last)).toEqual([`opened ${GERMANY_VS_ALLIES}`]);
    expect(last[0]?.episode).toMatchObject({
      kind: 'bloc-split', actor: 'germany', bloc: 'allies', actorStance: 0, otherStance: 2, gap: 2,
      evidence: { actor: ['de1'], other: ['fr1', 'uk1'] },
    });
  });

  it('does not open below the threshold', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'uk1', actor: 'uk', stance: 2, at: 1 }),
      said({ id: 'de1', actor: 'germany', stance: 1, at: 2 }),
    ];

    // Act
    const { steps } = run(registry, statements);

    // Assess
    expect(steps.flat()).toEqual([]);
  });

  it('follows the threshold of the watch', () => {
    // Prepare
    const strict = alliesWatchedBy([{ kind: 'bloc-split', bloc: 'allies', threshold: 3 }]);
    const allies = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'uk1', actor: 'uk', stance: 2, at: 1 })];

    // Act
    const gapOfTwo = run(strict, [...allies, said({ id: 'de1', actor: 'germany', stance: 0, at: 2 })]);
    const gapOfThree = run(strict, [...allies, said({ id: 'de1', actor: 'germany', stance: -1, at: 2 })]);

    // Assess
    expect(gapOfTwo.last).toEqual([]);
    expect(kinds(gapOfThree.last)).toEqual([`opened ${GERMANY_VS_ALLIES}`]);
  });

  it('closes when the member rejoins its bloc, and gathers evidence while open', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'uk1', actor: 'uk', stance: 2, at: 1 }),
      said({ id: 'de1', actor: 'germany', stance: 0, at: 2 }),
      said({ id: 'fr2', actor: 'france', stance: 2, at: 3 }),
      said({ id: 'de2', actor: 'germany', stance: 1, at: 4 }),
    ];

    // Act
    const { steps, state } = run(registry, statements);

    // Assess
    expect(steps[3]).toMatchObject([{ type: 'evidence', side: 'other', statementId: 'fr2' }]);
    expect(kinds(steps[4] ?? [])).toEqual([`closed ${GERMANY_VS_ALLIES}`]);
    expect(steps[4]?.[0]?.episode).toMatchObject({ closedBy: 'de2', gap: 1, evidence: { actor: ['de1', 'de2'], other: ['fr1', 'uk1', 'fr2'] } });
    expect(state.open.size).toBe(0);
  });

  it('is not evaluated for a member alone in its bloc with a position', () => {
    // Prepare
    const statements = [said({ id: 'de1', actor: 'germany', stance: -2, at: 0 })];

    // Act
    const evaluations = evaluateAll(ISSUE, run(registry, statements).state.positions, registry);

    // Assess
    expect(evaluations).toEqual([]);
  });
});

describe('reversal', () => {
  const registry = makeRegistry({});
  const RUSSIA_REVERSAL = divergenceId('reversal', ISSUE, 'russia', null);

  it('opens on a move of two scale points and not on a move of one', () => {
    // Prepare
    const first = said({ id: 'ru1', actor: 'russia', stance: -1, at: 0 });

    // Act
    const byOne = run(registry, [first, said({ id: 'ru2', actor: 'russia', stance: 0, at: 1 })]);
    const byTwo = run(registry, [first, said({ id: 'ru2', actor: 'russia', stance: 1, at: 1 })]);

    // Assess
    expect(REVERSAL_THRESHOLD).toBe(2);
    expect(byOne.last).toEqual([]);
    expect(kinds(byTwo.last)).toEqual([`opened ${RUSSIA_REVERSAL}`]);
    expect(byTwo.last[0]?.episode).toMatchObject({
      kind: 'reversal', bloc: null, actorStance: 1, otherStance: -1, gap: 2, threshold: 2,
      evidence: { actor: ['ru2'], other: ['ru1'] },
    });
  });

  it('closes on the next statement that moves less, or repeats', () => {
    // Prepare
    const flip = [said({ id: 'ru1', actor: 'russia', stance: -2, at: 0 }), said({ id: 'ru2', actor: 'russia', stance: 2, at: 1 })];

    // Act
    const repeated = run(registry, [...flip, said({ id: 'ru3', actor: 'russia', stance: 2, at: 2 })]);
    const smallMove = run(registry, [...flip, said({ id: 'ru3', actor: 'russia', stance: 1, at: 2 })]);

    // Assess
    expect(repeated.last).toMatchObject([{ type: 'closed', episode: { closedBy: 'ru3', gap: 0 } }]);
    expect(smallMove.last).toMatchObject([{ type: 'closed', episode: { closedBy: 'ru3', gap: 1, actorStance: 1, otherStance: 2 } }]);
  });

  it('stays open through a flip back, gathering it as evidence', () => {
    // Prepare
    const statements = [
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 0 }),
      said({ id: 'ru2', actor: 'russia', stance: 2, at: 1 }),
      said({ id: 'ru3', actor: 'russia', stance: -1, at: 2 }),
    ];

    // Act
    const { last, state } = run(registry, statements);

    // Assess
    expect(last).toMatchObject([{ type: 'evidence', side: 'actor', statementId: 'ru3' }]);
    expect(state.open.get(RUSSIA_REVERSAL)?.evidence).toEqual({ actor: ['ru2', 'ru3'], other: ['ru1'] });
  });
});

describe('divergences diverged now, and reconcile', () => {
  it('lists only what is diverged now, sorted by divergence id', () => {
    // Prepare
    const registry = alliesWatchedBy([{ actor: 'russia', bloc: 'allies' }, { kind: 'bloc-split', bloc: 'allies' }]);
    const { state } = run(registry, [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'uk1', actor: 'uk', stance: 2, at: 1 }),
      said({ id: 'de1', actor: 'germany', stance: 0, at: 2 }),
      said({ id: 'ru1', actor: 'russia', stance: 1, at: 3 }),
      said({ id: 'ru2', actor: 'russia', stance: -2, at: 4 }),
    ]);

    // Act
    const desired = divergedNow(ISSUE, state.positions, registry);

    // Assess
    expect(desired.map((d) => d.divergenceId)).toEqual([
      RUSSIA_VS_ALLIES,
      divergenceId('bloc-split', ISSUE, 'germany', 'allies'),
      divergenceId('reversal', ISSUE, 'russia', null),
    ].sort());
    expect(desired.every((d) => d.gap >= d.threshold)).toBe(true);
  });

  it('recomputes the same transitions, with the same ids, when the same statement is processed again', () => {
    // Prepare
    const { state } = run(russiaVsAllies, [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 })]);
    const cause = said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 });
    const positions = step(state, cause, russiaVsAllies).state.positions;

    // Act
    const first = reconcile({ open: state.open, evaluations: evaluateAll(ISSUE, positions, russiaVsAllies), cause });
    const again = reconcile({ open: state.open, evaluations: evaluateAll(ISSUE, positions, russiaVsAllies), cause });

    // Assess
    expect(again).toEqual(first);
    expect(kinds(first)).toEqual([`opened ${RUSSIA_VS_ALLIES}`]);
  });

  it('leaves an open divergence that cannot be evaluated as it is', () => {
    // Prepare
    const { state } = run(russiaVsAllies, [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 }),
    ]);

    // Act
    const transitions = reconcile({ open: state.open, evaluations: [], cause: said({ id: 'x', actor: 'russia', stance: 2, at: 2 }) });

    // Assess
    expect(transitions).toEqual([]);
  });
});

describe('step', () => {
  const statements = [
    said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
    said({ id: 'ru1', actor: 'russia', stance: -2, at: 10 }),
  ];

  it('refuses a statement said before the latest one applied, so the caller replays', () => {
    // Prepare
    const { state } = run(russiaVsAllies, statements);
    const late = said({ id: 'uk1', actor: 'uk', stance: -2, at: 5 });
    const sameTimeSmallerId = said({ id: 'aa', actor: 'uk', stance: -2, at: 10 });

    // Act
    const applyLate = () => step(state, late, russiaVsAllies);
    const applyTie = () => step(state, sameTimeSmallerId, russiaVsAllies);

    // Assess
    expect(applyLate).toThrow(OutOfOrderError);
    expect(applyTie).toThrow(OutOfOrderError);
  });

  it('treats a redelivery as a no-op that returns the same state', () => {
    // Prepare
    const { state } = run(russiaVsAllies, statements);

    // Act
    const ofWatermark = step(state, statements[1]!, russiaVsAllies);
    const ofOlder = step(state, statements[0]!, russiaVsAllies);

    // Assess
    expect(ofWatermark).toEqual({ state, effect: 'duplicate', transitions: [] });
    expect(ofWatermark.state).toBe(state);
    expect(ofOlder.effect).toBe('duplicate');
  });

  it('never changes the state it is given', () => {
    // Prepare
    const { state } = run(russiaVsAllies, statements);
    const snapshot = structuredClone(state);

    // Act
    step(state, said({ id: 'ru2', actor: 'russia', stance: 2, at: 20 }), russiaVsAllies);

    // Assess
    expect(state).toEqual(snapshot);
  });

  it('reports the position change with the previous position', () => {
    // Prepare
    const { state } = run(russiaVsAllies, statements);

    // Act
    const { positionChange } = step(state, said({ id: 'ru2', actor: 'russia', stance: 2, at: 20 }), russiaVsAllies);

    // Assess
    expect(positionChange).toMatchObject({
      issue: ISSUE, actor: 'russia', statementId: 'ru2',
      previous: { statementId: 'ru1', stance: -2 }, current: { statementId: 'ru2', stance: 2, saidAt: at(20) },
    });
  });

  it('refuses a statement about another issue', () => {
    // Act
    const act = () => step(emptyIssueState(ISSUE), said({ id: 'x', actor: 'russia', stance: 1, at: 0, issue: 'other' }), russiaVsAllies);

    // Assess
    expect(act).toThrow(RangeError);
  });
});
