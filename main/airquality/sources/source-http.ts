import type { Clock } from '../../core/clock';
import type { ComponentLogger } from '../../core/logger';
import { CircuitBreaker } from './circuit-breaker';
import { SourceError, redactSecrets } from './source-error';
import { SOURCE_NAMES, type SourceId } from './source-types';

interface SourceHttpOptions {
  source: SourceId;
  fetch: typeof fetch;
  clock: Clock;
  breaker?: CircuitBreaker;
  /** Values to scrub from every message (API keys). Read at call time, so a key changed in Settings is covered. */
  secrets?: () => ReadonlyArray<string | null | undefined>;
  timeoutMs?: number;
  /** Extra attempts after the first, for network errors, timeouts and 5xx. */
  retries?: number;
  /** First backoff delay; doubled on each retry. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger?: ComponentLogger;
}

export interface HttpReply {
  status: number;
  /** Parsed JSON, or undefined when the body was not JSON. */
  body: unknown;
  text: string;
}

interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent as a JSON body with POST. */
  json?: unknown;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One source's HTTP: timeouts, retries with exponential backoff, and its circuit breaker. The client's
 * `interpret` turns a reply into data or a SourceError (sources hide errors in 200 replies), and the outcome,
 * after retries, is what the breaker counts: one failed call is one failure.
 */
export class SourceHttp {
  readonly source: SourceId;
  readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: SourceHttpOptions) {
    this.source = opts.source;
    this.breaker = opts.breaker ?? new CircuitBreaker(opts.clock);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.retries = opts.retries ?? 2;
    this.backoffMs = opts.backoffMs ?? 400;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  redact(text: string): string {
    return redactSecrets(text, this.opts.secrets?.() ?? []);
  }

  async get<T>(url: URL, interpret: (reply: HttpReply) => T, init: RequestOptions = {}): Promise<T> {
    const name = SOURCE_NAMES[this.source];
    if (!this.breaker.tryAcquire()) {
      const retryAt = this.breaker.status().retryAt;
      const wait = retryAt ? Math.max(0, Math.ceil((retryAt - this.opts.clock.now()) / 1000)) : 0;
      throw new SourceError(
        this.source,
        'circuit_open',
        `${name} is paused after repeated failures (retrying in ${wait} s)`,
      );
    }
    let last: SourceError | null = null;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      try {
        const reply = await this.fetchOnce(url, init);
        const value = interpret(reply);
        this.breaker.onSuccess();
        return value;
      } catch (err) {
        if (init.signal?.aborted) {
          this.breaker.release();
          throw err;
        }
        last = this.toSourceError(err);
        if (!last.retryable || attempt === this.retries) break;
        this.opts.logger?.debug('retrying', { source: this.source, attempt: attempt + 1, error: last.message });
        await this.sleep(this.backoffMs * 2 ** attempt);
      }
    }
    const error = last!;
    if (error.countsAsFailure) this.breaker.onFailure(error.message);
    else if (error.kind === 'not_found') this.breaker.onSuccess();
    else this.breaker.release();
    this.opts.logger?.warn('data source request failed', {
      source: this.source,
      kind: error.kind,
      error: error.message,
    });
    throw error;
  }

  private async fetchOnce(url: URL, init: RequestOptions): Promise<HttpReply> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      // A JSON body makes it a POST (NSW's observations endpoint takes its query that way).
      res = await this.opts.fetch(url, {
        ...(init.json !== undefined ? { method: 'POST', body: JSON.stringify(init.json) } : {}),
        headers: {
          Accept: 'application/json',
          ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...init.headers,
        },
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (timeout.aborted && !init.signal?.aborted) {
        throw new SourceError(
          this.source,
          'timeout',
          `${SOURCE_NAMES[this.source]} did not answer within ${this.timeoutMs / 1000} s`,
        );
      }
      throw err;
    }
    let body: unknown = undefined;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Not JSON: `interpret` decides what that means (often a proxy's HTML error page).
    }
    if (res.status >= 500) {
      throw new SourceError(
        this.source,
        'http',
        `${SOURCE_NAMES[this.source]} answered HTTP ${res.status}`,
        res.status,
      );
    }
    if (res.status === 429) {
      throw new SourceError(
        this.source,
        'rate_limited',
        `${SOURCE_NAMES[this.source]} rate limit reached (HTTP 429)`,
        429,
      );
    }
    return { status: res.status, body, text };
  }

  private toSourceError(err: unknown): SourceError {
    if (err instanceof SourceError) return new SourceError(err.source, err.kind, this.redact(err.message), err.status);
    const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
    const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    return new SourceError(
      this.source,
      'network',
      this.redact(`${SOURCE_NAMES[this.source]} could not be reached (${detail})`),
    );
  }
}

/** Appends a path to a base URL that may itself carry a path (`https://api.airqo.net/api/v2`). */
export function joinUrl(
  base: string,
  path: string,
  query: Record<string, string | number | undefined | null> = {},
): URL {
  const url = new URL(base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  return url;
}
