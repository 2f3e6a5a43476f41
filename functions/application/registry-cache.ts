/**
 * The registry as the processor sees it: loaded once per container and kept for a short time,
 * because every statement needs it and it changes rarely. A registry event handled by this
 * container, or a reference the cached copy does not know, forces a reload.
 */
import type { Registry } from '../core/types.ts';
import { memoise, type Memoised } from '../shared/memoise.ts';
import type { RegistryRepository } from './ports.ts';

export interface RegistryCacheOptions {
  /** How long a loaded registry is reused; a registry event elsewhere is seen after at most this. */
  ttlMs?: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  nowMs?: () => number;
}

export const DEFAULT_REGISTRY_TTL_MS = 30_000;

export class RegistryCache {
  private readonly registry: Memoised<[], Promise<Registry>>;

  constructor(repository: Pick<RegistryRepository, 'loadRegistry'>, options: RegistryCacheOptions = {}) {
    this.registry = memoise(() => repository.loadRegistry(), {
      ttlMs: options.ttlMs ?? DEFAULT_REGISTRY_TTL_MS,
      ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    });
  }

  get(): Promise<Registry> {
    return this.registry();
  }

  /** Loaded at or after `sinceMs`: a fresh copy that cannot be stale with respect to that moment. */
  loadedSince(sinceMs: number): boolean {
    const at = this.registry.loadedAt();
    return at !== undefined && at >= sinceMs;
  }

  reload(): Promise<Registry> {
    return this.registry.refresh();
  }

  invalidate(): void {
    this.registry.invalidate();
  }
}
