/**
 * The tracker's outbound events on EventBridge: PutEvents in calls of at most 10 entries (and
 * within the request size limit), entries that fail (throttling, internal errors, reported per
 * entry) retried with exponential backoff, and an error thrown if any is still failing after the
 * last attempt, so the message that produced them is retried by the queue. Subscribers dedupe on
 * the alertId / changeId in the detail, so a retried entry that had in fact gone through is harmless.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TRACKER_SOURCE } from '../../../events/common.ts';
import type { EventPublisher, OutboundEvent } from '../../application/ports.ts';

export const MAX_ENTRIES_PER_PUT = 10;
/** EventBridge's long-standing request limit; staying under it works on every bus and locally. */
export const MAX_REQUEST_BYTES = 256 * 1024;

export interface EventBridgePublisherOptions {
  client: EventBridgeClient;
  eventBusName: string;
  source?: string;
  /** Attempts per entry, the first included. */
  maxAttempts?: number;
  /** Backoff before retry n (1-based): base * 2^(n-1), with full jitter. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about every entry that failed an attempt (for a metric). */
  onFailedEntries?: (count: number) => void;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(readonly failures: ReadonlyArray<{ detailType: string; errorCode?: string; errorMessage?: string }>, attempts: number) {
    super(
      `${failures.length} event(s) still failing after ${attempts} attempts: ` +
        failures.slice(0, 3).map((f) => `${f.detailType} (${f.errorCode ?? 'unknown'}: ${f.errorMessage ?? ''})`).join('; '),
    );
  }
}

/** EventBridge's size of an entry: Source, DetailType, Detail and Resources in UTF-8, plus 14 bytes for Time. */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  Buffer.byteLength(entry.Source ?? '', 'utf8') +
  Buffer.byteLength(entry.DetailType ?? '', 'utf8') +
  Buffer.byteLength(entry.Detail ?? '', 'utf8') +
  (entry.Resources ?? []).reduce((sum, r) => sum + Buffer.byteLength(r, 'utf8'), 0) +
  14;

/** Consecutive chunks of at most 10 entries and at most `maxBytes` each; order is kept. */
export const chunkEntries = (entries: readonly PutEventsRequestEntry[], maxBytes = MAX_REQUEST_BYTES): PutEventsRequestEntry[][] => {
  const chunks: PutEventsRequestEntry[][] = [];
  let chunk: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (chunk.length > 0 && (chunk.length >= MAX_ENTRIES_PER_PUT || bytes + size > maxBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class EventBridgePublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly source: string;

  constructor(private readonly options: EventBridgePublisherOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.sleep = options.sleep ?? defaultSleep;
    this.source = options.source ?? TRACKER_SOURCE;
  }

  async publish(events: readonly OutboundEvent[]): Promise<void> {
    const entries = events.map(
      (event): PutEventsRequestEntry => ({
        EventBusName: this.options.eventBusName,
        Source: this.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      }),
    );
    // Chunks go one after another so the bus sees events in the order given (opened before closed).
    for (const chunk of chunkEntries(entries)) await this.putWithRetries(chunk);
  }

  private async putWithRetries(entries: PutEventsRequestEntry[]): Promise<void> {
    let pending = entries;
    let failures: Array<{ detailType: string; errorCode?: string; errorMessage?: string }> = [];
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      if (attempt > 1) await this.sleep(Math.random() * this.baseDelayMs * 2 ** (attempt - 2));
      const result = await this.options.client.send(new PutEventsCommand({ Entries: pending }));
      if (!result.FailedEntryCount) return;
      const results = result.Entries ?? [];
      const retry: PutEventsRequestEntry[] = [];
      failures = [];
      pending.forEach((entry, index) => {
        const outcome = results[index];
        if (outcome?.ErrorCode !== undefined || outcome?.EventId === undefined) {
          retry.push(entry);
          failures.push({
            detailType: entry.DetailType ?? '',
            ...(outcome?.ErrorCode === undefined ? {} : { errorCode: outcome.ErrorCode }),
            ...(outcome?.ErrorMessage === undefined ? {} : { errorMessage: outcome.ErrorMessage }),
          });
        }
      });
      this.options.onFailedEntries?.(retry.length);
      if (retry.length === 0) return;
      pending = retry;
    }
    throw new PublishError(failures, this.maxAttempts);
  }
}
