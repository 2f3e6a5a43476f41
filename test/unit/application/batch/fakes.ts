/**
 * In-memory ports for the batch steps' unit tests: a quarantine that keeps what it is given, a
 * registry that applies updates with the core's own rule, a logger that remembers. Each can be told
 * to fail, as a throttled store would.
 */
import { loadSeedRegistryUpdates } from '../../../../local/seed/seed-files.ts';
import { applyRegistryUpdate, buildRegistry, type RegistryUpdate } from '../../../../functions/core/registry.ts';
import type { Registry } from '../../../../functions/core/types.ts';
import type { LoggerPort } from '../../../../functions/application/logger.ts';
import type {
  QuarantinedEvent, QuarantineRepository, RegistryRepository, RegistryWrite, StoredQuarantinedEvent,
} from '../../../../functions/application/ports.ts';
import type { InboundMessage } from '../../../../functions/application/batch/outcomes.ts';

export const NOW = '2025-09-06T12:00:00.000Z';
export const clock = { now: () => NOW };

export class KeptQuarantine implements QuarantineRepository {
  readonly kept: QuarantinedEvent[] = [];
  failWith: Error | undefined;

  async quarantine(event: QuarantinedEvent): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    this.kept.push(event);
    return true;
  }

  async list(): Promise<StoredQuarantinedEvent[]> {
    return this.kept.map((event) => ({ ...event, fingerprint: event.messageId }));
  }
}

export class MemoryRegistry implements RegistryRepository {
  loads = 0;
  failLoads = 0;
  /** Updates of these record ids are refused, as a throttled store would. */
  readonly refuse = new Map<string, Error>();

  constructor(public registry: Registry = buildRegistry(loadSeedRegistryUpdates())) {}

  async loadRegistry(): Promise<Registry> {
    this.loads += 1;
    if (this.failLoads > 0) {
      this.failLoads -= 1;
      throw new Error('ThrottlingException: rate exceeded');
    }
    return this.registry;
  }

  async applyUpdate(update: RegistryUpdate): Promise<RegistryWrite> {
    const refusal = this.refuse.get(update.record.id);
    if (refusal) throw refusal;
    const next = applyRegistryUpdate(this.registry, update);
    if (next === this.registry) return 'stale';
    this.registry = next;
    return 'applied';
  }
}

export class RememberingLogger implements LoggerPort {
  readonly lines: Array<{ level: 'info' | 'warn' | 'error'; message: string; extra?: Record<string, unknown> }> = [];
  info(message: string, extra?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, ...(extra ? { extra } : {}) });
  }
  warn(message: string, extra?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, ...(extra ? { extra } : {}) });
  }
  error(message: string, extra?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, ...(extra ? { extra } : {}) });
  }
}

let counter = 0;
/** A message as SQS hands it over: the event as a JSON body. */
export const message = (event: unknown): InboundMessage => {
  counter += 1;
  return { messageId: `m-${counter}`, body: typeof event === 'string' ? event : JSON.stringify(event) };
};

export const statementEvent = (overrides: Record<string, unknown> = {}, source = 'newsroom.desk') => ({
  source,
  'detail-type': 'Statement Recorded',
  detail: {
    schemaVersion: '1', statementId: 's-1', speaker: 'putin', issue: 'western-troops-in-ukraine', stance: -2, hedged: false,
    quote: { text: 'لن نقبل', lang: 'ar' }, saidAt: '2025-09-05T10:00:00Z', source: { outlet: 'wire' }, recordedBy: 'desk',
    ...overrides,
  },
});

export const speakerEvent = (overrides: Record<string, unknown> = {}, source = 'newsroom.desk') => ({
  source,
  'detail-type': 'Speaker Registered',
  detail: {
    schemaVersion: '1', speaker: 'barrot', actor: 'france', names: { en: 'Jean-Noël Barrot', ar: 'جان نويل بارو' }, aliases: ['بارو'],
    updatedAt: '2025-09-02T00:00:00Z', ...overrides,
  },
});
