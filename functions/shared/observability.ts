/**
 * Powertools logger, metrics and tracer, one of each per container and shared by every module of
 * a function. They read their settings (service name, log level, metrics namespace) from the
 * POWERTOOLS_* environment the CDK construct sets, with defaults that work locally and in tests.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const SERVICE_NAME = 'position-tracker';
export const DEFAULT_METRICS_NAMESPACE = 'PositionTracker';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export const createObservability = (serviceName = SERVICE_NAME): Observability => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ serviceName, namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? DEFAULT_METRICS_NAMESPACE }),
  tracer: new Tracer({ serviceName }),
});
