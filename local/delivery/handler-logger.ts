/**
 * The logger the local runtime hands to each handler. Errors go to the console; info only with
 * `verbose`. A failure a handler logs with a `messageId` is remembered, so when that message is
 * later dead-lettered the letter says why - as the function's logs would in AWS.
 */
import type { LoggerPort } from '../../functions/application/logger.ts';
import type { Output } from '../console/terminal.ts';

export type HandlerLogger = LoggerPort;

export interface CapturingLogger {
  logger: HandlerLogger;
  /**
   * The last failure logged for this message; else the last one logged since `sinceMs` without a
   * message id (a handler that fails a group of messages may log the group's error once).
   */
  reasonFor(messageId: string, sinceMs?: number): string | undefined;
}

/** Reasons kept per logger; old ones are dropped first, the way logs age out. */
const MAX_REMEMBERED = 10_000;

const describe = (value: unknown): string => {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Error ? `${inner.name}: ${inner.message}` : inner));
  } catch {
    return String(value);
  }
};

export function createHandlerLogger(name: string, output: Output, options: { verbose?: boolean } = {}): CapturingLogger {
  const reasons = new Map<string, string>();
  let unattributed: { at: number; text: string } | undefined;

  const remember = (message: string, context: Record<string, unknown> | undefined): void => {
    const parts = ['reason', 'error', 'message', 'problems'].flatMap((key) => (context?.[key] === undefined ? [] : [describe(context[key])]));
    const text = parts.length === 0 ? message : `${message}: ${parts.join(': ')}`;
    if (context === undefined || typeof context['messageId'] !== 'string') {
      unattributed = { at: Date.now(), text };
      return;
    }
    reasons.set(context['messageId'], text);
    if (reasons.size > MAX_REMEMBERED) reasons.delete(reasons.keys().next().value as string);
  };

  const format = (level: string, message: string, extra: Record<string, unknown> | undefined): string =>
    [`[${name}] ${level} ${message}`, ...(extra === undefined ? [] : [describe(extra)])].join(' ');

  return {
    reasonFor: (messageId, sinceMs) =>
      reasons.get(messageId) ?? (sinceMs !== undefined && unattributed !== undefined && unattributed.at >= sinceMs ? unattributed.text : undefined),
    logger: {
      info: (message, extra) => {
        if (options.verbose) output.line(format('info', message, extra));
      },
      warn: (message, extra) => {
        remember(message, extra);
        output.error(format('warn', message, extra));
      },
      error: (message, extra) => {
        remember(message, extra);
        output.error(format('error', message, extra));
      },
    },
  };
}
