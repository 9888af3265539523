import { z } from 'zod';
import type { AirQualityService } from '../../airquality/air-quality-service';
import type { WaqiSearchHit } from '../../airquality/sources/waqi-client';
import { answer } from './data-tools';
import type { ToolSpec } from './tool-types';

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
