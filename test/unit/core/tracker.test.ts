import { describe, expect, it } from 'vitest';
import { divergenceId } from '../../../functions/core/ids.ts';
import { diffReplay, openDivergences, replayAll, replayIssue } from '../../../functions/core/tracker.ts';
import { ISSUE, at, makeRegistry, said } from './helpers.ts';

const registry = makeRegistry({ blocs: { allies: ['france', 'uk', 'germany'] }, watches: [{ actor: 'russia', bloc: 'allies' }] });
const RUSSIA_VS_ALLIES = divergenceId('actor-vs-bloc', ISSUE, 'russia', 'allies');

describe('replayIssue', () => {
  it('rewrites the timeline as if a late statement had come in time', () => {
    // Prepare
    const france = said({ id: 'fr1', actor: 'france', stance: 2, at: 0 });
    const russiaLate = said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 });
    const russiaThen = said({ id: 'ru2', actor: 'russia', stance: 2, at: 2 });

    // Act
    const replay = replayIssue(ISSUE, [russiaThen, france, russiaLate, russiaThen], registry);

    // Assess
    expect(replay.history.map((s) => s.statementId)).toEqual(['fr1', 'ru1', 'ru2']);
    expect(replay.episodes.map((e) => [e.kind, e.openedBy, e.status, e.closedBy])).toEqual([
      ['actor-vs-bloc', 'ru1', 'closed', 'ru2'],
      ['reversal', 'ru2', 'open', undefined],
    ]);
    expect(replay.positionChanges.map((c) => c.statementId)).toEqual(['fr1', 'ru1', 'ru2']);
    expect(replay.state.watermark).toEqual({ saidAt: at(2), statementId: 'ru2' });
  });

  it('refuses a statement about another issue', () => {
    // Act
    const act = () => replayIssue(ISSUE, [said({ id: 'x', actor: 'russia', stance: 1, at: 0, issue: 'ceasefire-first' })], registry);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('replayAll', () => {
  it('replays each issue on its own, in issue id order, and lists what is open across them', () => {
    // Prepare
    const statements = [
      said({ id: 'c-fr', actor: 'france', stance: 2, at: 0, issue: 'ceasefire-first' }),
      said({ id: 't-fr', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'c-ru', actor: 'russia', stance: -2, at: 1, issue: 'ceasefire-first' }),
      said({ id: 't-ru', actor: 'russia', stance: 2, at: 1 }),
    ];

    // Act
    const replays = replayAll(statements, registry);

    // Assess
    expect([...replays.keys()]).toEqual(['ceasefire-first', ISSUE]);
    expect(replays.get(ISSUE)?.history.map((s) => s.statementId)).toEqual(['t-fr', 't-ru']);
    expect(openDivergences(replays).map((e) => e.divergenceId)).toEqual([divergenceId('actor-vs-bloc', 'ceasefire-first', 'russia', 'allies')]);
  });

  it('keeps a statement id delivered twice with the same content once', () => {
    // Prepare
    const first = said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 });
    const copy = structuredClone(first);

    // Act
    const replay = replayAll([first, copy], registry).get(ISSUE);

    // Assess
    expect(replay?.history).toEqual([first]);
  });

  it('refuses two different statements under one id instead of choosing one', () => {
    // Prepare: what the store's claim makes impossible; the replay must not paper over it.
    const first = said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 });
    const conflicting = { ...first, stance: 2 as const };

    // Act
    const replay = () => replayAll([first, conflicting], registry);

    // Assess
    expect(replay).toThrow(RangeError);
    expect(replay).toThrow(/ru1: detail\.stance: differs from the statement recorded under this id \(recorded -2, received 2\)/);
  });
});

describe('diffReplay', () => {
  it('retracts an episode that a statement said earlier prevented', () => {
    // Prepare
    const inTime = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru1', actor: 'russia', stance: -1, at: 2 })];
    const before = replayIssue(ISSUE, inTime, registry);
    const late = said({ id: 'de1', actor: 'germany', stance: -1, at: 1 });

    // Act
    const diff = diffReplay(before.episodes, replayIssue(ISSUE, [...inTime, late], registry));

    // Assess
    expect(before.episodes.map((e) => e.divergenceId)).toEqual([RUSSIA_VS_ALLIES]);
    expect(diff).toEqual({ alerts: [], retracted: before.episodes, reopened: [] });
  });

  it('reports an episode that is open again, without a new alert', () => {
    // Prepare
    const inTime = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 1 }),
      said({ id: 'de1', actor: 'germany', stance: -1, at: 3 }),
    ];
    const before = replayIssue(ISSUE, inTime, registry);
    const late = said({ id: 'uk1', actor: 'uk', stance: 2, at: 2 });

    // Act
    const diff = diffReplay(before.episodes, replayIssue(ISSUE, [...inTime, late], registry));

    // Assess
    expect(before.episodes.map((e) => e.status)).toEqual(['closed']);
    expect(diff.alerts).toEqual([]);
    expect(diff.reopened.map((e) => e.episodeId)).toEqual([before.episodes[0]?.episodeId]);
  });

  it('publishes the opening and the closing of an episode that happened entirely in the past', () => {
    // Prepare
    const inTime = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru2', actor: 'russia', stance: 1, at: 2 })];
    const before = replayIssue(ISSUE, inTime, registry);
    const late = said({ id: 'ru1', actor: 'russia', stance: 0, at: 1 });

    // Act
    const diff = diffReplay(before.episodes, replayIssue(ISSUE, [...inTime, late], registry));

    // Assess
    expect(diff.alerts.map((t) => [t.type, t.episode.divergenceId, t.episode.openedBy])).toEqual([
      ['opened', RUSSIA_VS_ALLIES, 'ru1'],
      ['closed', RUSSIA_VS_ALLIES, 'ru1'],
    ]);
    expect(diff.alerts[0]?.episode).toMatchObject({ status: 'open', actorStance: 0, gap: 2 });
  });
});
