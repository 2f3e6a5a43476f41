/**
 * The desk API's Lambda entry: API Gateway (HTTP API, payload v2) in front of `createDeskApi`
 * (functions/api/desk-api.ts). The JWT authorizer has checked the token and the route's scope
 * before this runs; the caller's role comes from the token's scopes (GET /me answers it). Under the
 * IAM authorizer a caller's IAM policy decides per route and carries no scopes: the caller is taken
 * as an editor, since reaching a write route at all took a policy that allows it.
 *
 * Least privilege: events:PutEvents on the tracker bus, and reads of the table for the preview.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DESK_SOURCE, REGISTRY_SOURCE } from '../../events/common.ts';
import { DynamoReadRepository } from '../adapters/dynamodb/read.repository.ts';
import { DynamoTrackerRepository } from '../adapters/dynamodb/tracker.repository.ts';
import { eventBridgeDeskPublisher } from '../adapters/eventbridge/desk-publisher.ts';
import { ROLE_SCOPES, type Caller } from '../api/auth.ts';
import { createDeskApi, type DeskApiDeps, type DeskApiRequest } from '../api/desk-api.ts';
import { callerFromScopes, parseScopeNames, type ScopeNames } from '../api/token-scopes.ts';
import { createPositionReader } from '../application/read-model.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { eventBridgeClientOnDemand } from '../shared/clients/eventbridge-on-demand.ts';
import { readConfig, readList } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';
import { powertoolsLogger, type Observability } from '../shared/observability.ts';
import { fromApiGatewayEvent, toApiGatewayResult } from '../shared/api-gateway.ts';

export type DeskEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

const EDITOR: Caller = { role: 'editor', scopes: ROLE_SCOPES.editor };

/** The caller the authorizer let through: from the JWT's scopes, or (IAM, no JWT) an editor. */
export const callerOf = (event: DeskEvent, names: ScopeNames | undefined): Caller => {
  const jwt = event.requestContext.authorizer?.jwt;
  if (jwt === undefined || names === undefined) return EDITOR;
  return callerFromScopes(jwt.scopes ?? (typeof jwt.claims['scope'] === 'string' ? jwt.claims['scope'] : undefined), names);
};

export const fromDeskEvent = (event: DeskEvent, names: ScopeNames | undefined): DeskApiRequest => {
  const { method, path } = fromApiGatewayEvent(event);
  const raw = event.body ?? '';
  return { method, path, body: Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8'), caller: callerOf(event, names) };
};

export interface DeskHandlerDeps extends DeskApiDeps {
  /** Absent under the IAM authorizer: no JWT, no scopes. */
  scopeNames?: ScopeNames;
}

export const createHandler = (deps: DeskHandlerDeps): LambdaFunction<DeskEvent, APIGatewayProxyStructuredResultV2> => {
  const api = createDeskApi(deps);
  return async (event) => toApiGatewayResult(await api(fromDeskEvent(event, deps.scopeNames)));
};

export const liveDeps = ({ logger, tracer }: Observability): DeskHandlerDeps => {
  const { tableName, eventBusName } = readConfig(['tableName', 'eventBusName']);
  const client = dynamoDbClient(tracer);
  const scopes = process.env[ENV.apiScopes]?.trim();
  return {
    // EventBridge loads on the first event recorded, not at cold start: GET /me and the preview never publish.
    publisher: { put: async (entry) => eventBridgeDeskPublisher({ client: await eventBridgeClientOnDemand(tracer), eventBusName }).put(entry) },
    preview: {
      registry: createPositionReader({ store: new DynamoReadRepository({ tableName, client }) }).registry,
      history: new DynamoTrackerRepository({ tableName, client }),
    },
    sources: { statements: DESK_SOURCE, registryAndRevisions: readList('registrySources')?.[0] ?? REGISTRY_SOURCE },
    logger: powertoolsLogger(logger),
    ...(scopes ? { scopeNames: parseScopeNames(scopes) } : {}),
  };
};

export const handler = lambdaHandler(createHandler, liveDeps);
