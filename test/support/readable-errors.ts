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

/**
 * Vitest's default reporter prints a failing test's error as its name, message and stack only, so
 * the status and request id ride in the message; the fields stay for the verbose reporter.
 */
const describedMessage = (error: SdkError): string => {
  const meta = error.$metadata;
  const facts = [
    meta?.httpStatusCode === undefined ? undefined : `HTTP ${meta.httpStatusCode}`,
    meta?.requestId === undefined ? undefined : `request id ${meta.requestId}`,
    meta?.attempts === undefined ? undefined : `${meta.attempts} attempt(s)`,
  ].filter((fact) => fact !== undefined);
  return facts.length === 0 ? error.message : `${error.message} (${facts.join(', ')})`;
};

export const readableSdkError = (error: SdkError): Record<string, unknown> => ({
  name: error.name,
  message: describedMessage(error),
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
