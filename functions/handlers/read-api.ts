/**
 * The read API's Lambda entry: API Gateway (HTTP API, payload v2) in front of `createReadApi`
 * (functions/api/read-api.ts). Only the adapter lives here: the event becomes a request (the stage
 * stripped from the path), the response becomes the gateway's result.
 *
 * API Gateway's IAM or JWT authorizer authenticates every route before this code runs, with the
 * scopes of the route table; nothing here checks credentials.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createReadApi, type ReadApiDeps } from '../api/read-api.ts';
import { DynamoReadRepository } from '../adapters/dynamodb/read.repository.ts';
import { createPositionReader } from '../application/read-model.ts';
import type { SnapshotStore } from '../application/snapshots.ts';
import { dynamoDbClient } from '../shared/clients/dynamodb.ts';
import { s3ClientOnDemand } from '../shared/clients/s3-on-demand.ts';
import { memoise } from '../shared/memoise.ts';
import { readConfig } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';
import { fromApiGatewayEvent, toApiGatewayResult } from '../shared/api-gateway.ts';
import { powertoolsLogger, type MetricsSink, type Observability } from '../shared/observability.ts';

export interface ReadApiHandlerDeps extends ReadApiDeps {
  metrics?: MetricsSink;
}

/**
 * The API Gateway handler around `createReadApi`. Every request counts a ServerError of 0 or 1: its
 * average is the function's error rate, and no invocation ends with no metric to publish.
 */
export const createHandler = (deps: ReadApiHandlerDeps): LambdaFunction<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => {
  const api = createReadApi(deps);
  return async (event) => {
    const response = await api(fromApiGatewayEvent(event));
    deps.metrics?.addMetric('ServerError', MetricUnit.Count, response.statusCode >= 500 ? 1 : 0);
    return toApiGatewayResult(response);
  };
};

/**
 * Signed links to the bucket's snapshots, the read API's one use of S3: the S3 client and the
 * presigner are loaded on the first link asked for, so a cold start that serves any other route
 * loads neither. A load that fails is tried again on the next link (memoise).
 */
const snapshotLinksOnDemand = (bucket: string, tracer?: Tracer): Pick<SnapshotStore, 'link'> => {
  const links = memoise(async () => {
    const [{ createS3SnapshotLinks }, client] = await Promise.all([import('../adapters/s3/snapshot-links.ts'), s3ClientOnDemand(tracer)]);
    return createS3SnapshotLinks(client, bucket);
  });
  return { link: async (issue) => (await links()).link(issue) };
};

/**
 * The deployed function's deps: the table (read only) and, when SNAPSHOT_BUCKET_NAME is set, the
 * snapshot bucket for signed links. No API key: API Gateway's authorizer has already authenticated.
 */
export const liveDeps = ({ logger, metrics, tracer }: Observability): ReadApiHandlerDeps => {
  const { tableName } = readConfig(['tableName']);
  const bucket = process.env[ENV.snapshotBucket]?.trim();
  const reader = createPositionReader({ store: new DynamoReadRepository({ tableName, client: dynamoDbClient(tracer) }) });
  return {
    reader,
    ...(bucket ? { snapshots: snapshotLinksOnDemand(bucket, tracer) } : {}),
    logger: powertoolsLogger(logger),
    metrics,
  };
};

export const handler = lambdaHandler(createHandler, liveDeps);
