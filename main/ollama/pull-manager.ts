import { engineMessage } from '../../preload/shared/engine-messages';
import type { Clock } from '../core/clock';
import { AppError, errorMessage } from '../core/errors';
import type { ComponentLogger } from '../core/logger';
import { formatBytes } from './disk-space';
import { requireModelName } from './model-name';
import { postNdjson, StreamError } from './ndjson-request';
import { explainOllamaError } from './ollama-errors';
import { PullProgress, type LayerProgress } from './pull-progress';
import type { PersistedPull, PullStore } from './pull-store';
import { Throttle } from './throttle';

/**
 * queued → pulling → success | failed | cancelled. `interrupted`: the app stopped (or was killed) mid-pull.
 * Only `success` — Ollama's own `{"status":"success"}` line — means installed.
 */
type PullState = 'queued' | 'pulling' | 'success' | 'failed' | 'cancelled' | 'interrupted';

export interface PullSnapshot {
  name: string;
  state: PullState;
  /** Ollama's last status line ("pulling 6a0746a1ec1a", "verifying sha256 digest"…). */
  status: string;
  layers: LayerProgress[];
  completedBytes: number;
  totalBytes: number;
  /** 0–100, null until the sizes are known. */
  percent: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  /** The server's own reason, or what happened to the connection. */
  error: string | null;
  /** Pulling again continues from the partial blobs Ollama kept. */
  resumable: boolean;
  /** 1-based place in the queue while queued. */
  queuePosition: number | null;
  startedAt: number;
  updatedAt: number;
}

export interface PullManagerDeps {
  /** The Ollama host now (it can change at run time). */
  host: () => string;
  store: PullStore;
  clock: Clock;
  logger?: ComponentLogger;
  /** Download size from the catalog, when known. */
  sizeOf?: (name: string) => number | undefined;
  /** The local models folder; null when Ollama runs on another machine (no disk check then). */
  modelsDir?: () => string | null;
  freeBytes?: (dir: string) => Promise<number>;
  /** Spare room demanded beyond the download itself. */
  marginBytes?: (size: number) => number;
  maxConcurrent?: number;
  /** Minimum gap between two updates of one pull (100 ms = at most 10 per second). */
  updateIntervalMs?: number;
  /** The monotonic clock that spacing is measured on (default performance.now). */
  monotonicNow?: () => number;
  /** After a `success`: refresh installed-model caches. */
  onInstalled?: (name: string) => void;
}

interface Job {
  name: string;
  state: PullState;
  progress: PullProgress;
  error: string | null;
  resumable: boolean;
  startedAt: number;
  updatedAt: number;
  ctrl: AbortController | null;
  /** Why the request was aborted: the person cancelled, or the app is shutting down. */
  abortReason: 'cancel' | 'shutdown' | null;
  throttle: Throttle<PullSnapshot>;
  done: Promise<PullSnapshot>;
  resolveDone: (s: PullSnapshot) => void;
  lastPersist: number;
}

const DEFAULT_MARGIN = (size: number): number => Math.max(500_000_000, Math.round(size * 0.1));
/** Progress is saved now and then (for the resume offer's percentage); state changes are saved at once. */
const PERSIST_EVERY_MS = 10_000;

/**
 * Pulls models through Ollama's `/api/pull` NDJSON stream with a plain HTTP request, not the `ollama`
 * client: we must tell apart an HTTP error, an `{"error"}` line after HTTP 200, a dropped connection and a
 * cancel (the client folds the first three into one thrown Error), and keep the per-line cost tiny
 * (fetch's web streams alone cost ~2 % of a core at 170 lines/s; see bench/pull-progress.bench.ts).
 */
export class PullManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly listeners = new Set<(s: PullSnapshot) => void>();
  private readonly maxConcurrent: number;
  private readonly intervalMs: number;

  constructor(private readonly deps: PullManagerDeps) {
    this.maxConcurrent = deps.maxConcurrent ?? 2;
    this.intervalMs = deps.updateIntervalMs ?? 100;
    // Pulls that were running when the app died are resumable, not running.
    for (const p of deps.store.all()) {
      if (p.state === 'pulling' || p.state === 'queued') {
        deps.store.upsert({
          ...p,
          state: 'interrupted',
          error: p.error ?? 'The app stopped during the download.',
          updatedAt: deps.clock.now(),
        });
      }
    }
  }

  /** Throttled updates, at most one per pull per interval; the final state of every pull always arrives. */
  onUpdate(fn: (s: PullSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Starts (or queues) a pull; pulling a name that is already queued or running returns that pull.
   * Refuses an invalid name and a download that does not fit on disk before any request.
   */
  async pull(rawName: string): Promise<PullSnapshot> {
    const name = requireModelName(rawName);
    const existing = this.jobs.get(name);
    if (existing && (existing.state === 'queued' || existing.state === 'pulling')) return this.snapshot(existing);
    await this.checkDisk(name);
    const job = this.makeJob(name);
    this.jobs.set(name, job);
    this.queue.push(job);
    this.pump();
    // A pull that started at once was saved as `pulling` by run(); only a waiting one needs saving here.
    if (job.state === 'queued') {
      this.persist(job, true);
      this.emit(job);
    }
    return this.snapshot(job);
  }

  /** Resume = pull again: Ollama keeps partial blobs and continues from them. */
  resume(name: string): Promise<PullSnapshot> {
    return this.pull(name);
  }

  /** Resolves with the final state of a pull (after it was delivered to listeners). */
  wait(rawName: string): Promise<PullSnapshot> {
    const job = this.jobs.get(requireModelName(rawName));
    if (!job)
      throw new AppError(
        'not_found',
        `No pull of ${rawName} in this session.`,
        {},
        engineMessage('error.noPull', { model: rawName }),
      );
    return job.done;
  }

  /** Aborts the request (or drops it from the queue). The partial download stays resumable. */
  cancel(rawName: string): boolean {
    const job = this.jobs.get(requireModelName(rawName));
    if (!job || (job.state !== 'queued' && job.state !== 'pulling')) return false;
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finish(job, 'cancelled', null);
      return true;
    }
    job.abortReason = 'cancel';
    job.ctrl?.abort();
    return true;
  }

  /** Pulls of this session plus unfinished ones from earlier runs (offered for resume). */
  list(): PullSnapshot[] {
    const out = [...this.jobs.values()].map((j) => this.snapshot(j));
    for (const p of this.deps.store.all()) {
      if (!this.jobs.has(p.name)) out.push(this.fromPersisted(p));
    }
    return out;
  }

  /** Unfinished pulls not running now: what the Models page offers to resume. */
  resumable(): PullSnapshot[] {
    return this.list().filter((s) => s.resumable && s.state !== 'queued' && s.state !== 'pulling');
  }

  /** Forget an unfinished pull (the person does not want it any more). */
  discard(rawName: string): void {
    const name = requireModelName(rawName);
    const job = this.jobs.get(name);
    if (job && (job.state === 'queued' || job.state === 'pulling')) this.cancel(name);
    this.jobs.delete(name);
    this.deps.store.remove(name);
  }

  get activeCount(): number {
    return this.running;
  }

  /** App quit: abort every pull; each stays resumable as `interrupted`. */
  async shutdown(): Promise<void> {
    const active = [...this.jobs.values()].filter((j) => j.state === 'pulling' || j.state === 'queued');
    for (const job of active) {
      if (job.state === 'queued') {
        this.queue.splice(this.queue.indexOf(job), 1);
        this.finish(job, 'interrupted', 'The app stopped before this download started.');
      } else {
        job.abortReason = 'shutdown';
        job.ctrl?.abort();
      }
    }
    await Promise.all(active.map((j) => j.done));
  }

  private async checkDisk(name: string): Promise<void> {
    const dir = this.deps.modelsDir?.() ?? null;
    const size = this.deps.sizeOf?.(name);
    if (!dir || !size || !this.deps.freeBytes) return;
    const already = this.deps.store.get(name)?.completedBytes ?? 0;
    const need = Math.max(0, size - already);
    const margin = (this.deps.marginBytes ?? DEFAULT_MARGIN)(size);
    const free = await this.deps.freeBytes(dir);
    if (free < need + margin) {
      throw new AppError(
        'conflict',
        `Not enough disk space for ${name}: it needs ${formatBytes(need)} plus ${formatBytes(margin)} to spare, ` +
          `but only ${formatBytes(free)} is free at ${dir}. Delete a model or free some space, then try again.`,
        { model: name, needBytes: need, marginBytes: margin, freeBytes: free, modelsDir: dir },
        engineMessage('error.pullNoSpace', { model: name, needBytes: need, marginBytes: margin, freeBytes: free, dir }),
      );
    }
  }

  private makeJob(name: string): Job {
    let resolveDone!: (s: PullSnapshot) => void;
    const done = new Promise<PullSnapshot>((r) => (resolveDone = r));
    const now = this.deps.clock.now();
    const job: Job = {
      name,
      state: 'queued',
      progress: new PullProgress(),
      error: null,
      resumable: true,
      startedAt: now,
      updatedAt: now,
      ctrl: null,
      abortReason: null,
      done,
      resolveDone,
      lastPersist: 0,
      throttle: null as unknown as Throttle<PullSnapshot>, // set just below; it needs the job itself
    };
    job.throttle = new Throttle(
      this.intervalMs,
      () => this.snapshot(job),
      (s) => this.deliver(s),
      this.deps.monotonicNow,
    );
    return job;
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
      });
      // Others moved up the queue.
      for (const q of this.queue) this.emit(q);
    }
  }

  private async run(job: Job): Promise<void> {
    const host = this.deps.host();
    job.state = 'pulling';
    job.ctrl = new AbortController();
    this.persist(job, true);
    this.emit(job);
    this.deps.logger?.info('pull started', { model: job.name, host });
    // Assigned inside the line callback, which TypeScript's narrowing cannot see.
    let success = false as boolean;
    let serverError = null as string | null;
    try {
      const outcome = await postNdjson(
        `${host}/api/pull`,
        { model: job.name, stream: true },
        job.ctrl.signal,
        (line) => {
          if (typeof line.error === 'string') {
            serverError = line.error;
            return true;
          }
          if (line.status === 'success') {
            success = true;
            return true;
          }
          const now = this.deps.clock.now();
          job.progress.apply(line, now);
          job.updatedAt = now;
          this.maybePersist(job);
          job.throttle.poke();
          return false;
        },
      );
      if (outcome.kind === 'http-error') {
        let reason = outcome.body || `HTTP ${outcome.status}`;
        try {
          reason = (JSON.parse(outcome.body) as { error?: string }).error ?? reason;
        } catch {
          // plain text body
        }
        // 4xx: the request itself is wrong (bad name); pulling again cannot help.
        return this.finish(job, 'failed', reason, outcome.status >= 500);
      }
    } catch (err) {
      if (job.abortReason === 'cancel') return this.finish(job, 'cancelled', null);
      if (job.abortReason === 'shutdown')
        return this.finish(job, 'interrupted', 'The app stopped during the download.');
      const explained = explainOllamaError(err, { host, model: job.name });
      const reason =
        explained.code === 'ollama_unavailable' && err instanceof StreamError && err.midStream
          ? `Lost the connection to Ollama at ${host} during the download (${err.cause.code}). Pull again to resume once Ollama is back.`
          : explained.message;
      return this.finish(job, 'failed', reason);
    }
    if (success) return this.finish(job, 'success', null);
    if (serverError !== null) {
      // The model does not exist (or the name is wrong): nothing to resume.
      const hopeless = /file does not exist|not found|invalid model name/i.test(serverError);
      return this.finish(job, 'failed', serverError, !hopeless);
    }
    return this.finish(
      job,
      'failed',
      `The download from Ollama at ${host} ended before Ollama confirmed it; the model is not installed. Pull again to resume.`,
    );
  }

  private finish(job: Job, state: PullState, error: string | null, resumable = state !== 'success'): void {
    job.state = state;
    job.error = error;
    job.resumable = resumable;
    job.ctrl = null;
    job.updatedAt = this.deps.clock.now();
    if (state === 'success') {
      this.deps.store.remove(job.name);
      this.deps.onInstalled?.(job.name);
    } else if (resumable) this.persist(job, true);
    else this.deps.store.remove(job.name);
    this.deps.logger?.[state === 'success' || state === 'cancelled' ? 'info' : 'warn'](`pull ${state}`, {
      model: job.name,
      error,
    });
    void job.throttle.final().then(() => job.resolveDone(this.snapshot(job)));
  }

  private maybePersist(job: Job): void {
    if (job.updatedAt - job.lastPersist >= PERSIST_EVERY_MS) this.persist(job, false);
  }

  private persist(job: Job, force: boolean): void {
    if (!force && job.updatedAt - job.lastPersist < PERSIST_EVERY_MS) return;
    if (job.state === 'success') return;
    job.lastPersist = job.updatedAt;
    const previous = this.deps.store.get(job.name);
    const rec: PersistedPull = {
      name: job.name,
      state: job.state,
      error: job.error,
      // A restarted pull reports bytes from zero until Ollama re-announces its layers; keep the better figure.
      completedBytes: Math.max(
        job.progress.completedBytes,
        job.state === 'queued' ? (previous?.completedBytes ?? 0) : 0,
      ),
      totalBytes: job.progress.totalBytes || previous?.totalBytes || 0,
      startedAt: previous?.startedAt ?? job.startedAt,
      updatedAt: job.updatedAt,
    };
    try {
      // Progress-only saves skip fsync: losing one costs a stale percentage, never a wrong state.
      this.deps.store.upsert(rec, force);
    } catch (err) {
      this.deps.logger?.warn('could not save pull state', { model: job.name, error: errorMessage(err) });
    }
  }

  private emit(job: Job): void {
    job.throttle.poke();
  }

  private deliver(s: PullSnapshot): void {
    for (const fn of this.listeners) {
      try {
        fn(s);
      } catch (err) {
        this.deps.logger?.warn('pull listener failed', { error: errorMessage(err) });
      }
    }
  }

  private snapshot(job: Job): PullSnapshot {
    const now = this.deps.clock.now();
    const p = job.progress;
    const pos = job.state === 'queued' ? this.queue.indexOf(job) + 1 : 0;
    const active = job.state === 'pulling';
    return {
      name: job.name,
      state: job.state,
      status: job.state === 'success' ? 'success' : p.status,
      layers: p.layerList(),
      completedBytes: p.completedBytes,
      totalBytes: p.totalBytes,
      percent: p.totalBytes > 0 ? Math.min(100, Math.floor((p.completedBytes / p.totalBytes) * 1000) / 10) : null,
      bytesPerSecond: active ? Math.round(p.bytesPerSecond(now)) : 0,
      etaSeconds: active ? p.etaSeconds(now) : null,
      error: job.error,
      resumable: job.state !== 'success' && job.resumable,
      queuePosition: pos > 0 ? pos : null,
      startedAt: job.startedAt,
      updatedAt: job.updatedAt,
    };
  }

  private fromPersisted(p: PersistedPull): PullSnapshot {
    return {
      name: p.name,
      state: p.state,
      status: '',
      layers: [],
      completedBytes: p.completedBytes,
      totalBytes: p.totalBytes,
      percent: p.totalBytes > 0 ? Math.min(100, Math.floor((p.completedBytes / p.totalBytes) * 1000) / 10) : null,
      bytesPerSecond: 0,
      etaSeconds: null,
      error: p.error,
      resumable: true,
      queuePosition: null,
      startedAt: p.startedAt,
      updatedAt: p.updatedAt,
    };
  }
}
