import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { lazy } from '../../../preload/shared/lazy';
import { htmlToText } from './html-text';

/**
 * Addresses a page fetch must never reach: this machine, the LAN, link-local (cloud metadata), multicast. Built at
 * the first fetch (lazy), not at every engine start.
 */
const PRIVATE = lazy(() => {
  const list = new net.BlockList();
  for (const [a, p] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(a, p, 'ipv4');
  for (const [a, p] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const)
    list.addSubnet(a, p, 'ipv6');
  return list;
});

const LOOPBACK = lazy(() => {
  const list = new net.BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  return list;
});

function isLoopback(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const a = mapped ? mapped[1]! : address;
  return net.isIP(a) === 4 ? LOOPBACK().check(a, 'ipv4') : net.isIP(a) === 6 ? LOOPBACK().check(a, 'ipv6') : false;
}

function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return PRIVATE().check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? PRIVATE().check(mapped[1]!, 'ipv4') : PRIVATE().check(address, 'ipv6');
  }
  return true;
}

type WebFetchErrorKind = 'refused' | 'offline' | 'timeout' | 'too_large' | 'http' | 'not_text' | 'network';

export class WebFetchError extends Error {
  constructor(
    readonly kind: WebFetchErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'WebFetchError';
  }
}

interface FetchedPage {
  /** The URL the text came from, after redirects. */
  url: string;
  status: number;
  contentType: string;
  bytes: number;
  title: string;
  text: string;
}

interface WebPageFetcherOptions {
  /**
   * Loopback (127.0.0.0/8, ::1, localhost) is refused unless this is true (`AERIS_WEB_ALLOW_LOOPBACK=1`, for tests
   * against local servers only). Link-local (cloud metadata), LAN and other private ranges are always refused.
   */
  allowLoopback?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Name resolution (tests may pin a name to an address). */
  lookup?: typeof dns.lookup;
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

/**
 * Reads one public web page as text. Only http(s); every address a name resolves to is checked at connect time
 * (the check sits in the socket's own lookup, so a name cannot resolve to a public address for the check and a
 * private one for the connection); redirects are followed by hand, at most `maxRedirects`, each one checked
 * again; the body stops at `maxBytes`; the whole read is bounded by `timeoutMs`.
 */
export class WebPageFetcher {
  private readonly allowLoopback: boolean;
  private readonly timeoutMs: number;
  readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly lookup: typeof dns.lookup;

  constructor(opts: WebPageFetcherOptions = {}) {
    this.allowLoopback = opts.allowLoopback ?? false;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
    this.maxRedirects = opts.maxRedirects ?? 3;
    this.lookup = opts.lookup ?? dns.lookup;
  }

  /** Why a URL will not be fetched, or null when it may be. Checks what can be known before resolving it. */
  refusal(raw: string): string | null {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return 'it is not a URL';
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return `only http and https pages are read, not ${u.protocol}`;
    if (u.username || u.password) return 'URLs with credentials are not read';
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!this.allowLoopback && (host === 'localhost' || host.endsWith('.localhost')))
      return `${host} is a private, loopback or link-local address`;
    if (net.isIP(host) && this.blocked(host)) return `${host} is a private, loopback or link-local address`;
    return null;
  }

  async fetch(raw: string, signal?: AbortSignal): Promise<FetchedPage> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const all = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let url = raw;
    for (let hop = 0; ; hop++) {
      const why = this.refusal(url);
      if (why) throw new WebFetchError('refused', `Refused ${url}: ${why}.`);
      let reply: Awaited<ReturnType<WebPageFetcher['once']>>;
      try {
        reply = await this.once(new URL(url), all);
      } catch (err) {
        if (err instanceof WebFetchError) throw err;
        if (timeout.aborted && !signal?.aborted)
          throw new WebFetchError('timeout', `${url} did not answer within ${this.timeoutMs / 1000} s.`);
        if (signal?.aborted) throw err;
        const code = (err as { code?: string }).code ?? '';
        if (OFFLINE_CODES.has(code))
          throw new WebFetchError(
            'offline',
            `${new URL(url).host} could not be reached (${code}): this machine appears to be offline.`,
          );
        throw new WebFetchError(
          'network',
          `${new URL(url).host} could not be reached (${code || (err as Error).message}).`,
        );
      }
      if (reply.location !== null) {
        if (hop >= this.maxRedirects)
          throw new WebFetchError('refused', `Refused ${raw}: more than ${this.maxRedirects} redirects.`);
        url = new URL(reply.location, url).toString();
        continue;
      }
      if (reply.status >= 400) throw new WebFetchError('http', `${url} answered HTTP ${reply.status}.`);
      const type = reply.contentType.toLowerCase();
      const isHtml = type.includes('html') || type.includes('xml');
      if (!isHtml && !type.startsWith('text/') && type !== '')
        throw new WebFetchError('not_text', `${url} is ${reply.contentType}, not a text or HTML page.`);
      const body = reply.body.toString('utf8');
      const { title, text } = isHtml || type === '' ? htmlToText(body) : { title: '', text: body.trim() };
      return { url, status: reply.status, contentType: reply.contentType, bytes: reply.body.length, title, text };
    }
  }

  private blocked(address: string): boolean {
    return isPrivateAddress(address) && !(this.allowLoopback && isLoopback(address));
  }

  private once(
    url: URL,
    signal: AbortSignal,
  ): Promise<{ status: number; location: string | null; contentType: string; body: Buffer }> {
    const blocked = (a: string) => this.blocked(a);
    const lookup = this.lookup;
    // Every address the socket connects to passes through here.
    const guardedLookup = ((hostname: string, options: dns.LookupOptions, cb: (...a: unknown[]) => void) => {
      lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return cb(err);
        const list = addresses;
        const bad = list.find((a) => blocked(a.address));
        if (bad)
          return cb(
            new WebFetchError(
              'refused',
              `Refused ${url.toString()}: ${hostname} resolves to ${bad.address}, a private, loopback or link-local address.`,
            ),
          );
        if (options.all) cb(null, list);
        else cb(null, list[0]!.address, list[0]!.family);
      });
    }) as unknown as typeof dns.lookup;
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        url,
        {
          method: 'GET',
          headers: { Accept: 'text/html, text/plain;q=0.9', 'User-Agent': 'AERIS-AQ Desktop (page reader)' },
          lookup: guardedLookup,
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = status >= 300 && status < 400 && res.headers.location ? res.headers.location : null;
          if (location !== null) {
            res.resume();
            return resolve({ status, location, contentType: '', body: Buffer.alloc(0) });
          }
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > this.maxBytes) {
            res.destroy();
            return reject(
              new WebFetchError(
                'too_large',
                `${url.toString()} is ${declared} bytes, over the ${this.maxBytes}-byte limit.`,
              ),
            );
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > this.maxBytes) {
              res.destroy();
              reject(new WebFetchError('too_large', `${url.toString()} is over the ${this.maxBytes}-byte limit.`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () =>
            resolve({
              status,
              location: null,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', (err) => {
        // A refusal from the lookup comes back wrapped in the request's error.
        reject(err);
      });
      req.end();
    });
  }
}
