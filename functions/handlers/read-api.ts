/**
 * The read API: one function behind API Gateway (HTTP API, payload v2) in AWS and behind node:http
 * in the local runtime. `createReadApi(deps)` is a plain request → response function; `handler`
 * adapts it to API Gateway with the live store.
 *
 * In AWS, API Gateway's IAM or JWT authorizer authenticates every route before this code runs.
 * Locally there is no gateway, so an API key (when configured) is checked here.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from '../../events/zod.ts';
import { CSV_CONTENT_TYPE, historyCsv, matrixCsv } from '../api/csv.ts';
import { buildOpenApiDocument } from '../api/openapi.ts';
import {
  ROUTES, type AlertsQuery, type ErrorCode, type HistoryQuery, type MatrixQuery, type QuarantineQuery, type RouteId, type RouteSpec,
} from '../api/schemas.ts';
import { DynamoReadRepository } from '../adapters/dynamodb/read.repository.ts';
import { createS3SnapshotLinks } from '../adapters/s3/snapshot-links.ts';
import { InvalidCursorError, NotFoundError, createPositionReader, type PositionReader } from '../application/read-model.ts';
import type { SnapshotStore } from '../application/snapshots.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { s3Client } from '../shared/clients/s3.ts';
import { readConfig } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';
import { createObservability, portLogger, type Observability, tracingMiddleware } from '../shared/observability.ts';

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

export interface ReadApiLogger {
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface ReadApiDeps {
  reader: PositionReader;
  /** Without it, GET /issues/{issue}/snapshot answers 501. */
  snapshots?: Pick<SnapshotStore, 'link'>;
  /**
   * Local runtime only: when set, every request must carry `Authorization: Bearer <key>` or
   * `x-api-key: <key>`. Leave unset behind API Gateway, whose authorizer has already decided.
   */
  apiKey?: string;
  logger?: ReadApiLogger;
}

const JSON_TYPE = 'application/json';
const CSV_TYPE = 'text/csv';

// ---------------------------------------------------------------------------------------------
// Responses

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const badRequest = (parameter: string, message: string) => new HttpError(400, 'BadRequest', message, parameter);

const baseHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  // Positions change by the minute and the data is behind authentication: no shared caches.
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ReadApiResponse => ({
  statusCode,
  headers: { ...baseHeaders(`${JSON_TYPE}; charset=utf-8`), ...headers },
  body: JSON.stringify(body),
});

const errorResponse = (error: HttpError): ReadApiResponse =>
  json(
    error.statusCode,
    { error: error.code, ...(error.parameter === undefined ? {} : { parameter: error.parameter }), message: error.message },
    error.headers,
  );

// ---------------------------------------------------------------------------------------------
// Authentication (local runtime)

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Compared through fixed-length digests so the time taken says nothing about the key. */
const sameKey = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

const presentedKey = (headers: Record<string, string | undefined>): string | undefined => {
  const authorization = headers['authorization'];
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  return bearer ?? headers['x-api-key'];
};

// ---------------------------------------------------------------------------------------------
// Content negotiation

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

const parseAccept = (accept: string): MediaRange[] =>
  accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return [{ type, subtype, q: Number.isFinite(q) ? q : 0 }];
  });

/** The most specific range matching the offered type decides its quality (RFC 9110, 12.5.1). */
const qualityOf = (offered: string, ranges: readonly MediaRange[]): number => {
  const [type, subtype] = offered.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1;
    if (specificity >= 0 && (best === undefined || specificity > best.specificity)) best = { specificity, q: range.q };
  }
  return best?.q ?? 0;
};

/** JSON unless the client prefers CSV; an absent Accept header means anything goes. */
const negotiate = (accept: string | undefined, offered: readonly string[]): string | undefined => {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = parseAccept(accept);
  let chosen: { type: string; q: number } | undefined;
  for (const type of offered) {
    const q = qualityOf(type, ranges);
    if (q > 0 && (chosen === undefined || q > chosen.q)) chosen = { type, q };
  }
  return chosen?.type;
};

// ---------------------------------------------------------------------------------------------
// Routing and validation

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  names: string[];
}

const compile = (spec: RouteSpec): CompiledRoute => {
  const names: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param);
      return '([^/]+)';
    })
    .join('/');
  return { spec, pattern: new RegExp(`^${source}/?$`), names };
};

const COMPILED = ROUTES.map(compile);

const match = (path: string): { route: CompiledRoute; raw: Record<string, string> } | undefined => {
  for (const route of COMPILED) {
    const found = route.pattern.exec(path);
    if (found) return { route, raw: Object.fromEntries(route.names.map((name, i) => [name, found[i + 1] ?? ''])) };
  }
  return undefined;
};

const pathParams = (route: RouteSpec, raw: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(route.pathParams).map(([name, schema]) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw[name] ?? '');
      } catch {
        throw badRequest(name, 'is not valid percent-encoding');
      }
      const parsed = schema.safeParse(decoded);
      if (!parsed.success) throw badRequest(name, parsed.error.issues[0]?.message ?? 'is invalid');
      return [name, parsed.data as string];
    }),
  );

const parseQuery = <S extends z.ZodMiniObject>(schema: S, query: Record<string, string | undefined>): z.infer<S> => {
  const present = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const accepted = Object.keys(schema.shape);
    throw badRequest(
      issue.keys[0] ?? '',
      accepted.length === 0 ? 'is not a parameter of this route (it takes none)' : `is not a parameter of this route (it takes: ${accepted.join(', ')})`,
    );
  }
  throw badRequest(String(issue?.path[0] ?? ''), issue?.message ?? 'is invalid');
};

/** Routes without parameters still reject unknown ones: a typo must not be silently ignored. */
const NO_QUERY = z.strictObject({});

const describeError = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };

const lowerCaseKeys = (headers: Record<string, string | undefined>): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

const csvFilename = (name: string): Record<string, string> => ({
  'content-disposition': `attachment; filename="${name}.csv"`,
});

// ---------------------------------------------------------------------------------------------
// The API

export const createReadApi = (deps: ReadApiDeps): ReadApi => {
  const { reader, snapshots, apiKey, logger } = deps;
  let openApiDocument: unknown;

  type Handler = (params: Record<string, string>, query: Record<string, unknown>, type: string) => Promise<ReadApiResponse>;

  const handlers: Record<RouteId, Handler> = {
    listIssues: async () => json(200, { issues: await reader.listIssues() }),

    issueMatrix: async ({ issue = '' }, query, type) => {
      const { asOf, raw } = query as MatrixQuery;
      const matrix = await reader.issueMatrix(issue, asOf);
      if (type !== CSV_TYPE) return json(200, matrix);
      const name = asOf === undefined ? `${issue}-positions` : `${issue}-positions-${asOf.slice(0, 10)}`;
      const body = matrixCsv(matrix, await reader.registry(), { raw: raw === true });
      return { statusCode: 200, headers: { ...baseHeaders(CSV_CONTENT_TYPE), ...csvFilename(name) }, body };
    },

    issueSnapshot: async ({ issue = '' }) => {
      if (snapshots === undefined) throw new HttpError(501, 'NotImplemented', 'snapshots are not configured on this deployment');
      const registry = await reader.registry();
      if (!registry.issues.has(issue)) throw new NotFoundError('issue', 'issue', issue);
      const link = await snapshots.link(issue);
      if (link === null) throw new HttpError(404, 'NotFound', `no snapshot has been written for '${issue}' yet`, 'issue');
      return json(200, link);
    },

    actorPositions: async ({ actor = '' }) => json(200, await reader.actorPositions(actor)),

    actorHistory: async ({ actor = '' }, query, type) => {
      const { issue, raw, cursor, limit } = query as HistoryQuery;
      const history = await reader.actorHistory(actor, { ...(issue === undefined ? {} : { issue }), ...(cursor === undefined ? {} : { cursor }), limit });
      if (type !== CSV_TYPE) return json(200, history);
      const name = issue === undefined ? `${actor}-history` : `${actor}-${issue}-history`;
      const body = historyCsv(history, await reader.registry(), { raw: raw === true });
      // A CSV body has no room for the cursor, so it travels in a header.
      const next: Record<string, string> = history.nextCursor === null ? {} : { 'x-next-cursor': history.nextCursor };
      return { statusCode: 200, headers: { ...baseHeaders(CSV_CONTENT_TYPE), ...csvFilename(name), ...next }, body };
    },

    alerts: async (_params, query) => {
      const { limit, ...filters } = query as AlertsQuery;
      return json(200, await reader.alerts({ ...filters, limit }));
    },

    quarantine: async (_params, query) => {
      const { limit, cursor } = query as QuarantineQuery;
      return json(200, await reader.quarantine({ limit, ...(cursor === undefined ? {} : { cursor }) }));
    },

    openapi: async () => json(200, (openApiDocument ??= buildOpenApiDocument())),
  };

  return async (request) => {
    try {
      const headers = lowerCaseKeys(request.headers);
      if (apiKey !== undefined) {
        const given = presentedKey(headers);
        if (given === undefined || !sameKey(given, apiKey)) {
          throw new HttpError(401, 'Unauthorized', 'missing or wrong API key: send Authorization: Bearer <key> or x-api-key: <key>', undefined, {
            'www-authenticate': 'Bearer realm="position-tracker"',
          });
        }
      }

      const found = match(request.path);
      if (found === undefined) throw new HttpError(404, 'NotFound', `no route ${request.path}`);
      const { route, raw } = found;
      const method = request.method.toUpperCase();
      if (method !== 'GET') {
        throw new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${route.spec.path}; use GET`, undefined, { allow: 'GET' });
      }

      const type = negotiate(headers['accept'], route.spec.csv ? [JSON_TYPE, CSV_TYPE] : [JSON_TYPE]);
      if (type === undefined) {
        throw new HttpError(406, 'NotAcceptable', `${route.spec.path} serves ${route.spec.csv ? 'application/json or text/csv' : 'application/json'}`);
      }

      const params = pathParams(route.spec, raw);
      const query = parseQuery(route.spec.query ?? NO_QUERY, request.query);
      const response = await handlers[route.spec.id](params, query, type);
      return route.spec.csv ? { ...response, headers: { ...response.headers, vary: 'Accept' } } : response;
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      if (error instanceof InvalidCursorError) return errorResponse(badRequest('cursor', error.message));
      if (error instanceof NotFoundError) return errorResponse(new HttpError(404, 'NotFound', error.message, error.parameter));
      logger?.error('read API request failed', { method: request.method, path: request.path, error: describeError(error) });
      return errorResponse(new HttpError(500, 'InternalError', 'unexpected error; see the function logs'));
    }
  };
};

// ---------------------------------------------------------------------------------------------
// API Gateway (HTTP API, payload format 2.0)

/** With a named stage, rawPath starts with it (`/prod/issues`); the `$default` stage adds nothing. */
const stripStage = (rawPath: string, stage: string | undefined): string =>
  stage !== undefined && stage !== '$default' && (rawPath === `/${stage}` || rawPath.startsWith(`/${stage}/`))
    ? rawPath.slice(stage.length + 1) || '/'
    : rawPath;

export const fromApiGatewayEvent = (event: APIGatewayProxyEventV2): ReadApiRequest => ({
  method: event.requestContext.http.method,
  path: stripStage(event.rawPath, event.requestContext.stage),
  query: event.queryStringParameters ?? {},
  headers: event.headers ?? {},
});

export const toApiGatewayResult = (response: ReadApiResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: response.statusCode,
  headers: response.headers,
  body: response.body,
  isBase64Encoded: false,
});

/** The API Gateway handler around `createReadApi`; deps given as a function are built on the first request. */
export const createHandler = (deps: ReadApiDeps | (() => ReadApiDeps)) => {
  let api: ReadApi | undefined;
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    api ??= createReadApi(typeof deps === 'function' ? deps() : deps);
    return toApiGatewayResult(await api(fromApiGatewayEvent(event)));
  };
};

/**
 * The deployed function's deps: the table (read only) and, when SNAPSHOT_BUCKET_NAME is set, the
 * snapshot bucket for signed links. No API key: API Gateway's authorizer has already authenticated.
 */
export const liveDeps =
  ({ logger, tracer }: Observability = createObservability()) =>
  (): ReadApiDeps => {
    const { tableName } = readConfig(['tableName']);
    const bucket = process.env[ENV.snapshotBucket]?.trim();
    const reader = createPositionReader({ store: new DynamoReadRepository({ tableName, client: dynamoDbClient(tracer) }) });
    return {
      reader,
      ...(bucket ? { snapshots: createS3SnapshotLinks(s3Client(tracer), bucket) } : {}),
      logger: portLogger(logger),
    };
  };

const observability = createObservability();

export const handler = middy(createHandler(liveDeps(observability)))
  .use(tracingMiddleware(observability.tracer))
  .use(injectLambdaContext(observability.logger, { clearState: true }));
