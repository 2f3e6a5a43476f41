/**
 * The app's one way to the API: every request carries the bearer credential, and every answer
 * that is not a success becomes an `ApiError` with the status, the server's message and, on a
 * 400 from the desk, every problem by field.
 */
import type { Accepted, DeskEvent, FieldProblem, Me, Preview } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** '' for the app's own origin, else the API's base URL. */
  baseUrl: string;
  token: () => string | null;
  /** Called on 401, so the app can ask for the credential again. */
  onUnauthorised?: () => void;
  fetch?: typeof fetch;
}

const readProblems = (body: unknown): FieldProblem[] => {
  if (body === null || typeof body !== 'object' || !('problems' in body) || !Array.isArray(body.problems)) return [];
  return body.problems.flatMap((problem: unknown) => {
    if (problem === null || typeof problem !== 'object') return [];
    const { field, reason } = problem as { field?: unknown; reason?: unknown };
    return typeof field === 'string' && typeof reason === 'string' ? [{ field, reason }] : [];
  });
};

const readMessage = (body: unknown, status: number): string => {
  if (body !== null && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return `the API answered ${status}`;
};

export class ApiClient {
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
    const search = params.size > 0 ? `?${params.toString()}` : '';
    return this.request<T>('GET', `${path}${search}`);
  }

  me(): Promise<Me> {
    return this.get<Me>('/me');
  }

  send(event: DeskEvent): Promise<Accepted> {
    return this.request<Accepted>('POST', '/desk/events', event);
  }

  preview(event: DeskEvent): Promise<Preview> {
    return this.request<Preview>('POST', '/desk/preview', event);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.options.token();
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetcher(`${this.options.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'omit',
    });
    const parsed: unknown = await response.json().catch(() => null);
    if (response.ok) return parsed as T;
    if (response.status === 401) this.options.onUnauthorised?.();
    throw new ApiError(response.status, readMessage(parsed, response.status), readProblems(parsed));
  }
}
