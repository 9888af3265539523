import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES } from './static-files';

// A plain file name, never a dot-name (`..`).
const FILE = /^\/docs\/(\w[\w.-]*)$/;

/** Serves `/docs` (Swagger UI over /openapi.json, built into `<renderer>/docs`); false when the path is not ours. */
export function serveDocs(docsDir: string, urlPath: string, res: http.ServerResponse, head: boolean): boolean {
  if (urlPath !== '/docs' && !urlPath.startsWith('/docs/')) return false;
  const name = urlPath === '/docs' || urlPath === '/docs/' ? 'index.html' : FILE.exec(urlPath)?.[1];
  const file = name ? path.join(docsDir, name) : null;
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(head ? undefined : 'No such file in /docs (is the web UI built? `npm run build`).\n');
    return true;
  }
  const body = fs.readFileSync(file);
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': isHtml ? 'no-store' : 'public, max-age=3600',
    // The web UI's policy holds for Swagger UI too (the e2e test sees no violation): no inline script or style.
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
  res.end(head ? undefined : body);
  return true;
}
