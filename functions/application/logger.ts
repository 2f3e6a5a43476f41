/**
 * The one logger port of the application layer. Use cases, handlers and the local runtime log
 * through it; `functions/shared/observability.ts` adapts Powertools' Logger to it in AWS, and the
 * local runtime adapts its console. Extra fields are structured, never interpolated into the text.
 */
export interface LoggerPort {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** For callers that were given no logger: tests and one-off tools. */
export const silentLogger: LoggerPort = { info: () => undefined, warn: () => undefined, error: () => undefined };
