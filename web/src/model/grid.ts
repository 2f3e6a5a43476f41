/**
 * The matrix as the dashboard lays it out: one group per bloc (its own row first, with its stance
 * and the number of members it rests on, then its members), then the actors in no bloc; one column
 * per issue. A cell knows the open divergences it is part of, so the view can highlight it.
 */
import type { AlertItem, BlocPosition, IssueSummary, Matrix, MatrixPosition, Names } from '../api/types.ts';
import type { RegistryView } from './registry.ts';

export interface ActorCell {
  position: MatrixPosition;
  /** Open divergences this actor's position on the issue is a side of. */
  divergences: AlertItem[];
}

export interface BlocCell {
  position: BlocPosition;
  divergences: AlertItem[];
}

export interface ActorRow {
  actor: string;
  names: Names;
  cells: Record<string, ActorCell | undefined>;
}

export interface Group {
  /** null: the actors in no bloc. */
  bloc: { id: string; names: Names } | null;
  cells: Record<string, BlocCell | undefined>;
  rows: ActorRow[];
}

export interface Grid {
  issues: IssueSummary[];
  groups: Group[];
}

const cellKey = (issue: string, party: string): string => `${issue}\u0000${party}`;

/** Which (issue, actor) and (issue, bloc) cells each open divergence involves. */
const divergenceIndex = (openAlerts: readonly AlertItem[]): Map<string, AlertItem[]> => {
  const index = new Map<string, AlertItem[]>();
  const add = (key: string, alert: AlertItem): void => void index.set(key, [...(index.get(key) ?? []), alert]);
  for (const alert of openAlerts) {
    if (alert.status !== 'open') continue;
    add(cellKey(alert.issue, alert.actor), alert);
    if (alert.bloc !== null) add(cellKey(alert.issue, `bloc:${alert.bloc}`), alert);
  }
  return index;
};

const blocMembers = (matrices: readonly Matrix[], registry: RegistryView): Map<string, { names: Names; members: Set<string> }> => {
  const blocs = new Map<string, { names: Names; members: Set<string> }>();
  for (const matrix of matrices) {
    for (const bloc of matrix.blocs) {
      const known = blocs.get(bloc.bloc) ?? { names: bloc.names, members: new Set<string>(registry.blocs.get(bloc.bloc)?.members ?? []) };
      for (const member of bloc.members) known.members.add(member);
      blocs.set(bloc.bloc, known);
    }
  }
  return blocs;
};

const actorRows = (matrices: readonly Matrix[], divergences: Map<string, AlertItem[]>): Map<string, ActorRow> => {
  const rows = new Map<string, ActorRow>();
  for (const matrix of matrices) {
    for (const position of matrix.positions) {
      const row = rows.get(position.actor) ?? { actor: position.actor, names: position.names, cells: {} };
      row.cells[matrix.issue] = { position, divergences: divergences.get(cellKey(matrix.issue, position.actor)) ?? [] };
      rows.set(position.actor, row);
    }
  }
  return rows;
};

export const buildGrid = (
  issues: readonly IssueSummary[],
  matrices: readonly Matrix[],
  openAlerts: readonly AlertItem[],
  registry: RegistryView,
): Grid => {
  const divergences = divergenceIndex(openAlerts);
  const rows = actorRows(matrices, divergences);
  const byId = (a: { actor: string }, b: { actor: string }): number => a.actor.localeCompare(b.actor);
  const grouped = new Set<string>();
  const groups: Group[] = [...blocMembers(matrices, registry)].sort(([a], [b]) => a.localeCompare(b)).map(([id, { names, members }]) => {
    const cells: Group['cells'] = {};
    for (const matrix of matrices) {
      const position = matrix.blocs.find((bloc) => bloc.bloc === id);
      if (position !== undefined) cells[matrix.issue] = { position, divergences: divergences.get(cellKey(matrix.issue, `bloc:${id}`)) ?? [] };
    }
    const memberRows = [...members].flatMap((member) => rows.get(member) ?? []).sort(byId);
    for (const row of memberRows) grouped.add(row.actor);
    return { bloc: { id, names }, cells, rows: memberRows };
  });
  const loose = [...rows.values()].filter((row) => !grouped.has(row.actor)).sort(byId);
  if (loose.length > 0) groups.push({ bloc: null, cells: {}, rows: loose });
  return { issues: [...issues], groups };
};
