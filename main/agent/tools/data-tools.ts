import { z } from 'zod';
import type { Answer, AirQualityService, SourceAttempt } from '../../airquality/air-quality-service';
import type { AirQualityForecast, AirQualityReading } from '../../airquality/sources/source-types';
import type { ToolReturn, ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

const place = lazy(() => z.string().trim().min(1).max(120));
const num = (min: number, max: number, what: string) => z.coerce.number().min(min).max(max).describe(what);

/** The compact shape the model reads: who measured what, where and when, with attribution. */
export function readingForModel(r: AirQualityReading) {
  return {
    source: r.sourceName,
    data_type: r.dataType === 'model' ? 'model estimate (CAMS), not a measurement' : 'measurement',
    station: r.station,
    measured_at: r.measuredAt,
    aqi: r.aqi,
    concentrations_ug_m3_or_unit: r.concentrations,
    ...(r.subIndices && Object.keys(r.subIndices).length
      ? { us_aqi_sub_indices_not_concentrations: r.subIndices }
      : {}),
    ...(r.weather ? { weather: r.weather } : {}),
    ...(r.healthTips ? { health_tips: r.healthTips.slice(0, 3) } : {}),
    attribution: r.attribution,
    notes: r.notes,
  };
}

function tried(list: SourceAttempt[]) {
  return list.map((t) => ({ source: t.sourceName, outcome: t.outcome, ...(t.reason ? { reason: t.reason } : {}) }));
}

/** Turns a service answer into the tool's result + the UI's meta. */
export function answer<T>(a: Answer<T>, shape: (data: T) => unknown, extra: Record<string, unknown> = {}): ToolReturn {
  const sources = a.sourcesTried.filter((t) => t.outcome === 'ok').map((t) => t.source as string);
  const meta = { sources: a.cache ? ['cache'] : sources, cached: Boolean(a.cache), stale: Boolean(a.cache?.stale) };
  if (!a.ok || a.data === null) {
    return {
      result: {
        ok: false,
        error: {
          code: 'no_data',
          message: a.message,
          hint: 'Tell the user which sources were tried; suggest a nearby larger city, coordinates, or checking the connection.',
        },
        data: { sources_tried: tried(a.sourcesTried), ...extra },
      },
      meta,
    };
  }
  return {
    result: {
      ok: true,
      data: {
        summary: a.message,
        ...extra,
        ...(shape(a.data) as Record<string, unknown>),
        ...(a.cache ? { cache: { stale: a.cache.stale, note: a.cache.note, fetched_at: a.cache.fetchedAt } } : {}),
        sources_tried: tried(a.sourcesTried),
      },
    },
    meta,
  };
}

function forecastForModel(f: AirQualityForecast) {
  return {
    source: f.sourceName,
    data_type:
      f.dataType === 'model'
        ? 'model forecast (CAMS), not measurements'
        : 'forecast (US AQI sub-indices, not concentrations)',
    location: f.location,
    days: f.days,
    attribution: f.attribution,
    notes: f.notes,
  };
}

export function dataTools(service: AirQualityService): ToolSpec[] {
  const getCity: ToolSpec = {
    name: 'get_city_air_quality',
    description:
      'Current air quality for a city: AQI with category, pollutant concentrations, station, measurement time and source. ' +
      'Uses AirQo for African cities, then WAQI, then the Open-Meteo CAMS model. Answers from cache when offline (and says how old).',
    schema: z.object({
      city: place().describe('City name, optionally with country, e.g. "Kampala" or "Paris, France"'),
    }),
    async execute(args: { city: string }, ctx) {
      const a = await service.cityAirQuality(args.city, ctx.signal);
      return answer(
        a,
        readingForModel,
        a.place
          ? {
              place: {
                name: a.place.name,
                country: a.place.countryName,
                latitude: a.place.latitude,
                longitude: a.place.longitude,
              },
            }
          : {},
      );
    },
  };

  const getForecast: ToolSpec = {
    name: 'get_air_quality_forecast',
    description:
      'Daily air-quality forecast for a city (1–7 days): PM2.5/PM10 and AQI per day, from the CAMS model via Open-Meteo, or WAQI.',
    schema: z.object({
      city: place().describe('City name, optionally with country'),
      days: z.coerce.number().int().min(1).max(7).default(3).describe('Number of days, 1 to 7'),
    }),
    async execute(args: { city: string; days: number }, ctx) {
      return answer(await service.forecast(args.city, args.days, ctx.signal), forecastForModel);
    },
  };

  const getOpenMeteo: ToolSpec = {
    name: 'get_openmeteo_current_air_quality',
    description:
      'Current modelled air quality at coordinates from Open-Meteo (CAMS model output, not a measurement). Works anywhere.',
    schema: z.object({
      latitude: num(-90, 90, 'Latitude in degrees'),
      longitude: num(-180, 180, 'Longitude in degrees'),
    }),
    async execute(args: { latitude: number; longitude: number }, ctx) {
      return answer(await service.openMeteoCurrent(args.latitude, args.longitude, ctx.signal), readingForModel);
    },
  };

  const searchSites: ToolSpec = {
    name: 'search_airqo_sites',
    description:
      'Find AirQo monitoring sites (mostly in African cities) by place name; returns site ids for get_airqo_history.',
    schema: z.object({ location: place().describe('Place, district or site name, e.g. "Kampala" or "Makerere"') }),
    async execute(args: { location: string }, ctx) {
      return answer(await service.searchAirQoSites(args.location, ctx.signal), (sites) => ({
        source: 'AirQo',
        sites: sites.slice(0, 20),
        attribution: [{ name: 'AirQo, Makerere University', url: 'https://airqo.net/' }],
      }));
    },
  };

  const isoTime = z
    .string()
    .trim()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time, e.g. 2026-01-10T00:00:00Z');
  const history: ToolSpec = {
    name: 'get_airqo_history',
    description:
      'Hourly or daily PM2.5/PM10 measurements (µg/m³) at an AirQo site between two times (free tier: last 24 hours).',
    schema: z
      .object({
        site_id: z.string().trim().min(1).max(64).describe('AirQo site id from search_airqo_sites'),
        start_time: isoTime.describe('Start, ISO 8601'),
        end_time: isoTime.describe('End, ISO 8601'),
        frequency: z.enum(['hourly', 'daily']).default('hourly').describe('hourly or daily'),
      })
      .refine((a) => Date.parse(a.end_time) > Date.parse(a.start_time), {
        message: 'end_time must be after start_time',
        path: ['end_time'],
      }),
    async execute(args: { site_id: string; start_time: string; end_time: string; frequency: 'hourly' | 'daily' }, ctx) {
      const a = await service.airQoHistory(
        args.site_id,
        {
          startTime: new Date(args.start_time).toISOString(),
          endTime: new Date(args.end_time).toISOString(),
          frequency: args.frequency,
        },
        ctx.signal,
      );
      return answer(a, (h) => ({
        source: h.sourceName,
        data_type: 'measurement',
        station: h.station,
        frequency: h.frequency,
        unit: h.unit,
        points: h.points,
        attribution: h.attribution,
        notes: h.notes,
      }));
    },
  };

  return [getCity, getForecast, getOpenMeteo, searchSites, history];
}
