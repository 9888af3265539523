import { isLoopbackHost } from '../../server/loopback';
import { loadOrCreateToken } from '../../server/api-token';
import { startHttpServer } from '../../server/http-server';
import { rateLimitFromEnv } from '../../server/load-limits';
import { uploadLimitsFromEnv } from '../../server/upload-limits';
import { whenQuiet } from '../../server/when-quiet';
import { acquireDataDirLock } from '../../core/data-dir-lock';
import { APP_VERSION } from '../../core/version';
import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';
import fs from 'node:fs';

/** No request in flight for 100 ms, or 2 s at most (an open event stream does not hold the background off). */
const BACKGROUND_AFTER = { quietMs: 100, maxWaitMs: 2_000 };

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the HTTP API and the web UI (for browsers, scripts and tests)',
  usage: [
    'Usage: aeris serve [--host 127.0.0.1] [--port 8000] [--data-dir DIR] [--ollama-host URL] [--allow-lan]',
    '',
    'Binds to loopback by default. Every route but /health needs `Authorization: Bearer <token>`:',
    'AERIS_API_TOKEN, or a token generated into the data dir (api-token, mode 0600) and printed here.',
    'A non-loopback --host also needs --allow-lan.',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs({
      args: argv,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8000' },
        'allow-lan': { type: 'boolean' },
      },
      allowPositionals: false,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    const host = values.host;
    if (!isLoopbackHost(host) && !values['allow-lan']) {
      throw new UsageError(
        `Refusing to listen on ${host} without --allow-lan: the API would be reachable from the network.`,
      );
    }
    // One owner per data dir: refuse before opening the store when another server or the app runs on it.
    fs.mkdirSync(ctx.globals.dataDir, { recursive: true });
    const takeovers: Array<[string, Record<string, unknown>]> = [];
    const lock = acquireDataDirLock(ctx.globals.dataDir, {
      shell: 'serve',
      log: (message, fields) => takeovers.push([message, fields]),
    });
    // Listen for the stop signals before anything is printed: a supervisor that reads "serving on" and
    // sends SIGTERM at once must get a clean shutdown (lock released), not the default kill.
    const stopSignal = new Promise<void>((resolve) => {
      const stop = (): void => {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    let engine: ReturnType<typeof ctx.engine>;
    try {
      engine = ctx.engine();
    } catch (err) {
      lock.release();
      throw err;
    }
    for (const [message, fields] of takeovers) {
      engine.logger.log('warn', 'serve', message, fields);
      ctx.io.stderr(`note: ${message} (PID ${typeof fields.pid === 'number' ? fields.pid : '?'})\n`);
    }
    const { token, source } = loadOrCreateToken(engine.paths.tokenFile, ctx.env);
    const rendererDir = fs.existsSync(ctx.rendererDir) ? ctx.rendererDir : null;
    const server = await startHttpServer(engine, {
      host,
      port,
      token,
      rendererDir,
      limits: { ratePerMinute: rateLimitFromEnv(ctx.env), ...uploadLimitsFromEnv(ctx.env) },
    });
    const tokenNote = source === 'env' ? '(from AERIS_API_TOKEN)' : `(stored in ${engine.paths.tokenFile})`;
    ctx.io.stdout(
      [
        `AERIS-AQ ${APP_VERSION} serving on ${server.url}`,
        `  open:   ${server.url}/#token=${token}`,
        rendererDir ? `  docs:   ${server.url}/docs#token=${token} (the original's API, try it out)` : '',
        `  token:  ${token} ${tokenNote}`,
        `  data:   ${engine.paths.root}`,
        `  ollama: ${engine.ollama.host}`,
        ctx.configNote ? `  ${ctx.configNote}` : '',
        rendererDir ? '' : '  (UI not built: run `npm run build` for the web UI; the API works without it)',
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
    // Once the first requests are answered (the address is out and whoever waited for it is asking): the
    // background tasks, then Ollama. Attaching to Ollama or starting ours takes seconds either way; the UI
    // shows the engine's state meanwhile.
    const stopping = new AbortController();
    void whenQuiet(server.server, { ...BACKGROUND_AFTER, signal: stopping.signal }).then((start) => {
      if (!start) return;
      engine.startBackgroundTasks();
      void engine.supervisor
        .start()
        .catch((err: unknown) =>
          engine.logger.log('error', 'serve', 'Ollama supervisor failed', { error: String(err) }),
        );
    });
    await stopSignal;
    stopping.abort();
    ctx.io.stderr('shutting down…\n');
    await server.close();
    await engine.close();
    lock.release();
    return 0;
  },
};
