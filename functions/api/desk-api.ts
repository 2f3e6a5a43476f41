/**
 * The desk API as a plain request → response function over its route table (desk-routes.ts): the
 * caller (resolved by whoever stands in front: API Gateway's JWT claims in AWS, the local key)
 * must hold the route's scope, the body is read as UTF-8 JSON, and the use cases answer. Failures
 * take the read API's error shape; a refused request carries every problem.
 */
import type { DeskSources } from '../application/desk/desk-request.ts';
import { readDeskBody } from '../application/desk/desk-request.ts';
import { previewDeskEvent, submitDeskEvent, type DeskOutcome, type DeskPublisher } from '../application/desk/desk-use-cases.ts';
import type { PreviewDeps } from '../application/desk/preview.ts';
import type { LoggerPort } from '../application/logger.ts';
import { forbidden, type Caller } from './auth.ts';
import { DESK_ROUTES, type DeskRouteSpec } from './desk-routes.ts';
import { INTERNAL_ERROR, asHttpError, describeError, errorResponse, invalidRequest } from './errors.ts';
import { jsonResponse, type ReadApiResponse } from './http.ts';
import { createRouter } from './router.ts';

export interface DeskApiRequest {
  method: string;
  path: string;
  /** The body's bytes as received. */
  body: Uint8Array;
  caller: Caller;
}

export type DeskApi = (request: DeskApiRequest) => Promise<ReadApiResponse>;

export interface DeskApiDeps {
  publisher: DeskPublisher;
  preview: PreviewDeps;
  sources: DeskSources;
  logger?: Pick<LoggerPort, 'error'>;
}

const route = createRouter(DESK_ROUTES);
const DESK_PATHS = DESK_ROUTES.map((spec) => spec.path);

/** Whether the desk API answers this path (any method: a wrong one gets its 405 there). */
export const isDeskPath = (path: string): boolean => DESK_PATHS.includes(path.replace(/\/$/, '') || '/');

const answer = <T>(spec: DeskRouteSpec, outcome: DeskOutcome<T>): ReadApiResponse => {
  if (!outcome.ok) return errorResponse(invalidRequest(outcome.problems));
  return jsonResponse(spec.status, outcome.value);
};

const handle = async (spec: DeskRouteSpec, request: DeskApiRequest, deps: DeskApiDeps): Promise<ReadApiResponse> => {
  if (spec.id === 'me') return jsonResponse(200, { role: request.caller.role, scopes: request.caller.scopes });
  const body = readDeskBody(request.body);
  if (!body.ok) return errorResponse(invalidRequest(body.problems));
  if (spec.id === 'deskEvents') return answer(spec, await submitDeskEvent(body.value, deps));
  return answer(spec, await previewDeskEvent(body.value, deps));
};

export const createDeskApi = (deps: DeskApiDeps): DeskApi => async (request) => {
  try {
    const { route: spec } = route(request.method, request.path);
    if (!request.caller.scopes.includes(spec.scope)) return errorResponse(forbidden(request.caller, spec.scope));
    return await handle(spec, request, deps);
  } catch (error) {
    const known = asHttpError(error);
    if (known !== undefined) return errorResponse(known);
    deps.logger?.error('desk API request failed', { method: request.method, path: request.path, error: describeError(error) });
    return errorResponse(INTERNAL_ERROR);
  }
};
