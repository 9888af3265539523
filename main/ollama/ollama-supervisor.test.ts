import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock';
import { startOllamaEmulator, type OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { OllamaSupervisor, type EngineStatus, type SupervisorOptions } from './ollama-supervisor';
import { freePort } from './port-probe';
import { waitFor, writeFakeOllama } from './test-support/fake-ollama';

let tmp: { dir: string; cleanup: () => void };
let bin: string;
const cleanups: Array<() => Promise<void> | void> = [];

beforeEach(() => {
  tmp = makeTempDir('aeris-supervisor-');
  bin = writeFakeOllama(tmp.dir);
});

afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  tmp.cleanup();
});

function supervisor(over: Partial<SupervisorOptions> & { host: string }, fakeEnv: Record<string, string> = {}) {
  let spawns = 0;
  const sup = new OllamaSupervisor({
    pidFile: path.join(tmp.dir, 'ollama.pid'),
    logFile: path.join(tmp.dir, 'logs', 'ollama.log'),
    modelsDir: path.join(tmp.dir, 'models'),
    clock: systemClock,
    env: { PATH: process.env.PATH, AERIS_OLLAMA_BIN: bin, ...fakeEnv },
    backoffMs: [50, 100, 200],
    readyPollMs: 50,
    killGraceMs: 1000,
    spawn: ((...args: Parameters<typeof spawn>) => {
      spawns++;
      return spawn(...args);
    }) as typeof spawn,
    ...over,
  });
  const states: EngineStatus[] = [];
  sup.onChange((s) => states.push(s));
  cleanups.push(() => sup.stop());
  return { sup, states, spawns: () => spawns };
}

/**
 * Resolves at the first status (now or a later change) that `ok` accepts: the supervisor says when it moves,
 * so the test follows its events instead of polling against a clock. The timeout only names a hang.
 */
function statusWhere(sup: OllamaSupervisor, ok: (s: EngineStatus) => boolean, what: string): Promise<EngineStatus> {
  return new Promise((resolve, reject) => {
    const now = sup.status();
    if (ok(now)) return resolve(now);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}; last: ${JSON.stringify(sup.status())}`));
    }, 15_000);
    const off = sup.onChange((s) => {
      if (!ok(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('OllamaSupervisor', () => {
  it('attaches to an Ollama that already answers and never starts a second one', async () => {
    const emu: OllamaEmulator = await startOllamaEmulator();
    cleanups.push(() => emu.close());
    const { sup, spawns } = supervisor({ host: emu.url });
    const s = await sup.start();
    expect(s.state).toBe('external');
    expect(s.version).toBe(emu.version);
    expect(s.host).toBe(emu.url);
    expect(spawns()).toBe(0);
    await sup.stop();
    // Stopping the app never stops someone else's Ollama.
    expect(sup.status().state).toBe('external');
    expect((await fetch(`${emu.url}/api/version`)).ok).toBe(true);
  });

  it('starts ollama serve, logs it, and brings it back after SIGKILL', async () => {
    const host = `http://127.0.0.1:${await freePort()}`;
    const { sup, states } = supervisor({ host });
    const s = await sup.start();
    expect(s.state).toBe('running');
    expect(s.host).toBe(host);
    const pid = s.pid!;
    expect(alive(pid)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(tmp.dir, 'ollama.pid'), 'utf8')).pid).toBe(pid);
    await waitFor(
      () => sup.logTail().some((l) => l.includes('OLLAMA_MODELS=' + path.join(tmp.dir, 'models'))),
      5000,
      'log',
    );
    expect(sup.logTail().some((l) => l.startsWith('Listening on'))).toBe(true);

    process.kill(pid, 'SIGKILL');
    await statusWhere(sup, (x) => x.state === 'running' && x.pid !== pid, 'restart');
    expect(states.map((x) => x.state)).toContain('crashed');
    expect(sup.status().restarts).toBe(1);
    expect((await fetch(`${host}/api/version`)).ok).toBe(true);

    const second = sup.status().pid!;
    await sup.stop();
    expect(sup.status().state).toBe('stopped');
    expect(alive(second)).toBe(false);
    expect(fs.existsSync(path.join(tmp.dir, 'ollama.pid'))).toBe(false);
  });

  it('clears a stale engine from an earlier run (only when it is really our ollama)', async () => {
    const port = await freePort();
    const host = `http://127.0.0.1:${port}`;
    const stale: ChildProcess = spawn(bin, ['serve'], {
      env: { ...process.env, OLLAMA_HOST: `127.0.0.1:${port}` },
      stdio: 'ignore',
    });
    cleanups.push(() => void stale.kill('SIGKILL'));
    await waitFor(
      async () => (await fetch(`${host}/api/version`).catch(() => null))?.ok === true,
      10_000,
      'stale engine',
    );
    fs.writeFileSync(
      path.join(tmp.dir, 'ollama.pid'),
      JSON.stringify({ pid: stale.pid, binary: bin, host, startedAt: 0 }),
    );

    const { sup } = supervisor({ host });
    const s = await sup.start();
    expect(alive(stale.pid!)).toBe(false);
    expect(s.state).toBe('running'); // ours now, not an attach to the leftover
    expect(s.pid).not.toBe(stale.pid);
    await sup.stop();

    // A pid file naming some other program: left alone, file removed.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    cleanups.push(() => void other.kill('SIGKILL'));
    fs.writeFileSync(
      path.join(tmp.dir, 'ollama.pid'),
      JSON.stringify({ pid: other.pid, binary: bin, host, startedAt: 0 }),
    );
    const again = await sup.start();
    expect(again.state).toBe('running');
    expect(alive(other.pid!)).toBe(true);
  });

  it('moves to a free port when the configured one belongs to something that is not Ollama; SIGKILLs after the grace', async () => {
    const squatter = http.createServer((_req, res) => res.end('hello from another app'));
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => squatter.close(() => r())));
    const port = (squatter.address() as { port: number }).port;
    const { sup } = supervisor({ host: `127.0.0.1:${port}`, killGraceMs: 300 }, { FAKE_OLLAMA_IGNORE_TERM: '1' });
    const s = await sup.start();
    expect(s.state).toBe('running');
    expect(s.host).not.toBe(`http://127.0.0.1:${port}`);
    expect(s.message).toMatch(new RegExp(`Port ${port} is in use by another program that is not Ollama`));
    expect((await fetch(`${s.host}/api/version`)).ok).toBe(true);
    const pid = s.pid!;
    const t0 = Date.now();
    await sup.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(alive(pid)).toBe(false);
    expect(sup.logTail().join('\n')).toMatch(/sending SIGKILL/);
  });

  it('waits out each backoff delay before a restart, then gives up after the last and says so', async () => {
    const host = `http://127.0.0.1:${await freePort()}`;
    // The backoff runs on a timer the test fires by hand: no restart can come early or depend on load.
    const waiting: Array<{ ms: number; fire: () => void }> = [];
    const after = (fire: () => void, ms: number) => {
      const t = { ms, fire };
      waiting.push(t);
      return () => void waiting.splice(waiting.indexOf(t), 1);
    };
    const { sup, spawns } = supervisor({ host, backoffMs: [20, 40], after }, { FAKE_OLLAMA_CRASH: '1' });
    await sup.start();
    await statusWhere(sup, (x) => /attempt 1 of 2/.test(x.message ?? ''), 'first crash');
    expect(waiting.map((t) => t.ms)).toEqual([20]);
    expect(spawns()).toBe(1);
    waiting.shift()!.fire();
    await statusWhere(sup, (x) => /attempt 2 of 2/.test(x.message ?? ''), 'second crash');
    expect(waiting.map((t) => t.ms)).toEqual([40]);
    expect(spawns()).toBe(2);
    waiting.shift()!.fire();
    await statusWhere(sup, (x) => /gave up/.test(x.message ?? ''), 'give up');
    expect(sup.status().state).toBe('crashed');
    expect(sup.status().messageText).toMatchObject({ id: 'ollama.gaveUp', params: { count: 2 } });
    expect(spawns()).toBe(3);
    expect(waiting).toEqual([]);
    expect(sup.logTail().join('\n')).toMatch(/crashing on purpose/);
  });

  it('reports not-installed with a reason when no binary exists', async () => {
    const host = `http://127.0.0.1:${await freePort()}`;
    const { sup } = supervisor({ host, env: { PATH: tmp.dir + '/nowhere', AERIS_OLLAMA_BIN: '/no/such/ollama' } });
    const s = await sup.start();
    expect(s.state).toBe('not-installed');
    expect(s.message).toMatch(/AERIS_OLLAMA_BIN points to \/no\/such\/ollama/);
    // The same, as a message id the UI words in its language (issue 15).
    expect(s.messageText).toEqual({ id: 'ollama.notInstalled', params: { host } });
  });

  it('treats an unreachable LAN host as someone else’s server and does not start one', async () => {
    const { sup, spawns } = supervisor({ host: 'http://192.0.2.1:11434', probeTimeoutMs: 200 });
    const s = await sup.start();
    expect(s.state).toBe('stopped');
    expect(s.message).toMatch(/not answering/);
    expect(spawns()).toBe(0);
  });
});
