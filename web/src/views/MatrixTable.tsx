/**
 * The matrix: actors grouped by bloc (each bloc's own row first: its stance and how many members
 * it rests on) by issues. A cell shows the stance as a number on the diverging colour scale, marks
 * a hedged stance (~) and an open divergence (a heavy ring and !), and opens its evidence.
 */
import type { AlertItem } from '../api/types.ts';
import type { ActorCell, ActorRow, BlocCell, Grid, Group } from '../model/grid.ts';
import { formatStance, stanceClass, STANCE_STEPS } from '../model/stance.ts';
import { useI18n } from './i18n-context.ts';

export interface CellRef {
  actor: string;
  issue: string;
}

const divergenceText = (alerts: readonly AlertItem[], t: ReturnType<typeof useI18n>['t']): string =>
  alerts.length === 0 ? '' : `, ${t.divergent}`;

function ActorCellView({ row, issue, cell, onOpen, selected }: {
  row: ActorRow; issue: { issue: string; name: string }; cell: ActorCell | undefined; onOpen: (ref: CellRef) => void; selected: boolean;
}) {
  const { lang, t } = useI18n();
  if (cell === undefined) return <td class="cell-empty"><span class="visually-hidden">{t.noStance}</span></td>;
  const { stance, hedged } = cell.position;
  const diverged = cell.divergences.length > 0;
  const label = `${row.names[lang]}, ${issue.name}: ${formatStance(stance)} ${t.stanceNames[String(stance)] ?? ''}${hedged ? `, ${t.hedged}` : ''}${divergenceText(cell.divergences, t)}`;
  return (
    <td class={diverged ? 'cell-diverged' : undefined}>
      <button
        type="button"
        class={`cell ${stanceClass(stance)}${hedged ? ' hedged' : ''}${diverged ? ' diverged' : ''}`}
        data-actor={row.actor}
        data-issue={issue.issue}
        data-stance={String(stance)}
        aria-label={label}
        aria-pressed={selected}
        onClick={() => onOpen({ actor: row.actor, issue: issue.issue })}
      >
        <span class="cell-value" dir="ltr" aria-hidden="true">{formatStance(stance)}</span>
        {hedged ? <span class="mark mark-hedged" aria-hidden="true">~</span> : null}
        {diverged ? <span class="mark mark-diverged" aria-hidden="true">!</span> : null}
      </button>
    </td>
  );
}

function BlocCellView({ cell, name }: { cell: BlocCell | undefined; name: string }) {
  const { t } = useI18n();
  if (cell === undefined) return <td class="cell-empty"><span class="visually-hidden">{t.noStance}</span></td>;
  const { stance, basis } = cell.position;
  const diverged = cell.divergences.length > 0;
  return (
    <td class={`bloc-cell ${stanceClass(stance)}${diverged ? ' diverged' : ''}`} data-bloc-issue={name}>
      <span class="cell-value" dir="ltr">{formatStance(stance)}</span>
      <span class="basis"> ({basis} {basis === 1 ? t.blocMember : t.blocMembers})</span>
      {diverged ? <span class="mark mark-diverged" aria-hidden="true">!</span> : null}
      {diverged ? <span class="visually-hidden">, {t.divergent}</span> : null}
    </td>
  );
}

function GroupRows({ group, issues, onOpen, selected }: {
  group: Group; issues: Array<{ issue: string; name: string }>; onOpen: (ref: CellRef) => void; selected: CellRef | null;
}) {
  const { lang, t } = useI18n();
  return (
    <tbody data-group={group.bloc?.id ?? 'none'}>
      <tr class="group-row">
        <th scope="row" class="row-head bloc-head">
          {group.bloc === null ? t.notInBloc : <><span class="bloc-label">{t.bloc}: </span><bdi>{group.bloc.names[lang]}</bdi></>}
        </th>
        {issues.map((issue) =>
          group.bloc === null ? <td key={issue.issue} /> : <BlocCellView key={issue.issue} cell={group.cells[issue.issue]} name={issue.issue} />,
        )}
      </tr>
      {group.rows.map((row) => (
        <tr key={row.actor} data-actor-row={row.actor}>
          <th scope="row" class="row-head"><bdi>{row.names[lang]}</bdi></th>
          {issues.map((issue) => (
            <ActorCellView
              key={issue.issue}
              row={row}
              issue={issue}
              cell={row.cells[issue.issue]}
              onOpen={onOpen}
              selected={selected?.actor === row.actor && selected.issue === issue.issue}
            />
          ))}
        </tr>
      ))}
    </tbody>
  );
}

export function Legend() {
  const { t } = useI18n();
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h3 id="legend-title">{t.legend}</h3>
      <ul>
        {STANCE_STEPS.map((step) => (
          <li key={step}><span class={`swatch ${stanceClass(step)}`} dir="ltr" aria-hidden="true">{formatStance(step)}</span> <bdi dir="ltr">{formatStance(step)}</bdi> {t.stanceNames[String(step)]}</li>
        ))}
        <li><span class="swatch stance-0 hedged" aria-hidden="true">~</span> {t.legendHedged}</li>
        <li class="legend-diverged"><span class="swatch stance-0 diverged" aria-hidden="true">!</span> {t.legendDivergent}</li>
        <li><span class="swatch bloc-swatch" aria-hidden="true">n</span> {t.legendBloc}</li>
      </ul>
    </section>
  );
}

export function MatrixTable({ grid, onOpen, selected }: { grid: Grid; onOpen: (ref: CellRef) => void; selected: CellRef | null }) {
  const { lang, t } = useI18n();
  const issues = grid.issues.map((issue) => ({ issue: issue.issue, name: issue.title[lang] }));
  return (
    <div class="matrix-scroll">
      <table class="matrix" id="matrix">
        <caption class="visually-hidden">{t.matrix}</caption>
        <thead>
          <tr>
            <th scope="col" class="row-head">{t.actor}</th>
            {issues.map((issue) => (
              <th scope="col" key={issue.issue} data-issue-head={issue.issue}><bdi>{issue.name}</bdi></th>
            ))}
          </tr>
        </thead>
        {grid.groups.map((group) => (
          <GroupRows key={group.bloc?.id ?? 'none'} group={group} issues={issues} onOpen={onOpen} selected={selected} />
        ))}
      </table>
    </div>
  );
}
