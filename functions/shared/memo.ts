/**
 * The one async memoiser: what a Lambda container (or any long-lived process) builds once and then
 * keeps, such as live dependencies or a secret read on first use.
 *
 * The first call starts the build and every caller until it settles shares it, so concurrent
 * invocations never build twice. A value is kept for the life of the process; a failure is not:
 * the next call builds again, so a cold start that met a missing setting or a throttled read
 * recovers once the cause is gone instead of failing every invocation of the container.
 */
export const memoiseAsync = <T>(build: () => T | Promise<T>): (() => Promise<T>) => {
  let kept: Promise<T> | undefined;
  return () => {
    if (kept === undefined) {
      const building = Promise.resolve().then(build);
      kept = building;
      building.catch(() => {
        if (kept === building) kept = undefined;
      });
    }
    return kept;
  };
};
