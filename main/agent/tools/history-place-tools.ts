import { z } from 'zod';
import type { AirQualityService } from '../../airquality/air-quality-service';
import type { ModelHistory } from '../../airquality/sources/openmeteo-client';
import { named } from '../../airquality/answer-figure';
import { answer, readingForModel } from './data-tools';
import type { ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

const DAY = 86_400_000;
/** The longest range one call asks for: Open-Meteo's own `past_days` limit, and a reply a small model can read. */
const MAX_HISTORY_DAYS = 92;

const isoDate = lazy(() =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date'),
);

const coord = (min: number, max: number, what: string) => z.coerce.number().min(min).max(max).optional().describe(what);

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

function historyForModel(h: ModelHistory) {
  return {
    source: h.sourceName,
    data_type: 'model estimate (CAMS), not measurements',
    location: h.location,
    start_date: h.startDate,
    end_date: h.endDate,
    timezone: h.timezone,
    unit: 'µg/m³',
    days: h.days,
    who_2021_24h: {
      pm2_5_guideline: h.who.pm25Guideline,
      pm10_guideline: h.who.pm10Guideline,
      days_above_pm2_5: h.who.daysAbovePm25,
      days_above_pm10: h.who.daysAbovePm10,
    },
    attribution: h.attribution,
    notes: h.notes,
  };
}

/** "Open-Meteo (CAMS model), Nairobi, Kenya: PM2.5 daily mean 23.4 µg/m³ over 30 days (…), 12 above the WHO guideline". */
function historyFigure(h: ModelHistory): string | null {
  const means = h.days.map((d) => d.pm2_5?.mean).filter((v): v is number => typeof v === 'number');
  if (!means.length) return null;
  const mean = Math.round((means.reduce((x, y) => x + y, 0) / means.length) * 10) / 10;
  return (
    `${h.sourceName}, ${h.location.name}: PM2.5 daily mean ${mean} µg/m³ over ${means.length} days ` +
    `(${h.startDate} to ${h.endDate}), ${h.who.daysAbovePm25} above the WHO 24-hour guideline`
  );
}

/** History by place (Open-Meteo CAMS) and offline reverse geocoding over the bundled gazetteer. */
export function historyAndPlaceTools(service: AirQualityService): ToolSpec[] {
  const history: ToolSpec = {
    name: 'get_openmeteo_historical',
    description:
      'Past air quality at a city or coordinates: daily mean PM2.5 and PM10 (µg/m³, CAMS model via Open-Meteo) for a ' +
      'date range or the last N days (up to 92), with how many days were above the WHO 2021 24-hour guideline. ' +
      'Use for "the last 30 days in Nairobi". Answers from cache when offline and says how old.',
    schema: z
      .object({
        city: z.string().trim().min(1).max(120).optional().describe('City name, e.g. "Nairobi"'),
        latitude: coord(-90, 90, 'Latitude, with longitude, instead of a city'),
        longitude: coord(-180, 180, 'Longitude, with latitude'),
        start_date: isoDate().optional().describe('First day, YYYY-MM-DD (with end_date)'),
        end_date: isoDate().optional().describe('Last day, YYYY-MM-DD (inclusive)'),
        past_days: z.coerce
          .number()
          .int()
          .min(1)
          .max(MAX_HISTORY_DAYS)
          .optional()
          .describe('Instead of dates: this many days up to yesterday'),
      })
      .refine((a) => a.city !== undefined || (a.latitude !== undefined && a.longitude !== undefined), {
        message: 'give a city, or latitude and longitude',
        path: ['city'],
      })
      .refine((a) => a.past_days !== undefined || (a.start_date !== undefined && a.end_date !== undefined), {
        message: 'give start_date and end_date, or past_days',
        path: ['start_date'],
      })
      .refine((a) => !a.start_date || !a.end_date || a.end_date >= a.start_date, {
        message: 'end_date must not be before start_date',
        path: ['end_date'],
      })
      .refine(
        (a) =>
          !a.start_date || !a.end_date || (Date.parse(a.end_date) - Date.parse(a.start_date)) / DAY < MAX_HISTORY_DAYS,
        { message: `at most ${MAX_HISTORY_DAYS} days per call`, path: ['end_date'] },
      ),
    async execute(
      args: {
        city?: string;
        latitude?: number;
        longitude?: number;
        start_date?: string;
        end_date?: string;
        past_days?: number;
      },
      ctx,
    ) {
      let start = args.start_date;
      let end = args.end_date;
      if (args.past_days !== undefined && (!start || !end)) {
        // Whole days up to yesterday (UTC): today's model hours are still partly forecast.
        const today = Math.floor(service.now() / DAY) * DAY;
        end = day(today - DAY);
        start = day(today - args.past_days * DAY);
      }
      const where =
        args.city !== undefined
          ? { city: args.city }
          : { latitude: args.latitude as number, longitude: args.longitude as number };
      const a = named(await service.openMeteoHistory(where, start!, end!, ctx.signal), historyFigure);
      return answer(a, historyForModel, a.place ? { place: { name: a.place.name, country: a.place.countryName } } : {});
    },
  };

  const reverse: ToolSpec = {
    name: 'reverse_geocode',
    description:
      'The nearest known town or city to coordinates, from the offline gazetteer bundled with the app (no internet): ' +
      'name, country, its coordinates and the distance to it.',
    schema: z.object({
      latitude: z.coerce.number().min(-90).max(90).describe('Latitude in degrees'),
      longitude: z.coerce.number().min(-180).max(180).describe('Longitude in degrees'),
    }),
    execute(args: { latitude: number; longitude: number }) {
      const near = service.gazetteer.nearest(args.latitude, args.longitude);
      if (!near) {
        return Promise.resolve({
          result: { ok: false, error: { code: 'no_data', message: 'The offline gazetteer has no places.' } },
          meta: { sources: ['gazetteer'], cached: false, stale: false },
        });
      }
      const km = Math.round(near.distanceKm * 10) / 10;
      return Promise.resolve({
        result: {
          ok: true,
          data: {
            summary: `${near.place.name}, ${near.place.countryName} is the nearest known place, ${km} km away.`,
            place: {
              name: near.place.name,
              country: near.place.countryName,
              country_code: near.place.country,
              latitude: near.place.latitude,
              longitude: near.place.longitude,
            },
            distance_km: km,
            source: 'offline gazetteer (GeoNames cities, bundled with the app)',
            ...(km > 50 ? { note: 'The nearest known place is far: the point may be rural or at sea.' } : {}),
          },
        },
        meta: { sources: ['gazetteer'], cached: false, stale: false },
      });
    },
  };

  const byCoordinates: ToolSpec = {
    name: 'get_air_quality_by_coordinates',
    description:
      'Current air quality at coordinates ("my location"): the nearest measuring station within 50 km (WAQI, then ' +
      'OpenAQ when configured), else the CAMS model at the point; with the nearest known place from the offline gazetteer.',
    schema: z.object({
      latitude: z.coerce.number().min(-90).max(90).describe('Latitude in degrees'),
      longitude: z.coerce.number().min(-180).max(180).describe('Longitude in degrees'),
    }),
    async execute(args: { latitude: number; longitude: number }, ctx) {
      const a = await service.coordinatesAirQuality(args.latitude, args.longitude, ctx.signal);
      return answer(
        a,
        readingForModel,
        a.nearestPlace
          ? {
              nearest_place: { ...a.nearestPlace, source: 'offline gazetteer (GeoNames cities, bundled with the app)' },
            }
          : {},
      );
    },
  };

  return [history, reverse, byCoordinates];
}
