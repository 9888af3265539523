import { afterAll, describe, expect, it } from 'vitest';
import { currentView, perTest } from './per-test';

describe('perTest', () => {
  const made: number[] = [];
  const cleaned: number[] = [];
  let n = 0;
  const current = perTest(() => {
    const id = ++n;
    made.push(id);
    return { id, cleanup: () => void cleaned.push(id) };
  }, 'counter');

  it('makes one before the first test', () => {
    expect(current().id).toBe(1);
    expect(cleaned).toEqual([]);
  });

  it('makes a fresh one for the next test, after cleaning up the last', () => {
    expect(current().id).toBe(2);
    expect(cleaned).toEqual([1]);
  });

  it("hands out a view whose properties read the running test's one", () => {
    const view = currentView(current, ['id']);
    expect(view.id).toBe(3);
    expect(Object.keys(view)).toEqual(['id']);
  });

  afterAll(() => {
    expect(made).toEqual([1, 2, 3]);
    expect(cleaned).toEqual([1, 2, 3]);
    // Between tests there is none: reading it then is a mistake it names.
    expect(() => current()).toThrow('counter: made for each test; read it inside one');
  });
});
