import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startOllamaEmulator, type OllamaEmulator } from '../e2e/emulators/ollama-emulator';
import { buildCli } from './helpers/build-cli';
import { makeTempDir } from './helpers/temp-dir';

const TOKEN = 'upload-limits-token-0123456789ab';

/** The upload limits reach the HTTP server from the shell's environment: a real `aeris serve` process. */
describe('aeris serve: AERIS_IMPORT_MAX_BYTES and AERIS_BACKUP_UPLOAD_MAX_BYTES', () => {
  let emulator: OllamaEmulator;
  let tmp: ReturnType<typeof makeTempDir>;
  let serve: ChildProcess;
  let url: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    const cli = await buildCli();
    emulator = await startOllamaEmulator();
    serve = spawn(
      process.execPath,
      [cli, 'serve', '--port', '0', '--data-dir', path.join(tmp.dir, 'data'), '--ollama-host', emulator.url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          AERIS_API_TOKEN: TOKEN,
          OLLAMA_HOST: '',
          AERIS_IMPORT_MAX_BYTES: '1000',
          AERIS_BACKUP_UPLOAD_MAX_BYTES: '2000',
        },
      },
    );
    let out = '';
    serve.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    url = await new Promise<string>((resolve, reject) => {
      serve.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /serving on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      serve.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
  });
  afterAll(async () => {
    if (serve && serve.exitCode === null && serve.signalCode === null) {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await emulator?.close();
    tmp?.cleanup();
  });

  const post = (route: string, bytes: number) =>
    fetch(`${url}${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Filename': 'big.bin' },
      body: Buffer.alloc(bytes, 0x61),
    });

  it('refuses a sensor file and an original database past AERIS_IMPORT_MAX_BYTES with 413', async () => {
    for (const route of ['/api/v1/imports', '/api/v1/imports/legacy']) {
      const res = await post(route, 1500);
      expect(res.status, route).toBe(413);
      expect(((await res.json()) as { error: string }).error, route).toMatch(/upload limit of 1000 bytes/);
    }
  });

  it('refuses a backup past AERIS_BACKUP_UPLOAD_MAX_BYTES with 413, its own limit', async () => {
    const res = await post('/api/v1/backups/upload', 2500);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/upload limit of 2000 bytes/);
  });
});
