/**
 * Posts Block Kit messages to a Slack incoming webhook whose URL is kept in Secrets Manager. The URL
 * is a credential (anyone holding it can post to the channel): it is read once per container, kept
 * in memory, and never logged or put into an error message.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SlackConfigError, type SlackChannel } from '../../application/notify-alert.ts';
import { SLACK_NO_PARSING } from '../../notify/format-alert.ts';
import { memoise } from '../../shared/memoise.ts';

export type WebhookUrlSource = () => Promise<string>;

/** Slack did not take the message. `retryable` for throttling, server errors and network failures. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The secret holds the webhook URL, either as the plain string or as JSON `{"url": "..."}` (the
 * shape the console's key/value editor produces).
 */
export const parseWebhookSecret = (secret: string): string => {
  const trimmed = secret.trim();
  let candidate = trimmed;
  if (trimmed.startsWith('{')) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new SlackConfigError('the Slack webhook secret starts with "{" but is not JSON');
    }
    const url = parsed['url'] ?? parsed['webhookUrl'];
    if (typeof url !== 'string') throw new SlackConfigError('the Slack webhook secret is JSON without a "url" string');
    candidate = url.trim();
  }
  if (!URL.canParse(candidate) || new URL(candidate).protocol !== 'https:') {
    throw new SlackConfigError('the Slack webhook secret is not an https URL (has the webhook been put in yet?)');
  }
  return candidate;
};

/** Reads the secret on first use and keeps it; a failed read is retried on the next use. */
export const webhookUrlFromSecret = (client: SecretsManagerClient, secretId: string): WebhookUrlSource =>
  memoise(async () => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (result.SecretString === undefined) throw new SlackConfigError('the Slack webhook secret has no string value');
    return parseWebhookSecret(result.SecretString);
  });

export interface SlackWebhookOptions {
  timeoutMs?: number;
  /** Tries per message, the first included. */
  attempts?: number;
  /** Longest wait between tries, including a Retry-After Slack asks for. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const retryAfterMs = (header: string | null): number | undefined => {
  const seconds = header === null ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : undefined;
};

const postOnce = async (url: string, body: string, timeoutMs: number): Promise<void> => {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // The underlying error may quote the URL; only its kind is passed on.
    const kind = error instanceof Error ? error.name : 'unknown error';
    throw new SlackDeliveryError(`posting to the Slack webhook failed (${kind})`, true);
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const reason = (await response.text().catch(() => '')).slice(0, 200);
  const retryable = response.status === 429 || response.status >= 500;
  throw new SlackDeliveryError(
    `the Slack webhook answered ${response.status}${reason === '' ? '' : `: ${reason}`}`,
    retryable,
    retryAfterMs(response.headers.get('retry-after')),
  );
};

/** Retries throttling and server errors a few times within the call; anything else fails at once. */
export const createSlackWebhook = (webhookUrl: WebhookUrlSource, options: SlackWebhookOptions = {}): SlackChannel => {
  const { timeoutMs = 5_000, attempts = 3, maxDelayMs = 4_000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options;
  return {
    async post(message) {
      const url = await webhookUrl();
      const body = JSON.stringify({ ...message, ...SLACK_NO_PARSING });
      for (let attempt = 1; ; attempt += 1) {
        try {
          await postOnce(url, body, timeoutMs);
          return;
        } catch (error) {
          if (!(error instanceof SlackDeliveryError) || !error.retryable || attempt >= attempts) throw error;
          await sleep(Math.min(maxDelayMs, error.retryAfterMs ?? 250 * 2 ** attempt));
        }
      }
    },
  };
};
