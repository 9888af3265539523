import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChartSpecDto } from '../../../../preload/contract';
import { Chart } from './Chart';

const T0 = Date.UTC(2026, 0, 10, 8);
const H = 3_600_000;

const LINE: ChartSpecDto = {
  type: 'chart',
  version: 1,
  chartType: 'line',
  title: 'Kampala PM2.5',
  units: 'µg/m³',
  yLabel: 'PM2.5',
  series: [
    {
      name: 'Makerere',
      points: [
        { x: T0, y: 12 },
        { x: T0 + H, y: null },
        { x: T0 + 2 * H, y: 40 },
        { x: T0 + 3 * H, y: 61 },
      ],
    },
  ],
  referenceLines: [{ label: 'WHO 24-hour guideline', value: 15, color: '#1565C0' }],
  bands: [{ from: 0, to: 12, label: 'Good', color: '#00e400' }],
  provenance: { source: 'AirQo', place: 'Makerere', time: null, status: 'live', cacheNote: null },
};

// The plot is 300 px high: 34 px above it and 44 px below leave 222 px for 0–80 µg/m³.
const y = (v: number) => 34 + 222 - (v / 80) * 222;

describe('chart', () => {
  afterEach(cleanup);

  it('scales the y axis from 0 to a round number above the data and draws the guideline at its value', () => {
    render(<Chart spec={LINE} />);
    const svg = screen.getByRole('img', { name: 'Kampala PM2.5, line chart in µg/m³' });
    const ticks = [...svg.querySelectorAll('.chart-axis > g > text')].map((t) => t.textContent);
    expect(ticks.slice(0, 5)).toEqual(['0', '20', '40', '60', '80']);
    expect(within(svg).getByText('PM2.5 (µg/m³)')).toBeTruthy();
    const guideline = svg.querySelector('line.chart-ref')!;
    expect(Number(guideline.getAttribute('y1'))).toBeCloseTo(y(15), 5);
    // The band for "Good" covers 0–12.
    const band = svg.querySelector('rect[fill="#00e400"]')!;
    expect(Number(band.getAttribute('y'))).toBeCloseTo(y(12), 5);
    expect(Number(band.getAttribute('height'))).toBeCloseTo(y(0) - y(12), 5);
    // The hour without a value breaks the line: two pieces, each starting with M.
    const line = [...svg.querySelectorAll('path')].find(
      (p) => p.getAttribute('stroke') && p.getAttribute('fill') === 'none',
    )!;
    expect(line.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    expect(svg.querySelectorAll('circle')).toHaveLength(3);
    // The legend names the series and the guideline; the caption names the data's source.
    expect(svg.textContent).toContain('WHO 24-hour guideline');
    expect(screen.getByTestId('chart-source').textContent).toBe('Source: AirQo · Makerere · live');
    expect(screen.getByRole('button', { name: 'Export PNG' })).toBeTruthy();
  });

  it('shows the nearest reading under the pointer, and a dash where a value is missing', () => {
    render(<Chart spec={LINE} />);
    const hit = document.querySelector('rect.chart-hit')!;
    // jsdom has no layout: the chart is at its narrowest, 280 px, with its plot from x = 54 to 262.
    fireEvent.pointerMove(hit, { clientX: 262 });
    const tip = screen.getByRole('tooltip');
    expect(tip.textContent).toContain('Makerere');
    expect(tip.textContent).toContain('61 µg/m³');
    fireEvent.pointerMove(hit, { clientX: 54 + 208 / 3 });
    expect(screen.getByRole('tooltip').textContent).toContain('—');
    fireEvent.pointerLeave(hit);
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('draws bars per category, side by side for two series, from the zero line', () => {
    render(
      <Chart
        spec={{
          ...LINE,
          chartType: 'bar',
          title: 'Daily means',
          provenance: undefined,
          series: [
            {
              name: 'PM2.5',
              points: [
                { x: 'Mon', y: 20 },
                { x: 'Tue', y: 40 },
              ],
            },
            {
              name: 'PM10',
              points: [
                { x: 'Mon', y: 30 },
                { x: 'Tue', y: null },
              ],
            },
          ],
        }}
        height={300}
      />,
    );
    const bars = [...document.querySelectorAll('rect.chart-bar')];
    expect(bars).toHaveLength(3);
    // 40 × 1.08 = 43.2: steps of 10 up to 50.
    const scale = (v: number) => (v / 50) * 222;
    expect(bars.map((b) => Number(b.getAttribute('height')))).toEqual(
      [scale(20), scale(40), scale(30)].map((h) => expect.closeTo(h, 5)),
    );
    expect([...document.querySelectorAll('.chart-axis text')].map((t) => t.textContent)).toEqual(
      expect.arrayContaining(['Mon', 'Tue']),
    );
    expect(screen.queryByTestId('chart-source')).toBeNull();
  });
});
