import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The renderer's CSP in serve mode: the same policy the Electron window uses. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Encodings the build writes beside each text file (scripts/precompress.mjs), best first. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

/** Vite names what it emits under assets/ by content hash: a changed file is a new URL, so it may be kept a year. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** The codings a request accepts, from its Accept-Encoding header (`q=0` refuses; `*` accepts the rest). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  const refused = new Set<string>();
  let star = false;
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const ok = q === undefined || Number(q) > 0;
    if (name === '*') star = ok;
    else (ok ? accepted : refused).add(name);
  }
  if (star) for (const e of ENCODINGS) if (!refused.has(e.name)) accepted.add(e.name);
  return accepted;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Serves the built renderer; unknown paths fall back to index.html (client-side routes). A text file is sent
 * as its brotli or gzip copy when the client accepts one (with `Vary: Accept-Encoding`), hashed assets are
 * cacheable for a year, and every response carries an ETag that a conditional request turns into a 304.
 */
export function serveStatic(
  rootDir: string,
  urlPath: string,
  res: http.ServerResponse,
  head: boolean,
  requestHeaders: http.IncomingHttpHeaders = {},
): boolean {
  const root = path.resolve(rootDir);
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return false;
  }
  let file = path.resolve(root, '.' + path.posix.normalize(rel));
  if (!file.startsWith(root + path.sep) && file !== root) return false;
  // The compressed copies are served by negotiation, never by their own names.
  const isVariant = ENCODINGS.some((e) => file.endsWith(e.ext));
  if (isVariant || !isFile(file)) file = path.join(root, 'index.html');
  if (!isFile(file)) return false;

  const isHtml = file.endsWith('.html');
  const accepted = acceptedEncodings(requestHeaders['accept-encoding']);
  const encoding = ENCODINGS.find((e) => accepted.has(e.name) && isFile(file + e.ext));
  const sent = encoding ? file + encoding.ext : file;
  const stat = fs.statSync(sent);
  const etag = `"${stat.size.toString(36)}-${Math.trunc(stat.mtimeMs).toString(36)}${encoding ? `-${encoding.name}` : ''}"`;
  const relUrl = '/' + path.relative(root, file).split(path.sep).join('/');
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    // The page itself may name a one-time token in its URL: never kept. Hashed assets: kept a year.
    'Cache-Control': isHtml
      ? 'no-store'
      : HASHED_ASSET.test(relUrl)
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=3600',
    ETag: etag,
    Vary: 'Accept-Encoding',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
  if (encoding) headers['Content-Encoding'] = encoding.name;
  if (!isHtml && etagMatches(requestHeaders['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  headers['Content-Length'] = stat.size;
  res.writeHead(200, headers);
  if (head) {
    res.end();
    return true;
  }
  const stream = fs.createReadStream(sent);
  stream.once('error', (err) => res.destroy(err));
  stream.pipe(res);
  return true;
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
