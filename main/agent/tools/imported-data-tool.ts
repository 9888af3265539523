import { z } from 'zod';
import type { ImportsService } from '../../imports/imports-service';
import { POLLUTANT_LABEL } from '../../imports/imports-service';
import { SERIES_POLLUTANTS, type SeriesPollutant } from '../../imports/imports-repository';
import { EPA_CORRECTION_LABEL } from '../../imports/purpleair';
import { parseTimestamp, RowError } from '../../imports/values';
import type { ToolReturn, ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

/** Points handed to the model per site: enough for a chart, few enough for a small context window. */
const MAX_POINTS = 168;
const MAX_SITES = 10;

/** A date or date-time; a bare date as `end` means the end of that day. */
const when = lazy(() =>
  z
    .string()
    .trim()
    .max(40)
    .refine((s) => {
      try {
        parseTimestamp(s);
        return true;
      } catch {
        return false;
      }
    }, 'must be a date or ISO 8601 date-time, e.g. 2026-01-10 or 2026-01-10T06:00:00Z'),
);

const schema = lazy(() =>
  z.object({
    site: z.string().trim().max(200).optional().describe('Imported site name (or part of it); omit for every site'),
    pollutant: z
      .preprocess(
        (v) => (typeof v === 'string' ? v.toLowerCase().replace(/[.\s]/g, '').replace('pm2_5', 'pm25') : v),
        z.enum(SERIES_POLLUTANTS),
      )
      .default('pm25')
      .describe('pm25, pm10, or pm25_epa (PurpleAir PM2.5 with the US EPA correction, US-derived)'),
    start: when().optional().describe('Start date or date-time (UTC), inclusive'),
    end: when().optional().describe('End date or date-time (UTC); a bare date includes that whole day'),
    aggregate: z
      .enum(['hourly', 'daily', 'summary'])
      .default('daily')
      .describe('summary only, hourly means or daily means'),
  }),
);

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const r1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** `query_imported_data`: what the user's own sensor files say, with the file as the source. */
export function importedDataTool(imports: ImportsService): ToolSpec {
  const spec: ToolSpec<ReturnType<typeof schema>> = {
    name: 'query_imported_data',
    description:
      "Query the user's imported sensor files (PurpleAir SD card, AirQo exports, CSV): per site the count, mean, min, max, " +
      'latest value and measurement time, daily means against the WHO 2021 24-hour guideline with exceedance days, and ' +
      'hourly or daily points for a chart.',
    schema: schema(),
    async execute(args): Promise<ToolReturn> {
      const all = imports.sites();
      if (all.length === 0) {
        return {
          result: {
            ok: false,
            error: {
              code: 'no_data',
              message: 'No sensor files have been imported yet.',
              hint: 'The user can import a file on the Data page or with `aeris import FILE`.',
            },
          },
        };
      }
      const q = args.site?.toLowerCase();
      const exact = q ? all.filter((s) => s.name.toLowerCase() === q) : [];
      const sites = q ? (exact.length ? exact : all.filter((s) => s.name.toLowerCase().includes(q))) : all;
      if (sites.length === 0) {
        return {
          result: {
            ok: false,
            error: {
              code: 'no_data',
              message: `No imported site matches "${args.site}".`,
              hint: `Imported sites: ${all
                .slice(0, 20)
                .map((s) => s.name)
                .join(', ')}.`,
            },
          },
        };
      }
      let start: number | undefined;
      let end: number | undefined;
      try {
        start = args.start ? parseTimestamp(args.start) : undefined;
        end = args.end ? parseTimestamp(args.end) + (/^\d{4}-\d{2}-\d{2}$/.test(args.end) ? 86_400_000 : 0) : undefined;
      } catch (err) {
        if (err instanceof RowError)
          return { result: { ok: false, error: { code: 'invalid_arguments', message: err.message } } };
        throw err;
      }
      const pollutant: SeriesPollutant = args.pollutant;
      const out = sites.slice(0, MAX_SITES).map((s) => {
        const source = s.files.map((f) => `imported file ${f}`).join('; ');
        const stats = imports.stats({ site: s.name, pollutant, start, end });
        const daily = imports.dailyMeans({ site: s.name, pollutant, start, end });
        const entry: Record<string, unknown> = {
          source,
          data_type: 'measurement (user-imported sensor file)',
          station: s.name,
          latitude: s.latitude,
          longitude: s.longitude,
          pollutant: POLLUTANT_LABEL[pollutant],
          unit: 'µg/m³',
          readings: stats.count,
          first_measurement: iso(stats.first),
          measurement_time: iso(stats.last),
          latest_value: r1(stats.latest),
          mean: r1(stats.mean),
          min: r1(stats.min),
          max: r1(stats.max),
          who_24h_guideline: daily.guideline.value,
          days_with_data: daily.daysWithData,
          complete_days: daily.completeDays,
          days_above_who_guideline: daily.exceedances,
        };
        if (args.aggregate !== 'summary') {
          const series = imports.series({ site: s.name, pollutant, aggregate: args.aggregate, start, end });
          const pts = series.points.slice(-MAX_POINTS);
          entry.points = pts.map((p) => ({ time: iso(p.time), value: r1(p.value) }));
          if (series.points.length > MAX_POINTS)
            entry.points_note = `Only the last ${MAX_POINTS} ${args.aggregate} points are given.`;
          if (series.flaggedExcluded > 0) {
            entry.flagged_excluded = series.flaggedExcluded;
          }
        }
        if (pollutant === 'pm25_epa') entry.correction = `${EPA_CORRECTION_LABEL}; may not fit non-US aerosol.`;
        return entry;
      });
      const notes = ['Daily means are of hourly means, in UTC days; a day is complete with 18 or more hours.'];
      if (sites.length > MAX_SITES) notes.push(`${sites.length - MAX_SITES} more sites matched; ask for one by name.`);
      return {
        result: { ok: true, data: { sites: out, notes } },
        meta: {
          sources: [...new Set(sites.slice(0, MAX_SITES).flatMap((s) => s.files.map((f) => `imported file ${f}`)))],
        },
      };
    },
  };
  return spec;
}
