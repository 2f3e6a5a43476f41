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

/**
 * The same for a client a function calls on few of its invocations (the read API's S3, for snapshot
 * links; the desk API's EventBridge, for recording only): `create` imports the SDK package with
 * `import()`, so it loads on the first call instead of at cold start. A dynamic import stays one in
 * the bundle, where esbuild hoists a static import of an external package to the top and loads it
 * with the bundle. A failed load is tried again on the next call. Functions that call a client on
 * every invocation use `lazyClient`: loading it during the first invocation would only move the cost.
 */
export const onDemandClient = <Client extends object>(create: () => Promise<Client>): ((tracer?: Tracer) => Promise<Client>) =>
  memoise(async (tracer?: Tracer) => {
    const client = await create();
    tracer?.captureAWSv3Client(client);
    return client;
  });
