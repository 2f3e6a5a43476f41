/** The tracker table's client, used by every function; AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_DYNAMODB points it elsewhere (see lazy-client.ts). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lazyClient } from './lazy-client.ts';

export const dynamoDbClient = lazyClient(() => new DynamoDBClient({}));
