import type { AirQualityService, Answer } from './air-quality-service';
import { named, shortTime } from './answer-figure';
import { normalizePlaceName } from './gazetteer/gazetteer';
import { CarbonIntensityClient, CI_REGIONS } from './sources/carbon-intensity-client';
import {
  DefraClient,
  DEFRA_SPECIES,
  type DefraSeries,
  type DefraSpecies,
  type DefraStation,
} from './sources/defra-client';
import {
  aestDate,
  NswClient,
  NSW_POLLUTANTS,
  type NswObservation,
  type NswPollutant,
  type NswSite,
} from './sources/nsw-client';
import { UbaClient, type UbaComponent, type UbaScope, type UbaSeries, type UbaStation } from './sources/uba-client';

const DAY_MS = 86_400_000;

type CarbonView = 'current' | 'today' | 'regional' | 'generation_mix' | 'factors';

interface NswSiteLatest {
  site: NswSite;
  readings: Array<{ pollutant: string; unit: string; time: string; value: number; category: string | null }>;
}

interface NswPollutantSummary {
  pollutant: NswPollutant;
  hours: number;
  sites: Array<{
    site: NswSite | { siteId: number; name: string; region: string };
    unit: string;
    latest: { time: string; value: number; category: string | null };
    mean: number;
    max: number;
    count: number;
  }>;
}

const round = (n: number) => Math.round(n * 10) / 10;

const has = (hay: string, needle: string) => normalizePlaceName(hay).includes(normalizePlaceName(needle));

/**
 * The original's official networks (UK-AIR, UBA, NSW), Britain's grid carbon intensity and AirQo's metadata,
 * answered through the air-quality service's cache, breakers and offline fallback: each answer is live, or
 * cached with its age, or a failure that says what was tried.
 */
export class OfficialSources {
  readonly defra: DefraClient;
  readonly uba: UbaClient;
  readonly nsw: NswClient;
  readonly carbon: CarbonIntensityClient;

  constructor(private readonly service: AirQualityService) {
    const url = (id: 'defra' | 'uba' | 'nsw' | 'carbonintensity') => () => service.config().sources[id].baseUrl;
    this.defra = new DefraClient({ http: service.httpFor('defra'), baseUrl: url('defra') });
    this.uba = new UbaClient({ http: service.httpFor('uba'), baseUrl: url('uba') });
    this.nsw = new NswClient({ http: service.httpFor('nsw'), baseUrl: url('nsw') });
    this.carbon = new CarbonIntensityClient({
      http: service.httpFor('carbonintensity'),
      baseUrl: url('carbonintensity'),
    });
  }

  private get readingTtl(): number {
    return this.service.config().readingTtlMs;
  }

  /** `get_defra_sites`: UK-AIR's stations (the whole list is cached a day; `search` filters it). */
  async defraSites(search?: string, signal?: AbortSignal): Promise<Answer<DefraStation[]>> {
    const a = await this.service.cachedCall(
      'sites',
      'defra:stations',
      DAY_MS,
      'defra',
      this.defra,
      'UK-AIR stations',
      async () => {
        const list = await this.defra.stations(signal);
        return list.length ? list : null;
      },
    );
    if (!a.data || !search?.trim()) return a;
    const hits = a.data.filter((s) => has(s.label, search) || s.id === search.trim());
    return hits.length
      ? { ...a, data: hits }
      : { ...a, ok: false, data: null, message: `UK-AIR has no station matching "${search}".` };
  }

  /** `get_defra_site_data`: the last hours of one species at a UK-AIR station (by id or name). */
  async defraSiteData(
    site: string,
    species: DefraSpecies,
    hours: number,
    signal?: AbortSignal,
  ): Promise<Answer<DefraSeries>> {
    const stations = await this.defraSites(undefined, signal);
    if (!stations.data) return { ...stations, data: null };
    const q = site.trim();
    // Stations that measure more than one thing are listed once per station; prefer a name that starts with the query.
    const matches = stations.data.filter((s) => s.id === q || has(s.label, q));
    const starts = (s: DefraStation) => Number(normalizePlaceName(s.label).startsWith(normalizePlaceName(q)));
    matches.sort((a, b) => starts(b) - starts(a));
    if (!matches.length)
      return {
        ...stations,
        ok: false,
        data: null,
        message: `UK-AIR has no station matching "${site}"; try get_defra_sites.`,
      };
    const candidates = matches.slice(0, 5);
    const key = `defra:data:${candidates.map((c) => c.id).join(',')}:${species}:${hours}`;
    const a = await this.service.cachedCall(
      'reading',
      key,
      this.readingTtl,
      'defra',
      this.defra,
      `UK-AIR hourly ${DEFRA_SPECIES[species].name} near "${site}"`,
      async () => {
        // The first matching station that measures the species and has values in the window.
        for (const station of candidates) {
          const series = await this.defra.data(station, species, hours, this.service.now(), signal);
          if (series && series.points.length) return series;
        }
        return null;
      },
    );
    return named(a, (s) => {
      const last = s.points.at(-1);
      return last
        ? `UK-AIR (Defra), ${s.station.label}: ${DEFRA_SPECIES[species].name} ${last.value} ${s.unit}, hour from ${shortTime(last.time)}`
        : null;
    });
  }

  /** `get_uba_measures`: one component at up to three UBA stations of a city (or one station by code). */
  async ubaMeasures(
    location: string,
    component: UbaComponent,
    scope: UbaScope,
    hours: number,
    signal?: AbortSignal,
  ): Promise<Answer<UbaSeries[]>> {
    const stations = await this.service.cachedCall(
      'sites',
      'uba:stations',
      DAY_MS,
      'uba',
      this.uba,
      'UBA stations',
      async () => {
        const list = await this.uba.stations(signal);
        return list.length ? list : null;
      },
    );
    if (!stations.data) return { ...stations, data: null };
    const q = location.trim();
    const byCode = stations.data.filter((s) => s.code.toLowerCase() === q.toLowerCase());
    const inCity = stations.data.filter(
      (s) => s.active && (normalizePlaceName(s.city) === normalizePlaceName(q) || has(s.name, q)),
    );
    const chosen: UbaStation[] = (byCode.length ? byCode : inCity).slice(0, 3);
    if (!chosen.length)
      return { ...stations, ok: false, data: null, message: `UBA has no active station in or named "${location}".` };
    const key = `uba:${chosen.map((s) => s.id).join(',')}:${component}:${scope}:${hours}`;
    const a = await this.service.cachedCall(
      'reading',
      key,
      this.readingTtl,
      'uba',
      this.uba,
      `UBA ${component.toUpperCase()} (${scope}) in ${location}`,
      async () => {
        const out: UbaSeries[] = [];
        for (const s of chosen) {
          const series = await this.uba.measures(s, component, scope, hours, this.service.now(), signal);
          if (series.points.length) out.push(series);
        }
        return out.length ? out : null;
      },
    );
    return named(a, (list) => {
      const s = list[0]!;
      const last = s.points.at(-1)!;
      return `UBA, ${s.station.name} (${s.station.code}): ${component.toUpperCase()} ${last.value} ${s.unit}, period from ${shortTime(last.time)}`;
    });
  }

  private async nswSiteList(signal?: AbortSignal): Promise<Answer<NswSite[]>> {
    return this.service.cachedCall('sites', 'nsw:sites', DAY_MS, 'nsw', this.nsw, 'NSW monitoring sites', async () => {
      const list = await this.nsw.sites(signal);
      return list.length ? list : null;
    });
  }

  /** `get_nsw_sites`: NSW monitoring sites, optionally those whose name or region matches. */
  async nswSites(filter?: string, signal?: AbortSignal): Promise<Answer<NswSite[]>> {
    const a = await this.nswSiteList(signal);
    if (!a.data || !filter?.trim()) return a;
    const hits = a.data.filter((s) => has(s.name, filter) || has(s.region, filter));
    return hits.length
      ? { ...a, data: hits }
      : { ...a, ok: false, data: null, message: `No NSW site or region matches "${filter}".` };
  }

  /** `get_nsw_air_quality`: the latest hourly values at the sites matching a place (up to five), or all sites. */
  async nswCurrent(location: string | undefined, signal?: AbortSignal): Promise<Answer<NswSiteLatest[]>> {
    const sites = await this.nswSiteList(signal);
    if (!sites.data) return { ...sites, data: null };
    let chosen: NswSite[] | null = null;
    if (location?.trim()) {
      chosen = sites.data.filter((s) => has(s.name, location) || has(s.region, location)).slice(0, 5);
      if (!chosen.length)
        return {
          ...sites,
          ok: false,
          data: null,
          message: `No NSW site or region matches "${location}"; try get_nsw_sites.`,
        };
    }
    const key = `nsw:current:${chosen ? chosen.map((s) => s.siteId).join(',') : 'all'}`;
    const byId = new Map(sites.data.map((s) => [s.siteId, s]));
    const a = await this.service.cachedCall(
      'reading',
      key,
      this.readingTtl,
      'nsw',
      this.nsw,
      `NSW hourly observations${location ? ` for "${location}"` : ''}`,
      async () => {
        const now = this.service.now();
        const obs = await this.nsw.hourly(
          NSW_POLLUTANTS,
          chosen?.map((s) => s.siteId) ?? null,
          aestDate(now - DAY_MS),
          aestDate(now),
          signal,
        );
        const latest = new Map<number, Map<string, NswObservation>>();
        for (const o of obs) {
          const perSite = latest.get(o.siteId) ?? new Map<string, NswObservation>();
          const prev = perSite.get(o.pollutant);
          if (!prev || prev.time < o.time) perSite.set(o.pollutant, o);
          latest.set(o.siteId, perSite);
        }
        const out: NswSiteLatest[] = [...latest].map(([id, m]) => ({
          site: byId.get(id) ?? { siteId: id, name: `site ${id}`, region: '' },
          readings: [...m.values()].map(({ pollutant, unit, time, value, category }) => ({
            pollutant,
            unit,
            time,
            value,
            category,
          })),
        }));
        return out.length ? out : null;
      },
    );
    return named(a, (sites) => {
      const s = sites[0]!;
      const r = s.readings.find((x) => x.pollutant === 'PM2.5') ?? s.readings[0];
      return r
        ? `NSW Air Quality, ${s.site.name}: ${r.pollutant} ${r.value} ${r.unit}${r.category ? ` (${r.category})` : ''}, hour from ${shortTime(r.time)}`
        : null;
    });
  }

  /** `get_nsw_pollutant_data`: one pollutant over the last hours at every NSW site reporting it. */
  async nswPollutant(
    pollutant: NswPollutant,
    hours: number,
    signal?: AbortSignal,
  ): Promise<Answer<NswPollutantSummary>> {
    const sites = await this.nswSiteList(signal);
    const byId = new Map((sites.data ?? []).map((s) => [s.siteId, s]));
    return this.service.cachedCall(
      'history',
      `nsw:pollutant:${pollutant}:${hours}`,
      this.readingTtl,
      'nsw',
      this.nsw,
      `NSW ${pollutant} over the last ${hours} hours`,
      async () => {
        const now = this.service.now();
        const since = new Date(now - hours * 3_600_000).toISOString();
        const obs = (
          await this.nsw.hourly([pollutant], null, aestDate(now - hours * 3_600_000), aestDate(now), signal)
        ).filter(
          // Hours that end inside the window count.
          (o) => new Date(Date.parse(o.time) + 3_600_000).toISOString() > since,
        );
        const groups = new Map<number, NswObservation[]>();
        for (const o of obs) groups.set(o.siteId, [...(groups.get(o.siteId) ?? []), o]);
        const summary: NswPollutantSummary = {
          pollutant,
          hours,
          sites: [...groups].map(([id, list]) => {
            const last = list.reduce((a, b) => (a.time > b.time ? a : b));
            const values = list.map((o) => o.value);
            return {
              site: byId.get(id) ?? { siteId: id, name: `site ${id}`, region: '' },
              unit: last.unit,
              latest: { time: last.time, value: last.value, category: last.category },
              mean: round(values.reduce((a, b) => a + b, 0) / values.length),
              max: Math.max(...values),
              count: values.length,
            };
          }),
        };
        return summary.sites.length ? summary : null;
      },
    );
  }

  /** `get_uk_carbon_intensity` (and the original's five tools as views of it). */
  async carbonIntensity(view: CarbonView, region: string | undefined, signal?: AbortSignal): Promise<Answer<unknown>> {
    let regionId: number | null = null;
    if (view === 'regional') {
      const name = normalizePlaceName(region ?? '');
      regionId =
        CI_REGIONS[name] ??
        Object.entries(CI_REGIONS).find(([k]) => k.includes(name) || (name.length > 2 && name.includes(k)))?.[1] ??
        null;
      if (!name || regionId === null)
        return {
          ok: false,
          data: null,
          cache: null,
          sourcesTried: [],
          message: `"${region ?? ''}" is not a Carbon Intensity region; use one of: ${Object.keys(CI_REGIONS).join(', ')}.`,
        };
    }
    const ttl = view === 'factors' ? DAY_MS : this.readingTtl;
    const what = {
      current: 'GB carbon intensity now',
      today: "GB carbon intensity for today's half hours",
      regional: `carbon intensity in ${region}`,
      generation_mix: 'GB generation mix now',
      factors: 'carbon intensity factors by fuel',
    }[view];
    return this.service.cachedCall(
      'reading',
      `ci:${view}:${regionId ?? ''}`,
      ttl,
      'carbonintensity',
      this.carbon,
      what,
      async () => {
        switch (view) {
          case 'current':
            return this.carbon.current(signal);
          case 'today':
            return this.carbon.today(signal);
          case 'regional':
            return this.carbon.regional(regionId!, signal);
          case 'generation_mix':
            return this.carbon.generation(signal);
          case 'factors':
            return this.carbon.factors(signal);
        }
      },
    );
  }

  /** `get_airqo_metadata`: AirQo's grids, cohorts, devices or sites (cached a day). */
  async airQoMetadata(
    entity: 'grids' | 'cohorts' | 'devices' | 'sites',
    signal?: AbortSignal,
  ): Promise<Answer<Array<Record<string, string | number | boolean>>>> {
    return this.service.cachedCall(
      'sites',
      `airqo:meta:${entity}`,
      DAY_MS,
      'airqo',
      this.service.airqo,
      `AirQo ${entity} metadata`,
      async () => {
        const rows = await this.service.airqo.metadata(entity, signal);
        return rows.length ? rows : null;
      },
    );
  }
}
