import http from 'node:http';
import https from 'node:https';

/** The part of `fetch` a host probe uses; the global `fetch` is one. */
export type ProbeFetch = (
  url: string,
  init: { signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/**
 * A GET over node:http(s), for probing a host at start-up. The global fetch would load undici (~15 ms of
 * compiling on the main thread) right after the server starts listening, delaying its first answers; undici
 * loads later, with the first real request to Ollama. Errors carry the socket's error as `cause`, as fetch's do.
 */
export const probeFetch: ProbeFetch = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const get = target.protocol === 'https:' ? https.get : http.get;
    const req = get(target, { signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new Error('fetch failed', { cause: err })));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(body) });
      });
    });
    req.on('error', (err) => reject(new Error('fetch failed', { cause: err })));
  });
