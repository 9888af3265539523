import type http from 'node:http';

interface QuietOptions {
  /** How long no request may be in flight before the server counts as quiet. */
  quietMs: number;
  /** The longest wait: a long-lived event stream, or a client that never stops asking, does not hold it off. */
  maxWaitMs: number;
  /** Aborted (the server is stopping): the promise settles with false, and nothing waits any more. */
  signal?: AbortSignal;
}

/**
 * Resolves true once `server` has had no request in flight for `quietMs` (or `maxWaitMs` has passed), false when
 * `signal` aborts first. Work that can wait (attaching to Ollama, log rotation, the background schedules) starts
 * then, so a client that connects as soon as the address is printed, the UI's first requests, gets its answers
 * first instead of queueing behind it on the one event loop (issue 14).
 */
export function whenQuiet(server: http.Server, opts: QuietOptions): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (opts.signal?.aborted) return resolve(false);
    let inFlight = 0;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (started: boolean): void => {
      clearTimeout(quiet);
      clearTimeout(cap);
      server.off('request', onRequest);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(started);
    };
    const onAbort = (): void => finish(false);
    const arm = (): void => {
      clearTimeout(quiet);
      if (inFlight === 0) quiet = setTimeout(() => finish(true), opts.quietMs);
    };
    const onRequest = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
      inFlight++;
      clearTimeout(quiet);
      // 'close' comes for an answered request and for a client that went away alike.
      res.once('close', () => {
        inFlight--;
        arm();
      });
    };
    const cap = setTimeout(() => finish(true), opts.maxWaitMs);
    server.on('request', onRequest);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
