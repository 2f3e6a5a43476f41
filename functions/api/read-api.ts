/**
 * The read API as a plain request → response function over the route table: route, negotiate,
 * validate, answer, and turn every failure into the documented error shape. API Gateway puts it
 * behind its authorizer in AWS (handlers/read-api.ts); the local runtime behind node:http, which
 * authenticates every request first (local/http/api-server.ts). It never authenticates itself.
 */
import type { LoggerPort } from '../application/logger.ts';
import type { PositionReader } from '../application/read-model.ts';
import type { SnapshotStore } from '../application/snapshots.ts';
import { HttpError, INTERNAL_ERROR, asHttpError, describeError, errorResponse } from './errors.ts';
import { lowerCaseKeys, type ReadApi } from './http.ts';
import { negotiate } from './negotiation.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { NO_QUERY, parsePathParams, parseQuery } from './parameters.ts';
import { createRouter } from './router.ts';
import { ROUTES, type ApiScope, type RouteDeps } from './routes.ts';

export interface ReadApiDeps {
  reader: PositionReader;
  /** Without it, GET /issues/{issue}/snapshot answers 501. */
  snapshots?: Pick<SnapshotStore, 'link'>;
  logger?: Pick<LoggerPort, 'error'>;
}

const route = createRouter(ROUTES);

export const createReadApi = ({ reader, snapshots, logger }: ReadApiDeps): ReadApi => {
  let openApiDocument: unknown;
  const deps: RouteDeps = { reader, snapshots, openApiDocument: () => (openApiDocument ??= buildOpenApiDocument()) };

  return async (request) => {
    try {
      const headers = lowerCaseKeys(request.headers);
      const { route: spec, params } = route(request.method, request.path);
      const mediaType = negotiate(headers['accept'], spec.mediaTypes);
      if (mediaType === undefined) throw new HttpError('NotAcceptable', `${spec.path} serves ${spec.mediaTypes.join(' or ')}`);
      const response = await spec.handle(
        { params: parsePathParams(spec.pathParams, params), query: parseQuery(spec.query ?? NO_QUERY, request.query), mediaType },
        deps,
      );
      // Caches must key a negotiated answer on what was asked for.
      return spec.mediaTypes.length > 1 ? { ...response, headers: { ...response.headers, vary: 'Accept' } } : response;
    } catch (error) {
      const known = asHttpError(error);
      if (known !== undefined) return errorResponse(known);
      logger?.error('read API request failed', { method: request.method, path: request.path, error: describeError(error) });
      return errorResponse(INTERNAL_ERROR);
    }
  };
};

/** The scope the read route at this method and path needs; undefined for a path it has no route for (its 404 or 405 comes from the API). */
export const routeScope = (method: string, path: string): ApiScope | undefined => {
  try {
    return route(method, path).route.scope;
  } catch {
    return undefined;
  }
};
