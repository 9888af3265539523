import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the copy holds, read from the copy itself once it is complete. */
export interface SnapshotFacts {
  schemaVersion: number;
  sessions: number;
  messages: number;
  /** Epoch ms, from the sessions' indexed times (see FACTS_SQL). */
  first: number | null;
  last: number | null;
}

export interface SnapshotCopyResult {
  facts: SnapshotFacts;
  /** Null when not asked for (a compressed backup hashes while compressing). */
  sha256: string | null;
  bytes: number;
}

/** The worker never got going (it could not load the driver, say): the caller may copy another way. */
export class WorkerUnavailableError extends Error {}

/**
 * One row of facts for a manifest. The date range comes from the sessions' indexed times: MIN/MAX over
 * messages would read every message, a second full pass over a big store.
 */
export const FACTS_SQL = `SELECT (SELECT COUNT(*) FROM sessions) AS sessions,
       (SELECT COUNT(*) FROM messages) AS messages,
       (SELECT MIN(created_at) FROM sessions) AS first,
       (SELECT MAX(updated_at) FROM sessions) AS last`;

// Plain CommonJS run with `eval`: no file to locate next to a bundle, in an asar archive or under a
// TypeScript loader. It may only require Node's own modules and the driver path it is given.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const Database = require(w.driver);

async function run() {
  const src = new Database(w.src, { readonly: true, fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    // One read transaction around every step: all of them read the same snapshot, so the app's writes
    // meanwhile (WAL lets them go on) neither restart the copy nor end up half in it.
    src.exec('BEGIN');
    src.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    await src.backup(w.dest, {
      progress: ({ totalPages, remainingPages }) => {
        parentPort.postMessage({ type: 'progress', done: totalPages - remainingPages, total: totalPages });
        return w.pagesPerStep;
      },
    });
    src.exec('COMMIT');
  } finally {
    src.close();
  }
  // A rollback journal makes the copy one self-contained file; then read what it holds.
  const copy = new Database(w.dest, { fileMustExist: true });
  let facts;
  try {
    copy.pragma('journal_mode = DELETE');
    facts = { schemaVersion: copy.pragma('user_version', { simple: true }), ...copy.prepare(w.factsSql).get() };
  } finally {
    copy.close();
  }
  if (!w.checksum) {
    parentPort.postMessage({ type: 'done', facts, sha256: null, bytes: fs.statSync(w.dest).size });
    return;
  }
  // Two buffers: the thread pool reads the next block while this thread hashes the current one.
  const hash = crypto.createHash('sha256');
  const bufs = [Buffer.allocUnsafe(4 << 20), Buffer.allocUnsafe(4 << 20)];
  const fd = fs.openSync(w.dest, 'r');
  const read = (buf, at) =>
    new Promise((resolve, reject) => fs.read(fd, buf, 0, buf.length, at, (e, n) => (e ? reject(e) : resolve(n))));
  let bytes = 0;
  try {
    let pending = read(bufs[0], 0);
    for (let i = 0; ; i++) {
      const n = await pending;
      if (n === 0) break;
      const buf = bufs[i % 2];
      pending = read(bufs[(i + 1) % 2], bytes + n);
      hash.update(buf.subarray(0, n));
      bytes += n;
      parentPort.postMessage({ type: 'checksum', done: bytes });
    }
  } finally {
    fs.closeSync(fd);
  }
  parentPort.postMessage({ type: 'done', facts, sha256: hash.digest('hex'), bytes });
}

run().catch((err) => {
  parentPort.postMessage({ type: 'error', message: String((err && err.message) || err), code: err && err.code });
});
`;

type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'checksum'; done: number }
  | { type: 'done'; facts: SnapshotFacts; sha256: string | null; bytes: number }
  | { type: 'error'; message: string; code?: string };

export interface SnapshotCopyOptions {
  src: string;
  dest: string;
  onCopy?: (pagesDone: number, pagesTotal: number) => void;
  onChecksum?: (bytesDone: number) => void;
  /** Default true. */
  checksum?: boolean;
  /** Pages per backup step; steps only pace progress reports, the app's thread never waits on them. */
  pagesPerStep?: number;
  /** The better-sqlite3 entry file the worker loads; default: the one this process resolves. */
  driver?: string;
}

export type SnapshotCopier = (opts: SnapshotCopyOptions) => Promise<SnapshotCopyResult>;

/** The driver's entry file, for the worker to load the same better-sqlite3 (in a checkout, bundle or app). */
function driverPath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

/**
 * Copies a consistent snapshot of the store to `dest`, then reads its facts and sha256, all on a worker
 * thread with its own read-only connection: the app's thread keeps serving chat writes at full speed.
 * Rejects with the driver's error (its `code` kept, so a full disk is still SQLITE_FULL).
 */
export function copySnapshotInWorker(opts: SnapshotCopyOptions): Promise<SnapshotCopyResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: opts.driver ?? driverPath(),
          src: opts.src,
          dest: opts.dest,
          factsSql: FACTS_SQL,
          pagesPerStep: opts.pagesPerStep ?? 4096,
          checksum: opts.checksum ?? true,
        },
      });
    } catch (err) {
      reject(new WorkerUnavailableError((err as Error).message));
      return;
    }
    let heard = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      heard = true;
      if (m.type === 'progress') opts.onCopy?.(m.done, m.total);
      else if (m.type === 'checksum') opts.onChecksum?.(m.done);
      else if (m.type === 'done') settle(() => resolve({ facts: m.facts, sha256: m.sha256, bytes: m.bytes }));
      else settle(() => reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {})));
    });
    const broke = (why: string) =>
      settle(() => reject(heard ? new Error(`The backup worker failed: ${why}`) : new WorkerUnavailableError(why)));
    worker.on('error', (err) => broke(err.message));
    worker.on('exit', (code) => broke(`it stopped with exit code ${code}`));
  });
}
