import http from 'node:http';
import https from 'node:https';

type NdjsonOutcome =
  /** The server answered with a non-2xx status before streaming: its body (usually `{"error": ...}`). */
  | { kind: 'http-error'; status: number; body: string }
  /** The stream ended normally, or `onLine` asked to stop. */
  | { kind: 'ended' };

/** A network failure, shaped like fetch's (`cause.code`) so explainOllamaError reads it the same way. */
export class StreamError extends Error {
  constructor(
    message: string,
    override readonly cause: { code: string },
    /** True once the server had answered: the connection dropped mid-stream. */
    readonly midStream: boolean,
  ) {
    super(message);
    this.name = 'StreamError';
  }
}

/**
 * POSTs JSON and hands each NDJSON line of the reply to `onLine` (return true to stop reading).
 * Plain node:http rather than fetch: a pull sends ~170 lines a second for minutes, and a 'data' callback
 * costs a fraction of a web-stream read (measured in bench/pull-progress.bench.ts).
 */
export function postNdjson(
  url: string,
  body: unknown,
  signal: AbortSignal,
  onLine: (line: Record<string, unknown>) => boolean | void,
): Promise<NdjsonOutcome> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const payload = JSON.stringify(body);
    const mod = u.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        if (status < 200 || status >= 300) {
          let text = '';
          res.on('data', (c: string) => (text += text.length < 65536 ? c : ''));
          res.on('end', () => done(() => resolve({ kind: 'http-error', status, body: text })));
          res.on('error', () => done(() => resolve({ kind: 'http-error', status, body: text })));
          return;
        }
        let buf = '';
        let stopped = false;
        const handle = (line: string): void => {
          if (stopped || !line.trim()) return;
          let obj: Record<string, unknown>;
          try {
            const v = JSON.parse(line) as unknown;
            obj =
              v && typeof v === 'object' && !Array.isArray(v)
                ? (v as Record<string, unknown>)
                : { error: `unreadable line from Ollama: ${line.slice(0, 200)}` };
          } catch {
            obj = { error: `unreadable line from Ollama: ${line.slice(0, 200)}` };
          }
          if (onLine(obj) === true) {
            stopped = true;
            done(() => resolve({ kind: 'ended' }));
            req.destroy();
          }
        };
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl = buf.indexOf('\n');
          while (nl >= 0 && !stopped) {
            handle(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
            nl = buf.indexOf('\n');
          }
        });
        res.on('end', () => {
          handle(buf);
          done(() => resolve({ kind: 'ended' }));
        });
        res.on('close', () => {
          if (!res.complete) {
            done(() =>
              reject(
                signal.aborted
                  ? abortError()
                  : new StreamError('the connection to Ollama was closed mid-stream', { code: 'ECONNRESET' }, true),
              ),
            );
          }
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      done(() =>
        reject(
          signal.aborted || err.name === 'AbortError'
            ? abortError()
            : new StreamError(err.message, { code: err.code ?? 'ECONNRESET' }, false),
        ),
      );
    });
    req.end(payload);
  });
}

function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}
