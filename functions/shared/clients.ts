/**
 * AWS SDK clients, built once per container on first use and reused by every invocation (their
 * connections and credentials stay warm). Endpoints are the SDK's own business: the standard
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_EVENTBRIDGE variables point
 * them at a local store or bus without any code here.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Tracer } from '@aws-lambda-powertools/tracer';

let dynamo: DynamoDBClient | undefined;
let eventBridge: EventBridgeClient | undefined;

/** With a tracer, each call becomes an X-Ray subsegment (the tracer is a no-op outside Lambda). */
export const dynamoDbClient = (tracer?: Tracer): DynamoDBClient => {
  if (dynamo === undefined) {
    dynamo = new DynamoDBClient({});
    tracer?.captureAWSv3Client(dynamo);
  }
  return dynamo;
};

export const eventBridgeClient = (tracer?: Tracer): EventBridgeClient => {
  if (eventBridge === undefined) {
    eventBridge = new EventBridgeClient({});
    tracer?.captureAWSv3Client(eventBridge);
  }
  return eventBridge;
};
