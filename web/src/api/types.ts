/**
 * The shapes the app reads and sends. The read API's are the server's own zod-inferred types
 * (functions/api/schemas.ts, type-only: nothing of the server is bundled); the desk's follow the
 * write API's contract (POST /desk/events, /desk/preview, GET /me).
 */
export type {
  AlertItem, ChangeItem, ChangesPage, IssueSummary, Matrix, MatrixPosition, BlocPosition, ActorHistory, AlertsPage,
} from '../../../functions/api/schemas.ts';
export type { Evidence } from '../../../events/outbound/evidence.ts';
export type { Names } from '../../../events/common.ts';

export type Role = 'editor' | 'reader';

export interface Me {
  role: Role;
  scopes: string[];
}

export interface FieldProblem {
  /** Dotted path inside the event's detail, e.g. `quote.lang`; `detailType` for the type itself. */
  field: string;
  reason: string;
}

export interface DeskEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

export interface Accepted {
  eventId: string;
  detailType: string;
  source: string;
}

export type PreviewEffect =
  | { kind: 'position'; actor: string; issue: string; from: number | null; to: number | null }
  | { kind: 'divergence-opens' | 'divergence-closes'; watch: string; issue: string; divergenceId: string; label: { en: string; ar: string } };

export interface Preview {
  effects: PreviewEffect[];
  summary: { en: string[]; ar: string[] };
}
