import { Ollama, type ChatRequest, type ChatResponse, type ModelResponse } from 'ollama';
import type { Clock } from '../core/clock';
import { createTtlCache } from '../core/ttl-cache';
import { normalizeOllamaHost } from '../core/ollama-host';
import { explainOllamaError } from './ollama-errors';
import type { ProbeFetch } from './probe-fetch';
import { openNdjsonStream } from './ndjson-stream';

export interface InstalledModel {
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  sizeBytes: number;
  modifiedAt: string;
  digest: string;
}

const toInstalled = (m: ModelResponse): InstalledModel => ({
  name: m.name,
  family: m.details?.family ?? '',
  parameterSize: m.details?.parameter_size ?? '',
  quantization: m.details?.quantization_level ?? '',
  sizeBytes: m.size,
  modifiedAt: m.modified_at instanceof Date ? m.modified_at.toISOString() : String(m.modified_at),
  digest: m.digest,
});

/**
 * The one place that knows which Ollama we talk to. The host can change at run time (Settings),
 * so callers ask for `client()` each time instead of keeping one.
 */
export class OllamaGateway {
  /** Made at first use: the engine starts without one, and chats stream without it (ndjson-stream.ts). */
  private current: Ollama | null = null;
  private hostUrl: string;
  private readonly cache: ReturnType<typeof createTtlCache<InstalledModel[]>>;

  constructor(
    host: string,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
    /** For `version()`: the health check's probe, which should not load undici at start-up (probe-fetch.ts). */
    private readonly probe: ProbeFetch = fetchImpl,
    /** Stream chats over node:http (ndjson-stream.ts) rather than ollama-js and `fetch`: the first token sooner. */
    private readonly chatOverHttp = false,
  ) {
    this.hostUrl = normalizeOllamaHost(host);
    this.cache = createTtlCache<InstalledModel[]>(clock, 64);
  }

  private make(): Ollama {
    return new Ollama({ host: this.hostUrl, fetch: this.fetchImpl });
  }

  get host(): string {
    return this.hostUrl;
  }

  setHost(host: string): void {
    this.hostUrl = normalizeOllamaHost(host);
    this.current = null;
    this.cache.clear();
  }

  client(): Ollama {
    return (this.current ??= this.make());
  }

  /** A streamed chat reply; an Ollama refusal rejects with its words and status, as ollama-js does. */
  chatStream(
    request: Omit<ChatRequest, 'stream'>,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<ChatResponse> & { abort(): void }> {
    if (this.chatOverHttp)
      return openNdjsonStream<ChatResponse>(`${this.hostUrl}/api/chat`, { ...request, stream: true }, signal);
    // ollama-js takes no signal per request: its stream is dropped once it opens (the agent loop checks).
    return this.client().chat({ ...request, stream: true });
  }

  /** `GET /api/version` with a short timeout: the health check and the probe before starting an engine. */
  async version(timeoutMs = 2000): Promise<string> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    try {
      const res = await this.probe(`${this.hostUrl}/api/version`, { signal: ctrl.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = JSON.parse(await res.text()) as { version?: unknown };
      if (typeof body.version !== 'string') throw new Error('not an Ollama server (no version field)');
      return body.version;
    } catch (err) {
      if (ctrl.signal.aborted) throw explainOllamaError(new Error('fetch failed: timeout'), { host: this.hostUrl });
      throw explainOllamaError(err, { host: this.hostUrl });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Installed models; cached for a few seconds because pickers and chat ask often. */
  async listInstalled(opts: { fresh?: boolean } = {}): Promise<InstalledModel[]> {
    const key = 'tags';
    if (!opts.fresh) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    try {
      const res = await this.client().list();
      const models = res.models.map(toInstalled).sort((a, b) => a.name.localeCompare(b.name));
      this.cache.set(key, models, { ttl: 5000 });
      return models;
    } catch (err) {
      throw explainOllamaError(err, { host: this.hostUrl });
    }
  }

  invalidate(): void {
    this.cache.clear();
  }
}
