/**
 * Vitest setup: an AWS SDK error in a failing test reads as its name, message and request id.
 *
 * The SDK's ServiceException keeps the raw HTTP response (socket, agent, parser state) as an own
 * enumerable field, and Vitest prints every field of a thrown error, so one failed DynamoDB call
 * used to print hundreds of kilobytes. Vitest serialises an error through its `toJSON` when it has
 * one; giving the SDK's base exception one keeps what a reader needs and drops the socket. Done
 * once here for every client (they all share one ServiceException), not in each test.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';

interface SdkError extends Error {
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
}

export const readableSdkError = (error: SdkError): Record<string, unknown> => ({
  name: error.name,
  message: error.message,
  fault: error.$fault,
  httpStatusCode: error.$metadata?.httpStatusCode,
  requestId: error.$metadata?.requestId,
  attempts: error.$metadata?.attempts,
  stack: error.stack,
  ...(error.cause === undefined ? {} : { cause: error.cause }),
});

const serviceExceptionPrototype = Object.getPrototypeOf(DynamoDBServiceException.prototype) as object;

Object.defineProperty(serviceExceptionPrototype, 'toJSON', {
  value(this: SdkError) {
    return readableSdkError(this);
  },
  configurable: true,
  writable: true,
  enumerable: false,
});
