import { describe, expect, it } from 'vitest';
import type { Registry } from '../../functions/core/types.ts';
import { RegistryCache } from '../../functions/application/registry-cache.ts';
import { memoise } from '../../functions/shared/memoise.ts';

/** A clock the test moves by hand. */
const handClock = (start = 1_000) => {
  let now = start;
  return { nowMs: () => now, advance: (ms: number) => void (now += ms) };
};

/** A load that counts its calls and answers with the call number, or fails when told to. */
const countingLoad = () => {
  let calls = 0;
  let failNext = false;
  const load = async (): Promise<number> => {
    calls += 1;
    if (failNext) {
      failNext = false;
      throw new Error(`load ${calls} failed`);
    }
    return calls;
  };
  return { load, calls: () => calls, failOnce: () => void (failNext = true) };
};

describe('memoise', () => {
  it('loads once and hands every later caller the same value when no TTL is given', async () => {
    const counting = countingLoad();
    const clock = handClock();
    const value = memoise(counting.load, { nowMs: clock.nowMs });

    expect(await value()).toBe(1);
    clock.advance(365 * 24 * 3_600_000);
    expect(await value()).toBe(1);
    expect(counting.calls()).toBe(1);
  });

  it('shares one pending load between the callers that arrive while it runs, and keeps its value', async () => {
    let builds = 0;
    let finish: (value: string) => void = () => undefined;
    const gate = new Promise<string>((resolve) => (finish = resolve));
    const value = memoise(() => {
      builds += 1;
      return gate;
    });

    const concurrent = [value(), value(), value()];
    finish('built');

    expect(await Promise.all(concurrent)).toEqual(['built', 'built', 'built']);
    expect(await value()).toBe('built');
    expect(builds).toBe(1);
  });

  it('reuses a value until its TTL, counted from the start of its load, has passed', async () => {
    const counting = countingLoad();
    const clock = handClock();
    const value = memoise(counting.load, { ttlMs: 100, nowMs: clock.nowMs });

    expect(await value()).toBe(1);
    clock.advance(99);
    expect(await value()).toBe(1);
    clock.advance(1);
    expect(await value()).toBe(2);
    expect(value.loadedAt()).toBe(1_100);
  });

  it('keeps no failure: the next caller loads again and gets the value', async () => {
    const counting = countingLoad();
    const value = memoise(counting.load);
    counting.failOnce();

    await expect(value()).rejects.toThrow('load 1 failed');
    expect(value.loadedAt()).toBeUndefined();
    expect(await value()).toBe(2);
    expect(await value()).toBe(2);
  });

  it('keeps nothing when the load throws before it returns', () => {
    let calls = 0;
    const value = memoise(() => {
      calls += 1;
      if (calls === 1) throw new Error('no client yet');
      return { client: calls };
    });

    expect(() => value()).toThrow('no client yet');
    expect(value()).toEqual({ client: 2 });
    expect(value()).toBe(value());
  });

  it('does not let an old load that fails late forget a newer value', async () => {
    let reject: (error: Error) => void = () => undefined;
    const loads = [new Promise<string>((_, r) => (reject = r)), Promise.resolve('fresh')];
    const value = memoise(() => loads.shift()!);

    const stale = value();
    const fresh = value.refresh();
    reject(new Error('the first load timed out'));
    await expect(stale).rejects.toThrow('timed out');

    expect(await value()).toBe('fresh');
    expect(await fresh).toBe('fresh');
  });

  it('builds nothing until it is first called', () => {
    let builds = 0;

    memoise(() => (builds += 1));

    expect(builds).toBe(0);
  });

  it('makes a synchronous throw inside an async load (live deps reading a bad setting) a rejection of the call, kept by nobody', async () => {
    let builds = 0;
    const readSetting = (): string => {
      builds += 1;
      if (builds === 1) throw new Error('TRACKER_TABLE_NAME is not set');
      return 'tracker';
    };
    const liveDeps = memoise(async () => ({ tableName: readSetting() }));

    const call = liveDeps();
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toThrow('TRACKER_TABLE_NAME is not set');
    expect(await liveDeps()).toEqual({ tableName: 'tracker' });
    expect(await liveDeps()).toBe(await liveDeps());
    expect(builds).toBe(2);
  });

  it('loads with the arguments of the call that loads and ignores those of calls it serves', () => {
    const value = memoise((label: string) => ({ label }));

    expect(value('first').label).toBe('first');
    expect(value('second').label).toBe('first');
    value.invalidate();
    expect(value('third').label).toBe('third');
  });
});

describe('RegistryCache', () => {
  const registry = { actors: new Map() } as unknown as Registry;
  const repositoryOf = (loadRegistry: () => Promise<Registry>) => ({ loadRegistry });

  it('reuses the registry for 30 s by default, then reads it again', async () => {
    let loads = 0;
    const clock = handClock();
    const cache = new RegistryCache(repositoryOf(async () => ((loads += 1), registry)), { nowMs: clock.nowMs });

    await cache.get();
    clock.advance(29_999);
    await cache.get();
    expect(loads).toBe(1);
    clock.advance(1);
    await cache.get();
    expect(loads).toBe(2);
  });

  it('tells whether its copy was loaded since a moment, so a reference it lacks is checked on a fresh one', async () => {
    const clock = handClock();
    const cache = new RegistryCache(repositoryOf(async () => registry), { nowMs: clock.nowMs });

    expect(cache.loadedSince(0)).toBe(false);
    await cache.get();
    clock.advance(10);
    expect(cache.loadedSince(1_000)).toBe(true);
    expect(cache.loadedSince(1_010)).toBe(false);
    await cache.reload();
    expect(cache.loadedSince(1_010)).toBe(true);
    cache.invalidate();
    expect(cache.loadedSince(0)).toBe(false);
  });
});
