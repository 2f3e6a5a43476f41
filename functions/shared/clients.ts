/**
 * The SDK clients of the tracking side (DynamoDB, EventBridge). Endpoints are the SDK's own
 * business: the standard AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_EVENTBRIDGE
 * variables point them at a local store or bus without any code here. The delivery side's clients
 * live in delivery-clients.ts so a function loads only the SDK modules it uses at cold start.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { lazyClient } from './lazy-client.ts';

export const dynamoDbClient = lazyClient(() => new DynamoDBClient({}));
export const eventBridgeClient = lazyClient(() => new EventBridgeClient({}));
