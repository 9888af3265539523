import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEventDto } from '../../preload/contract';
import { BridgeError, HttpBridge, TOKEN_REFUSED } from '../../renderer/src/bridge/http-bridge';

/**
 * The serve-mode bridge's own protocol handling against a plain HTTP server on loopback that writes the
 * event stream byte by byte as the test says: frames split anywhere, several data lines, comments, drops.
 */
const TOKEN = 'sse-test-token';

interface Stream {
  res: http.ServerResponse;
  /** Sends raw bytes of the stream as one chunk. */
  write(bytes: string | Buffer): Promise<void>;
}

interface Server {
  url: string;
  /** Each opened event stream, in order. */
  streams: Stream[];
  eventRequests: number;
  /** The next event stream is refused with this status. */
  refuseNext: number | null;
  calls: Array<{ name: string; auth: string | undefined; body: string }>;
  answer: (name: string) => { status: number; body: string | null };
  nextStream(): Promise<Stream>;
  close(): Promise<void>;
}

async function sseServer(): Promise<Server> {
  const waiting: Array<(s: Stream) => void> = [];
  const srv: Server = {
    url: '',
    streams: [],
    eventRequests: 0,
    refuseNext: null,
    calls: [],
    answer: () => ({ status: 200, body: JSON.stringify({ ok: true, result: {} }) }),
    nextStream: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const s of srv.streams) s.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/bridge/events') {
      srv.eventRequests++;
      if (req.headers.authorization !== `Bearer ${TOKEN}` || srv.refuseNext) {
        res.writeHead(srv.refuseNext ?? 401).end();
        srv.refuseNext = null;
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.flushHeaders();
      const stream: Stream = {
        res,
        write: (bytes) => new Promise((r, j) => res.write(bytes, (err) => (err ? j(err) : r()))),
      };
      srv.streams.push(stream);
      waiting.shift()?.(stream);
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const name = req.url!.replace('/bridge/call/', '');
      srv.calls.push({ name, auth: req.headers.authorization, body });
      const a = srv.answer(name);
      res.writeHead(a.status, { 'Content-Type': 'application/json' });
      res.end(a.body ?? undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  srv.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return srv;
}

/** Resolves with the next `n` payloads of `event`. */
function collect<T>(bridge: HttpBridge, event: 'chat.event' | 'models.pull', n: number): Promise<T[]> {
  const got: T[] = [];
  return new Promise((resolve) => {
    const off = bridge.on(event, (p) => {
      got.push(p as T);
      if (got.length === n) {
        off();
        resolve(got);
      }
    });
  });
}

const token = (text: string, offset: number): ChatEventDto => ({
  type: 'token',
  streamId: '1',
  sessionId: 's1',
  messageId: 2,
  text,
  offset,
});
const frame = (event: string, payload: unknown) => `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;

describe('HttpBridge event stream', () => {
  let server: Server;
  const bridges: HttpBridge[] = [];
  const bridge = (t = TOKEN) => {
    const b = new HttpBridge(t, server.url, 10);
    bridges.push(b);
    return b;
  };
  afterEach(async () => {
    for (const b of bridges.splice(0)) b.close();
    await server.close();
  });

  it('puts frames back together however the bytes arrive, and hands each event to its listeners', async () => {
    server = await sseServer();
    const b = bridge();
    const events = collect<ChatEventDto>(b, 'chat.event', 3);
    const stream = await server.nextStream();
    await b.whenConnected();
    const first = frame('chat.event', token('Harmattan ', 0));
    const second = frame('chat.event', token('dust — µg/m³ ', 10));
    const all = Buffer.from(first + second, 'utf8');
    // Split inside the first frame, between its two newlines, and inside a multi-byte character.
    const cut1 = 9;
    const cut2 = Buffer.byteLength(first) - 1;
    const micro = all.indexOf(Buffer.from('µ', 'utf8')) + 1;
    for (const [a, z] of [
      [0, cut1],
      [cut1, cut2],
      [cut2, micro],
      [micro, all.length],
    ] as const)
      await stream.write(all.subarray(a, z));
    // A comment (keep-alive), a frame without data, and an event nobody listens to change nothing.
    await stream.write(': keep-alive\n\nevent: chat.event\n\n' + frame('settings.changed', { ollamaHost: 'x' }));
    // Data on several lines is one payload joined with newlines (JSON allows the line break between tokens).
    await stream.write(
      `event: chat.event\ndata: {"type":"token","streamId":"1","sessionId":"s1",\ndata: "messageId":2,"text":"!","offset":24}\n\n`,
    );
    expect(await events).toEqual([token('Harmattan ', 0), token('dust — µg/m³ ', 10), token('!', 24)]);
  });

  it('reconnects after the stream drops, says so, and goes on delivering', async () => {
    server = await sseServer();
    const b = bridge();
    const changes: boolean[] = [];
    b.onConnectionChange = (up) => changes.push(up);
    const firstEvent = collect<ChatEventDto>(b, 'chat.event', 1);
    const first = await server.nextStream();
    await first.write(frame('chat.event', token('a', 0)));
    await firstEvent;
    const next = server.nextStream();
    first.res.destroy();
    const second = await next;
    const after = collect<ChatEventDto>(b, 'chat.event', 1);
    await second.write(frame('chat.event', token('b', 1)));
    expect(await after).toEqual([token('b', 1)]);
    expect(changes).toEqual([true, false, true]);
    expect(server.eventRequests).toBe(2);
  });

  it('keeps retrying while the server answers errors, then connects', async () => {
    server = await sseServer();
    server.refuseNext = 503;
    const b = bridge();
    const changes: boolean[] = [];
    b.onConnectionChange = (up) => changes.push(up);
    const connected = server.nextStream();
    b.on('chat.event', () => undefined);
    await connected;
    await b.whenConnected();
    expect(server.eventRequests).toBe(2);
    expect(changes).toEqual([false, true]);
  });

  it('stops at once on a refused token: no retry, and whenConnected says why', async () => {
    server = await sseServer();
    const b = bridge('wrong-token');
    b.on('chat.event', () => undefined);
    await expect(b.whenConnected(5000)).rejects.toMatchObject({ code: 'unauthorized', message: TOKEN_REFUSED });
    expect(server.eventRequests).toBe(1);
  });
});

describe('HttpBridge calls', () => {
  let server: Server;
  afterEach(async () => server.close());

  it('posts the input with the bearer token and returns the result', async () => {
    server = await sseServer();
    server.answer = () => ({ status: 200, body: JSON.stringify({ ok: true, result: { sessions: [], total: 0 } }) });
    const b = new HttpBridge(TOKEN, server.url);
    expect(await b.call('sessions.list', { limit: 5 })).toEqual({ sessions: [], total: 0 });
    expect(server.calls).toEqual([{ name: 'sessions.list', auth: `Bearer ${TOKEN}`, body: '{"limit":5}' }]);
  });

  it('turns every kind of failure into a BridgeError with a code and words', async () => {
    server = await sseServer();
    const b = new HttpBridge(TOKEN, server.url);
    const fail = (status: number, body: string | null) => {
      server.answer = () => ({ status, body });
      return b.call('app.info', {}).catch((e: unknown) => e);
    };
    expect(
      await fail(200, JSON.stringify({ ok: false, error: { code: 'not_found', message: 'No such chat.' } })),
    ).toMatchObject({ code: 'not_found', message: 'No such chat.' });
    expect(await fail(429, JSON.stringify({ error: 'Too many requests.', code: 'rate_limited' }))).toMatchObject({
      code: 'rate_limited',
      message: 'Too many requests.',
    });
    expect(await fail(502, JSON.stringify({}))).toMatchObject({
      code: 'http_error',
      message: 'The server answered 502.',
    });
    expect(await fail(500, null)).toMatchObject({
      code: 'bad_response',
      message: 'The server answered 500 without a body.',
    });
    expect(await fail(401, null)).toMatchObject({ code: 'unauthorized', message: TOKEN_REFUSED });
    const gone = new HttpBridge(TOKEN, 'http://127.0.0.1:1');
    const offline = await gone.call('app.info', {}).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(BridgeError);
    expect(offline).toMatchObject({ code: 'offline' });
  });

  it('uploads raw bytes with the token and reads the answer or the refusal', async () => {
    server = await sseServer();
    const b = new HttpBridge(TOKEN, server.url);
    server.answer = () => ({ status: 200, body: JSON.stringify({ id: 3 }) });
    expect(await b.postRaw<{ id: number }>('/api/v1/imports', new Blob(['a,b\n']), { 'X-Filename': 'a.csv' })).toEqual({
      id: 3,
    });
    expect(server.calls.at(-1)).toMatchObject({ auth: `Bearer ${TOKEN}`, body: 'a,b\n' });
    server.answer = () => ({
      status: 413,
      body: JSON.stringify({ error: 'The file is too large.', code: 'too_large' }),
    });
    await expect(b.postRaw('/api/v1/imports', new Blob(['x']))).rejects.toMatchObject({
      code: 'too_large',
      message: 'The file is too large.',
    });
  });
});
