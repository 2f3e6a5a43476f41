/**
 * What the tests of a deployed entry point (`handler`, its live deps read from the environment)
 * share: the API Gateway HTTP API payload v2 request it is invoked with, and the environment a
 * function finds in Lambda, pointed at local servers through the standard endpoint variables.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../support/dynalite.ts';

export interface ApiGatewayEventOptions {
  method?: 'GET' | 'POST';
  stage?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON, with its content type. */
  body?: unknown;
}

/** A request as API Gateway hands it to the function, with no authorizer context (IAM, or none). */
export const apiGatewayEvent = (rawPath: string, options: ApiGatewayEventOptions = {}): APIGatewayProxyEventV2 => {
  const { method = 'GET', stage = '$default', query, body } = options;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers: { host: 'api.example.org', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage,
      time: '06/Jan/2026:14:30:00 +0000',
      timeEpoch: 1_767_709_800_000,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
};

/** The local region and credentials, Powertools quiet and untraced, and the given settings (table, endpoints, ...). */
export const liveEnvironment = (settings: Record<string, string>): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  ...settings,
});
