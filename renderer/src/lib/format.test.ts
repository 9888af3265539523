import { describe, expect, it } from 'vitest';
import { diskSize, formatDate, formatDecimal, formatNumber, formatTime, memSize, relativeTime } from './format';

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
  it('says how long ago in the largest whole unit with Intl, in the UI language, then the date', () => {
    expect(relativeTime(now - 30_000, now, 'en')).toBe('now');
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 min. ago');
    expect(relativeTime(now - 3 * 3_600_000, now, 'en')).toBe('3 hr. ago');
    expect(relativeTime(now - 2 * 86_400_000, now, 'en')).toBe('2 days ago');
    expect(relativeTime(now - 5 * 60_000, now, 'fr')).toBe('il y a 5\u00a0min');
    expect(relativeTime(now - 86_400_000, now, 'fr')).toBe('hier');
    expect(relativeTime(now - 30_000, now, 'sw')).toBe('sasa hivi');
    expect(relativeTime(now - 3 * 3_600_000, now, 'sw')).toBe('saa 3 zilizopita');
    const month = new Date(now - 30 * 86_400_000);
    expect(relativeTime(month.getTime(), now, 'fr')).toBe(
      month.toLocaleDateString('fr', { day: 'numeric', month: 'short', year: 'numeric' }),
    );
  });
});

describe('numbers and dates in the UI language', () => {
  it('writes decimals and thousands the local way', () => {
    expect(formatDecimal(4.68, 1, 'en')).toBe('4.7');
    expect(formatDecimal(4.68, 1, 'fr')).toBe('4,7');
    expect(formatNumber(12345, undefined, 'en')).toBe('12,345');
    // French groups thousands with a narrow no-break space.
    expect(formatNumber(12345, undefined, 'fr')).toBe('12\u202f345');
    expect(formatNumber(12345, undefined, 'sw')).toBe('12,345');
  });

  it('writes dates with local month names and times on a 24-hour clock where that is the custom', () => {
    const when = new Date(2026, 10, 28, 14, 5);
    expect(formatDate(when, 'fr')).toBe('28 nov. 2026');
    expect(formatDate(when, 'en')).toBe('Nov 28, 2026');
    expect(formatTime(when, 'fr')).toBe('14:05');
    expect(formatTime(when, 'sw')).toBe('14:05');
    expect(formatTime(when, 'en')).toBe('02:05 PM');
  });
});
