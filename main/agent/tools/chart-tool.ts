import { z } from 'zod';
import { AQI_CATEGORIES } from '../../airquality/aqi/categories';
import { WHO_2021 } from '../../airquality/aqi/who-guidelines';
import type { ToolSpec } from './tool-types';
import type { ChartProvenanceDto } from '../../../preload/contract/airquality';
import { lazy } from '../../../preload/shared/lazy';

/** What the chat UI renders (and exports as PNG). Plain data: no code, no markup. */
export interface ChartSpec {
  type: 'chart';
  version: 1;
  chartType: 'line' | 'bar' | 'area';
  title: string;
  units: string;
  xLabel?: string;
  yLabel?: string;
  series: Array<{ name: string; points: Array<{ x: string | number; y: number | null }> }>;
  referenceLines: Array<{ label: string; value: number; color: string }>;
  /** Background bands in the AQI colours, for charts of AQI values. */
  bands: Array<{ from: number; to: number; label: string; color: string }>;
  /** Filled in by the agent loop from the reply's last data tool (see chart-provenance.ts). */
  provenance?: ChartProvenanceDto;
}

// Models write points as {x,y} or as [x, y] pairs; both are taken.
const point = lazy(() =>
  z.preprocess(
    (p: unknown) => (Array.isArray(p) && p.length === 2 ? { x: p[0] as unknown, y: p[1] as unknown } : p),
    z.object({ x: z.union([z.string().max(40), z.number()]), y: z.number().nullable() }),
  ),
);

const GUIDELINES = {
  pm25_24h: ['pm25', '24h'],
  pm25_annual: ['pm25', 'annual'],
  pm10_24h: ['pm10', '24h'],
  pm10_annual: ['pm10', 'annual'],
} as const;

const chartSchema = lazy(() =>
  z.object({
    chart_type: z.enum(['line', 'bar', 'area']).default('line').describe('line, bar or area'),
    title: z.string().trim().min(1).max(120).describe('Chart title'),
    series: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(60).describe('Series name, e.g. a city or site'),
          points: z
            .array(point())
            .min(1)
            .max(2000)
            .describe('Points as {x, y}; x is a time or label, y a number or null'),
        }),
      )
      .min(1)
      .max(8)
      .describe('One or more data series'),
    units: z.string().trim().max(20).default('µg/m³').describe('Units of y, e.g. µg/m³ or AQI'),
    x_label: z.string().trim().max(60).optional(),
    y_label: z.string().trim().max(60).optional(),
    who_guideline: z
      .enum(['pm25_24h', 'pm25_annual', 'pm10_24h', 'pm10_annual'])
      .optional()
      .describe('Draw a WHO 2021 guideline line'),
    aqi_bands: z.boolean().optional().describe('Shade the US AQI category bands (for AQI values)'),
  }),
);

export function chartTool(): ToolSpec {
  const spec: ToolSpec<ReturnType<typeof chartSchema>> = {
    name: 'generate_chart',
    description:
      'Make a chart the chat shows to the user (line, bar or area) from data you already have, e.g. hourly PM2.5 from get_airqo_history ' +
      'or daily forecasts; can add the WHO guideline line or AQI colour bands.',
    schema: chartSchema(),
    async execute(args) {
      const referenceLines: ChartSpec['referenceLines'] = [];
      if (args.who_guideline) {
        const [pollutant, averaging] = GUIDELINES[args.who_guideline];
        const g = WHO_2021.find((x) => x.pollutant === pollutant && x.averaging === averaging)!;
        referenceLines.push({
          label: `WHO ${averaging} guideline (${g.guideline} ${g.unit})`,
          value: g.guideline,
          color: '#1565C0',
        });
      }
      const chart: ChartSpec = {
        type: 'chart',
        version: 1,
        chartType: args.chart_type,
        title: args.title,
        units: args.units,
        ...(args.x_label ? { xLabel: args.x_label } : {}),
        ...(args.y_label ? { yLabel: args.y_label } : {}),
        series: args.series.map((s) => ({
          name: s.name,
          points: s.points,
        })),
        referenceLines,
        bands: args.aqi_bands
          ? AQI_CATEGORIES.map((c) => ({ from: c.min, to: c.max, label: c.name, color: c.color }))
          : [],
      };
      const count = chart.series.reduce((n, s) => n + s.points.length, 0);
      return {
        result: {
          ok: true,
          data: {
            chart,
            summary: `Chart "${chart.title}" with ${chart.series.length} series and ${count} points is shown to the user.`,
          },
        },
      };
    },
  };
  return spec;
}
