/**
 * The read side's standing answers: the issues, an issue's position matrix (now, or as it stood at
 * an instant), and an actor's positions across issues. Each is a step over the store and the cached
 * registry (`ReadContext`).
 */
import type { ActorIssuePosition, ActorPositions, BlocPosition, IssueSummary, Matrix, MatrixPosition } from '../api/schemas.ts';
import { toEvidence } from './contracts-v1.ts';
import { blocStance, hasQuorum } from '../core/blocs.ts';
import { positionAsOf, refOf } from '../core/positions.ts';
import { DEFAULT_QUORUM, watchesFor } from '../core/registry.ts';
import type { ActorId, BlocId, IssueId, Names, Position, Registry, StatementRecord } from '../core/types.ts';
import { knownActor, knownIssue, type ReadContext } from './read-store.ts';

/** Positions with the statements they rest on, by statement id. */
export interface PositionsWithEvidence {
  positions: Position[];
  statements: ReadonlyMap<string, StatementRecord>;
}

export const byId = <T>(key: (item: T) => string) => (a: T, b: T): number => {
  const x = key(a);
  const y = key(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A name for an id the registry no longer has: better the id than nothing. */
const fallbackNames = (id: string): Names => ({ en: id, ar: id });

export const indexById = <S extends StatementRecord>(statements: readonly S[]): Map<string, S> =>
  new Map(statements.map((s) => [s.statementId, s]));

export const requireStatement = <S extends StatementRecord>(statements: ReadonlyMap<string, S>, id: string, context: string): S => {
  const statement = statements.get(id);
  // The processor puts a statement in history before it can become a position: a missing one is a bug, not a 404.
  if (statement === undefined) throw new Error(`statement ${id} behind ${context} was not found`);
  return statement;
};

export const listIssues = async ({ registry }: ReadContext): Promise<IssueSummary[]> =>
  [...(await registry()).issues.values()].sort(byId((i) => i.id)).map((issue) => ({
    issue: issue.id,
    title: issue.title,
    proposition: issue.proposition,
    status: issue.status,
  }));

/** The positions the store holds now, with their statements. */
export const currentPositions = async ({ store }: ReadContext, issue: IssueId): Promise<PositionsWithEvidence> => {
  const positions = await store.issuePositions(issue);
  return { positions, statements: indexById(await store.statements(positions.map(refOf))) };
};

/** The positions as they stood at `asOf`: the store keeps only the latest, so the past is rebuilt from the history. */
export const positionsAsOf = async ({ store }: ReadContext, issue: IssueId, asOf: string): Promise<PositionsWithEvidence> => {
  const history = await store.issueHistory(issue, asOf);
  const positions = [...new Set(history.map((s) => s.actor))].flatMap((actor) => {
    const ref = positionAsOf(history, actor, issue, asOf);
    return ref === undefined ? [] : [{ issue, actor, ...ref }];
  });
  return { positions, statements: indexById(history) };
};

/** The matrix's rows: one per actor with a position, by actor id, each with its evidence. */
export const matrixRows = (reg: Registry, { positions, statements }: PositionsWithEvidence): MatrixPosition[] =>
  [...positions].sort(byId((p) => p.actor)).map((p) => ({
    actor: p.actor,
    names: reg.actors.get(p.actor)?.names ?? fallbackNames(p.actor),
    stance: p.stance,
    hedged: p.hedged,
    saidAt: p.saidAt,
    statementId: p.statementId,
    evidence: toEvidence(requireStatement(statements, p.statementId, `${p.actor}'s position on ${p.issue}`)),
  }));

/** The quorum a bloc's stance on an issue needs: the lowest of the watches measuring against it there, as divergences do. */
const quorumOf = (reg: Registry, bloc: BlocId, issue: IssueId | undefined): number => {
  const quorums = (issue === undefined ? [] : watchesFor(reg, issue)).filter((w) => w.bloc === bloc).map((w) => w.quorum);
  return quorums.length === 0 ? DEFAULT_QUORUM : Math.min(...quorums);
};

/**
 * Every registered bloc, by bloc id, with its median stance over the members that have a position,
 * when at least its quorum of them do. Membership is taken at `at` (an as-of instant, by default
 * the latest said time of the positions), as the processor takes it for the issue's divergences.
 */
export const blocRows = (reg: Registry, positions: readonly Position[], issue?: IssueId, at?: string): BlocPosition[] => {
  const byActor = new Map(positions.map((p) => [p.actor, p]));
  const when = at ?? positions.reduce<string | undefined>((latest, p) => (latest === undefined || p.saidAt > latest ? p.saidAt : latest), undefined);
  return [...reg.blocs.values()].sort(byId((b) => b.id)).map((bloc) => {
    const { stance, members } = blocStance(bloc, byActor, undefined, when);
    const quorum = quorumOf(reg, bloc.id, issue);
    return {
      bloc: bloc.id,
      names: bloc.names,
      stance: hasQuorum(members.length, quorum) ? stance : null,
      members: members.map((m) => m.actor).sort(),
      basis: members.length,
      quorum,
    };
  });
};

export const issueMatrix = async (context: ReadContext, issue: IssueId, asOf?: string): Promise<Matrix> => {
  const { reg, found } = await knownIssue(context, issue);
  const standing = asOf === undefined ? await currentPositions(context, issue) : await positionsAsOf(context, issue, asOf);
  return {
    issue,
    title: found.title,
    proposition: found.proposition,
    asOf: asOf ?? null,
    positions: matrixRows(reg, standing),
    blocs: blocRows(reg, standing.positions, issue, asOf),
  };
};

export const actorPositions = async (context: ReadContext, actor: ActorId): Promise<ActorPositions> => {
  const { reg, found } = await knownActor(context, actor);
  const positions = await context.store.actorPositions(actor, [...reg.issues.keys()]);
  const statements = indexById(await context.store.statements(positions.map(refOf)));
  return {
    actor,
    names: found.names,
    positions: [...positions].sort(byId((p) => p.issue)).map(
      (p): ActorIssuePosition => ({
        issue: p.issue,
        title: reg.issues.get(p.issue)?.title ?? fallbackNames(p.issue),
        stance: p.stance,
        hedged: p.hedged,
        saidAt: p.saidAt,
        statementId: p.statementId,
        previous: p.previous === undefined ? null : { ...p.previous },
        evidence: toEvidence(requireStatement(statements, p.statementId, `${actor}'s position on ${p.issue}`)),
      }),
    ),
  };
};
