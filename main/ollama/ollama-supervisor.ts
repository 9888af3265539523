import { spawn as nodeSpawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-file';
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { pidAlive } from '../core/process-identity';
import type { ComponentLogger } from '../core/logger';
import { findOllamaBinary, type OllamaBinary } from './find-ollama';
import { normalizeOllamaHost } from '../core/ollama-host';
import { freePort, isLoopbackHost, probeHost } from './port-probe';
import { probeFetch, type ProbeFetch } from './probe-fetch';
import { EngineLog } from './engine-log';
import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';

/**
 * external: someone else's Ollama answers at the host (also a LAN GPU box); we never start or stop it.
 * starting / running / crashed / stopped: the one we started. not-installed: no binary to start.
 */
type EngineState = 'external' | 'starting' | 'running' | 'crashed' | 'stopped' | 'not-installed';

/** Words for the person with their message id (the port note is kept for relaunches). */
interface Note {
  message: string;
  text: EngineText;
}

export interface EngineStatus {
  state: EngineState;
  /** The host the app should talk to (may differ from the configured one when its port was taken). */
  host: string;
  /** For the person: why this state, what to do. */
  message: string | null;
  /** `message` as a message id, for the UI's language (issue 15). */
  messageText?: EngineText | null;
  version: string | null;
  pid: number | null;
  binary: string | null;
  /** Restarts since the last stable run. */
  restarts: number;
  logFile: string;
}

export interface SupervisorOptions {
  /** The configured host (settings / OLLAMA_HOST / flag). */
  host: string;
  /** OLLAMA_MODELS for the engine we start; null leaves Ollama's default. */
  modelsDir?: string | null;
  pidFile: string;
  logFile: string;
  clock: Clock;
  env?: NodeJS.ProcessEnv;
  /** Extra OLLAMA_* settings for the engine we start (keep-alive, flash attention…). */
  engineEnv?: Record<string, string>;
  resourcesPath?: string | null;
  platform?: NodeJS.Platform;
  spawn?: typeof nodeSpawn;
  /** How hosts are probed; the default does not load undici at start-up (see probe-fetch.ts). */
  fetch?: ProbeFetch;
  logger?: ComponentLogger;
  /** Delay before each restart after a crash; past the last one we give up. */
  backoffMs?: number[];
  /** Runs `fn` once after `ms` (the restart backoff) and returns a cancel; tests pass one they fire by hand. */
  after?: (fn: () => void, ms: number) => () => void;
  /** A run this long resets the backoff. */
  stableAfterMs?: number;
  /** SIGTERM, then SIGKILL after this long. */
  killGraceMs?: number;
  startTimeoutMs?: number;
  probeTimeoutMs?: number;
  readyPollMs?: number;
  /** How often to re-probe an external or unreachable host; 0 = never. */
  watchIntervalMs?: number;
}

const DEFAULT_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000, 30000];

interface PidRecord {
  pid: number;
  binary: string;
  host: string;
  startedAt: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const realAfter = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** The command line of a process, or null when it cannot be read (gone, or another user's). */
function commandLine(pid: number, platform: NodeJS.Platform): string[] | null {
  try {
    if (platform === 'linux') {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    }
    if (platform === 'win32') {
      const out = execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], { encoding: 'utf8' });
      const image = /^"([^"]+)"/.exec(out.trim())?.[1];
      return image ? [image, 'serve'] : null;
    }
    const out = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out ? out.split(/\s+/) : null;
  } catch {
    return null;
  }
}

/**
 * Runs Ollama, or attaches to one that already answers. Probes before spawning (never two servers on one
 * port), moves to a free port when another program holds it, keeps a pid file so a stale engine left by a
 * crashed app is cleared on the next start, writes the engine's output to logs/ollama.log (rotated with the other logs), restarts a crashed
 * engine with backoff and gives up (saying so) after the last delay.
 */
export class OllamaSupervisor {
  private readonly opts: Required<
    Omit<SupervisorOptions, 'modelsDir' | 'resourcesPath' | 'logger' | 'engineEnv' | 'host'>
  > & { modelsDir: string | null; resourcesPath: string | null; engineEnv: Record<string, string> };
  private configuredHost: string;
  private current: EngineStatus;
  private readonly listeners = new Set<(s: EngineStatus) => void>();
  private readonly log: EngineLog;
  private readonly logger: ComponentLogger | null;
  private child: ChildProcess | null = null;
  private childExit: Promise<void> | null = null;
  private binary: OllamaBinary | null = null;
  private spawnHost: string | null = null;
  /** Why we run on another port than configured; kept across restarts. */
  private portNote: Note | null = null;
  private attempts = 0;
  private runningSince = 0;
  private stopping = false;
  /** Cancels the pending restart, if one is waiting out its backoff. */
  private restartTimer: (() => void) | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private starting: Promise<EngineStatus> | null = null;

  constructor(opts: SupervisorOptions) {
    this.opts = {
      modelsDir: opts.modelsDir ?? null,
      pidFile: opts.pidFile,
      logFile: opts.logFile,
      clock: opts.clock,
      env: opts.env ?? process.env,
      engineEnv: opts.engineEnv ?? {},
      resourcesPath: opts.resourcesPath ?? null,
      platform: opts.platform ?? process.platform,
      spawn: opts.spawn ?? nodeSpawn,
      fetch: opts.fetch ?? probeFetch,
      backoffMs: opts.backoffMs ?? DEFAULT_BACKOFF_MS,
      after: opts.after ?? realAfter,
      stableAfterMs: opts.stableAfterMs ?? 60_000,
      killGraceMs: opts.killGraceMs ?? 5000,
      startTimeoutMs: opts.startTimeoutMs ?? 30_000,
      probeTimeoutMs: opts.probeTimeoutMs ?? 1500,
      readyPollMs: opts.readyPollMs ?? 150,
      watchIntervalMs: opts.watchIntervalMs ?? 0,
    };
    this.logger = opts.logger ?? null;
    this.configuredHost = normalizeOllamaHost(opts.host);
    this.log = new EngineLog(opts.logFile);
    this.current = {
      state: 'stopped',
      host: this.configuredHost,
      message: null,
      messageText: null,
      version: null,
      pid: null,
      binary: null,
      restarts: 0,
      logFile: opts.logFile,
    };
  }

  status(): EngineStatus {
    return { ...this.current };
  }

  get host(): string {
    return this.current.host;
  }

  /** The host asked for (settings / env / flag); `host` can differ when its port was taken. */
  get configured(): string {
    return this.configuredHost;
  }

  onChange(fn: (s: EngineStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  logTail(lines = 100): string[] {
    return this.log.tail(lines);
  }

  private set(patch: Partial<EngineStatus>): void {
    const next = { ...this.current, ...patch };
    // A message id is a fresh object each time: the words it stands for are compared instead.
    const changed = (Object.keys(next) as Array<keyof EngineStatus>).some((k) =>
      k === 'messageText' ? JSON.stringify(next[k]) !== JSON.stringify(this.current[k]) : next[k] !== this.current[k],
    );
    this.current = next;
    if (!changed) return;
    this.logger?.info(`engine ${next.state}`, { host: next.host, message: next.message, pid: next.pid });
    for (const fn of this.listeners) {
      try {
        fn(this.status());
      } catch {
        // A listener's bug must not break supervision.
      }
    }
  }

  /** Attach or start. Safe to call again: a start in progress is shared, a live engine is kept. */
  start(): Promise<EngineStatus> {
    if (this.starting) return this.starting;
    if (this.child) return Promise.resolve(this.status());
    this.stopping = false;
    this.restartTimer?.();
    this.restartTimer = null;
    this.starting = this.doStart().finally(() => (this.starting = null));
    return this.starting;
  }

  /** New host from Settings: stop what we run, then attach or start again. */
  async setHost(host: string): Promise<EngineStatus> {
    const next = normalizeOllamaHost(host);
    if (next === this.configuredHost) return this.status();
    await this.stop();
    this.configuredHost = next;
    this.set({ host: next, message: null, messageText: null, version: null });
    return this.start();
  }

  private async doStart(): Promise<EngineStatus> {
    this.attempts = 0;
    this.set({ restarts: 0 });
    await this.clearStale();
    const host = this.configuredHost;
    const probe = await probeHost(host, this.opts.fetch, this.opts.probeTimeoutMs);
    if (probe.kind === 'ollama') {
      this.set({
        state: 'external',
        host,
        version: probe.version,
        pid: null,
        binary: null,
        message: isLoopbackHost(host)
          ? `Using the Ollama already running at ${host}.`
          : `Using the Ollama server at ${host}.`,
        messageText: engineMessage(isLoopbackHost(host) ? 'ollama.usingLocal' : 'ollama.usingServer', { host }),
      });
      this.watch();
      return this.status();
    }
    if (!isLoopbackHost(host)) {
      // A LAN Ollama is someone else's to run: report it and keep checking.
      this.set({
        state: 'stopped',
        host,
        version: null,
        message: `The Ollama server at ${host} is not answering (${probe.detail}). Check that it is running and reachable.`,
        messageText: engineMessage('ollama.serverNotAnswering', { host, detail: probe.detail }),
      });
      this.watch();
      return this.status();
    }
    let spawnHost = host;
    let portNote: Note | null = null;
    if (probe.kind === 'other') {
      const port = await freePort();
      const configuredPort = new URL(host).port;
      spawnHost = `http://127.0.0.1:${port}`;
      portNote = {
        message: `Port ${configuredPort} is in use by another program that is not Ollama (${probe.detail}); started Ollama on port ${port} instead.`,
        text: engineMessage('ollama.portTaken', { port: configuredPort, detail: probe.detail, newPort: String(port) }),
      };
    }
    const found = findOllamaBinary({
      env: this.opts.env,
      resourcesPath: this.opts.resourcesPath,
      platform: this.opts.platform,
    });
    if (!found.binary) {
      this.set({
        state: 'not-installed',
        host,
        version: null,
        binary: null,
        message:
          (found.problem ? `${found.problem} ` : '') +
          `Ollama is not running at ${host} and no Ollama program was found (set AERIS_OLLAMA_BIN, install Ollama, or point Settings at an Ollama server).`,
        messageText: engineMessage('ollama.notInstalled', { host }),
      });
      return this.status();
    }
    this.binary = found.binary;
    this.spawnHost = spawnHost;
    this.portNote = portNote;
    await this.launch(portNote);
    return this.status();
  }

  /** A pid file left by an earlier run: stop that engine if it really is our Ollama, then forget it. */
  private async clearStale(): Promise<void> {
    let record: PidRecord | null = null;
    try {
      record = JSON.parse(fs.readFileSync(this.opts.pidFile, 'utf8')) as PidRecord;
    } catch {
      return;
    }
    // pidAlive refuses what is not a process id (a hand-edited record).
    if (record && record.pid !== process.pid && pidAlive(record.pid)) {
      const argv = commandLine(record.pid, this.opts.platform);
      const ours =
        argv !== null &&
        argv.includes('serve') &&
        argv.some((a) => a === record.binary || /^ollama(\.exe)?$/i.test(path.basename(a)));
      if (ours) {
        this.logger?.warn('stopping a stale Ollama left by an earlier run', { pid: record.pid });
        await this.killPid(record.pid);
      }
    }
    fs.rmSync(this.opts.pidFile, { force: true });
  }

  private async killPid(pid: number): Promise<void> {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = this.opts.clock.now() + this.opts.killGraceMs;
    while (pidAlive(pid) && this.opts.clock.now() < deadline) await sleep(50);
    if (pidAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      for (let i = 0; i < 40 && pidAlive(pid); i++) await sleep(25);
    }
  }

  private async launch(note: Note | null): Promise<void> {
    const bin = this.binary!;
    const host = this.spawnHost!;
    const url = new URL(host);
    const env: NodeJS.ProcessEnv = {
      ...this.opts.env,
      ...this.opts.engineEnv,
      OLLAMA_HOST: `${url.hostname}:${url.port}`,
    };
    if (this.opts.modelsDir) env.OLLAMA_MODELS = this.opts.modelsDir;
    this.set({
      state: 'starting',
      host,
      binary: bin.path,
      pid: null,
      version: null,
      message: note?.message ?? null,
      messageText: note?.text ?? null,
    });
    this.log.write(`--- ${new Date(this.opts.clock.now()).toISOString()} starting ${bin.path} serve on ${host}\n`);
    let child: ChildProcess;
    try {
      child = this.opts.spawn(bin.path, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (err) {
      this.set({
        state: 'crashed',
        message: `Could not start ${bin.path}: ${errorMessage(err)}`,
        messageText: engineMessage('ollama.couldNotStart', { binary: bin.path, error: errorMessage(err) }),
      });
      return;
    }
    this.child = child;
    let spawnError: Error | null = null;
    this.childExit = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        spawnError = err;
        // 'exit' does not follow a failed spawn.
        if (child.pid === undefined) resolve();
      });
      child.once('exit', () => resolve());
    });
    child.stdout?.on('data', (d: Buffer) => this.log.write(d));
    child.stderr?.on('data', (d: Buffer) => this.log.write(d));
    const exited = this.childExit.then(() => 'exit' as const);
    if (child.pid !== undefined) {
      writeFileAtomic(
        this.opts.pidFile,
        JSON.stringify({
          pid: child.pid,
          binary: bin.path,
          host,
          startedAt: this.opts.clock.now(),
        } satisfies PidRecord),
        0o644,
      );
    }
    void exited.then(() => this.onExit(child, spawnError));
    const ready = await Promise.race([this.waitReady(host, child), exited]);
    if (ready === 'exit' || this.child !== child) return;
    if (ready === null) {
      this.log.write(`--- no answer on ${host} after ${this.opts.startTimeoutMs} ms; killing it\n`);
      child.kill('SIGKILL');
      return;
    }
    this.runningSince = this.opts.clock.now();
    this.set({
      state: 'running',
      version: ready,
      pid: child.pid ?? null,
      message: note?.message ?? null,
      messageText: note?.text ?? null,
    });
  }

  private async waitReady(host: string, child: ChildProcess): Promise<string | null> {
    const deadline = this.opts.clock.now() + this.opts.startTimeoutMs;
    while (this.child === child && child.exitCode === null && this.opts.clock.now() < deadline) {
      const probe = await probeHost(host, this.opts.fetch, Math.min(this.opts.probeTimeoutMs, 1000));
      if (probe.kind === 'ollama') return probe.version;
      await sleep(this.opts.readyPollMs);
    }
    return null;
  }

  private onExit(child: ChildProcess, spawnError: Error | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.childExit = null;
    fs.rmSync(this.opts.pidFile, { force: true });
    const how = spawnError
      ? errorMessage(spawnError)
      : child.signalCode
        ? `killed by ${child.signalCode}`
        : `exit code ${child.exitCode}`;
    this.log.write(`--- engine ended (${how})\n`);
    if (this.stopping) {
      this.set({ state: 'stopped', pid: null, message: null, messageText: null });
      return;
    }
    if (this.runningSince && this.opts.clock.now() - this.runningSince >= this.opts.stableAfterMs) this.attempts = 0;
    this.runningSince = 0;
    const delay = this.opts.backoffMs[this.attempts];
    if (delay === undefined) {
      this.set({
        state: 'crashed',
        pid: null,
        message: `Ollama stopped (${how}) and kept failing after ${this.attempts} restarts; gave up. See ${this.opts.logFile}, then restart the engine.`,
        messageText: engineMessage('ollama.gaveUp', { how, count: this.attempts, logFile: this.opts.logFile }),
      });
      return;
    }
    this.attempts++;
    this.set({
      state: 'crashed',
      pid: null,
      restarts: this.attempts,
      message: `Ollama stopped (${how}); restarting in ${Math.round(delay / 100) / 10} s (attempt ${this.attempts} of ${this.opts.backoffMs.length}).`,
      messageText: engineMessage('ollama.restarting', {
        how,
        seconds: String(Math.round(delay / 100) / 10),
        attempt: this.attempts,
        attempts: this.opts.backoffMs.length,
      }),
    });
    this.restartTimer = this.opts.after(() => {
      this.restartTimer = null;
      void this.relaunch();
    }, delay);
  }

  private async relaunch(): Promise<void> {
    if (this.stopping || this.child) return;
    // Someone may have started an Ollama there meanwhile: attach instead of fighting over the port.
    const probe = await probeHost(this.spawnHost!, this.opts.fetch, this.opts.probeTimeoutMs);
    if (this.stopping || this.child) return;
    if (probe.kind === 'ollama') {
      this.set({
        state: 'external',
        version: probe.version,
        pid: null,
        message: `Another Ollama took over ${this.spawnHost}; using it.`,
        messageText: engineMessage('ollama.tookOver', { host: this.spawnHost ?? '' }),
      });
      this.watch();
      return;
    }
    await this.launch(this.portNote);
  }

  /** Re-probe an external or unreachable host so its state follows reality (and recovers). */
  private watch(): void {
    if (!this.opts.watchIntervalMs || this.watchTimer) return;
    this.watchTimer = setInterval(() => {
      if (this.current.state !== 'external' && !(this.current.state === 'stopped' && !this.stopping)) return;
      void probeHost(this.current.host, this.opts.fetch, this.opts.probeTimeoutMs).then((p) => {
        if (this.stopping || this.child) return;
        if (p.kind === 'ollama' && this.current.state !== 'external') {
          this.set({
            state: 'external',
            version: p.version,
            message: `Ollama at ${this.current.host} is answering again.`,
            messageText: engineMessage('ollama.answeringAgain', { host: this.current.host }),
          });
        } else if (p.kind !== 'ollama' && this.current.state === 'external') {
          this.set({
            state: 'stopped',
            version: null,
            message: `The Ollama at ${this.current.host} stopped answering (${p.detail}).`,
            messageText: engineMessage('ollama.stoppedAnswering', { host: this.current.host, detail: p.detail }),
          });
        }
      });
    }, this.opts.watchIntervalMs);
    this.watchTimer.unref();
  }

  /** SIGTERM, SIGKILL after the grace period. An external Ollama is left alone. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.starting) await this.starting.catch(() => undefined);
    this.restartTimer?.();
    this.restartTimer = null;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    const child = this.child;
    if (!child) {
      if (this.current.state !== 'external')
        this.set({ state: 'stopped', pid: null, message: null, messageText: null });
      return;
    }
    const exited = this.childExit ?? Promise.resolve();
    child.kill('SIGTERM');
    const graceful = await Promise.race([exited.then(() => true), sleep(this.opts.killGraceMs).then(() => false)]);
    if (!graceful) {
      this.log.write(`--- no exit ${this.opts.killGraceMs} ms after SIGTERM; sending SIGKILL\n`);
      child.kill('SIGKILL');
      await exited;
    }
    this.set({ state: 'stopped', pid: null, message: null, messageText: null });
  }

  /** The engine card's Restart button: stop ours (if any), then attach or start again. */
  async restart(): Promise<EngineStatus> {
    await this.stop();
    return this.start();
  }
}
