/**
 * The one way a Lambda entry is built. Each handler module exports
 *
 * - `createHandler(deps)`: the function itself, a plain `(event) => result` over the ports it is
 *   handed. Tests and the local runtime call it with their own deps, and no Lambda context is needed.
 * - `liveDeps(observability)`: the deployed function's deps, read from the environment the CDK
 *   construct sets.
 * - `handler = lambdaHandler(createHandler, liveDeps)`: what Lambda invokes.
 *
 * Importing a handler module therefore needs no environment: the live deps are built on the first
 * invocation, once per container, and a build that fails (a missing variable) fails that
 * invocation with its reason and is tried again on the next.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { memoise } from './memoise.ts';
import { createObservability, tracingMiddleware, type Observability } from './observability.ts';

/** A handler as `createHandler` returns it; the context is optional, as no handler reads it. */
export type LambdaFunction<TEvent, TResult> = (event: TEvent, context?: Context) => Promise<TResult>;

export type LambdaHandler<TEvent, TResult> = middy.MiddyfiedHandler<TEvent, TResult, Error, Context>;

/**
 * The middy stack every function runs under: the tracer's handler segment (only where a tracer
 * exists, see observability.ts), the Lambda context on every log line (cleared between
 * invocations), and the metrics added during an invocation flushed after it, with a ColdStart
 * metric on the first.
 */
export const withObservability = <TEvent, TResult>(
  run: LambdaFunction<TEvent, TResult>,
  { logger, metrics, tracer }: Observability,
): LambdaHandler<TEvent, TResult> =>
  middy<TEvent, TResult, Error, Context>(run)
    .use(tracingMiddleware(tracer))
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));

/** The deployed entry: `createHandler` over the live deps, memoised, under the middy stack. */
export const lambdaHandler = <TDeps, TEvent, TResult>(
  createHandler: (deps: TDeps) => LambdaFunction<TEvent, TResult>,
  liveDeps: (observability: Observability) => TDeps | Promise<TDeps>,
  observability: Observability = createObservability(),
): LambdaHandler<TEvent, TResult> => {
  const live = memoise(async () => createHandler(await liveDeps(observability)));
  return withObservability(async (event, context) => (await live())(event, context), observability);
};
