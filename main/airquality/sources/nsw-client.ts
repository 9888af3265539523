import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';

/**
 * The NSW Air Quality API (https://data.airquality.nsw.gov.au, user guide v1.0). No key. As documented:
 * - `GET /api/Data/get_SiteDetails` → `[{Site_Id, SiteName, Longitude, Latitude, Region}]`;
 * - `POST /api/Data/get_Observations` with `{Parameters, Sites, StartDate, EndDate, Categories, SubCategories,
 *   Frequency}` → `[{Site_Id, Parameter: {ParameterCode, ParameterDescription, Units, UnitsDescription, Category,
 *   SubCategory, Frequency}, Date, Hour, HourDescription, Value, AirQualityCategory, DeterminingPollutant}]`.
 * Dates and hours are NSW standard time (AEST, UTC+10, no daylight saving); `Hour` is the hour ending (1–24).
 */
export const NSW_POLLUTANTS = ['PM2.5', 'PM10', 'O3', 'NO2', 'SO2', 'CO'] as const;
export type NswPollutant = (typeof NSW_POLLUTANTS)[number];

export interface NswSite {
  siteId: number;
  name: string;
  region: string;
  latitude?: number;
  longitude?: number;
}

export interface NswObservation {
  siteId: number;
  pollutant: string;
  unit: string;
  /** Start of the hour, ISO with +10:00. */
  time: string;
  value: number;
  category: string | null;
}

interface RawObservation {
  Site_Id: number;
  Parameter?: { ParameterCode?: string; Units?: string };
  Date: string;
  Hour: number;
  Value: number | null;
  AirQualityCategory?: string | null;
}

const AEST_MS = 10 * 3_600_000;

/** The AEST calendar date of an instant. */
export const aestDate = (ms: number): string => new Date(ms + AEST_MS).toISOString().slice(0, 10);

export class NswClient {
  readonly configured = true;

  constructor(private readonly opts: { http: SourceHttp; baseUrl: () => string }) {}

  private interpret<T>(reply: HttpReply): T {
    if (reply.status === 400 || reply.status === 415)
      throw new SourceError('nsw', 'bad_request', `NSW Air Quality refused the request (HTTP ${reply.status})`, 400);
    if (reply.status === 404) throw new SourceError('nsw', 'not_found', 'NSW Air Quality has no such resource', 404);
    if (reply.status >= 400 || !Array.isArray(reply.body))
      throw new SourceError('nsw', 'bad_response', `NSW Air Quality sent an unexpected reply (HTTP ${reply.status})`);
    return reply.body as T;
  }

  async sites(signal?: AbortSignal): Promise<NswSite[]> {
    const rows = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), '/api/Data/get_SiteDetails'),
      (r) =>
        this.interpret<
          Array<{ Site_Id: number; SiteName: string; Region?: string; Latitude?: number; Longitude?: number }>
        >(r),
      { signal },
    );
    return rows.map((s) => ({
      siteId: s.Site_Id,
      name: s.SiteName,
      region: s.Region ?? '',
      ...(typeof s.Latitude === 'number' ? { latitude: s.Latitude } : {}),
      ...(typeof s.Longitude === 'number' ? { longitude: s.Longitude } : {}),
    }));
  }

  /** Hourly averages of some pollutants at some sites (all sites when none given) between two AEST dates. */
  async hourly(
    pollutants: readonly NswPollutant[],
    siteIds: number[] | null,
    startDate: string,
    endDate: string,
    signal?: AbortSignal,
  ): Promise<NswObservation[]> {
    const rows = await this.opts.http.get(
      joinUrl(this.opts.baseUrl(), '/api/Data/get_Observations'),
      (r) => this.interpret<RawObservation[]>(r),
      {
        signal,
        json: {
          Parameters: pollutants,
          ...(siteIds ? { Sites: siteIds } : {}),
          StartDate: startDate,
          EndDate: endDate,
          Categories: ['Averages'],
          SubCategories: ['Hourly'],
          Frequency: ['Hourly average'],
        },
      },
    );
    return rows
      .filter((o) => typeof o.Value === 'number' && Number.isFinite(o.Value))
      .map((o) => {
        const start = Date.parse(`${o.Date}T00:00:00+10:00`) + (o.Hour - 1) * 3_600_000;
        return {
          siteId: o.Site_Id,
          pollutant: o.Parameter?.ParameterCode ?? '?',
          unit: o.Parameter?.Units ?? '',
          time: new Date(start + AEST_MS).toISOString().replace('.000Z', '+10:00'),
          value: o.Value as number,
          category: o.AirQualityCategory ?? null,
        };
      });
  }
}
