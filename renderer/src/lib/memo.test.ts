import { describe, expect, it } from 'vitest';
import { deferred } from '../test-support/fake-bridge';
import { memoLoader } from './memo';

describe('memoLoader', () => {
  it('shares one load between callers, and is readable at once after it', async () => {
    const answer = deferred<string>();
    let loads = 0;
    const loader = memoLoader(() => {
      loads++;
      return answer.promise;
    });
    expect(loader.peek()).toBeNull();
    const a = loader.load();
    const b = loader.load();
    answer.resolve('render');
    expect(await a).toBe('render');
    expect(await b).toBe('render');
    expect(loader.peek()).toBe('render');
    expect(await loader.load()).toBe('render');
    expect(loads).toBe(1);
  });

  it('forgets a failed load so the next ask loads again', async () => {
    let loads = 0;
    const loader = memoLoader(async () => {
      loads++;
      if (loads === 1) throw new Error('chunk missing');
      return 42;
    });
    await expect(loader.load()).rejects.toThrow('chunk missing');
    expect(loader.peek()).toBeNull();
    expect(await loader.load()).toBe(42);
    expect(loads).toBe(2);
  });
});
