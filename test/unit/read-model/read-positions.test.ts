/**
 * The read side's standing answers, each step on its own over an in-memory store: the issues, the
 * matrix now and as of an instant, and an actor's positions.
 */
import { describe, expect, it } from 'vitest';
import {
  actorPositions, blocRows, currentPositions, issueMatrix, listIssues, matrixRows, positionsAsOf,
} from '../../../functions/application/read-positions.ts';
import { NotFoundError } from '../../../functions/application/read-store.ts';
import type { Position, StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, at, makeRegistry, said } from '../core/helpers.ts';
import { memoryStore } from './memory-store.ts';

const OTHER_ISSUE = 'ceasefire-before-peace-deal';
// A watch of quorum 1, so these read specifications are about one or two voices; the quorum has its own below.
const registry = makeRegistry({
  issues: [ISSUE, OTHER_ISSUE], blocs: { allies: ['germany', 'france', 'nato'] }, actors: ['russia'], watches: [{ bloc: 'allies', quorum: 1 }],
});

const positionOf = (statement: StatementRecord, previous?: StatementRecord): Position => ({
  issue: statement.issue,
  actor: statement.actor,
  stance: statement.stance,
  hedged: statement.hedged,
  statementId: statement.statementId,
  saidAt: statement.saidAt,
  ...(previous === undefined ? {} : { previous: { stance: previous.stance, hedged: previous.hedged, statementId: previous.statementId, saidAt: previous.saidAt } }),
});

const franceEarly = said({ id: 'fr-1', actor: 'france', stance: 1, at: 0 });
const franceLater = said({ id: 'fr-2', actor: 'france', stance: 2, at: 60 });
const germany = said({ id: 'de-1', actor: 'germany', stance: 0, at: 30, quote: { text: 'اعتبرت ألمانيا أن الوقت ما زال مبكراً', lang: 'ar' } });
const russia = said({ id: 'ru-1', actor: 'russia', stance: -2, at: 10 });
const russiaElsewhere = said({ id: 'ru-2', actor: 'russia', stance: 1, at: 20, issue: OTHER_ISSUE });
const history = [franceEarly, franceLater, germany, russia, russiaElsewhere];
const positions = [positionOf(russia), positionOf(franceLater, franceEarly), positionOf(germany), positionOf(russiaElsewhere)];

describe('listIssues', () => {
  it('lists every registered issue by id, with its titles and status', async () => {
    const { context } = memoryStore({ registry });

    const issues = await listIssues(context);

    expect(issues.map((i) => i.issue)).toEqual([OTHER_ISSUE, ISSUE]);
    expect(issues[1]).toEqual({ issue: ISSUE, title: { en: ISSUE, ar: ISSUE }, proposition: { en: ISSUE, ar: ISSUE }, status: 'open' });
  });
});

describe('the matrix of an issue', () => {
  it('now: one row per actor with a position, by actor id, each with its statement byte-exact', async () => {
    // Prepare
    const { context } = memoryStore({ registry, history, positions });

    // Act
    const matrix = await issueMatrix(context, ISSUE);

    // Assess
    expect(matrix.asOf).toBeNull();
    expect(matrix.positions.map((p) => [p.actor, p.stance, p.statementId])).toEqual([
      ['france', 2, 'fr-2'],
      ['germany', 0, 'de-1'],
      ['russia', -2, 'ru-1'],
    ]);
    expect(matrix.positions[1]?.evidence.quote?.text).toBe('اعتبرت ألمانيا أن الوقت ما زال مبكراً');
    expect(matrix.blocs).toEqual([{ bloc: 'allies', names: { en: 'allies', ar: 'allies' }, stance: 1, members: ['france', 'germany'], basis: 2, quorum: 1 }]);
  });

  it('as of an instant: rebuilt from what had been said by then, not from the stored positions', async () => {
    // Prepare
    const { context } = memoryStore({ registry, history, positions });

    // Act
    const matrix = await issueMatrix(context, ISSUE, at(15));

    // Assess
    expect(matrix.asOf).toBe(at(15));
    expect(matrix.positions.map((p) => [p.actor, p.statementId])).toEqual([['france', 'fr-1'], ['russia', 'ru-1']]);
    expect(matrix.blocs[0]).toMatchObject({ stance: 1, members: ['france'] });
  });

  it('current and as-of steps agree once everything has been said', async () => {
    const { context } = memoryStore({ registry, history, positions });

    const now = await currentPositions(context, ISSUE);
    const rebuilt = await positionsAsOf(context, ISSUE, at(10_000));

    const key = (p: Position) => `${p.actor}:${p.statementId}`;
    expect(rebuilt.positions.map(key).sort()).toEqual(now.positions.map(key).sort());
  });

  it('names an actor the registry no longer has by its id, and gives a bloc without known members no stance', () => {
    // Prepare
    const ghost = said({ id: 'gh-1', actor: 'ghost', stance: 1, at: 0 });
    const standing = { positions: [positionOf(ghost)], statements: new Map([[ghost.statementId, ghost]]) };

    // Act
    const rows = matrixRows(registry, standing);
    const blocs = blocRows(registry, standing.positions, ISSUE);

    // Assess
    expect(rows[0]?.names).toEqual({ en: 'ghost', ar: 'ghost' });
    expect(blocs).toEqual([{ bloc: 'allies', names: { en: 'allies', ar: 'allies' }, stance: null, members: [], basis: 0, quorum: 1 }]);
  });

  it('gives a bloc below its quorum no stance, and says how many members it would rest on', () => {
    // Prepare: no watch names a quorum for this bloc, so the default (3) holds.
    const unwatched = makeRegistry({ issues: [ISSUE], blocs: { allies: ['germany', 'france', 'nato'] } });
    const spoken = [said({ id: 'fr-1', actor: 'france', stance: 2, at: 0 }), said({ id: 'de-1', actor: 'germany', stance: 2, at: 1 })];
    const third = said({ id: 'na-1', actor: 'nato', stance: 1, at: 2 });

    // Act
    const two = blocRows(unwatched, spoken.map((s) => positionOf(s)), ISSUE);
    const three = blocRows(unwatched, [...spoken, third].map((s) => positionOf(s)), ISSUE);

    // Assess
    expect(two[0]).toMatchObject({ stance: null, members: ['france', 'germany'], basis: 2, quorum: 3 });
    expect(three[0]).toMatchObject({ stance: 2, basis: 3, quorum: 3 });
  });

  it('takes the membership in force at the time asked: a member added with since counts only from then', () => {
    // Prepare: NATO joins at minute 10.
    const bloc = { ...registry.blocs.get('allies')!, tenure: { nato: [{ since: at(10) }] } };
    const dated = { ...registry, blocs: new Map([['allies', bloc]]) };
    const positions = [said({ id: 'fr-1', actor: 'france', stance: 2, at: 0 }), said({ id: 'na-1', actor: 'nato', stance: -2, at: 1 })].map((s) => positionOf(s));

    // Act / Assess
    expect(blocRows(dated, positions, ISSUE, at(5))[0]).toMatchObject({ stance: 2, members: ['france'] });
    expect(blocRows(dated, positions, ISSUE, at(10))[0]).toMatchObject({ stance: 0, members: ['france', 'nato'] });
  });

  it('refuses an issue the registry does not know, naming the parameter', async () => {
    const { context } = memoryStore({ registry });

    await expect(issueMatrix(context, 'nowhere')).rejects.toEqual(new NotFoundError('issue', 'issue', 'nowhere'));
  });

  it('treats a position whose statement is missing from history as a bug, not as a 404', async () => {
    const { context } = memoryStore({ registry, history: [], positions: [positionOf(russia)] });

    await expect(issueMatrix(context, ISSUE)).rejects.toThrow("statement ru-1 behind russia's position on western-troops-in-ukraine was not found");
  });
});

describe("an actor's positions", () => {
  it('gives one per issue, by issue id, with the statement said before the current one', async () => {
    // Prepare
    const { context } = memoryStore({ registry, history, positions });

    // Act
    const russian = await actorPositions(context, 'russia');
    const french = await actorPositions(context, 'france');

    // Assess
    expect(russian.positions.map((p) => [p.issue, p.stance, p.previous])).toEqual([
      [OTHER_ISSUE, 1, null],
      [ISSUE, -2, null],
    ]);
    expect(french.positions[0]?.previous).toEqual({ stance: 1, hedged: false, statementId: 'fr-1', saidAt: at(0) });
    expect(french.positions[0]?.evidence.statementId).toBe('fr-2');
  });

  it('refuses an actor the registry does not know', async () => {
    const { context } = memoryStore({ registry });

    await expect(actorPositions(context, 'atlantis')).rejects.toEqual(new NotFoundError('actor', 'actor', 'atlantis'));
  });
});
