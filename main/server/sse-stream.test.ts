import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseStream } from './http-io';

describe('SseStream.sendAll', () => {
  let server: http.Server | null = null;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = null;
  });

  it('writes several events in one write, in order, that a client reads as separate frames', async () => {
    const writes: string[] = [];
    server = http.createServer((_req, res) => {
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        writes.push(String(chunk));
        return write(chunk);
      }) as typeof res.write;
      const sse = new SseStream(res);
      sse.sendAll([
        ['thought', { type: 'writing' }],
        ['token', { content: 'Hello' }],
      ]);
      sse.sendAll([]);
      sse.end();
      expect(sse.sendAll([['token', { content: 'late' }]])).toBe(false);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toBe(
      'event: thought\ndata: {"type":"writing"}\n\nevent: token\ndata: {"content":"Hello"}\n\n',
    );
    expect(writes).toHaveLength(1);
  });

  it('headersWithFirstEvent: the response head and the first event reach the socket in one write', async () => {
    let socketWrites = -1;
    server = http.createServer((_req, res) => {
      // Counted where net.Socket hands bytes to the OS: one call is one write (a corked batch is one _writev).
      const socket = res.socket as net.Socket & {
        _write: (...a: unknown[]) => void;
        _writev: (...a: unknown[]) => void;
      };
      let n = 0;
      const write = socket._write.bind(socket);
      const writev = socket._writev.bind(socket);
      socket._write = (...a: unknown[]) => (n++, write(...a));
      socket._writev = (...a: unknown[]) => (n++, writev(...a));
      const sse = new SseStream(res, { headersWithFirstEvent: true });
      sse.send('thought', { type: 'query_analysis' });
      // Chunked writes are uncorked on the next tick; count after that.
      setImmediate(() => {
        socketWrites = n;
        sse.end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(await res.text()).toBe('event: thought\ndata: {"type":"query_analysis"}\n\n');
    expect(socketWrites).toBe(1);
  });
});
