import http from 'node:http';
import https from 'node:https';
import { StreamError } from './ndjson-request';
import { requestJson } from './request-json';

/** Ollama refused the request: ollama-js's ResponseError shape, which explainOllamaError and the agent loop read. */
class OllamaResponseError extends Error {
  override readonly name = 'ResponseError';
  constructor(
    readonly error: string,
    readonly status_code: number,
  ) {
    super(error);
  }
}

/** A streamed reply: each NDJSON object as it arrives; `abort()` drops the connection. */
interface NdjsonStream<T> extends AsyncIterable<T> {
  abort(): void;
}

function abortError(): Error {
  const e = new Error('This operation was aborted');
  e.name = 'AbortError';
  return e;
}

/** Lines waiting for the reader beyond this pause the socket (a reader that stalls does not fill memory). */
const HIGH_WATER = 256;

/**
 * POSTs JSON to a streaming Ollama endpoint (`/api/chat`) and resolves, once the reply's headers are in, to its
 * NDJSON objects — what ollama-js's `chat({ stream: true })` returns, with the same errors: a refusal is an
 * OllamaResponseError with Ollama's words, a `{"error": …}` line throws them, a stream without `done` throws,
 * and a failed connection is fetch's `fetch failed` with the socket's code as `cause`.
 * Plain node:http rather than fetch: a reply's first token reaches the reader ~0.5 ms sooner than through
 * undici's web streams, on every request (measured with bench/chat-overhead.bench.ts and a stage trace).
 */
export function openNdjsonStream<T extends object>(
  url: string,
  body: unknown,
  /** Drops the request, even while Ollama is still reading the prompt (before its reply's head). */
  signal?: AbortSignal,
): Promise<NdjsonStream<T>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const u = new URL(url);
    const payload = requestJson(body);
    const get = u.protocol === 'https:' ? https.request : http.request;
    const queue: T[] = [];
    let failure: Error | null = null;
    let ended = false;
    let aborted = false;
    let wake: (() => void) | null = null;
    let res: http.IncomingMessage | null = null;
    const notify = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    const fail = (err: Error): void => {
      failure ??= err;
      notify();
    };
    const req = get(u, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/x-ndjson',
        'Content-Length': Buffer.byteLength(payload),
      },
    });
    req.setNoDelay(true);
    /** Drops the connection: the stream's own `abort()`, and the caller's signal. */
    const abort = (): void => {
      aborted = true;
      req.destroy();
      if (res) fail(abortError());
      else reject(abortError());
    };
    req.on('error', (err: NodeJS.ErrnoException) => {
      const e = aborted ? abortError() : new Error('fetch failed', { cause: err });
      if (res) fail(res.complete ? e : new StreamError(err.message, { code: err.code ?? 'ECONNRESET' }, true));
      else reject(e);
    });
    req.on('response', (r) => {
      res = r;
      const status = r.statusCode ?? 0;
      r.setEncoding('utf8');
      if (status < 200 || status >= 300) {
        let text = '';
        r.on('data', (c: string) => (text += text.length < 65536 ? c : ''));
        r.on('end', () => {
          let message = text || `Error ${status}: ${r.statusMessage ?? ''}`;
          try {
            const parsed = JSON.parse(text) as { error?: unknown };
            if (typeof parsed.error === 'string' && parsed.error) message = parsed.error;
          } catch {
            // not JSON: the text is the message
          }
          reject(new OllamaResponseError(message, status));
        });
        return;
      }
      let buf = '';
      const take = (line: string): void => {
        if (!line.trim()) return;
        try {
          queue.push(JSON.parse(line) as T);
        } catch {
          // ollama-js skips a line it cannot read; so do we
        }
      };
      r.on('data', (chunk: string) => {
        buf += chunk;
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          take(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          nl = buf.indexOf('\n');
        }
        if (queue.length > HIGH_WATER) r.pause();
        notify();
      });
      r.on('end', () => {
        take(buf);
        ended = true;
        notify();
      });
      r.on('close', () => {
        if (!r.complete) {
          fail(
            aborted
              ? abortError()
              : new StreamError('the connection to Ollama was closed mid-stream', { code: 'ECONNRESET' }, true),
          );
        }
      });
      resolve({
        abort,
        async *[Symbol.asyncIterator]() {
          let done = false;
          try {
            for (;;) {
              while (queue.length > 0) {
                const message = queue.shift()!;
                if (queue.length <= HIGH_WATER / 2 && r.isPaused()) r.resume();
                if ('error' in message) throw new Error(String((message as { error: unknown }).error));
                yield message;
                if ((message as { done?: unknown }).done) {
                  done = true;
                  return;
                }
              }
              if (failure) throw failure;
              if (ended) throw new Error('Did not receive done or success response in stream.');
              await new Promise<void>((w) => (wake = w));
            }
          } finally {
            // A reply read to its end leaves the connection for the next request; one left midway is dropped.
            if (r.complete || done) r.resume();
            else req.destroy();
          }
        },
      });
    });
    // A stop while Ollama reads the prompt (seconds on a slow laptop) lets it go now, not at its first token.
    signal?.addEventListener('abort', abort, { once: true });
    req.once('close', () => signal?.removeEventListener('abort', abort));
    req.end(payload);
  });
}
