/**
 * The read API's route table, the one list of what it serves: per route the method and path
 * template, the authorizer scope a caller needs, its parameters and response (zod), the media types
 * it answers in, the errors it documents, and the function that answers it. The router dispatches
 * on it, the CDK construct builds API Gateway's routes and scopes from it, and the OpenAPI document
 * is generated from it.
 */
import * as z from '../../events/zod.ts';
import type { PositionReader } from '../application/read-model.ts';
import { NotFoundError } from '../application/read-store.ts';
import type { SnapshotStore } from '../application/snapshots.ts';
import { changesCsv, historyCsv, matrixCsv } from './csv.ts';
import { HttpError } from './errors.ts';
import type { ApiScope } from './scopes.ts';
import { CSV_TYPE, JSON_TYPE, csvResponse, jsonResponse, type MediaType, type ReadApiResponse } from './http.ts';
import {
  actorHistory, actorParam, actorPositions, alertsPage, alertsQuery, changesPage, changesQuery, historyQuery, issueList, issueParam, matrix,
  matrixQuery,
  quarantinePage, quarantineQuery, snapshotLink,
} from './schemas.ts';

export { API_SCOPES, type ApiScope } from './scopes.ts';

export type RouteId =
  | 'listIssues' | 'issueMatrix' | 'issueSnapshot' | 'actorPositions' | 'actorHistory' | 'alerts' | 'changes' | 'quarantine' | 'openapi';

/** What the route functions answer from. */
export interface RouteDeps {
  reader: PositionReader;
  /** Without it, GET /issues/{issue}/snapshot answers 501. */
  snapshots?: Pick<SnapshotStore, 'link'> | undefined;
  openApiDocument: () => unknown;
}

type ParamSchemas = Record<string, z.ZodMiniType>;

export interface RouteRequest<P extends ParamSchemas, Q> {
  /** Decoded and validated. */
  params: { readonly [K in keyof P]: string };
  /** Validated, with defaults applied. */
  query: Q;
  /** The media type negotiated among the route's `mediaTypes`. */
  mediaType: MediaType;
}

/** The errors a route can answer with beyond those of every route (400 on bad parameters, 401, 406, 500). */
export type RouteErrors = Partial<Record<'NotFound' | 'NotImplemented', string>>;

export interface RouteSpec<P extends ParamSchemas = ParamSchemas, Q extends z.ZodMiniObject = z.ZodMiniObject> {
  id: RouteId;
  method: 'GET';
  /** Path template, as OpenAPI and API Gateway write it. */
  path: string;
  scope: ApiScope;
  summary: string;
  description?: string;
  pathParams: P;
  /** Without it, the route takes no query parameter. */
  query?: Q;
  response: z.ZodMiniType;
  /** What the route answers in, preferred first: JSON always, CSV on some. */
  mediaTypes: readonly [typeof JSON_TYPE, ...MediaType[]];
  /** Each with what it means on this route. */
  errors: RouteErrors;
  handle(request: RouteRequest<P, z.infer<Q>>, deps: RouteDeps): Promise<ReadApiResponse>;
}

const route = <P extends ParamSchemas, Q extends z.ZodMiniObject = z.ZodMiniObject>(spec: RouteSpec<P, Q>): RouteSpec => spec;

export const ROUTES: readonly RouteSpec[] = [
  route({
    id: 'listIssues',
    method: 'GET',
    path: '/issues',
    scope: 'read',
    summary: 'The issues the tracker follows',
    pathParams: {},
    response: issueList,
    mediaTypes: [JSON_TYPE],
    errors: {},
    handle: async (_request, { reader }) => jsonResponse(200, { issues: await reader.listIssues() }),
  }),
  route({
    id: 'issueMatrix',
    method: 'GET',
    path: '/issues/{issue}/positions',
    scope: 'read',
    summary: "The position matrix of an issue: every actor's stance with its latest evidence, and each bloc's stance",
    description:
      'With `asOf`, the matrix as it stood then. `Accept: text/csv` returns one row per actor (UTF-8 with BOM; formula-leading text cells defused unless `raw=true`).',
    pathParams: { issue: issueParam },
    query: matrixQuery,
    response: matrix,
    mediaTypes: [JSON_TYPE, CSV_TYPE],
    errors: { NotFound: 'Unknown issue.' },
    handle: async ({ params: { issue }, query: { asOf, raw }, mediaType }, { reader }) => {
      const found = await reader.issueMatrix(issue, asOf);
      if (mediaType !== CSV_TYPE) return jsonResponse(200, found);
      const name = asOf === undefined ? `${issue}-positions` : `${issue}-positions-${asOf.slice(0, 10)}`;
      return csvResponse(name, matrixCsv(found, await reader.registry(), { raw: raw === true }));
    },
  }),
  route({
    id: 'issueSnapshot',
    method: 'GET',
    path: '/issues/{issue}/snapshot',
    scope: 'read',
    summary: "Where to fetch the issue's latest JSON snapshot (for graphics)",
    pathParams: { issue: issueParam },
    response: snapshotLink,
    mediaTypes: [JSON_TYPE],
    errors: { NotFound: 'Unknown issue, or no snapshot written for it yet.', NotImplemented: 'Snapshots are not configured here.' },
    handle: async ({ params: { issue } }, { reader, snapshots }) => {
      if (snapshots === undefined) throw new HttpError('NotImplemented', 'snapshots are not configured on this deployment');
      if (!(await reader.registry()).issues.has(issue)) throw new NotFoundError('issue', 'issue', issue);
      const link = await snapshots.link(issue);
      if (link === null) throw new HttpError('NotFound', `no snapshot has been written for '${issue}' yet`, 'issue');
      return jsonResponse(200, link);
    },
  }),
  route({
    id: 'actorPositions',
    method: 'GET',
    path: '/actors/{actor}/positions',
    scope: 'read',
    summary: "An actor's current stance on every issue",
    pathParams: { actor: actorParam },
    response: actorPositions,
    mediaTypes: [JSON_TYPE],
    errors: { NotFound: 'Unknown actor.' },
    handle: async ({ params: { actor } }, { reader }) => jsonResponse(200, await reader.actorPositions(actor)),
  }),
  route({
    id: 'actorHistory',
    method: 'GET',
    path: '/actors/{actor}/history',
    scope: 'read',
    summary: "An actor's timeline: every statement, in said order, with cursor pagination",
    description:
      '`Accept: text/csv` returns one row per statement of the page (UTF-8 with BOM; formula-leading text cells defused unless `raw=true`), and the next page\'s cursor in the `x-next-cursor` response header (absent on the last page).',
    pathParams: { actor: actorParam },
    query: historyQuery,
    response: actorHistory,
    mediaTypes: [JSON_TYPE, CSV_TYPE],
    errors: { NotFound: 'Unknown actor, or an unknown `issue`.' },
    handle: async ({ params: { actor }, query: { issue, raw, cursor, limit }, mediaType }, { reader }) => {
      const history = await reader.actorHistory(actor, { ...(issue === undefined ? {} : { issue }), ...(cursor === undefined ? {} : { cursor }), limit });
      if (mediaType !== CSV_TYPE) return jsonResponse(200, history);
      const name = issue === undefined ? `${actor}-history` : `${actor}-${issue}-history`;
      // A CSV body has no room for the cursor, so it travels in a header.
      const next: Record<string, string> = history.nextCursor === null ? {} : { 'x-next-cursor': history.nextCursor };
      return csvResponse(name, historyCsv(history, await reader.registry(), { raw: raw === true }), next);
    },
  }),
  route({
    id: 'alerts',
    method: 'GET',
    path: '/alerts',
    scope: 'read',
    summary: 'The alert feed: divergence episodes, latest activity first, with cursor pagination',
    pathParams: {},
    query: alertsQuery,
    response: alertsPage,
    mediaTypes: [JSON_TYPE],
    errors: { NotFound: 'An unknown `issue` or `actor`.' },
    handle: async ({ query }, { reader }) => jsonResponse(200, await reader.alerts(query)),
  }),
  route({
    id: 'changes',
    method: 'GET',
    path: '/changes',
    scope: 'read',
    summary: 'The change feed: every change to the record in the order it was recorded, with cursor pagination',
    description:
      'Statements applied, position changes, corrections and retractions, divergences opened, closed, withdrawn or reinstated, and registry changes, each with a stable id. `Accept: text/csv` returns one row per change of the page (UTF-8 with BOM; formula-leading text cells defused unless `raw=true`) and the next page\'s cursor in the `x-next-cursor` response header (absent on the last page).',
    pathParams: {},
    query: changesQuery,
    response: changesPage,
    mediaTypes: [JSON_TYPE, CSV_TYPE],
    errors: { NotFound: 'An unknown `issue`.' },
    handle: async ({ query: { since, issue, raw, cursor, limit }, mediaType }, { reader }) => {
      const page = await reader.changes({
        ...(since === undefined ? {} : { since }), ...(issue === undefined ? {} : { issue }), ...(cursor === undefined ? {} : { cursor }), limit,
      });
      if (mediaType !== CSV_TYPE) return jsonResponse(200, page);
      const next: Record<string, string> = page.nextCursor === null ? {} : { 'x-next-cursor': page.nextCursor };
      return csvResponse(issue === undefined ? 'changes' : `${issue}-changes`, changesCsv(page, { raw: raw === true }), next);
    },
  }),
  route({
    id: 'quarantine',
    method: 'GET',
    path: '/quarantine',
    scope: 'quarantine',
    summary: 'Rejected inbound events, newest first, with the field at fault and the body as received, with cursor pagination',
    description:
      'Events the processor refused (invalid against their contract, naming what the registry does not know, or not an input) are kept rather than retried; this is where an editor reads why.',
    pathParams: {},
    query: quarantineQuery,
    response: quarantinePage,
    mediaTypes: [JSON_TYPE],
    errors: {},
    handle: async ({ query: { limit, cursor } }, { reader }) =>
      jsonResponse(200, await reader.quarantine({ limit, ...(cursor === undefined ? {} : { cursor }) })),
  }),
  route({
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    scope: 'read',
    summary: 'This document',
    pathParams: {},
    response: z.looseObject({}),
    mediaTypes: [JSON_TYPE],
    errors: {},
    handle: async (_request, { openApiDocument }) => jsonResponse(200, openApiDocument()),
  }),
];
