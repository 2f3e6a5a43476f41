/**
 * The dashboard's data: the issues, each issue's matrix (as of a date, or now), the alert feed and
 * the registry, kept current by following the change feed every ~2 s: a change to an issue
 * refetches that issue's matrix, any statement or divergence change refetches the alerts.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.ts';
import type { AlertItem, AlertsPage, ChangesPage, IssueSummary, Matrix } from '../api/types.ts';
import { ChangeFollower, affected } from '../model/change-follower.ts';
import { applyChanges, emptyRegistry, type RegistryView } from '../model/registry.ts';

export const POLL_INTERVAL_MS = 2_000;
const MAX_ALERT_PAGES = 10;

export interface TrackerData {
  loading: boolean;
  error: string | null;
  issues: IssueSummary[];
  matrices: Matrix[];
  alerts: AlertItem[];
  registry: RegistryView;
  /** Bumped on every refresh, so views holding derived data (an open evidence panel) refresh too. */
  revision: number;
  liveError: string | null;
}

async function allAlerts(client: ApiClient): Promise<AlertItem[]> {
  const alerts: AlertItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_ALERT_PAGES; page += 1) {
    const answer = await client.get<AlertsPage>('/alerts', { limit: '100', cursor });
    alerts.push(...answer.alerts);
    if (answer.nextCursor === null) break;
    cursor = answer.nextCursor;
  }
  return alerts;
}

const matrixOf = (client: ApiClient, issue: string, asOf: string | null): Promise<Matrix> =>
  client.get<Matrix>(`/issues/${encodeURIComponent(issue)}/positions`, { asOf: asOf ?? undefined });

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function useTracker(client: ApiClient, asOf: string | null): TrackerData {
  const [data, setData] = useState<TrackerData>({
    loading: true, error: null, issues: [], matrices: [], alerts: [], registry: emptyRegistry(), revision: 0, liveError: null,
  });
  const asOfRef = useRef(asOf);
  asOfRef.current = asOf;

  const refreshMatrices = useCallback(async (issues: readonly string[]) => {
    const fresh = await Promise.all(issues.map((issue) => matrixOf(client, issue, asOfRef.current)));
    setData((old) => {
      const byIssue = new Map(old.matrices.map((matrix) => [matrix.issue, matrix]));
      for (const matrix of fresh) byIssue.set(matrix.issue, matrix);
      const order = old.issues.map((issue) => issue.issue);
      return { ...old, matrices: order.flatMap((issue) => byIssue.get(issue) ?? []), revision: old.revision + 1 };
    });
  }, [client]);

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const registry = emptyRegistry();
    const follower = new ChangeFollower((query) => client.get<ChangesPage>('/changes', query));
    const load = async (): Promise<void> => {
      const pendingAlerts = allAlerts(client);
      // Awaited below; marked handled now so a failed /issues does not also report it unhandled.
      pendingAlerts.catch(() => undefined);
      const { issues } = await client.get<{ issues: IssueSummary[] }>('/issues');
      const [matrices, alerts] = await Promise.all([Promise.all(issues.map((issue) => matrixOf(client, issue.issue, asOfRef.current))), pendingAlerts]);
      if (stopped) return;
      setData((old) => ({ ...old, loading: false, error: null, issues, matrices, alerts, revision: old.revision + 1 }));
      applyChanges(registry, await follower.poll());
      if (!stopped) setData((old) => ({ ...old, registry, revision: old.revision + 1 }));
    };
    const tick = async (): Promise<void> => {
      try {
        const changes = await follower.poll();
        if (changes.length > 0) {
          applyChanges(registry, changes);
          const { issues, alerts, registry: registryChanged } = affected(changes);
          const issueList = registryChanged ? (await client.get<{ issues: IssueSummary[] }>('/issues')).issues : null;
          if (issueList !== null) setData((old) => ({ ...old, issues: issueList }));
          const toRefresh = issueList !== null ? issueList.map((issue) => issue.issue) : [...issues];
          await refreshMatrices(toRefresh);
          const freshAlerts = alerts ? await allAlerts(client) : null;
          setData((old) => ({ ...old, registry, ...(freshAlerts === null ? {} : { alerts: freshAlerts }), liveError: null, revision: old.revision + 1 }));
        } else {
          setData((old) => (old.liveError === null ? old : { ...old, liveError: null }));
        }
      } catch (error) {
        setData((old) => ({ ...old, liveError: message(error) }));
      }
      if (!stopped) timer = window.setTimeout(() => void tick(), POLL_INTERVAL_MS);
    };
    load()
      .then(() => {
        if (!stopped) timer = window.setTimeout(() => void tick(), POLL_INTERVAL_MS);
      })
      .catch((error: unknown) => setData((old) => ({ ...old, loading: false, error: message(error) })));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [client, refreshMatrices]);

  useEffect(() => {
    if (data.loading) return;
    refreshMatrices(data.issues.map((issue) => issue.issue)).catch((error: unknown) => setData((old) => ({ ...old, error: message(error) })));
    // Only a new as-of date asks for every matrix again; live changes refresh what they touch.
  }, [asOf]);

  return data;
}
