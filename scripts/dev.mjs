// `npm run dev`: the renderer on Vite's dev server with hot module reload, and `aeris serve` rebuilt by
// esbuild (watch mode) and restarted after every engine change. Vite proxies the API to serve, so the
// page and the API share one origin as in production. Open the printed URL (it carries the token).
// Options (env): AERIS_DEV_PORT (Vite, 5173), AERIS_DEV_API_PORT (serve, 8000), AERIS_DATA_DIR (.tmp/dev-data),
// OLLAMA_HOST as usual. Stop with Ctrl+C.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { context } from 'esbuild';
import { createServer } from 'vite';
import { engineBundle } from './bundle-options.mjs';

const root = path.resolve(import.meta.dirname, '..');
const uiPort = Number(process.env.AERIS_DEV_PORT ?? 5173);
const apiPort = Number(process.env.AERIS_DEV_API_PORT ?? 8000);
const api = `http://127.0.0.1:${apiPort}`;
const token = process.env.AERIS_API_TOKEN ?? `dev-${crypto.randomBytes(12).toString('hex')}`;
const outfile = path.join(root, '.tmp/dev/cli.cjs');

// 1. The engine: an esbuild watch writes the CLI bundle and, after each good build, serve is restarted
// (stopped with SIGTERM, which releases its data-dir lock, then started on the new bundle).
let serve = null;
const startServe = () =>
  spawn(
    process.execPath,
    ['--enable-source-maps', outfile, 'serve', '--host', '127.0.0.1', '--port', String(apiPort)],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        AERIS_API_TOKEN: token,
        AERIS_DATA_DIR: process.env.AERIS_DATA_DIR ?? path.join(root, '.tmp/dev-data'),
      },
    },
  );
const stopServe = () =>
  new Promise((resolve) => {
    if (!serve || serve.exitCode !== null) return resolve();
    serve.once('exit', () => resolve());
    serve.kill('SIGTERM');
  });
const restartServe = {
  name: 'restart-serve',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return; // keep the last good engine running
      await stopServe();
      serve = startServe();
    });
  },
};
const engine = await context({
  ...engineBundle,
  entryPoints: [path.join(root, 'main/cli/index.ts')],
  outfile,
  sourcemap: true,
  logLevel: 'info',
  plugins: [restartServe],
});
await engine.watch();

// 2. The renderer: Vite with HMR; API paths go to serve, whose DNS-rebinding guard wants its own origin.
const proxied = {
  target: api,
  changeOrigin: true,
  configure: (p) => p.on('proxyReq', (r) => r.setHeader('origin', api)),
};
const vite = await createServer({
  configFile: path.join(root, 'renderer/vite.config.ts'),
  server: {
    host: '127.0.0.1',
    port: uiPort,
    strictPort: true,
    proxy: { '/bridge': proxied, '/health': proxied, '/api': proxied, '/metrics': proxied },
  },
});
await vite.listen();
console.log(
  `\n  AERIS-AQ dev: http://127.0.0.1:${uiPort}/#token=${token}\n  (API: ${api}; engine restarts on change)\n`,
);

const stop = async () => {
  await engine.dispose();
  await Promise.allSettled([stopServe(), vite.close()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
