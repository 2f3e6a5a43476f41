/** The dashboard: as-of control, the matrix with its legend, the evidence of the open cell, the alert feed. */
import { useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.ts';
import type { Names } from '../api/types.ts';
import { buildGrid } from '../model/grid.ts';
import { AlertFeed } from './AlertFeed.tsx';
import { EvidencePanel } from './EvidencePanel.tsx';
import { formatInstant, useI18n } from './i18n-context.ts';
import { Legend, MatrixTable, type CellRef } from './MatrixTable.tsx';
import type { TrackerData } from './use-tracker.ts';

/** A date picked in the control means the end of that UTC day, as the API reads a bare date. */
export const endOfDay = (date: string): string => `${date}T23:59:59.999Z`;

export function AsOfControl({ asOf, onChange }: { asOf: string | null; onChange: (date: string | null) => void }) {
  const { lang, t } = useI18n();
  return (
    <form class="as-of" onSubmit={(event) => event.preventDefault()}>
      <label for="as-of-date">{t.asOf}</label>
      <input
        id="as-of-date"
        type="date"
        aria-describedby="as-of-hint"
        value={asOf === null ? '' : asOf.slice(0, 10)}
        onChange={(event) => {
          const value = (event.currentTarget as HTMLInputElement).value;
          onChange(value === '' ? null : value);
        }}
      />
      <button type="button" onClick={() => onChange(null)} disabled={asOf === null}>{t.now}</button>
      <span id="as-of-hint" class="hint">{t.asOfHint}</span>
      {asOf === null ? null : <p class="as-of-banner" role="status">{t.showingAsOf} {formatInstant(asOf, lang)}</p>}
    </form>
  );
}

export function Dashboard({ client, data, asOf, onAsOf }: { client: ApiClient; data: TrackerData; asOf: string | null; onAsOf: (date: string | null) => void }) {
  const { lang, t } = useI18n();
  const [selected, setSelected] = useState<CellRef | null>(null);
  const openAlerts = useMemo(() => data.alerts.filter((alert) => alert.status === 'open'), [data.alerts]);
  // Divergences are the record as it is now: as of a past date, no cell is highlighted for them.
  const grid = useMemo(() => buildGrid(data.issues, data.matrices, asOf === null ? openAlerts : [], data.registry), [data.issues, data.matrices, openAlerts, data.registry, data.revision, asOf]);
  const names = useMemo(() => {
    const known = new Map<string, Names>();
    for (const matrix of data.matrices) {
      for (const position of matrix.positions) known.set(position.actor, position.names);
      for (const bloc of matrix.blocs) known.set(`bloc:${bloc.bloc}`, bloc.names);
    }
    return known;
  }, [data.matrices]);
  const position = selected === null ? undefined : data.matrices.find((m) => m.issue === selected.issue)?.positions.find((p) => p.actor === selected.actor);
  const issueName = selected === null ? '' : (data.issues.find((issue) => issue.issue === selected.issue)?.title[lang] ?? selected.issue);

  if (data.error !== null) return <p role="alert" class="error">{data.error}</p>;
  if (data.loading) return <p class="loading" role="status">{t.loading}</p>;
  return (
    <div class="dashboard">
      <div class="toolbar">
        <AsOfControl asOf={asOf === null ? null : endOfDay(asOf)} onChange={onAsOf} />
        <p class={`live${data.liveError === null ? '' : ' live-error'}`} role="status">
          {data.liveError === null ? t.live : `${t.liveError}${data.liveError}`}
        </p>
      </div>
      <div class="matrix-area">
        <section class="matrix-section" aria-labelledby="matrix-title">
          <h2 id="matrix-title">{t.matrix}</h2>
          <MatrixTable grid={grid} onOpen={setSelected} selected={selected} />
          <Legend />
        </section>
        {position === undefined ? null : (
          <EvidencePanel
            client={client}
            position={position}
            issueName={issueName}
            registry={data.registry}
            asOf={asOf === null ? null : endOfDay(asOf)}
            revision={data.revision}
            onClose={() => {
              // Back to the cell the panel was opened from, so the keyboard does not lose its place.
              const from = document.querySelector<HTMLButtonElement>(`button.cell[data-actor="${selected?.actor}"][data-issue="${selected?.issue}"]`);
              setSelected(null);
              from?.focus();
            }}
          />
        )}
      </div>
      <AlertFeed alerts={data.alerts} issues={data.issues} registry={data.registry} names={names} />
    </div>
  );
}
