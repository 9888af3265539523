import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../scripts/precompress.mjs';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { startHttpServer, type RunningServer } from './http-server';
import { acceptedEncodings } from './static-files';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A plain request that keeps the bytes as sent (fetch would undo the Content-Encoding). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve mode static files: compressed, cacheable', () => {
  let f: EngineFixture;
  let server: RunningServer;
  let tmp: { dir: string; cleanup: () => void };
  // Compressible text, large enough for both codings to pay.
  const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word-${i % 37}`))};\n`;
  const asset = 'assets/index-AbC123xy.js';

  beforeAll(async () => {
    tmp = makeTempDir('aeris-static-');
    fs.mkdirSync(path.join(tmp.dir, 'assets'));
    fs.writeFileSync(path.join(tmp.dir, 'index.html'), `<!doctype html><title>t</title>${'<p>aeris</p>'.repeat(50)}`);
    fs.writeFileSync(path.join(tmp.dir, asset), script);
    fs.writeFileSync(path.join(tmp.dir, 'assets', 'logo-AbC123xy.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    fs.writeFileSync(
      path.join(tmp.dir, 'icon.svg'),
      `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(40)}</svg>`,
    );
    precompressDir(tmp.dir);
    f = await engineFixture();
    server = await startHttpServer(f.engine, {
      host: '127.0.0.1',
      port: 0,
      token: 'static-token-0123456789',
      rendererDir: tmp.dir,
    });
  });
  afterAll(async () => {
    await server?.close();
    await f?.close();
    tmp.cleanup();
  });

  it('the build step writes .br and .gz copies of text files only', () => {
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(tmp.dir, asset + '.br'))).toString()).toBe(script);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(tmp.dir, asset + '.gz'))).toString()).toBe(script);
    expect(fs.existsSync(path.join(tmp.dir, 'index.html.br'))).toBe(true);
    expect(fs.existsSync(path.join(tmp.dir, 'assets', 'logo-AbC123xy.png.gz'))).toBe(false);
  });

  it('sends brotli when accepted, gzip when only gzip is, plain otherwise; always with Vary', async () => {
    const br = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(script.length / 4);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(script);

    const gz = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(script);

    const refused = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(script);
    expect(refused.headers.vary).toBe('Accept-Encoding');

    const plain = await get(`${server.url}/${asset}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('hashed assets are kept a year; the page is never stored; other files an hour', async () => {
    const a = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'br' });
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await get(`${server.url}/`, { 'Accept-Encoding': 'br' });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const icon = await get(`${server.url}/icon.svg`);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('a conditional request with the ETag is answered 304 with no body; each coding has its own ETag', async () => {
    const br = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'br' });
    const gz = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'gzip' });
    expect(br.headers.etag).toMatch(/^".+"$/);
    expect(gz.headers.etag).not.toBe(br.headers.etag);
    const again = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.vary).toBe('Accept-Encoding');
    // A gzip client holding the brotli ETag gets the gzip body, not a 304.
    const other = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'gzip', 'If-None-Match': br.headers.etag! });
    expect(other.status).toBe(200);
    expect(zlib.gunzipSync(other.body).toString()).toBe(script);
  });

  it('HEAD sends the headers of the coded file and no body', async () => {
    const head = await get(`${server.url}/${asset}`, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(Number(head.headers['content-length'])).toBe(fs.statSync(path.join(tmp.dir, asset + '.br')).size);
    expect(head.body.length).toBe(0);
  });

  it('the compressed copies are not reachable by name, and paths cannot leave the folder', async () => {
    const byName = await get(`${server.url}/${asset}.br`);
    expect(byName.headers['content-type']).toBe('text/html; charset=utf-8');
    const escape = await get(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(escape.body.toString()).not.toContain('root:');
  });
});

describe('Accept-Encoding', () => {
  it('reads codings, q-values and the wildcard', () => {
    expect([...acceptedEncodings('gzip, deflate, br')]).toEqual(['gzip', 'deflate', 'br']);
    expect([...acceptedEncodings('br;q=0, gzip;q=0.5')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('*, br;q=0')]).toEqual(['gzip']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});
