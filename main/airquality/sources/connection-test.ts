import type { Clock } from '../../core/clock';
import { AirQoClient } from './airqo-client';
import { CarbonIntensityClient } from './carbon-intensity-client';
import { CircuitBreaker } from './circuit-breaker';
import { DefraClient } from './defra-client';
import { NswClient } from './nsw-client';
import { OpenAqClient } from './openaq-client';
import { OpenMeteoClient } from './openmeteo-client';
import type { SourcesConfig } from './source-config';
import { SourceError } from './source-error';
import { SourceHttp } from './source-http';
import type { SourceId } from './source-types';
import { UbaClient } from './uba-client';
import { WaqiClient } from './waqi-client';
import { WebSearchClient } from './web-search-client';

type ConnectionFailure = 'no_key' | 'key_refused' | 'unreachable' | 'unexpected';

export type ConnectionResult =
  | { ok: true; ms: number }
  /** `detail` is the client's own English sentence, keys already scrubbed from it. */
  | { ok: false; reason: ConnectionFailure; detail: string };

/** Ceiling on one test, whatever AERIS_SOURCE_TIMEOUT_SECONDS says: a person is waiting on the button. */
const TEST_TIMEOUT_MS = 5_000;

/** Kampala, which every tested source can answer for (or answer "nothing here" about, which is still an answer). */
const LAT = 0.3476;
const LON = 32.5825;

/**
 * One small request per source, made through that source's own client (so the key goes where the client sends
 * it: its own base URL, never elsewhere). No retries, and a breaker of its own, so a test never pauses the
 * source the chat uses.
 */
function probe(id: SourceId, http: SourceHttp, baseUrl: () => string, key: () => string | null): Promise<unknown> {
  switch (id) {
    case 'waqi':
      return new WaqiClient({ http, baseUrl, token: key }).search('kampala');
    case 'airqo':
      return new AirQoClient({ http, baseUrl, token: key }).searchSites('kampala', 1);
    case 'openaq':
      return new OpenAqClient({ http, baseUrl, apiKey: key }).locationsNear(LAT, LON, 10_000);
    case 'openmeteo':
      return new OpenMeteoClient({ http, baseUrl }).current(LAT, LON);
    case 'defra':
      return new DefraClient({ http, baseUrl }).stations();
    case 'uba':
      return new UbaClient({ http, baseUrl }).stations();
    case 'nsw':
      return new NswClient({ http, baseUrl }).sites();
    case 'carbonintensity':
      return new CarbonIntensityClient({ http, baseUrl }).current();
    case 'websearch':
      return new WebSearchClient({ http, baseUrl }).search('air quality', 1);
  }
}

function failureOf(err: SourceError): ConnectionFailure {
  switch (err.kind) {
    case 'not_configured':
      return 'no_key';
    case 'auth':
      return 'key_refused';
    case 'network':
    case 'timeout':
      return 'unreachable';
    default:
      return 'unexpected';
  }
}

/** Tests one source with the URL and key in effect now; never throws for the source's own failures. */
export async function testConnection(
  id: SourceId,
  config: SourcesConfig,
  deps: { fetch: typeof fetch; clock: Clock },
): Promise<ConnectionResult> {
  const resolved = config.sources[id];
  const http = new SourceHttp({
    source: id,
    fetch: deps.fetch,
    clock: deps.clock,
    breaker: new CircuitBreaker(deps.clock),
    secrets: () => [resolved.key],
    timeoutMs: Math.min(config.timeoutMs || TEST_TIMEOUT_MS, TEST_TIMEOUT_MS),
    retries: 0,
  });
  const started = performance.now();
  try {
    await probe(
      id,
      http,
      () => resolved.baseUrl,
      () => resolved.key,
    );
    return { ok: true, ms: Math.max(1, Math.round(performance.now() - started)) };
  } catch (err) {
    const e = err instanceof SourceError ? err : new SourceError(id, 'bad_response', http.redact(String(err)));
    // "Nothing found here" is the service answering, with the key accepted.
    if (e.kind === 'not_found') return { ok: true, ms: Math.max(1, Math.round(performance.now() - started)) };
    return { ok: false, reason: failureOf(e), detail: http.redact(e.message) };
  }
}
