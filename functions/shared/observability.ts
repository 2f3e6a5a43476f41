/**
 * Powertools logger, metrics and tracer, one of each per container and shared by every module of
 * a function. They read their settings (service name, log level, metrics namespace) from the
 * POWERTOOLS_* environment the CDK construct sets, with defaults that work locally and in tests.
 *
 * The tracer is optional, and absent from the deployed functions by default. Lambda's active
 * tracing records every invocation without it (the trace joins SQS or API Gateway upstream and
 * shows initialisation, invocation and overhead); what the Powertools tracer adds is a subsegment
 * per AWS SDK call and the handler's ColdStart annotation. The X-Ray SDK behind it costs about
 * 130 KB of every bundle (half of the 250 KB a bundle may weigh) and installs an async hook on
 * every promise of the process as soon as it is loaded. esbuild keeps a dynamically imported
 * module in the one bundle file whether it is loaded or not, so the choice is made when a function
 * is bundled: `inFunctionTracing` (infra/constructs/function-bundling.ts, off by default) replaces
 * `process.env.TRACKER_IN_FUNCTION_TRACING` with a constant, and with 'false' esbuild drops the
 * import below from the bundle.
 *
 * Where the tracer is bundled, it still exists only where it would trace (the Powertools rule,
 * `tracingEnabledByEnvironment`): outside Lambda, under SAM or Amplify mocks, or with
 * POWERTOOLS_TRACE_ENABLED=false it is not loaded. Handlers skip the tracing middleware and client
 * capture without a tracer, which is what a disabled tracer does too.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { LoggerPort } from '../application/logger.ts';

export const SERVICE_NAME = 'position-tracker';
export const DEFAULT_METRICS_NAMESPACE = 'PositionTracker';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** Absent when tracing is off: a disabled Powertools tracer would do nothing anyway. */
  tracer?: Tracer;
}

/**
 * The Powertools tracer's own rule for turning itself on, read from the same environment:
 * POWERTOOLS_TRACE_ENABLED not 'false', in a Lambda execution environment, not SAM local nor the
 * Amplify mock.
 */
export const tracingEnabledByEnvironment = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if ((env['POWERTOOLS_TRACE_ENABLED'] ?? '').trim().toLowerCase() === 'false') return false;
  const executionEnv = (env['AWS_EXECUTION_ENV'] ?? '').trim();
  if (executionEnv === '' || executionEnv === 'AWS_Lambda_amplify-mock') return false;
  return (env['AWS_SAM_LOCAL'] ?? '').trim() === '';
};

// Decided when the module loads, before any handler is built: the environment of a container is fixed.
// TRACKER_IN_FUNCTION_TRACING is a constant in a Lambda bundle (written inline so esbuild can drop
// the import), and read from the environment when the source runs as it is (tests, local runtime).
const TracerClass: typeof Tracer | undefined =
  process.env.TRACKER_IN_FUNCTION_TRACING === 'true' && tracingEnabledByEnvironment()
    ? (await import('@aws-lambda-powertools/tracer')).Tracer
    : undefined;

export const createObservability = (serviceName = SERVICE_NAME): Observability => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ serviceName, namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? DEFAULT_METRICS_NAMESPACE }),
  ...(TracerClass !== undefined && tracingEnabledByEnvironment() ? { tracer: new TracerClass({ serviceName }) } : {}),
});

/** The tracing middleware for `.use()`, or none without a tracer (the middleware module itself does not load X-Ray). */
export const tracingMiddleware = (tracer: Tracer | undefined): Array<ReturnType<typeof captureLambdaHandler>> =>
  tracer === undefined ? [] : [captureLambdaHandler(tracer)];

/** The application's logger port backed by the Powertools logger: extra fields become attributes of the JSON line. */
export const powertoolsLogger = (logger: Logger): LoggerPort => ({
  info: (message, extra) => logger.info(message, (extra ?? {}) as LogAttributes),
  warn: (message, extra) => logger.warn(message, (extra ?? {}) as LogAttributes),
  error: (message, extra) => logger.error(message, (extra ?? {}) as LogAttributes),
});

/** What a handler needs of the Powertools metrics: tests keep what is added, the local runtime drops it. */
export interface MetricsSink {
  addMetric(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): void;
}

/** Adds each count above zero as a Count metric, flushed with the invocation's others by the middy stack. */
export const addCounts = (metrics: MetricsSink | undefined, counts: Readonly<Record<string, number>>): void => {
  for (const [name, value] of Object.entries(counts)) if (value > 0) metrics?.addMetric(name, MetricUnit.Count, value);
};
