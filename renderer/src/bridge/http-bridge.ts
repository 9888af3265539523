import type {
  AerisApi,
  CallErrorDto,
  CallInput,
  CallName,
  CallOutput,
  EngineTextDto,
  EventMap,
  EventName,
} from '../../../preload/contract';

/**
 * A failed contract call, with the engine's stable code and its words for the user: `message` in English,
 * `text` the same as a message id the UI words in its language (errorText → engineText).
 */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly text?: EngineTextDto,
  ) {
    super(message);
  }
}

/** What a browser is told when serve refuses its token (401): no retry can help, only the printed link. */
export const TOKEN_REFUSED = "This link's access token is wrong or missing: open the link printed by `aeris serve`.";

type CallBody = { ok: true; result: unknown } | { ok: false; error: CallErrorDto };
/** What serve answers outside the bridge envelope (a missing token, a guard's refusal). */
type PlainError = { error?: unknown; code?: unknown };

/**
 * The preload contract over HTTP (serve mode): calls are POSTs, events one server-sent-event stream read
 * with fetch (EventSource cannot send the bearer token), reconnecting with backoff.
 * It uses no DOM API beyond fetch and streams, so it runs under Node against a real server in tests.
 */
export class HttpBridge implements AerisApi {
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  private streaming = false;
  private closed = false;
  private readonly abort = new AbortController();
  private connectedOnce: Promise<void>;
  private markConnected!: () => void;
  private refuseConnection!: (err: BridgeError) => void;
  onConnectionChange: ((connected: boolean) => void) | null = null;

  constructor(
    private readonly token: string,
    private readonly base = '',
    /** First wait before reconnecting the event stream; doubles up to 8 s. */
    private readonly retryMs = 500,
  ) {
    this.connectedOnce = new Promise((resolve, reject) => {
      this.markConnected = resolve;
      this.refuseConnection = reject;
    });
    // A refusal nobody waits for must not surface as an unhandled rejection.
    this.connectedOnce.catch(() => undefined);
  }

  /**
   * Resolves once the event stream is open, so no reply event is missed after the UI starts; rejects at once
   * when serve refuses the token (401), so the UI says so instead of waiting.
   */
  whenConnected(timeoutMs = 5000): Promise<void> {
    return Promise.race([this.connectedOnce, new Promise<void>((r) => setTimeout(r, timeoutMs))]);
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
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
    if (res.status === 401) throw new BridgeError('unauthorized', TOKEN_REFUSED);
    const body = (await res.json().catch(() => null)) as CallBody | PlainError | null;
    if (!body) throw new BridgeError('bad_response', `The server answered ${res.status} without a body.`);
    if (!('ok' in body)) {
      // Refused before reaching the bridge (e.g. a wrong token): the plain error shape.
      const code = typeof body.code === 'string' ? body.code : 'http_error';
      const message = typeof body.error === 'string' ? body.error : `The server answered ${res.status}.`;
      throw new BridgeError(code, message);
    }
    if (!body.ok) throw new BridgeError(body.error.code, body.error.message, body.error.details, body.error.text);
    return body.result as CallOutput<N>;
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
    const parsed = (await res.json().catch(() => null)) as
      (T & { error?: string; code?: string; text?: EngineTextDto }) | null;
    if (!res.ok || !parsed) {
      throw new BridgeError(
        parsed?.code ?? 'http_error',
        parsed?.error ?? `The server answered ${res.status}.`,
        undefined,
        parsed?.text,
      );
    }
    return parsed;
  }

  /** A GET of a serve-mode file route with the bearer token (a backup's download), as a blob. */
  async getBlob(path: string): Promise<Blob> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    } catch {
      throw new BridgeError('offline', 'The AERIS-AQ server is not reachable. Is `aeris serve` still running?');
    }
    if (res.status === 401) throw new BridgeError('unauthorized', TOKEN_REFUSED);
    if (!res.ok) {
      const parsed = (await res.json().catch(() => null)) as {
        error?: string;
        code?: string;
        text?: EngineTextDto;
      } | null;
      throw new BridgeError(
        parsed?.code ?? 'http_error',
        parsed?.error ?? `The server answered ${res.status}.`,
        undefined,
        parsed?.text,
      );
    }
    return res.blob();
  }

  on<E extends EventName>(name: E, fn: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (p: unknown) => void);
    if (!this.streaming) void this.stream();
    return () => set.delete(fn as (p: unknown) => void);
  }

  /** Ends the event stream for good (tests; a page that goes away needs nothing). */
  close(): void {
    this.closed = true;
    this.abort.abort();
  }

  private async stream(): Promise<void> {
    this.streaming = true;
    let delay = this.retryMs;
    while (!this.closed) {
      try {
        const res = await fetch(`${this.base}/bridge/events`, {
          headers: { Authorization: `Bearer ${this.token}` },
          signal: this.abort.signal,
        });
        if (res.status === 401) {
          // A wrong token stays wrong: stop here and let the UI say it.
          this.refuseConnection(new BridgeError('unauthorized', TOKEN_REFUSED));
          this.streaming = false;
          return;
        }
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        this.markConnected();
        this.onConnectionChange?.(true);
        delay = this.retryMs;
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
      if (this.closed) return;
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
