/**
 * The one memoiser of the functions: a value built once per container on first use (an SDK client,
 * a secret, the registry) and handed to every later caller, for ever or for `ttlMs`.
 *
 * Concurrent callers share one load: while a promise is pending, every call gets that promise, so
 * a cold container reads a secret once however many messages ask for it. A failure is never kept:
 * a load that throws, or a promise that rejects, leaves nothing behind, and the next call tries
 * again (a throttled GetSecretValue must not disable Slack until the container is recycled).
 */

export interface MemoiseOptions {
  /** How long a value is reused, counted from the start of its load. @default Infinity */
  ttlMs?: number;
  /** Milliseconds since the epoch; injected so tests control time. */
  nowMs?: () => number;
}

export interface Memoised<Args extends unknown[], T> {
  /** The kept value, or a new load with these arguments when there is none (or it has expired). */
  (...args: Args): T;
  /** A new load now, whatever the age of the kept value; it replaces the value for later callers. */
  refresh(...args: Args): T;
  /** Forgets the value: the next call loads again. */
  invalidate(): void;
  /** When the kept value's load started (the `nowMs` clock), or undefined when nothing is kept. */
  loadedAt(): number | undefined;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * Memoises `load`. Arguments are those of the call that loads; calls served from the kept value
 * ignore theirs (as `lazyClient`'s tracer: the first invocation's is the one that counts).
 */
export const memoise = <Args extends unknown[], T>(load: (...args: Args) => T, options: MemoiseOptions = {}): Memoised<Args, T> => {
  const { ttlMs = Number.POSITIVE_INFINITY, nowMs = Date.now } = options;
  let kept: { value: T; at: number } | undefined;

  const refresh = (...args: Args): T => {
    const at = nowMs();
    const value = load(...args);
    const entry = { value, at };
    kept = entry;
    if (isThenable(value)) {
      value.then(undefined, () => {
        // Only this load is forgotten: a newer one may have replaced it meanwhile.
        if (kept === entry) kept = undefined;
      });
    }
    return value;
  };

  const memoised = (...args: Args): T => {
    if (kept !== undefined && nowMs() - kept.at < ttlMs) return kept.value;
    return refresh(...args);
  };
  return Object.assign(memoised, {
    refresh,
    invalidate: (): void => {
      kept = undefined;
    },
    loadedAt: (): number | undefined => kept?.at,
  });
};
