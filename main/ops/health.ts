import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { TtlCache } from '../core/ttl-cache';
import { APP_VERSION } from '../core/version';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import type { Store } from '../store/store';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: HealthStatus;
  database: string;
  cache: string;
  ollama: string;
  ollama_host: string;
  version: string;
  timestamp: string;
}

/**
 * The seed's `/health`, for a desktop app: healthy only when the store and Ollama both answer;
 * degraded when chat history works but Ollama does not; unhealthy when the store is gone.
 */
export class HealthService {
  private readonly probeCache: TtlCache<string>;

  constructor(
    private readonly deps: { store: Store; ollama: OllamaGateway; clock: Clock },
  ) {
    this.probeCache = new TtlCache(deps.clock, 4);
  }

  async check(): Promise<HealthReport> {
    const { store, ollama, clock } = this.deps;
    let database = 'connected';
    let dbOk = true;
    try {
      store.ping();
    } catch (err) {
      dbOk = false;
      database = `error: ${errorMessage(err)}`;
    }
    let cache = 'operational';
    try {
      const key = `probe-${clock.now()}`;
      this.probeCache.set(key, 'ok', 1000);
      if (this.probeCache.get(key) !== 'ok') cache = 'error: cache did not return what was stored';
    } catch (err) {
      cache = `error: ${errorMessage(err)}`;
    }
    let ollamaState: string;
    let ollamaOk = true;
    try {
      ollamaState = `connected (${await ollama.version()})`;
    } catch (err) {
      ollamaOk = false;
      ollamaState = `unreachable: ${errorMessage(err)}`;
    }
    const status: HealthStatus = !dbOk ? 'unhealthy' : ollamaOk && cache === 'operational' ? 'healthy' : 'degraded';
    return {
      status,
      database,
      cache,
      ollama: ollamaState,
      ollama_host: ollama.host,
      version: APP_VERSION,
      timestamp: new Date(clock.now()).toISOString(),
    };
  }
}
