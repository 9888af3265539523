import { z } from 'zod';
import type { OfficialSources } from '../../airquality/official-sources';
import { DEFRA_SPECIES, type DefraSpecies } from '../../airquality/sources/defra-client';
import { NSW_POLLUTANTS } from '../../airquality/sources/nsw-client';
import { UBA_COMPONENTS, UBA_SCOPES, type UbaComponent, type UbaScope } from '../../airquality/sources/uba-client';
import { answer } from './data-tools';
import type { ToolRegistry } from './tool-registry';
import type { ToolSpec } from './tool-types';
import { lazy } from '../../../preload/shared/lazy';

const hours = lazy(() => z.coerce.number().int().min(1).max(168).default(24).describe('Hours back from now, 1 to 168'));

const stats = (values: number[]) =>
  values.length
    ? {
        mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10,
        min: Math.min(...values),
        max: Math.max(...values),
        count: values.length,
      }
    : null;

const DEFRA_ATTRIBUTION = [{ name: 'UK-AIR, Defra (Open Government Licence)', url: 'https://uk-air.defra.gov.uk/' }];
const UBA_ATTRIBUTION = [
  { name: 'Umweltbundesamt (dl-de/by-2-0)', url: 'https://www.umweltbundesamt.de/daten/luft/luftdaten' },
];
const NSW_ATTRIBUTION = [
  {
    name: 'NSW Department of Climate Change, Energy, the Environment and Water (CC BY 4.0)',
    url: 'https://www.airquality.nsw.gov.au/',
  },
];
const CI_ATTRIBUTION = [{ name: 'Carbon Intensity API, NESO (CC BY 4.0)', url: 'https://carbonintensity.org.uk/' }];

function defraTools(src: OfficialSources): ToolSpec[] {
  const siteData: ToolSpec = {
    name: 'get_defra_site_data',
    description:
      "Hourly measurements from the UK's official network (UK-AIR, Defra) at a station, by station name or id, " +
      'e.g. "London Marylebone Road" or just "London": values, their UTC times, mean/min/max.',
    schema: z.object({
      site_code: z
        .string()
        .trim()
        .min(1)
        .max(80)
        .describe('UK-AIR station name or id (from get_defra_sites), or a city'),
      species: z
        .enum(Object.keys(DEFRA_SPECIES) as [DefraSpecies, ...DefraSpecies[]])
        .default('PM25')
        .describe('Pollutant code: PM25, PM10, NO2, O3, SO2, CO, NOX'),
      hours: hours(),
    }),
    async execute(args: { site_code: string; species: DefraSpecies; hours: number }, ctx) {
      return answer(await src.defraSiteData(args.site_code, args.species, args.hours, ctx.signal), (s) => ({
        source: 'UK-AIR (Defra)',
        data_type: 'measurement (hourly means, ratified data may differ)',
        station: {
          name: s.station.label,
          id: s.station.id,
          latitude: s.station.latitude,
          longitude: s.station.longitude,
        },
        pollutant: s.phenomenon,
        unit: s.unit,
        latest: s.points.at(-1) ?? null,
        statistics: stats(s.points.map((p) => p.value)),
        values: s.points.slice(-48),
        attribution: DEFRA_ATTRIBUTION,
      }));
    },
  };
  const sites: ToolSpec = {
    name: 'get_defra_sites',
    description:
      "The UK's official air-quality monitoring stations (UK-AIR, Defra), optionally those matching a name or city.",
    schema: z.object({
      search: z.string().trim().max(80).optional().describe('Part of a station name or a city, e.g. "Manchester"'),
    }),
    async execute(args: { search?: string }, ctx) {
      return answer(await src.defraSites(args.search, ctx.signal), (list) => ({
        source: 'UK-AIR (Defra)',
        total: list.length,
        stations: list
          .slice(0, 40)
          .map((s) => ({ id: s.id, name: s.label, latitude: s.latitude, longitude: s.longitude })),
        attribution: DEFRA_ATTRIBUTION,
      }));
    },
  };
  const species: ToolSpec = {
    name: 'get_defra_species_codes',
    description: 'The pollutant codes get_defra_site_data takes, with their names and units.',
    schema: z.object({}),
    async execute() {
      return {
        result: {
          ok: true,
          data: {
            source: 'UK-AIR (Defra)',
            species: Object.entries(DEFRA_SPECIES).map(([code, s]) => ({ code, name: s.name, unit: s.unit })),
          },
        },
      };
    },
  };
  return [siteData, sites, species];
}

function ubaTool(src: OfficialSources): ToolSpec {
  const components = Object.keys(UBA_COMPONENTS) as [UbaComponent, ...UbaComponent[]];
  return {
    name: 'get_uba_measures',
    description:
      "Measurements from Germany's official network (Umweltbundesamt, UBA) in a German city or at a station code " +
      '(e.g. "Berlin", "DEBE010"): up to three stations, values with their local times (CET), mean/min/max.',
    schema: z.object({
      component: z
        .preprocess((v) => (typeof v === 'string' ? v.toLowerCase().replace(/^pm25$/, 'pm2.5') : v), z.enum(components))
        .describe('pm10, pm2.5, no2, o3, so2 or co'),
      scope: z
        .enum(Object.keys(UBA_SCOPES) as [UbaScope, ...UbaScope[]])
        .default('1h')
        .describe("'1h' hourly means, '8h' 8-hour means, '24h' daily means"),
      location: z.string().trim().min(1).max(80).describe('German city or UBA station code, e.g. "Berlin"'),
      hours: hours(),
    }),
    async execute(args: { component: UbaComponent; scope: UbaScope; location: string; hours: number }, ctx) {
      return answer(
        await src.ubaMeasures(args.location, args.component, args.scope, args.hours, ctx.signal),
        (list) => ({
          source: 'Umweltbundesamt (UBA)',
          data_type: `measurement (${UBA_SCOPES[args.scope].name}, not yet validated)`,
          pollutant: UBA_COMPONENTS[args.component].name,
          unit: UBA_COMPONENTS[args.component].unit,
          stations: list.map((s) => ({
            station: {
              name: s.station.name,
              code: s.station.code,
              city: s.station.city,
              latitude: s.station.latitude,
              longitude: s.station.longitude,
            },
            latest: s.points.at(-1) ?? null,
            statistics: stats(s.points.map((p) => p.value)),
            values: s.points.slice(-48).map((p) => ({ time: p.time, value: p.value })),
          })),
          attribution: UBA_ATTRIBUTION,
        }),
      );
    },
  };
}

function nswTools(src: OfficialSources): ToolSpec[] {
  const current: ToolSpec = {
    name: 'get_nsw_air_quality',
    description:
      "Latest hourly measurements from the official NSW (Australia) network, with NSW's air quality category: " +
      'sites matching a place or region (e.g. "Sydney", "Randwick"), or all sites.',
    schema: z.object({ location: z.string().trim().max(80).optional().describe('Site name or region, e.g. "Sydney"') }),
    async execute(args: { location?: string }, ctx) {
      return answer(await src.nswCurrent(args.location, ctx.signal), (sites) => ({
        source: 'NSW Air Quality',
        data_type: 'measurement (hourly averages, AEST)',
        sites: sites.slice(0, 10).map((s) => ({ site: s.site, readings: s.readings })),
        attribution: NSW_ATTRIBUTION,
      }));
    },
  };
  const sites: ToolSpec = {
    name: 'get_nsw_sites',
    description: 'The NSW (Australia) air-quality monitoring sites with their region and coordinates.',
    schema: z.object({ region: z.string().trim().max(80).optional().describe('A region or site name to filter by') }),
    async execute(args: { region?: string }, ctx) {
      return answer(await src.nswSites(args.region, ctx.signal), (list) => ({
        source: 'NSW Air Quality',
        total: list.length,
        sites: list.slice(0, 60),
        attribution: NSW_ATTRIBUTION,
      }));
    },
  };
  const pollutant: ToolSpec = {
    name: 'get_nsw_pollutant_data',
    description:
      'One pollutant over the last hours at every NSW (Australia) site that reports it: latest, mean and max per site.',
    schema: z.object({
      pollutant: z.enum(NSW_POLLUTANTS).describe("'PM2.5', 'PM10', 'O3', 'NO2', 'SO2' or 'CO'"),
      hours: hours(),
    }),
    async execute(args: { pollutant: (typeof NSW_POLLUTANTS)[number]; hours: number }, ctx) {
      return answer(await src.nswPollutant(args.pollutant, args.hours, ctx.signal), (s) => ({
        source: 'NSW Air Quality',
        data_type: 'measurement (hourly averages, AEST)',
        pollutant: s.pollutant,
        hours: s.hours,
        sites: s.sites.slice(0, 40),
        attribution: NSW_ATTRIBUTION,
      }));
    },
  };
  return [current, sites, pollutant];
}

const CARBON_VIEWS = ['current', 'today', 'regional', 'generation_mix', 'factors'] as const;

function carbonTool(src: OfficialSources): ToolSpec {
  return {
    name: 'get_uk_carbon_intensity',
    description:
      "Great Britain's electricity carbon intensity (gCO2/kWh) from the Carbon Intensity API: now, today's half hours, " +
      'a region (e.g. London, Scotland), the generation mix, or the factors per fuel. It is about the grid, not the air.',
    schema: z.object({
      view: z.enum(CARBON_VIEWS).default('current').describe('current, today, regional, generation_mix or factors'),
      region: z
        .string()
        .trim()
        .max(60)
        .optional()
        .describe('For view=regional: e.g. "London", "Scotland", "South Wales"'),
    }),
    async execute(args: { view: (typeof CARBON_VIEWS)[number]; region?: string }, ctx) {
      return answer(await src.carbonIntensity(args.view, args.region, ctx.signal), (data) => ({
        source: 'Carbon Intensity API (NESO)',
        data_type: args.view === 'factors' ? 'reference factors' : 'grid estimate (forecast and actual, gCO2/kWh)',
        view: args.view,
        ...(args.region ? { region: args.region } : {}),
        data,
        attribution: CI_ATTRIBUTION,
      }));
    },
  };
}

function airQoMetadataTool(src: OfficialSources): ToolSpec {
  return {
    name: 'get_airqo_metadata',
    description:
      "AirQo's network metadata: its grids (areas), cohorts (device groups), devices or sites, with names and places.",
    schema: z.object({
      entity_type: z
        .enum(['grids', 'cohorts', 'devices', 'sites'])
        .describe("'grids', 'cohorts', 'devices' or 'sites'"),
    }),
    async execute(args: { entity_type: 'grids' | 'cohorts' | 'devices' | 'sites' }, ctx) {
      return answer(await src.airQoMetadata(args.entity_type, ctx.signal), (rows) => ({
        source: 'AirQo',
        entity_type: args.entity_type,
        total: rows.length,
        items: rows.slice(0, 50),
        attribution: [{ name: 'AirQo', url: 'https://airqo.net/' }],
      }));
    },
  };
}

/** The original's official-network tools; the five carbon-intensity names stay as aliases of one tool. */
export function registerOfficialTools(registry: ToolRegistry, src: OfficialSources): void {
  for (const t of [...defraTools(src), ubaTool(src), ...nswTools(src), carbonTool(src), airQoMetadataTool(src)])
    registry.register(t);
  registry
    .alias('get_uk_carbon_intensity_current', 'get_uk_carbon_intensity', { view: 'current' })
    .alias('get_uk_carbon_intensity_today', 'get_uk_carbon_intensity', { view: 'today' })
    .alias('get_uk_carbon_intensity_regional', 'get_uk_carbon_intensity', { view: 'regional' })
    .alias('get_uk_generation_mix', 'get_uk_carbon_intensity', { view: 'generation_mix' })
    .alias('get_uk_carbon_intensity_factors', 'get_uk_carbon_intensity', { view: 'factors' });
}
