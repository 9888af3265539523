import type http from 'node:http';
import { tokensEqual } from './api-token';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * DNS-rebinding guard: the Host header must name this server (loopback names, or the address it was
 * bound to), and a browser's Origin, when sent, must be this server's own origin.
 */
export class RequestGuard {
  private readonly hosts: Set<string>;

  constructor(
    bindHost: string,
    port: number,
    private readonly token: string,
  ) {
    const names = new Set(LOOPBACK_NAMES);
    if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost);
    this.hosts = new Set([...names].map((n) => `${n}:${port}`.toLowerCase()));
  }

  hostAllowed(req: http.IncomingMessage): boolean {
    const host = (req.headers.host ?? '').toLowerCase();
    return this.hosts.has(host);
  }

  originAllowed(req: http.IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    try {
      const u = new URL(origin);
      return u.protocol === 'http:' && this.hosts.has(u.host.toLowerCase());
    } catch {
      return false;
    }
  }

  authorized(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m !== null && tokensEqual(m[1]!, this.token);
  }
}
