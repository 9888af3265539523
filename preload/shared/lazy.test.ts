import { describe, expect, it } from 'vitest';
import { lazy } from './lazy';

describe('lazy', () => {
  it('makes its value on the first call only, and tries again after a throw', () => {
    let calls = 0;
    const value = lazy(() => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return { n: calls };
    });
    expect(value).toThrow('not yet');
    const first = value();
    expect(first).toEqual({ n: 2 });
    expect(value()).toBe(first);
    expect(calls).toBe(2);
  });
});
