/**
 * The in-function tracer exists only in a function bundled with it, and there only where tracing is
 * on: everywhere else the handlers run without one, as they would with a disabled tracer.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { afterEach, describe, expect, it, vi } from 'vitest';

const LAMBDA = 'AWS_Lambda_nodejs24.x';

/** observability.ts decides when it loads, so each case loads it afresh under its environment. */
const loadObservability = async (env: Record<string, string | undefined>) => {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return import('../../functions/shared/observability.ts');
};

describe('the in-function tracer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is absent in Lambda when the function was bundled without it (the default)', async () => {
    // Prepare
    const { createObservability, tracingMiddleware } = await loadObservability({ AWS_EXECUTION_ENV: LAMBDA, TRACKER_IN_FUNCTION_TRACING: 'false' });

    // Act
    const { tracer } = createObservability();

    // Assess
    expect(tracer).toBeUndefined();
    expect(tracingMiddleware(tracer)).toEqual([]);
  });

  it('traces in Lambda when the function was bundled with it', async () => {
    // Prepare
    const { createObservability, tracingMiddleware } = await loadObservability({ AWS_EXECUTION_ENV: LAMBDA, TRACKER_IN_FUNCTION_TRACING: 'true' });

    // Act
    const { tracer } = createObservability();

    // Assess
    expect(tracer).toBeInstanceOf(Tracer);
    expect(tracer?.isTracingEnabled()).toBe(true);
    expect(tracingMiddleware(tracer)).toHaveLength(1);
  });

  it.each([
    ['outside Lambda', { AWS_EXECUTION_ENV: undefined }],
    ['under SAM local', { AWS_EXECUTION_ENV: LAMBDA, AWS_SAM_LOCAL: 'true' }],
    ['with POWERTOOLS_TRACE_ENABLED=false', { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }],
  ])('is absent %s even where it was bundled', async (_where, env) => {
    // Prepare
    const { createObservability } = await loadObservability({ TRACKER_IN_FUNCTION_TRACING: 'true', ...env });

    // Act
    const { tracer } = createObservability();

    // Assess
    expect(tracer).toBeUndefined();
  });
});
