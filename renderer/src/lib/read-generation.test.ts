import { describe, expect, it } from 'vitest';
import { readGeneration } from './read-generation';

describe('readGeneration', () => {
  it('keeps only the newest read, and no read begun before a change', () => {
    const reads = readGeneration();
    const first = reads.begin();
    expect(first()).toBe(true);
    const second = reads.begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
    reads.changed();
    expect(second()).toBe(false);
    const third = reads.begin();
    expect(third()).toBe(true);
  });

  it('counts each store apart', () => {
    const a = readGeneration();
    const b = readGeneration();
    const read = a.begin();
    b.begin();
    b.changed();
    expect(read()).toBe(true);
  });
});
