import { describe, expect, it } from 'vitest';
import { chartCaption } from './chart-caption';

describe('chartCaption', () => {
  it('names source, place, time and freshness: live, cached with its age, imported; unsourced said as such', () => {
    const base = { source: 'UK-AIR (Defra)', place: 'London Marylebone Road', time: '2026-01-10T11:00:00.000Z' };
    const live = chartCaption({ ...base, status: 'live', cacheNote: null })!;
    expect(live).toMatch(/^Source: UK-AIR \(Defra\) · London Marylebone Road · (10 Jan|Jan 10) .+ · live$/);
    expect(chartCaption({ ...base, status: 'cached', cacheNote: 'cached reading from 11:00, 3 hours ago' })).toMatch(
      / · cached reading from 11:00, 3 hours ago$/,
    );
    expect(
      chartCaption({
        source: 'imported file gulu.csv',
        place: 'Gulu',
        time: null,
        status: 'imported',
        cacheNote: null,
      }),
    ).toBe('Source: imported file gulu.csv · Gulu · imported');
    expect(chartCaption({ source: null, place: null, time: null, status: 'unsourced', cacheNote: null })).toMatch(
      /not stated/,
    );
    expect(
      chartCaption({ ...base, place: 'Nairobi', time: '2026-10-31 to 2026-11-29', status: 'live', cacheNote: null }),
    ).toBe('Source: UK-AIR (Defra) · Nairobi · 2026-10-31 to 2026-11-29 · live');
    expect(chartCaption(undefined)).toBeNull();
  });
});
