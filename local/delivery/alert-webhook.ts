/**
 * `--alerts-webhook URL`: every alert the tracker publishes (Positions Diverged / Converged) is
 * POSTed to the URL as its event detail in JSON, the way an EventBridge API destination would.
 * A failed POST is retried a few times with backoff and then given up with a log line: a
 * developer's webhook being down must never stop the runtime.
 */
import type { EventBridgeEvent } from '../bus/local-event-bus.ts';
import type { Output } from '../console/terminal.ts';

export interface AlertWebhookOptions {
  url: string;
  output: Output;
  /** @default 3 */
  attempts?: number;
  /** @default 200 */
  backoffBaseMs?: number;
  /** Per request. @default 5000 */
  timeoutMs?: number;
}

export interface AlertWebhook {
  deliver(event: EventBridgeEvent): Promise<void>;
  stats(): { delivered: number; failed: number };
}

/** Statuses worth another try: the receiver may be restarting or rate limiting. */
const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export function createAlertWebhook(options: AlertWebhookOptions): AlertWebhook {
  const { url, output, attempts = 3, backoffBaseMs = 200, timeoutMs = 5_000 } = options;
  if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) {
    throw new Error(`--alerts-webhook must be an http(s) URL, not '${url}'`);
  }
  const counters = { delivered: 0, failed: 0 };

  return {
    stats: () => ({ ...counters }),
    async deliver(event) {
      const alertId = typeof event.detail['alertId'] === 'string' ? event.detail['alertId'] : event.id;
      let lastProblem = '';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json; charset=utf-8',
              // Receivers deduplicate on it: a retry after a lost response posts the same alert again.
              'x-tracker-alert-id': alertId,
              'x-tracker-detail-type': event['detail-type'],
            },
            body: JSON.stringify(event.detail),
            signal: AbortSignal.timeout(timeoutMs),
          });
          await response.arrayBuffer().catch(() => undefined);
          if (response.ok) {
            counters.delivered++;
            return;
          }
          lastProblem = `answered ${response.status}`;
          if (!retryable(response.status)) break;
        } catch (error) {
          lastProblem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
        if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffBaseMs * 2 ** (attempt - 1)));
      }
      counters.failed++;
      output.error(`[alerts-webhook] gave up on alert ${alertId} (${event['detail-type']}) after trying ${url}: ${lastProblem}`);
    },
  };
}
