/**
 * The registry as the processor sees it: loaded once per container and kept for a short time,
 * because every statement needs it and it changes rarely. A registry event handled by this
 * container, or a reference the cached copy does not know, forces a reload.
 */
import type { Registry } from '../core/types.ts';
import type { RegistryRepository } from './ports.ts';

export interface RegistryCacheOptions {
  /** How long a loaded registry is reused; a registry event elsewhere is seen after at most this. */
  ttlMs?: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  nowMs?: () => number;
}

export const DEFAULT_REGISTRY_TTL_MS = 30_000;

export class RegistryCache {
  private loaded: { registry: Promise<Registry>; at: number } | undefined;
  private readonly ttlMs: number;
  private readonly nowMs: () => number;

  constructor(private readonly repository: Pick<RegistryRepository, 'loadRegistry'>, options: RegistryCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_REGISTRY_TTL_MS;
    this.nowMs = options.nowMs ?? Date.now;
  }

  get(): Promise<Registry> {
    const now = this.nowMs();
    if (this.loaded === undefined || now - this.loaded.at >= this.ttlMs) return this.reload();
    return this.loaded.registry;
  }

  /** Loaded at or after `sinceMs`: a fresh copy that cannot be stale with respect to that moment. */
  loadedSince(sinceMs: number): boolean {
    return this.loaded !== undefined && this.loaded.at >= sinceMs;
  }

  reload(): Promise<Registry> {
    const registry = this.repository.loadRegistry();
    const entry = { registry, at: this.nowMs() };
    this.loaded = entry;
    // A failed load must not be served to the next caller.
    registry.catch(() => {
      if (this.loaded === entry) this.loaded = undefined;
    });
    return registry;
  }

  invalidate(): void {
    this.loaded = undefined;
  }
}
