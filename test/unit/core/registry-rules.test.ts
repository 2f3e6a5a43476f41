/**
 * The registry's say in divergence detection: a bloc's quorum, membership with dates, a retired
 * watch and a closed issue. Each is a rule of the core, so each is specified on plain data.
 */
import { describe, expect, it } from 'vitest';
import { blocStance, hasDatedMembership, isMemberAt, membersAt } from '../../../functions/core/blocs.ts';
import { evaluateAll } from '../../../functions/core/divergence.ts';
import { divergenceId } from '../../../functions/core/ids.ts';
import { applyToPosition } from '../../../functions/core/positions.ts';
import { DEFAULT_QUORUM, watchesFor, withRegistryDefaults } from '../../../functions/core/registry.ts';
import { openDivergences, replayIssue } from '../../../functions/core/tracker.ts';
import type { Bloc, Position, Registry, StatementRecord, Watch } from '../../../functions/core/types.ts';
import { ISSUE, at, makeRegistry, said, type WatchSpec } from './helpers.ts';

const SPLIT_OF = (actor: string) => divergenceId('bloc-split', ISSUE, actor, 'allies');
const RUSSIA_VS_ALLIES = divergenceId('actor-vs-bloc', ISSUE, 'russia', 'allies');

const registryWith = (watch: WatchSpec, members = ['france', 'uk', 'germany', 'poland']): Registry =>
  makeRegistry({ issues: [ISSUE], blocs: { allies: members }, watches: [watch] });

const openIds = (registry: Registry, statements: readonly StatementRecord[]): string[] =>
  openDivergences(replayIssue(ISSUE, statements, registry)).map((e) => e.divergenceId).sort();

const positionsOf = (statements: readonly StatementRecord[]): Map<string, Position> =>
  new Map(statements.map((s) => [s.actor, applyToPosition(undefined, s).position as Position]));

/** The allies bloc with Poland a member from minute 10 on, and the UK until minute 20. */
const datedAllies = (): Bloc => ({
  id: 'allies',
  names: { en: 'allies', ar: 'allies' },
  members: ['france', 'germany', 'poland', 'uk'],
  tenure: { poland: [{ since: at(10) }], uk: [{ until: at(20) }] },
  updatedAt: at(-1000),
});

const withBloc = (registry: Registry, bloc: Bloc): Registry => ({ ...registry, blocs: new Map([[bloc.id, bloc]]) });

describe('quorum', () => {
  const germanyApart = [
    said({ id: 'de1', actor: 'germany', stance: -2, at: 0 }),
    said({ id: 'fr1', actor: 'france', stance: 2, at: 1 }),
  ];

  it('a bloc with two members who have spoken has no stance at quorum 3: no bloc-split', () => {
    expect(openIds(registryWith({ bloc: 'allies', quorum: 3 }), germanyApart)).toEqual([]);
  });

  it('with a third member speaking the bloc has a stance and the split opens', () => {
    // Prepare: at threshold 3 only Germany, 4 points from the rest, is apart.
    const third = said({ id: 'uk1', actor: 'uk', stance: 2, at: 2 });

    // Act
    const open = openIds(registryWith({ bloc: 'allies', quorum: 3, threshold: 3 }), [...germanyApart, third]);

    // Assess
    expect(open).toEqual([SPLIT_OF('germany')]);
  });

  it('counts only the members an actor is measured against, for an actor against a bloc', () => {
    // Prepare
    const registry = registryWith({ actor: 'russia', bloc: 'allies', quorum: 2 });
    const russia = said({ id: 'ru1', actor: 'russia', stance: -2, at: 5 });
    const france = said({ id: 'fr1', actor: 'france', stance: 2, at: 1 });
    const uk = said({ id: 'uk1', actor: 'uk', stance: 2, at: 2 });

    // Act / Assess
    expect(openIds(registry, [france, russia])).toEqual([]);
    expect(openIds(registry, [france, uk, russia])).toEqual([RUSSIA_VS_ALLIES]);
  });

  it('below the quorum a divergence cannot be measured, so none is evaluated (not one at gap zero)', () => {
    // Prepare
    const registry = registryWith({ actor: 'russia', bloc: 'allies', quorum: 3 });
    const positions = positionsOf([said({ id: 'fr1', actor: 'france', stance: 2, at: 1 }), said({ id: 'ru1', actor: 'russia', stance: -2, at: 2 })]);

    // Act / Assess
    expect(evaluateAll(ISSUE, positions, registry).filter((e) => e.bloc !== null)).toEqual([]);
  });

  it('defaults to 3 for a watch stored before watches had one, and a stored watch is active', () => {
    // Prepare
    const { quorum: _quorum, status: _status, ...old } = registryWith({ id: 'w', bloc: 'allies' }).watches.get('w') as Watch;

    // Act
    const update = withRegistryDefaults({ type: 'watch', record: old as Watch });

    // Assess
    expect(update.record).toMatchObject({ quorum: DEFAULT_QUORUM, status: 'active' });
    expect(DEFAULT_QUORUM).toBe(3);
  });
});

describe('membership with dates', () => {
  it('a member is one from since (included) until until (left out)', () => {
    const bloc = datedAllies();
    expect(isMemberAt(bloc, 'poland', at(9))).toBe(false);
    expect(isMemberAt(bloc, 'poland', at(10))).toBe(true);
    expect(isMemberAt(bloc, 'uk', at(19))).toBe(true);
    expect(isMemberAt(bloc, 'uk', at(20))).toBe(false);
    expect(isMemberAt(bloc, 'russia', at(0))).toBe(false);
    expect(membersAt(bloc, at(15))).toEqual(['france', 'germany', 'poland', 'uk']);
    expect(membersAt(bloc, at(25))).toEqual(['france', 'germany', 'poland']);
    expect(hasDatedMembership(bloc)).toBe(true);
    expect(hasDatedMembership({ ...bloc, tenure: undefined })).toBe(false);
  });

  it('a bloc stance takes the members in force at the time asked', () => {
    // Prepare
    const positions = positionsOf([
      said({ id: 'fr1', actor: 'france', stance: 1, at: 0 }),
      said({ id: 'pl1', actor: 'poland', stance: -2, at: 1 }),
      said({ id: 'uk1', actor: 'uk', stance: 2, at: 2 }),
    ]);

    // Act / Assess
    expect(blocStance(datedAllies(), positions, undefined, at(5)).members.map((m) => m.actor)).toEqual(['france', 'uk']);
    expect(blocStance(datedAllies(), positions, undefined, at(15)).stance).toBe(1);
    expect(blocStance(datedAllies(), positions, undefined, at(25)).members.map((m) => m.actor)).toEqual(['france', 'poland']);
  });

  it('a member added with since changes the bloc stance only from that date', () => {
    // Prepare: Russia at -1 against the allies' median of +1 (France, Germany +1, the UK -1): a gap
    // of 2. Poland, at -1 too, joins at minute 10 and pulls the median to 0 for what is said after.
    const registry = withBloc(registryWith({ actor: 'russia', bloc: 'allies', quorum: 2 }), datedAllies());
    const before = [
      said({ id: 'fr1', actor: 'france', stance: 1, at: 0 }),
      said({ id: 'de1', actor: 'germany', stance: 1, at: 1 }),
      said({ id: 'uk1', actor: 'uk', stance: -1, at: 1.5 }),
      said({ id: 'pl1', actor: 'poland', stance: -1, at: 2 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 3 }),
    ];
    const after = said({ id: 'ru2', actor: 'russia', stance: -1, at: 12, hedged: true });

    // Act
    const early = replayIssue(ISSUE, before, registry);
    const late = replayIssue(ISSUE, [...before, after], registry);

    // Assess
    expect(openDivergences(early).map((e) => e.divergenceId)).toEqual([RUSSIA_VS_ALLIES]);
    expect(openDivergences(late)).toEqual([]);
    expect(late.episodes.find((e) => e.divergenceId === RUSSIA_VS_ALLIES)).toMatchObject({ status: 'closed', closedBy: 'ru2', otherStance: 0, gap: 1 });
  });
});

describe('a retired watch', () => {
  it('watches nothing: the record is what it would be had it never been registered', () => {
    // Prepare
    const retired = registryWith({ bloc: 'allies', quorum: 1, status: 'retired' });
    const statements = [said({ id: 'de1', actor: 'germany', stance: -2, at: 0 }), said({ id: 'fr1', actor: 'france', stance: 2, at: 1 })];

    // Act / Assess
    expect(watchesFor(retired, ISSUE)).toEqual([]);
    expect(replayIssue(ISSUE, statements, retired).episodes).toEqual([]);
    expect(openIds(registryWith({ bloc: 'allies', quorum: 1 }), statements)).not.toEqual([]);
  });
});

describe('a closed issue', () => {
  const closing = (registry: Registry, closedAt: string): Registry => {
    const issue = registry.issues.get(ISSUE)!;
    return { ...registry, issues: new Map([[ISSUE, { ...issue, status: 'closed', updatedAt: closedAt }]]) };
  };
  const open = registryWith({ bloc: 'allies', quorum: 1 });

  it('stands as it was when it closed: what is said after opens nothing', () => {
    // Prepare
    const statements = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'de1', actor: 'germany', stance: -2, at: 10 })];

    // Act / Assess
    expect(openIds(closing(open, at(5)), statements)).toEqual([]);
    expect(openIds(closing(open, at(15)), statements)).toEqual([SPLIT_OF('france'), SPLIT_OF('germany')]);
  });

  it('keeps a divergence open when it closed open: what is said after closes nothing either', () => {
    // Prepare
    const statements = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'de1', actor: 'germany', stance: -2, at: 1 }),
      said({ id: 'de2', actor: 'germany', stance: 2, at: 10 }),
    ];

    // Act
    const replay = replayIssue(ISSUE, statements, closing(open, at(5)));

    // Assess: the positions move on, the divergences do not.
    expect(replay.state.positions.get('germany')?.statementId).toBe('de2');
    expect(openDivergences(replay).map((e) => e.divergenceId).sort()).toEqual([SPLIT_OF('france'), SPLIT_OF('germany')]);
    expect(openIds(open, statements)).toEqual([divergenceId('reversal', ISSUE, 'germany', null)]);
  });
});
