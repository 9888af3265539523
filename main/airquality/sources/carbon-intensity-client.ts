import { SourceError } from './source-error';
import { joinUrl, type HttpReply, type SourceHttp } from './source-http';

/**
 * Great Britain's Carbon Intensity API (https://api.carbonintensity.org.uk, carbon-intensity.github.io/api-definitions).
 * No key. Every reply is `{data: ...}`; errors are `{error: {code: "400 Bad Request", message}}` with that status.
 * Intensity is gCO₂/kWh of electricity generated, per half hour: it is about the grid, not the air.
 */
interface IntensityPeriod {
  from: string;
  to: string;
  intensity: { forecast: number | null; actual?: number | null; index: string };
  generationmix?: Array<{ fuel: string; perc: number }>;
}

interface RegionalIntensity {
  regionid: number;
  dnoregion?: string;
  shortname: string;
  data: IntensityPeriod[];
}

/** The API's region ids, by the short names it gives them. */
export const CI_REGIONS: Record<string, number> = {
  'north scotland': 1,
  'south scotland': 2,
  'north west england': 3,
  'north east england': 4,
  yorkshire: 5,
  'north wales & merseyside': 6,
  'south wales': 7,
  'west midlands': 8,
  'east midlands': 9,
  'east england': 10,
  'south west england': 11,
  'south england': 12,
  london: 13,
  'south east england': 14,
  england: 15,
  scotland: 16,
  wales: 17,
};

export class CarbonIntensityClient {
  readonly configured = true;

  constructor(private readonly opts: { http: SourceHttp; baseUrl: () => string }) {}

  private async call<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.opts.http.get(joinUrl(this.opts.baseUrl(), path), (r) => this.interpret<T>(r), { signal });
  }

  private interpret<T>(reply: HttpReply): T {
    const body = reply.body as { data?: unknown; error?: { code?: string; message?: string } } | undefined;
    if (body?.error || reply.status === 400 || reply.status === 404) {
      const msg = body?.error?.message ?? `HTTP ${reply.status}`;
      throw new SourceError(
        'carbonintensity',
        reply.status === 404 ? 'not_found' : 'bad_request',
        `Carbon Intensity API: ${msg}`,
        reply.status,
      );
    }
    if (reply.status >= 400 || !body || body.data === undefined)
      throw new SourceError('carbonintensity', 'bad_response', `Carbon Intensity API sent an unexpected reply`);
    return body.data as T;
  }

  current(signal?: AbortSignal): Promise<IntensityPeriod[]> {
    return this.call('/intensity', signal);
  }

  /** Today's half hours (GB date), actuals so far and forecasts for the rest. */
  today(signal?: AbortSignal): Promise<IntensityPeriod[]> {
    return this.call('/intensity/date', signal);
  }

  regional(regionId: number, signal?: AbortSignal): Promise<RegionalIntensity[]> {
    return this.call(`/regional/regionid/${regionId}`, signal);
  }

  generation(
    signal?: AbortSignal,
  ): Promise<{ from: string; to: string; generationmix: Array<{ fuel: string; perc: number }> }> {
    return this.call('/generation', signal);
  }

  factors(signal?: AbortSignal): Promise<Array<Record<string, number>>> {
    return this.call('/intensity/factors', signal);
  }
}
