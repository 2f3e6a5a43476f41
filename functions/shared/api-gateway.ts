/**
 * API Gateway's HTTP API (payload v2) and the APIs' plain requests and responses, both ways: what
 * the read API's and the desk API's Lambda entries share.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ReadApiRequest, ReadApiResponse } from '../api/http.ts';

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

