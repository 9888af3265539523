import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { whenQuiet } from './when-quiet';

/** A loopback server whose requests are answered only when the test says so. */
async function heldServer() {
  const held: http.ServerResponse[] = [];
  const arrived: Array<() => void> = [];
  const server = http.createServer((_req, res) => {
    held.push(res);
    arrived.shift()?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    server,
    /** Sends a request and resolves once the server holds it, with the answer to come (wrapped: not awaited). */
    async ask(): Promise<{ answered: Promise<string> }> {
      const there = new Promise<void>((resolve) => arrived.push(resolve));
      const answered = fetch(url).then((r) => r.text());
      await there;
      return { answered };
    },
    answerAll(): void {
      for (const res of held.splice(0)) res.end('ok');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether `p` has settled once the timers and I/O queued so far have run for `ms`. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, ms));
  return settled;
}

let open: Awaited<ReturnType<typeof heldServer>> | null = null;
afterEach(async () => {
  open?.answerAll();
  await open?.close();
  open = null;
});

describe('whenQuiet', () => {
  it('resolves true once no request has come for the quiet time', async () => {
    open = await heldServer();
    await expect(whenQuiet(open.server, { quietMs: 20, maxWaitMs: 60_000 })).resolves.toBe(true);
  });

  it('waits while a request is in flight, then for the quiet time after its answer', async () => {
    open = await heldServer();
    // A quiet time long enough for the request below to arrive first even on a loaded machine.
    const quiet = whenQuiet(open.server, { quietMs: 1_000, maxWaitMs: 60_000 });
    const { answered } = await open.ask();
    expect(await settledWithin(quiet, 1_300)).toBe(false);
    open.answerAll();
    await answered;
    await expect(quiet).resolves.toBe(true);
  });

  it('does not wait longer than maxWaitMs for a request that stays open (an event stream)', async () => {
    open = await heldServer();
    const quiet = whenQuiet(open.server, { quietMs: 20, maxWaitMs: 150 });
    const { answered } = await open.ask();
    void answered.catch(() => undefined);
    await expect(quiet).resolves.toBe(true);
  });

  it('settles false when aborted (the server is stopping), and stops listening for requests', async () => {
    open = await heldServer();
    const before = open.server.listenerCount('request');
    const stop = new AbortController();
    const quiet = whenQuiet(open.server, { quietMs: 60_000, maxWaitMs: 60_000, signal: stop.signal });
    expect(open.server.listenerCount('request')).toBe(before + 1);
    stop.abort();
    await expect(quiet).resolves.toBe(false);
    expect(open.server.listenerCount('request')).toBe(before);
  });

  it('settles false at once for a signal already aborted', async () => {
    open = await heldServer();
    await expect(whenQuiet(open.server, { quietMs: 10, maxWaitMs: 10, signal: AbortSignal.abort() })).resolves.toBe(
      false,
    );
  });
});
