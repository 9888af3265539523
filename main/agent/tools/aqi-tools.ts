import { z } from 'zod';
import { DEFAULT_AVERAGING, POLLUTANTS, parsePollutant, type Averaging } from '../../airquality/aqi/breakpoints';
import { parseCategory } from '../../airquality/aqi/categories';
import { computeAqi } from '../../airquality/aqi/epa-aqi';
import { HEALTH_GROUPS, getHealthAdvice, parseGroup } from '../../airquality/aqi/health-advice';
import { nowCast } from '../../airquality/aqi/nowcast';
import { euEaqiPm25, indiaNaqiPm25, ukDaqiPm25 } from '../../airquality/aqi/other-indices';
import { compareWithWho } from '../../airquality/aqi/who-guidelines';
import type { ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

const pollutant = lazy(() =>
  z.preprocess((v) => (typeof v === 'string' ? (parsePollutant(v) ?? v) : v), z.enum(POLLUTANTS)),
);

const computeSchema = lazy(() =>
  z
    .object({
      pollutant: pollutant().describe('pm25, pm10, o3, co, so2 or no2'),
      value: z.coerce.number().min(0).describe('Concentration: PM in µg/m³, O3 and CO in ppm, SO2 and NO2 in ppb'),
      averaging: z
        .enum(['1h', '8h', '24h', 'nowcast'])
        .optional()
        .describe('Averaging period; default PM 24h, O3/CO 8h, SO2/NO2 1h. "nowcast" needs hourly_values'),
      hourly_values: z
        .array(z.coerce.number().nullable())
        .max(12)
        .optional()
        .describe('For nowcast: up to 12 hourly PM values, newest first (null for a missing hour)'),
      index: z
        .enum(['us', 'india_naqi', 'uk_daqi', 'eu_eaqi', 'all'])
        .default('us')
        .describe('Other national indices for PM2.5 on request: india_naqi, uk_daqi, eu_eaqi, or all'),
    })
    .refine((a) => a.averaging !== 'nowcast' || (a.hourly_values?.length ?? 0) >= 2, {
      message: 'nowcast needs hourly_values (at least 2 of the 3 newest hours)',
      path: ['hourly_values'],
    })
    .refine((a) => a.averaging !== 'nowcast' || a.pollutant === 'pm25' || a.pollutant === 'pm10', {
      message: 'NowCast applies to pm25 and pm10 only',
      path: ['averaging'],
    }),
);

type ComputeArgs = z.output<ReturnType<typeof computeSchema>>;

export function aqiTools(): ToolSpec[] {
  const compute: ToolSpec<ReturnType<typeof computeSchema>> = {
    name: 'compute_aqi',
    description:
      'Compute the US EPA AQI (2024 revision, with EPA truncation) from a concentration, or the NowCast from hourly PM values; ' +
      'compares with the WHO 2021 guideline and, on request, India NAQI, UK DAQI and EU EAQI (PM2.5).',
    schema: computeSchema(),
    async execute(args: ComputeArgs) {
      const nc =
        args.averaging === 'nowcast' ? nowCast(args.pollutant as 'pm25' | 'pm10', args.hourly_values ?? []) : null;
      const averaging: Averaging =
        args.averaging && args.averaging !== 'nowcast' ? args.averaging : DEFAULT_AVERAGING[args.pollutant];
      const us = nc ? nc.aqi : computeAqi(args.pollutant, args.value, averaging);
      const concentration = nc ? nc.concentration : args.value;
      const who = compareWithWho(args.pollutant, concentration, nc ? '24h' : averaging, { epaUnits: true });
      const others: Record<string, unknown> = {};
      if (args.index !== 'us') {
        if (args.pollutant !== 'pm25') others.note = 'NAQI, DAQI and EAQI are provided for PM2.5 only.';
        else {
          if (args.index === 'india_naqi' || args.index === 'all') others.india_naqi = indiaNaqiPm25(concentration);
          if (args.index === 'uk_daqi' || args.index === 'all') others.uk_daqi = ukDaqiPm25(concentration);
          if (args.index === 'eu_eaqi' || args.index === 'all') others.eu_eaqi = euEaqiPm25(concentration);
        }
      }
      const advice = getHealthAdvice(us.aqi, 'sensitive')!;
      return {
        result: {
          ok: true,
          data: {
            method: nc ? 'US EPA NowCast + AQI (2024)' : 'US EPA AQI (2024)',
            pollutant: us.pollutant,
            averaging: nc ? 'nowcast' : us.averaging,
            concentration,
            truncated_concentration: us.truncated,
            unit: us.unit,
            aqi: us.aqi,
            category: us.category,
            color: us.color,
            beyond_index: us.beyondIndex,
            ...(nc ? { nowcast: { weight: nc.weight, hours_used: nc.hoursUsed } } : {}),
            who_2021: who,
            ...(Object.keys(others).length ? { other_indices: others } : {}),
            cautionary_statement: advice.cautionaryStatement,
            notes: us.notes,
            source: 'Computed locally (no data source)',
          },
        },
      };
    },
  };

  const adviceSchema = z.object({
    category: z
      .union([z.string().trim().min(1).max(60), z.number()])
      .describe('AQI category name (e.g. "Unhealthy for Sensitive Groups") or an AQI value'),
    group: z
      .string()
      .trim()
      .max(40)
      .default('general')
      .describe(`Who the advice is for: ${HEALTH_GROUPS.join(', ')}`),
  });
  const advice: ToolSpec<typeof adviceSchema> = {
    name: 'get_health_advice',
    description:
      'Health advice for an AQI category (or value) and a group such as children, older adults, people with asthma, or outdoor workers.',
    schema: adviceSchema,
    async execute(args) {
      const cat = parseCategory(args.category);
      const group = parseGroup(args.group);
      if (!cat || !group) {
        return {
          result: {
            ok: false,
            error: {
              code: 'invalid_arguments',
              message: !cat ? `Unknown AQI category "${args.category}".` : `Unknown group "${args.group}".`,
              hint: `category: Good, Moderate, Unhealthy for Sensitive Groups, Unhealthy, Very Unhealthy, Hazardous, or an AQI number; group: ${HEALTH_GROUPS.join(', ')}.`,
            },
          },
        };
      }
      return { result: { ok: true, data: getHealthAdvice(cat, group) } };
    },
  };

  return [compute, advice];
}
