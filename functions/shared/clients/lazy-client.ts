/**
 * An AWS SDK client built once per container on first use and reused by every invocation (its
 * connections and credentials stay warm), captured by the tracer when there is one.
 *
 * Each client has its own module beside this one and each handler imports only the clients it
 * calls, so its bundle imports only those SDK packages: a package the runtime lacked would break
 * only the function that needs it, and no function loads a client it never uses at cold start.
 * Endpoints are the SDK's own business: the standard AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
 * variables point a client at a local store or bus without any code here.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { memoise } from '../memoise.ts';

/** The first caller's tracer captures the client; later callers get the same client, captured or not. */
export const lazyClient = <Client extends object>(create: () => Client): ((tracer?: Tracer) => Client) =>
  memoise((tracer?: Tracer) => {
    const client = create();
    tracer?.captureAWSv3Client(client);
    return client;
  });
