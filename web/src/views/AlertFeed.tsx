/** The alert feed: open, closed and withdrawn divergences with both sides' evidence, filterable. */
import { useState } from 'preact/hooks';
import type { AlertItem, IssueSummary, Names } from '../api/types.ts';
import { nameIn, type RegistryView } from '../model/registry.ts';
import { formatStance } from '../model/stance.ts';
import { formatInstant, useI18n } from './i18n-context.ts';
import { Statement } from './Statement.tsx';

export interface AlertFeedProps {
  alerts: readonly AlertItem[];
  issues: readonly IssueSummary[];
  registry: RegistryView;
  /** Names of actors and blocs seen in the matrices, for those the registry has not loaded yet. */
  names: ReadonlyMap<string, Names>;
}

interface Filters {
  issue: string;
  actor: string;
  kind: string;
  status: string;
}

const matches = (alert: AlertItem, filters: Filters): boolean =>
  (filters.issue === '' || alert.issue === filters.issue) &&
  (filters.actor === '' || alert.actor === filters.actor) &&
  (filters.kind === '' || alert.kind === filters.kind) &&
  (filters.status === '' || alert.status === filters.status);

function FilterSelect({ id, label, value, onChange, options }: {
  id: string; label: string; value: string; onChange: (value: string) => void; options: Array<{ value: string; label: string }>;
}) {
  return (
    <span class="filter">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange((event.currentTarget as HTMLSelectElement).value)}>
        {options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
      </select>
    </span>
  );
}

function AlertCard({ alert, registry, names, issueTitle }: { alert: AlertItem; registry: RegistryView; names: AlertFeedProps['names']; issueTitle: string }) {
  const { lang, t } = useI18n();
  const actor = nameIn(registry.actors.get(alert.actor)?.names ?? names.get(alert.actor), lang, alert.actor);
  const other = alert.bloc === null ? null : nameIn(registry.blocs.get(alert.bloc)?.names ?? names.get(`bloc:${alert.bloc}`), lang, alert.bloc);
  const withdrawal = registry.withdrawals.get(alert.episodeId);
  return (
    <li class={`alert alert-${alert.status}`} data-alert={alert.episodeId} data-status={alert.status} data-divergence={alert.divergenceId} data-key={`${alert.kind} ${alert.issue} ${alert.actor} ${alert.bloc ?? '-'}`}>
      <h3>
        <span class={`status-badge status-${alert.status}`}>{t.statusNames[alert.status] ?? alert.status}</span>{' '}
        <bdi>{actor}</bdi>{other === null ? null : <> {t.against} <bdi>{other}</bdi></>} · <bdi>{issueTitle}</bdi>
      </h3>
      <p class="alert-facts">
        {t.kindNames[alert.kind] ?? alert.kind} · <bdi dir="ltr">{formatStance(alert.actorStance)} / {formatStance(alert.otherStance)}</bdi> · {t.gap} {alert.gap}
        {' · '}{t.opened} <time dateTime={alert.openedAt}>{formatInstant(alert.openedAt, lang)}</time>
        {alert.closedAt === null ? null : <>{' · '}{t.closed} <time dateTime={alert.closedAt}>{formatInstant(alert.closedAt, lang)}</time></>}
      </p>
      {withdrawal === undefined ? null : (
        <p class="revision"><strong>{withdrawal.kind === 'retraction' ? t.retracted : t.corrected}: </strong><bdi>{withdrawal.reason}</bdi></p>
      )}
      <details>
        <summary>{t.evidence}</summary>
        <div class="sides">
          <section><h4>{t.actorSide}</h4>{alert.evidence.actor.map((s) => <Statement key={s.statementId} statement={s} registry={registry} />)}</section>
          <section><h4>{t.otherSide}</h4>{alert.evidence.other.map((s) => <Statement key={s.statementId} statement={s} registry={registry} />)}</section>
        </div>
      </details>
    </li>
  );
}

export function AlertFeed({ alerts, issues, registry, names }: AlertFeedProps) {
  const { lang, t } = useI18n();
  const [filters, setFilters] = useState<Filters>({ issue: '', actor: '', kind: '', status: '' });
  const set = (key: keyof Filters) => (value: string) => setFilters((old) => ({ ...old, [key]: value }));
  const issueTitle = (id: string): string => issues.find((issue) => issue.issue === id)?.title[lang] ?? id;
  const actorIds = [...new Set(alerts.map((alert) => alert.actor))].sort();
  const shown = alerts.filter((alert) => matches(alert, filters));
  return (
    <section class="alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t.alerts} ({shown.filter((alert) => alert.status === 'open').length} {t.statusNames['open']})</h2>
      <fieldset class="filters">
        <legend>{t.alertFilters}</legend>
        <FilterSelect id="filter-issue" label={t.issue} value={filters.issue} onChange={set('issue')}
          options={[{ value: '', label: t.allIssues }, ...issues.map((issue) => ({ value: issue.issue, label: issue.title[lang] }))]} />
        <FilterSelect id="filter-actor" label={t.actor} value={filters.actor} onChange={set('actor')}
          options={[{ value: '', label: t.allActors }, ...actorIds.map((id) => ({ value: id, label: nameIn(registry.actors.get(id)?.names ?? names.get(id), lang, id) }))]} />
        <FilterSelect id="filter-kind" label={t.kind} value={filters.kind} onChange={set('kind')}
          options={[{ value: '', label: t.allKinds }, ...Object.entries(t.kindNames).map(([value, label]) => ({ value, label }))]} />
        <FilterSelect id="filter-status" label={t.status} value={filters.status} onChange={set('status')}
          options={[{ value: '', label: t.allStatuses }, ...Object.entries(t.statusNames).map(([value, label]) => ({ value, label }))]} />
      </fieldset>
      {shown.length === 0 ? <p>{t.noAlerts}</p> : (
        <ul class="alert-list">
          {shown.map((alert) => <AlertCard key={alert.episodeId} alert={alert} registry={registry} names={names} issueTitle={issueTitle(alert.issue)} />)}
        </ul>
      )}
    </section>
  );
}
