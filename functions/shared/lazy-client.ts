/**
 * An AWS SDK client built once per container on first use and reused by every invocation (its
 * connections and credentials stay warm), captured by the tracer when there is one.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

export const lazyClient = <Client extends object>(create: () => Client): ((tracer?: Tracer) => Client) => {
  let client: Client | undefined;
  return (tracer) => {
    if (client === undefined) {
      client = create();
      tracer?.captureAWSv3Client(client);
    }
    return client;
  };
};
