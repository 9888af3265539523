import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { intervalSchedule, type Schedule } from '../core/ticker';
import { checkHeader, damagedMessage, isCorruptionError } from './store-check';
import { sqliteDriverPath } from './sqlite-driver';

/** The result of one background check: problems in words (none when the store is sound). */
interface WatchResult {
  problems: string[];
  ms: number;
}

// Plain CommonJS run with `eval` (as the backup copier): no file to locate beside a bundle or in an asar.
// Its own read-only connection, so the app's connection and its requests never wait on the check.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const started = Date.now();
let db;
try {
  db = new Database(w.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -2000');
  const rows = db.pragma('quick_check(' + w.limit + ')').map((r) => r.quick_check);
  parentPort.postMessage({ problems: rows.length === 1 && rows[0] === 'ok' ? [] : rows, ms: Date.now() - started });
} catch (err) {
  parentPort.postMessage({ problems: [String(err && err.message || err)], code: err && err.code, ms: Date.now() - started });
} finally {
  if (db) db.close();
}
`;

/**
 * `PRAGMA quick_check` on a worker thread with its own read-only connection: reads every page once, off the
 * event loop, so a big store is checked without slowing a single request. The header is checked first here
 * (cheap, and a garbage header would otherwise only show as "file is not a database").
 */
export function quickCheckInWorker(file: string, limit = 10): Promise<WatchResult> {
  const started = performance.now();
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    return Promise.resolve({ problems: ['the chat history file is missing or empty'], ms: 0 });
  }
  const header = checkHeader(file);
  if (!header.ok) return Promise.resolve({ problems: [header.message], ms: Math.round(performance.now() - started) });
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: sqliteDriverPath(), file, limit } });
    let settled = false;
    worker.once('message', (m: { problems: string[]; code?: string; ms: number }) => {
      settled = true;
      // A busy store is not a damaged one: only SQLite's corruption codes (or quick_check's own findings) count.
      if (m.code && !isCorruptionError(m)) reject(new Error(m.problems[0]));
      else resolve({ problems: m.problems, ms: m.ms });
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the store check stopped with exit code ${code}`));
    });
  });
}

interface StoreWatchDeps {
  file: () => string;
  /** Told once when a check finds damage (the engine goes into recovery mode). */
  onDamage: (message: string) => void;
  onError?: (err: unknown) => void;
  onChecked?: (r: WatchResult) => void;
  schedule?: Schedule;
  /** Default hourly. */
  everyMs?: number;
  check?: (file: string) => Promise<WatchResult>;
}

/** The periodic background check: hourly quick_check on a worker, never two at once. */
export class StoreWatch {
  private stopSchedule: (() => void) | null = null;
  private running: Promise<WatchResult | null> | null = null;

  constructor(private readonly deps: StoreWatchDeps) {}

  start(): void {
    if (this.stopSchedule) return;
    const schedule = this.deps.schedule ?? intervalSchedule;
    this.stopSchedule = schedule(() => void this.runOnce(), this.deps.everyMs ?? 60 * 60 * 1000);
  }

  stop(): void {
    this.stopSchedule?.();
    this.stopSchedule = null;
  }

  /** One check now (or the one already running). Resolves with its result, or null when it could not run. */
  runOnce(): Promise<WatchResult | null> {
    if (this.running) return this.running;
    const check = this.deps.check ?? ((f: string) => quickCheckInWorker(f));
    this.running = check(this.deps.file())
      .then((r) => {
        this.deps.onChecked?.(r);
        if (r.problems.length) {
          this.deps.onDamage(damagedMessage(r.problems));
        }
        return r;
      })
      .catch((err: unknown) => {
        this.deps.onError?.(err);
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
