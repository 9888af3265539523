import { startHttpServer, type RunningServer } from '../../main/server/http-server';
import { engineFixture, type EngineFixture } from './engine-fixture';
import { currentView, perTest } from './per-test';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

type ServeLimits = NonNullable<Parameters<typeof startHttpServer>[1]['limits']>;
type Init = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

/** A real engine (engineFixture) served over HTTP on a loopback port of its own, with a bearer token. */
interface ServeFixture extends EngineFixture {
  /** `http://127.0.0.1:PORT`; another port after `serveAgain`. */
  readonly url: string;
  readonly server: RunningServer;
  /** `fetch(url + path)` with the bearer token beside the given headers (`fetch(fx.url + path)` goes without). */
  fetch(path: string, init?: Init): Promise<Response>;
  /** POSTs `chunks` as a stream with no Content-Length announced (chunked), with the token. */
  postChunks(path: string, chunks: readonly Uint8Array[], headers?: Record<string, string>): Promise<Response>;
  /** Closes the server and serves the same engine again, with these limits (upload sizes, rate). */
  serveAgain(limits: ServeLimits): Promise<void>;
}

async function serve(engine: EngineFixture['engine'], limits?: ServeLimits): Promise<RunningServer> {
  return startHttpServer(engine, {
    host: '127.0.0.1',
    port: 0,
    token: TEST_TOKEN,
    rendererDir: null,
    ...(limits ? { limits } : {}),
  });
}

type ServeFixtureOptions = Parameters<typeof engineFixture>[0] & { limits?: ServeLimits };

async function serveFixture(opts: ServeFixtureOptions = {}): Promise<ServeFixture> {
  const { limits, ...engineOpts } = opts;
  const f = await engineFixture(engineOpts);
  let server: RunningServer;
  try {
    server = await serve(f.engine, limits);
  } catch (err) {
    await f.close();
    throw err;
  }
  const authed = (path: string, init: Init = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${TEST_TOKEN}`, ...init.headers } });
  return {
    engine: f.engine,
    emulator: f.emulator,
    dataDir: f.dataDir,
    get url() {
      return server.url;
    },
    get server() {
      return server;
    },
    fetch: authed,
    postChunks(path, chunks, headers = {}) {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (const chunk of chunks) c.enqueue(chunk);
          c.close();
        },
      });
      return authed(path, { method: 'POST', headers, body, duplex: 'half' });
    },
    async serveAgain(next) {
      await server.close();
      server = await serve(f.engine, next);
    },
    async close() {
      await server.close();
      await f.close();
    },
  };
}

/**
 * Registers the hooks that give each test of the file (or describe) a `serveFixture` of its own, closed after
 * it. Read it inside tests (or in a later beforeEach).
 */
export function servePerTest(opts: ServeFixtureOptions = {}): Omit<ServeFixture, 'close'> {
  const now = perTest(async () => {
    const fx = await serveFixture(opts);
    return { fx, cleanup: () => fx.close() };
  }, 'servePerTest');
  return currentView(
    () => now().fx,
    ['engine', 'emulator', 'dataDir', 'url', 'server', 'fetch', 'postChunks', 'serveAgain'],
  );
}
