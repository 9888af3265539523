import { Worker } from 'node:worker_threads';
import { sqliteDriverPath } from '../../store/sqlite-driver';

/** What the copy holds, read from the copy itself once it is complete. */
export interface SnapshotFacts {
  schemaVersion: number;
  sessions: number;
  messages: number;
  /** Epoch ms, from the sessions' indexed times (see FACTS_SQL). */
  first: number | null;
  last: number | null;
}

interface SnapshotCopyResult {
  facts: SnapshotFacts;
  bytes: number;
  /** `PRAGMA quick_check` on the copy: ['ok'], or what is wrong (a damaged store copies its damage along). */
  check: string[];
}

/** Bounded: a damaged store can list thousands of problems; a few say enough. */
export const QUICK_CHECK_SQL = 'PRAGMA quick_check(20)';

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
/**
 * The start of every backup worker's source: its message port and data, and a lower CPU priority on Linux.
 * Plain CommonJS like the rest of each source.
 */
export const BACKUP_WORKER_PRELUDE = String.raw`const { parentPort, workerData: w } = require('node:worker_threads');
// Linux keeps a nice value per thread: this one gives way to the app's thread (a streamed reply) for the CPU.
if (process.platform === 'linux') {
  try {
    require('node:os').setPriority(0, 10);
  } catch {
    // Not allowed here: the worker runs at normal priority.
  }
}
`;

const WORKER_SOURCE = String.raw`
${BACKUP_WORKER_PRELUDE}const fs = require('node:fs');
const Database = require(w.driver);

async function run() {
  const src = new Database(w.src, { readonly: true, fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    // Each page is read once: a small cache copies faster than the driver's 16 MB default (measured).
    src.pragma('cache_size = -2000');
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
  let check;
  try {
    copy.pragma('journal_mode = DELETE');
    // Checked before anything is read from it: facts from a damaged copy may throw or lie.
    check = copy.prepare(w.checkSql).all().map((r) => String(Object.values(r)[0]));
    facts =
      check.length === 1 && check[0] === 'ok'
        ? { schemaVersion: copy.pragma('user_version', { simple: true }), ...copy.prepare(w.factsSql).get() }
        : { schemaVersion: 0, sessions: 0, messages: 0, first: null, last: null };
  } finally {
    copy.close();
  }
  parentPort.postMessage({ type: 'done', facts, check, bytes: fs.statSync(w.dest).size });
}

run().catch((err) => {
  parentPort.postMessage({ type: 'error', message: String((err && err.message) || err), code: err && err.code });
});
`;

type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; facts: SnapshotFacts; bytes: number; check: string[] }
  | { type: 'error'; message: string; code?: string };

interface SnapshotCopyOptions {
  src: string;
  dest: string;
  onCopy?: (pagesDone: number, pagesTotal: number) => void;
  /** Pages per backup step; steps only pace progress reports, the app's thread never waits on them. */
  pagesPerStep?: number;
  /** The better-sqlite3 entry file the worker loads; default: the one this process resolves. */
  driver?: string;
}

export type SnapshotCopier = (opts: SnapshotCopyOptions) => Promise<SnapshotCopyResult>;

/**
 * Copies a consistent snapshot of the store to `dest` and reads its facts, on a worker thread with its own
 * read-only connection: the app's thread keeps serving chat writes at full speed.
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
          driver: opts.driver ?? sqliteDriverPath(),
          src: opts.src,
          dest: opts.dest,
          factsSql: FACTS_SQL,
          checkSql: QUICK_CHECK_SQL,
          pagesPerStep: opts.pagesPerStep ?? 4096,
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
      else if (m.type === 'done') settle(() => resolve({ facts: m.facts, bytes: m.bytes, check: m.check }));
      else settle(() => reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {})));
    });
    const broke = (why: string) =>
      settle(() => reject(heard ? new Error(`The backup worker failed: ${why}`) : new WorkerUnavailableError(why)));
    worker.on('error', (err) => broke(err.message));
    worker.on('exit', (code) => broke(`it stopped with exit code ${code}`));
  });
}
