import { describe, expect, it } from 'vitest';
import { diskSize, memSize, relativeTime } from './format';

describe('sizes, written the same on every page', () => {
  it('disk and file sizes in decimal units, as Ollama and file managers show them', () => {
    expect(diskSize(999)).toBe('999 B');
    expect(diskSize(1000)).toBe('1 kB');
    expect(diskSize(4_683_087_332)).toBe('4.7 GB'); // qwen2.5:7b as `ollama list` says it
    expect(diskSize(256_000_000)).toBe('256 MB');
    expect(diskSize(2.5e12)).toBe('2.5 TB');
    expect([diskSize(null), diskSize(undefined), diskSize(-1), diskSize(Number.NaN)]).toEqual(['?', '?', '?', '?']);
  });

  it('memory in binary units labelled GB, the way cards are sold', () => {
    expect(memSize(12 * 1024 ** 3)).toBe('12 GB');
    expect(memSize(143_771 * 1024 ** 2)).toBe('140 GB'); // an H200 as nvidia-smi reports it
    expect(memSize(512 * 1024 ** 2)).toBe('512 MB');
    expect(memSize(null)).toBe('?');
  });
});

describe('relativeTime', () => {
  const now = Date.UTC(2026, 10, 28, 12);
  it('says how long ago in the largest whole unit, then the date', () => {
    expect(relativeTime(now - 30_000, now)).toBe('just now');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(relativeTime(now - 2 * 86_400_000, now)).toBe('2 d ago');
    expect(relativeTime(now - 30 * 86_400_000, now)).toBe(new Date(now - 30 * 86_400_000).toLocaleDateString());
  });
});
