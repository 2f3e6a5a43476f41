import { describe, expect, it } from 'vitest';
import type { AlertItem, Matrix, MatrixPosition } from '../../../functions/api/schemas.ts';
import { buildGrid } from '../../../web/src/model/grid.ts';
import { emptyRegistry } from '../../../web/src/model/registry.ts';

const names = (en: string) => ({ en, ar: `${en}-ar` });
const position = (actor: string, issue: string, stance: -2 | -1 | 0 | 1 | 2, hedged = false): MatrixPosition => ({
  actor, names: names(actor), stance, hedged, saidAt: '2025-09-04T10:00:00.000Z', statementId: `${actor}-${issue}`,
  evidence: { statementId: `${actor}-${issue}`, kind: 'statement', actor, issue, stance, hedged, saidAt: '2025-09-04T10:00:00.000Z', source: { outlet: 'x' } },
});
const matrix = (issue: string, positions: MatrixPosition[], members: string[], stance: number | null): Matrix => ({
  issue, title: names(issue), proposition: names(issue), asOf: null, positions,
  blocs: [{ bloc: 'allies', names: names('Allies'), stance, members, basis: members.length, quorum: 1 }],
});
const alert = (kind: AlertItem['kind'], issue: string, actor: string, bloc: string | null, status: AlertItem['status'] = 'open'): AlertItem => ({
  episodeId: `${kind}-${issue}-${actor}`, divergenceId: `${kind}:${issue}:${actor}`, kind, issue, actor, bloc, status, threshold: 2,
  actorStance: -2, otherStance: 2, gap: 4, openedAt: '2025-09-04T10:00:00.000Z', closedAt: null, evidence: { actor: [], other: [] }, evidenceOmitted: { actor: 0, other: 0 },
});

describe('the matrix grid', () => {
  const troops = matrix('troops', [position('france', 'troops', 2), position('germany', 'troops', 0), position('russia', 'troops', -2)], ['france', 'germany'], 2);
  const backstop = matrix('backstop', [position('united-states', 'backstop', 1, true), position('france', 'backstop', 2)], ['france'], 2);
  const issues = [troops, backstop].map((m) => ({ issue: m.issue, title: m.title, proposition: m.proposition, status: 'open' as const }));

  it('groups the actors under their bloc, the bloc row carrying its stance and members counted, and the others apart', () => {
    const grid = buildGrid(issues, [troops, backstop], [], emptyRegistry());

    expect(grid.groups.map((group) => group.bloc?.id ?? null)).toEqual(['allies', null]);
    expect(grid.groups[0]!.rows.map((row) => row.actor)).toEqual(['france', 'germany']);
    expect(grid.groups[0]!.cells['troops']!.position).toMatchObject({ stance: 2, basis: 2 });
    expect(grid.groups[1]!.rows.map((row) => row.actor)).toEqual(['russia', 'united-states']);
    expect(grid.groups[1]!.rows[1]!.cells['backstop']!.position.hedged).toBe(true);
    expect(grid.groups[1]!.rows[0]!.cells['backstop']).toBeUndefined();
  });

  it('marks the cells of each open divergence, the bloc row too, and not those of a closed or withdrawn one', () => {
    const alerts = [
      alert('actor-vs-bloc', 'troops', 'russia', 'allies'),
      alert('bloc-split', 'troops', 'germany', 'allies'),
      alert('reversal', 'backstop', 'united-states', null, 'withdrawn'),
    ];
    const grid = buildGrid(issues, [troops, backstop], alerts, emptyRegistry());

    const [allies, others] = grid.groups;
    expect(others!.rows[0]!.cells['troops']!.divergences.map((a) => a.kind)).toEqual(['actor-vs-bloc']);
    expect(allies!.rows[1]!.cells['troops']!.divergences.map((a) => a.kind)).toEqual(['bloc-split']);
    expect(allies!.cells['troops']!.divergences).toHaveLength(2);
    expect(allies!.rows[0]!.cells['troops']!.divergences).toEqual([]);
    expect(others!.rows[1]!.cells['backstop']!.divergences).toEqual([]);
  });

  it('takes bloc members from the registry when it knows them, so a member without a stance on one issue stays in its group', () => {
    const registry = emptyRegistry();
    registry.blocs.set('allies', { id: 'allies', names: names('Allies'), members: ['france', 'germany', 'russia'], updatedAt: '2025-09-01T00:00:00.000Z' });
    const grid = buildGrid(issues, [backstop], [], registry);

    expect(grid.groups.map((group) => group.bloc?.id ?? null)).toEqual(['allies', null]);
    expect(grid.groups[0]!.rows.map((row) => row.actor)).toEqual(['france']);
  });
});
