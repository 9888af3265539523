import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startOllamaEmulator, type OllamaEmulator } from '../e2e/emulators/ollama-emulator';
import { LOCK_FILE } from '../main/core/data-dir-lock';
import { buildCli } from './helpers/build-cli';
import { makeTempDir } from './helpers/temp-dir';

const REPO = path.resolve(import.meta.dirname, '..');

describe('one long-running owner per data dir (real `aeris serve` processes)', () => {
  let emulator: OllamaEmulator;
  let tmp: ReturnType<typeof makeTempDir>;
  let cli: string;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    tmp = makeTempDir();
    cli = await buildCli();
    emulator = await startOllamaEmulator();
  });
  afterAll(async () => {
    for (const p of started) {
      if (p.exitCode === null && p.signalCode === null) {
        p.kill('SIGKILL');
        await new Promise((r) => p.once('exit', r));
      }
    }
    await emulator.close();
    tmp.cleanup();
  });

  const dataDir = () => path.join(tmp.dir, 'data');

  const run = (args: string[]) => {
    const p = spawn(process.execPath, [cli, ...args, '--data-dir', dataDir(), '--ollama-host', emulator.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AERIS_API_TOKEN: 'test-token-0123456789abcdef', OLLAMA_HOST: '' },
    });
    started.push(p);
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (out += b.toString()));
    return { p, output: () => out };
  };

  /** Resolves once serve prints its address; rejects if it exits first. */
  const serve = async () => {
    const s = run(['serve', '--port', '0']);
    await new Promise<void>((resolve, reject) => {
      s.p.stdout.on('data', () => {
        if (/serving on http/.test(s.output())) resolve();
      });
      s.p.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${s.output()}`)));
    });
    return s;
  };

  const exited = (p: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) resolve(p.exitCode);
      else p.once('exit', (code) => resolve(code));
    });

  it('a second serve refuses with the owner PID; one-shot commands work alongside; after kill -9 a new serve takes over', async () => {
    const first = await serve();
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir(), LOCK_FILE), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(first.p.pid);

    const second = run(['serve', '--port', '0']);
    expect(await exited(second.p)).toBe(1);
    expect(second.output()).toContain(`already in use by aeris serve (PID ${first.p.pid}`);
    expect(second.output()).toMatch(
      /Stop that one first \(kill \d+, or quit the app\), or start this one with another --data-dir/,
    );

    // One-shot commands share the store through SQLite's locking and run no schedulers.
    const oneShot = run(['backup', 'create']);
    expect(await exited(oneShot.p)).toBe(0);
    const list = run(['backup', 'list']);
    expect(await exited(list.p)).toBe(0);
    expect(list.output()).toMatch(/\.aerisbak/);

    first.p.kill('SIGKILL');
    await exited(first.p);
    expect(fs.existsSync(path.join(dataDir(), LOCK_FILE))).toBe(true); // left behind by the killed owner

    const third = await serve();
    expect(third.output()).toMatch(/taking over a stale data-dir lock.*PID \d+/);
    const now = JSON.parse(fs.readFileSync(path.join(dataDir(), LOCK_FILE), 'utf8')) as { pid: number };
    expect(now.pid).toBe(third.p.pid);
    expect(fs.readFileSync(path.join(dataDir(), 'logs', 'app.log'), 'utf8')).toContain('stale data-dir lock');

    // SIGTERM right after "serving on": a clean stop that gives the data dir back.
    third.p.kill('SIGTERM');
    const code = await exited(third.p);
    expect({ code, out: third.output() }).toMatchObject({ code: 0, out: expect.stringContaining('shutting down') });
    expect(fs.existsSync(path.join(dataDir(), LOCK_FILE))).toBe(false);
  });

  it('only the long-running shells start the schedulers, and both take the lock first', () => {
    const callers: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts')) {
          const text = fs.readFileSync(p, 'utf8');
          if (/\.startBackgroundTasks\(/.test(text)) callers.push(path.relative(REPO, p));
        }
      }
    };
    walk(path.join(REPO, 'main'));
    expect(callers.sort()).toEqual(['main/cli/commands/serve-command.ts', 'main/electron/main.ts']);
    for (const f of callers) {
      const text = fs.readFileSync(path.join(REPO, f), 'utf8');
      expect(text.indexOf('acquireDataDirLock(')).toBeGreaterThan(-1);
      expect(text.indexOf('acquireDataDirLock(')).toBeLessThan(text.indexOf('.startBackgroundTasks('));
    }
  });
});
