/** The async memoiser behind every once-per-container build: live deps, the Slack webhook secret. */
import { describe, expect, it } from 'vitest';
import { memoiseAsync } from '../../functions/shared/memo.ts';

describe('memoiseAsync', () => {
  it('builds once for callers that arrive while the build is running, and keeps the value', async () => {
    // Prepare
    let builds = 0;
    let finish: (value: string) => void = () => undefined;
    const gate = new Promise<string>((resolve) => (finish = resolve));
    const value = memoiseAsync(() => {
      builds += 1;
      return gate;
    });

    // Act
    const concurrent = [value(), value(), value()];
    finish('built');
    const results = await Promise.all(concurrent);
    const later = await value();

    // Assess
    expect(results).toEqual(['built', 'built', 'built']);
    expect(later).toBe('built');
    expect(builds).toBe(1);
  });

  it('forgets a failed build, so the next call builds again', async () => {
    // Prepare
    let builds = 0;
    const value = memoiseAsync(async () => {
      builds += 1;
      if (builds === 1) throw new Error('TRACKER_TABLE_NAME is not set');
      return builds;
    });

    // Act
    const first = value();
    await expect(first).rejects.toThrow('TRACKER_TABLE_NAME is not set');
    const second = await value();
    const third = await value();

    // Assess
    expect(second).toBe(2);
    expect(third).toBe(2);
    expect(builds).toBe(2);
  });

  it('turns a build that throws synchronously into a rejection of the call, not a throw', async () => {
    // Prepare
    const value = memoiseAsync((): number => {
      throw new Error('bad setting');
    });

    // Act
    const call = value();

    // Assess
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toThrow('bad setting');
  });

  it('builds nothing until it is first called', () => {
    // Prepare
    let builds = 0;

    // Act
    memoiseAsync(() => (builds += 1));

    // Assess
    expect(builds).toBe(0);
  });
});
