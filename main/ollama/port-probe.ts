import net from 'node:net';
import { probeFetch, type ProbeFetch } from './probe-fetch';

type HostProbe =
  | { kind: 'ollama'; version: string }
  /** Something accepts connections there but does not answer like Ollama. */
  | { kind: 'other'; detail: string }
  | { kind: 'down'; detail: string };

/**
 * What answers at an Ollama host. `GET /api/version` with a `version` string is Ollama; anything else
 * that accepts a TCP connection is "another program" (so we never start a second server on a taken port).
 */
export async function probeHost(
  host: string,
  fetchImpl: ProbeFetch = probeFetch,
  timeoutMs = 1500,
): Promise<HostProbe> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetchImpl(`${host}/api/version`, { signal: ctrl.signal });
    const text = await res.text();
    try {
      const body = JSON.parse(text) as { version?: unknown };
      if (res.ok && typeof body.version === 'string') return { kind: 'ollama', version: body.version };
    } catch {
      // not JSON: not Ollama
    }
    return { kind: 'other', detail: `HTTP ${res.status} without an Ollama version` };
  } catch (err) {
    const url = new URL(host);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const open = await tcpOpen(url.hostname.replace(/^\[|\]$/g, ''), port, timeoutMs);
    const detail = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
    return open ? { kind: 'other', detail: `port answers but not over HTTP (${detail})` } : { kind: 'down', detail };
  } finally {
    clearTimeout(timer);
  }
}

function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

export function isLoopbackHost(host: string): boolean {
  const h = new URL(host).hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}
