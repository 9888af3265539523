import type { AerisApi, CallErrorDto, CallName, EventMap, EventName } from '../../../preload/contract';

/** A failed contract call, with the engine's stable code and its words for the user. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'aeris.token';

/** serve prints `http://127.0.0.1:8000/#token=…`; the token moves to sessionStorage and out of the URL. */
export function takeTokenFromLocation(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]!);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * The preload contract over HTTP (serve mode): calls are POSTs, events one server-sent-event stream read
 * with fetch (EventSource cannot send the bearer token), reconnecting with backoff.
 */
export class HttpBridge implements AerisApi {
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  private streaming = false;
  private connectedOnce: Promise<void>;
  private markConnected!: () => void;
  onConnectionChange: ((connected: boolean) => void) | null = null;

  constructor(
    private readonly token: string,
    private readonly base = '',
  ) {
    this.connectedOnce = new Promise((r) => (this.markConnected = r));
  }

  /** Resolves once the event stream is open, so no reply event is missed after the UI starts. */
  whenConnected(timeoutMs = 5000): Promise<void> {
    return Promise.race([this.connectedOnce, new Promise<void>((r) => setTimeout(r, timeoutMs))]);
  }

  async call<N extends CallName>(name: N, input: unknown): Promise<never> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/bridge/call/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new BridgeError('offline', 'The AERIS-AQ server is not reachable. Is `aeris serve` still running?');
    }
    const body = (await res.json().catch(() => null)) as
      { ok: true; result: unknown } | { ok: false; error: CallErrorDto } | null;
    if (!body) throw new BridgeError('bad_response', `The server answered ${res.status} without a body.`);
    if (!body.ok) throw new BridgeError(body.error.code, body.error.message, body.error.details);
    return body.result as never;
  }

  /** A raw-body POST to a serve-mode route with the bearer token (the sensor-file upload). */
  async postRaw<T>(path: string, body: Blob, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { ...headers, Authorization: `Bearer ${this.token}` },
        body,
      });
    } catch {
      throw new BridgeError('offline', 'The AERIS-AQ server is not reachable. Is `aeris serve` still running?');
    }
    const parsed = (await res.json().catch(() => null)) as (T & { error?: string; code?: string }) | null;
    if (!res.ok || !parsed) {
      throw new BridgeError(parsed?.code ?? 'http_error', parsed?.error ?? `The server answered ${res.status}.`);
    }
    return parsed;
  }

  on<E extends EventName>(name: E, fn: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (p: unknown) => void);
    if (!this.streaming) void this.stream();
    return () => set.delete(fn as (p: unknown) => void);
  }

  private async stream(): Promise<void> {
    this.streaming = true;
    let delay = 500;
    for (;;) {
      try {
        const res = await fetch(`${this.base}/bridge/events`, { headers: { Authorization: `Bearer ${this.token}` } });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        this.markConnected();
        this.onConnectionChange?.(true);
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            this.dispatchFrame(frame);
          }
        }
      } catch {
        // fall through to reconnect
      }
      this.onConnectionChange?.(false);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  }

  private dispatchFrame(frame: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length === 0) return;
    const payload = JSON.parse(data.join('\n')) as unknown;
    for (const fn of this.listeners.get(event) ?? []) fn(payload);
  }
}
