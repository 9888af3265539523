import type http from 'node:http';
import type { Clock } from '../core/clock';

/** The original server's default: 60 chat requests a minute per client. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
/** Open event streams past this are answered 503: each one holds a socket and a subscription. */
export const DEFAULT_MAX_OPEN_STREAMS = 32;

/** `AERIS_RATE_LIMIT_PER_MINUTE`: a positive whole number, else the default; 0 turns the limit off. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.AERIS_RATE_LIMIT_PER_MINUTE?.trim();
  if (!raw) return DEFAULT_RATE_LIMIT_PER_MINUTE;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_RATE_LIMIT_PER_MINUTE;
}

type RateDecision = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * A token bucket per client: `perMinute` requests at once, refilled evenly over the minute. Idle clients
 * whose bucket is full again are forgotten, so the map stays as small as the set of active clients.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
    private readonly maxClients = 10_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  take(client: string): RateDecision {
    if (this.perMinute <= 0) return { ok: true };
    const now = this.clock.now();
    const b = this.buckets.get(client) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.delete(client); // re-inserted last: the map's order is least recently seen first
    this.buckets.set(client, b);
    if (this.buckets.size > this.maxClients) this.sweep();
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  /** Past the cap, the least recently seen clients are forgotten (a fresh bucket is the worst they get). */
  private sweep(): void {
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) break;
      this.buckets.delete(k);
    }
  }
}

/** Counts open event streams; `tryOpen` hands back the release, or null when the cap is reached. */
export class StreamGate {
  private open = 0;
  constructor(readonly max: number) {}

  get count(): number {
    return this.open;
  }

  tryOpen(): (() => void) | null {
    if (this.open >= this.max) return null;
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
    };
  }
}

/**
 * One computation shared by every caller inside `ttlMs`: concurrent probes wait on the same promise, and
 * later ones get the cached answer, so a flood of `/health` requests costs one check per period.
 */
export class SharedResult<T> {
  private cached: { value: T; at: number } | null = null;
  private inflight: Promise<T> | null = null;

  constructor(
    private readonly compute: () => Promise<T>,
    private readonly clock: Clock,
    private readonly ttlMs = 1_500,
  ) {}

  get(): Promise<T> {
    if (this.cached && this.clock.now() - this.cached.at < this.ttlMs) return Promise.resolve(this.cached.value);
    if (this.inflight) return this.inflight;
    const p = this.compute().then(
      (value) => {
        this.cached = { value, at: this.clock.now() };
        this.inflight = null;
        return value;
      },
      (err: unknown) => {
        this.inflight = null;
        throw err;
      },
    );
    this.inflight = p;
    return p;
  }
}

/** The client a rate limit counts against: the socket's address (forwarded headers can be forged). */
export function clientKey(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

const CHAT_ROUTES = new Set([
  '/api/v1/agent/chat',
  '/api/v1/agent/chat/stream',
  '/bridge/call/chat.send',
  '/bridge/call/chat.regenerate',
  '/bridge/call/chat.edit',
]);

/** Routes that start a chat reply: the seed's two chat routes and the bridge's calls that start one. */
export function isChatRoute(method: string, pathname: string): boolean {
  return method === 'POST' && CHAT_ROUTES.has(pathname);
}

/** Routes that hold an event stream open. */
export function isStreamRoute(method: string, pathname: string): boolean {
  return (
    (method === 'POST' && pathname === '/api/v1/agent/chat/stream') ||
    (method === 'GET' && pathname === '/bridge/events')
  );
}
