import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, probeHost } from './port-probe';
import { probeFetch } from './probe-fetch';

describe('probeFetch (GET over node:http for start-up probes)', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  async function serve(handler: http.RequestListener): Promise<string> {
    const s = http.createServer(handler);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  it('answers status, ok and the whole body, as fetch does', async () => {
    const url = await serve((req, res) => {
      res.writeHead(req.url === '/api/version' ? 200 : 404, { 'Content-Type': 'application/json' });
      res.write('{"version":');
      res.end('"0.9.1"}');
    });
    const ok = await probeFetch(`${url}/api/version`, { signal: new AbortController().signal });
    expect([ok.ok, ok.status, await ok.text()]).toEqual([true, 200, '{"version":"0.9.1"}']);
    const missing = await probeFetch(`${url}/nope`, { signal: new AbortController().signal });
    expect([missing.ok, missing.status]).toEqual([false, 404]);
    expect(await probeHost(url)).toEqual({ kind: 'ollama', version: '0.9.1' });
  });

  it('rejects a refused connection with the socket error as cause (what probeHost and explainOllamaError read)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const err = (await probeFetch(url, { signal: new AbortController().signal }).catch((e: unknown) => e)) as Error & {
      cause?: { code?: string };
    };
    expect(err.cause?.code).toBe('ECONNREFUSED');
    expect(await probeHost(url)).toEqual({ kind: 'down', detail: 'ECONNREFUSED' });
  });

  it('stops at the abort signal when the host never answers', async () => {
    const url = await serve(() => {
      // never answers
    });
    const ctrl = new AbortController();
    const pending = probeFetch(url, { signal: ctrl.signal });
    ctrl.abort();
    await expect(pending).rejects.toThrow();
    // Something listens there but does not answer like Ollama within the timeout.
    expect((await probeHost(url, probeFetch, 100)).kind).toBe('other');
  });
});
