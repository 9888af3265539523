import { z } from 'zod';
import type { AirQualityService } from '../../airquality/air-quality-service';
import type { WaqiSearchHit } from '../../airquality/sources/waqi-client';
import { answer } from './data-tools';
import type { ToolSpec } from './tool-types';

/** The original's `get_airqo_forecast`: AirQo's PM2.5 forecast for a site, by id or by place name. */
export function airQoForecastTool(service: AirQualityService): ToolSpec {
  return {
    name: 'get_airqo_forecast',
    description:
      "AirQo's PM2.5 forecast (µg/m³) for one of its monitoring sites: daily for 7 days or hourly for 24 hours. " +
      'Give a site_id from search_airqo_sites, or a city/location and the best AirQo site there is used.',
    schema: z
      .object({
        site_id: z.string().trim().min(1).max(64).optional().describe('AirQo site id'),
        city: z.string().trim().min(1).max(120).optional().describe('City or place, e.g. "Kampala"'),
        frequency: z.enum(['daily', 'hourly']).default('daily').describe('daily (7 days) or hourly (24 hours)'),
      })
      .refine((a) => a.site_id !== undefined || a.city !== undefined, {
        message: 'give a site_id or a city',
        path: ['site_id'],
      }),
    async execute(args: { site_id?: string; city?: string; frequency: 'daily' | 'hourly' }, ctx) {
      const target = args.site_id ? { siteId: args.site_id } : { location: args.city! };
      return answer(await service.airQoForecast(target, args.frequency, ctx.signal), (f) => ({
        source: f.sourceName,
        data_type: 'forecast (AirQo model), not measurements',
        site_id: f.siteId,
        ...(f.siteName ? { site_name: f.siteName } : {}),
        frequency: f.frequency,
        unit: f.unit,
        points: f.points,
        attribution: f.attribution,
        notes: f.notes,
      }));
    },
  };
}

/** The original's `search_waqi_stations`: monitoring stations by name or keyword, worldwide. */
export function stationSearchTool(service: AirQualityService): ToolSpec {
  return {
    name: 'search_waqi_stations',
    description:
      'Find air-quality monitoring stations worldwide (WAQI) by name or keyword, e.g. "US Embassy" or "Bangalore": ' +
      'station names, coordinates, their latest US AQI and its local time.',
    schema: z.object({ keyword: z.string().trim().min(2).max(80).describe('Station name, city or keyword') }),
    async execute(args: { keyword: string }, ctx) {
      return answer(await service.searchWaqiStations(args.keyword, ctx.signal), (hits: WaqiSearchHit[]) => ({
        source: 'WAQI (World Air Quality Index project)',
        data_type: 'measurement (US AQI, not a concentration)',
        stations: hits.slice(0, 20).map((h) => ({
          uid: h.uid,
          name: h.station.name,
          ...(h.station.geo ? { latitude: h.station.geo[0], longitude: h.station.geo[1] } : {}),
          // WAQI writes "-" when a station has no current value.
          us_aqi: /^\d+$/.test(h.aqi) ? Number(h.aqi) : null,
          local_time: h.time?.stime ?? null,
        })),
        attribution: [{ name: 'World Air Quality Index Project', url: 'https://waqi.info/' }],
      }));
    },
  };
}
