import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveDocs } from './docs-route';
import { CONTENT_SECURITY_POLICY } from './static-files';

describe('serveDocs', () => {
  let root: string;
  let server: http.Server;
  let base: string;
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-docs-'));
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'docs', 'index.html'), '<p>docs</p>');
    fs.writeFileSync(path.join(root, 'docs', 'swagger-ui.css'), 'body{}');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'outside');
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!serveDocs(path.join(root, 'docs'), url.pathname, res, req.method === 'HEAD')) res.writeHead(418).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves the page at /docs and /docs/, and its files, under the web UI’s CSP', async () => {
    for (const p of ['/docs', '/docs/']) {
      const res = await fetch(base + p);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toBe('<p>docs</p>');
    }
    const css = await fetch(`${base}/docs/swagger-ui.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toBe('body{}');
  });

  it('answers 404 for unknown, dotted and escaping names, and leaves other paths alone', async () => {
    for (const p of ['/docs/missing.js', '/docs/..%2Fsecret.txt', '/docs/.hidden', '/docs/a/b.js']) {
      expect((await fetch(base + p)).status, p).toBe(404);
    }
    expect((await fetch(`${base}/docsx`)).status).toBe(418);
    expect((await fetch(`${base}/`)).status).toBe(418);
  });
});
