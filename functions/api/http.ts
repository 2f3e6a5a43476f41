/**
 * The read API's HTTP vocabulary: the request and response it handles, whoever carries them (API
 * Gateway in AWS, node:http locally), and the response headers every answer has.
 */
import { CSV_CONTENT_TYPE } from './csv.ts';

export interface ReadApiRequest {
  method: string;
  /** The path without the query string, percent-encoded as received (`/issues/western-troops-in-ukraine/positions`). */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string | undefined>;
  /** Header names in any case. */
  headers: Record<string, string | undefined>;
}

export interface ReadApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type ReadApi = (request: ReadApiRequest) => Promise<ReadApiResponse>;

export const JSON_TYPE = 'application/json';
export const CSV_TYPE = 'text/csv';

/** What a route can answer with, in the order it prefers them. */
export type MediaType = typeof JSON_TYPE | typeof CSV_TYPE;

const baseHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  // Positions change by the minute and the data is behind authentication: no shared caches.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

export const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ReadApiResponse => ({
  statusCode,
  headers: { ...baseHeaders(`${JSON_TYPE}; charset=utf-8`), ...headers },
  body: JSON.stringify(body),
});

/** A CSV download named `<name>.csv`. */
export const csvResponse = (name: string, body: string, headers: Record<string, string> = {}): ReadApiResponse => ({
  statusCode: 200,
  headers: { ...baseHeaders(CSV_CONTENT_TYPE), 'content-disposition': `attachment; filename="${name}.csv"`, ...headers },
  body,
});

export const lowerCaseKeys = (headers: Record<string, string | undefined>): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
