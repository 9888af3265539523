import { z } from 'zod';
import type { AirQualityService } from '../../airquality/air-quality-service';
import type { CurrentWeather, WeatherForecast } from '../../airquality/sources/openmeteo-weather-client';
import { answer } from './data-tools';
import type { ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

const city = lazy(() =>
  z.string().trim().min(1).max(120).describe('City name, optionally with country, e.g. "Nairobi"'),
);

const placeExtra = (p: { name: string; countryName: string } | null) =>
  p ? { place: { name: p.name, country: p.countryName } } : {};

/** The original's weather tools: current conditions and a daily forecast (Open-Meteo's weather models). */
export function weatherTools(service: AirQualityService): ToolSpec[] {
  const current: ToolSpec = {
    name: 'get_city_weather',
    description:
      'Current weather for a city: temperature, humidity, feels-like, precipitation, wind and conditions, from ' +
      "Open-Meteo's weather models (local time). Useful beside air quality: rain clears particles, still air traps them.",
    schema: z.object({ city: city() }),
    async execute(args: { city: string }, ctx) {
      const a = await service.cityWeather(args.city, ctx.signal);
      return answer(
        a,
        (w: CurrentWeather) => ({
          source: w.sourceName,
          data_type: 'model estimate, not a station reading',
          location: w.location,
          local_time: w.time,
          timezone: w.timezone,
          conditions: w.description,
          values: w.values,
          attribution: w.attribution,
          notes: w.notes,
        }),
        placeExtra(a.place),
      );
    },
  };

  const forecast: ToolSpec = {
    name: 'get_weather_forecast',
    description:
      'Daily weather forecast for a city, 1 to 16 days: conditions, max/min temperature, precipitation and its ' +
      "probability, and wind, from Open-Meteo's weather models.",
    schema: z.object({
      city: city(),
      days: z.coerce.number().int().min(1).max(16).default(7).describe('Number of days, 1 to 16'),
    }),
    async execute(args: { city: string; days: number }, ctx) {
      const a = await service.weatherForecast(args.city, args.days, ctx.signal);
      return answer(
        a,
        (f: WeatherForecast) => ({
          source: f.sourceName,
          data_type: 'model forecast',
          location: f.location,
          timezone: f.timezone,
          units: f.units,
          days: f.days,
          attribution: f.attribution,
          notes: f.notes,
        }),
        placeExtra(a.place),
      );
    },
  };

  return [current, forecast];
}
