import { describe, expect, it } from 'vitest';
import type { ChartSpecDto } from '../../../../preload/contract';
import { categoriesOf, formatValue, timeOf, timeTicks, xKindOf, yDomain } from './chart-scale';

const spec = (over: Partial<ChartSpecDto>): ChartSpecDto => ({
  type: 'chart',
  version: 1,
  chartType: 'line',
  title: 'PM2.5',
  units: 'µg/m³',
  series: [],
  referenceLines: [],
  bands: [],
  ...over,
});

describe('chart scale', () => {
  it('reads ISO dates and epoch milliseconds as times, and nothing else', () => {
    expect(timeOf('2026-01-10')).toBe(Date.UTC(2026, 0, 10));
    expect(timeOf('2026-01-10T12:30:00Z')).toBe(Date.UTC(2026, 0, 10, 12, 30));
    expect(timeOf(Date.UTC(2026, 0, 10))).toBe(Date.UTC(2026, 0, 10));
    expect(timeOf(2026)).toBeNull();
    expect(timeOf('Kampala')).toBeNull();
  });

  it('draws times on a time axis except for bars, and keeps categories in first-seen order', () => {
    const times = spec({ series: [{ name: 'a', points: [{ x: '2026-01-01', y: 1 }] }] });
    expect(xKindOf(times)).toBe('time');
    expect(xKindOf({ ...times, chartType: 'bar' })).toBe('category');
    const cats = spec({
      series: [
        {
          name: 'a',
          points: [
            { x: 'Gulu', y: 1 },
            { x: 'Lira', y: 2 },
          ],
        },
        {
          name: 'b',
          points: [
            { x: 'Arua', y: 1 },
            { x: 'Gulu', y: 3 },
          ],
        },
      ],
    });
    expect(xKindOf(cats)).toBe('category');
    expect(categoriesOf(cats)).toEqual(['Gulu', 'Lira', 'Arua']);
  });

  it('starts the y axis at 0 and ends it on a round step above the data and the guideline', () => {
    const pm = spec({
      series: [
        {
          name: 'PM2.5',
          points: [
            { x: 1, y: 12 },
            { x: 2, y: null },
            { x: 3, y: 61 },
          ],
        },
      ],
      referenceLines: [{ label: 'WHO', value: 15, color: '#1565C0' }],
    });
    // 61 × 1.08 = 65.9: steps of 20 up to 80.
    expect(yDomain(pm)).toEqual({ ticks: [0, 20, 40, 60, 80], min: 0, max: 80 });
    // A guideline above every value still shows.
    const low = spec({
      series: [{ name: 'PM2.5', points: [{ x: 1, y: 3 }] }],
      referenceLines: [{ label: 'WHO', value: 15, color: '#1565C0' }],
    });
    expect(yDomain(low).max).toBeGreaterThanOrEqual(15);
    // No data: a unit axis, not NaN.
    expect(yDomain(spec({}))).toMatchObject({ min: 0 });
    expect(Number.isFinite(yDomain(spec({})).max)).toBe(true);
    // Negative values (a temperature) extend below zero.
    expect(
      yDomain(
        spec({
          series: [
            {
              name: 't',
              points: [
                { x: 1, y: -4 },
                { x: 2, y: 9 },
              ],
            },
          ],
        }),
      ).min,
    ).toBeLessThan(0);
  });

  it('puts time ticks on whole hours within a day and on days across a week', () => {
    const t0 = Date.UTC(2026, 0, 10, 0, 20);
    const hours = timeTicks(t0, t0 + 10 * 3_600_000, 6);
    expect(hours.length).toBeGreaterThan(1);
    expect(hours.every((t) => new Date(t).getMinutes() === 0)).toBe(true);
    expect(hours[1]! - hours[0]!).toBe(2 * 3_600_000);
    const days = timeTicks(t0, t0 + 7 * 86_400_000, 8);
    expect(days[1]! - days[0]!).toBe(86_400_000);
    expect(timeTicks(t0, t0, 6).length).toBeGreaterThan(0);
  });

  it('rounds values to what a reader needs', () => {
    expect(formatValue(154.4)).toBe('154');
    expect(formatValue(61.26)).toBe('61.3');
    expect(formatValue(0.456)).toBe('0.46');
  });
});
