/**
 * What a cell rests on: the actor's statements on the issue (latest first, the one the stance
 * rests on marked), their timeline, and every correction or retraction known for them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.ts';
import type { ActorHistory, Evidence, MatrixPosition } from '../api/types.ts';
import { fill } from '../i18n/strings.ts';
import type { RegistryView } from '../model/registry.ts';
import { formatStance } from '../model/stance.ts';
import { useI18n } from './i18n-context.ts';
import { Statement } from './Statement.tsx';
import { TimelineChart } from './TimelineChart.tsx';

const MAX_HISTORY_PAGES = 10;

async function historyOf(client: ApiClient, actor: string, issue: string): Promise<Evidence[]> {
  const statements: Evidence[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
    const answer = await client.get<ActorHistory>(`/actors/${encodeURIComponent(actor)}/history`, { issue, limit: '100', cursor });
    statements.push(...answer.statements);
    if (answer.nextCursor === null) break;
    cursor = answer.nextCursor;
  }
  return statements;
}

export interface EvidencePanelProps {
  client: ApiClient;
  position: MatrixPosition;
  issueName: string;
  registry: RegistryView;
  asOf: string | null;
  /** Changes whenever the dashboard refreshed, so the panel reads the history again. */
  revision: number;
  onClose: () => void;
}

export function EvidencePanel({ client, position, issueName, registry, asOf, revision, onClose }: EvidencePanelProps) {
  const { lang, t } = useI18n();
  const [history, setHistory] = useState<Evidence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const { actor, issue } = position.evidence;

  useEffect(() => heading.current?.focus(), [actor, issue]);
  useEffect(() => {
    let current = true;
    historyOf(client, actor, issue)
      .then((statements) => current && (setHistory(statements), setError(null)))
      .catch((failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)));
    return () => void (current = false);
  }, [client, actor, issue, revision]);

  const cutoff = asOf === null ? null : Date.parse(asOf);
  const shown = (history ?? [position.evidence]).filter((statement) => cutoff === null || Date.parse(statement.saidAt) <= cutoff);
  const latestFirst = [...shown].reverse();
  const actorName = position.names[lang];
  return (
    <section class="evidence" aria-labelledby="evidence-title" id="evidence" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <header class="panel-head">
        <h2 id="evidence-title" tabIndex={-1} ref={heading}>
          {t.evidence}: <bdi>{actorName}</bdi> · <bdi>{issueName}</bdi> (<bdi dir="ltr">{formatStance(position.stance)}</bdi>)
        </h2>
        <button type="button" class="close" onClick={onClose}>{t.close}</button>
      </header>
      {error === null ? null : <p role="alert" class="error">{error}</p>}
      <TimelineChart statements={shown} title={fill(t.timelineOf, { actor: actorName, issue: issueName })} />
      <h3>{t.statementsBehind}</h3>
      <ol class="statements">
        {latestFirst.map((statement) => (
          <li key={statement.statementId} class={statement.statementId === position.statementId ? 'current' : undefined}>
            <Statement statement={statement} registry={registry} />
          </li>
        ))}
      </ol>
    </section>
  );
}
