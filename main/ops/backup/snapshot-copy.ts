import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sqliteDriverPath } from '../../store/sqlite-driver';
import { storeFileDescriptor } from '../../store/store-file-descriptor';
import { openSnapshotFileCopy } from './snapshot-file-copy';

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
  /** Log frames laid over the store file's pages (snapshot-file-copy.ts). */
  walFrames: number;
}

/** Writes of 1 MiB: 8 MiB writes were held up by the kernel's writeback far more often (measured). */
const STEP_BYTES = 1 << 20;
const FLUSH_EVERY = 32 << 20;

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

/**
 * The manifest's facts, read from the finished copy (so they describe exactly what it holds). Self-contained,
 * as openSnapshotFileCopy, for the worker's source text.
 */
function readCopyFacts(Db: typeof Database, file: string, factsSql: string): SnapshotFacts {
  const db = new Db(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(factsSql).get() as Omit<SnapshotFacts, 'schemaVersion'>;
    return { schemaVersion: db.pragma('user_version', { simple: true }) as number, ...row };
  } finally {
    db.close();
  }
}

/**
 * The start of every backup worker's source: its message port and data, and a lower CPU priority on Linux.
 * Plain CommonJS run with `eval`: no file to locate next to a bundle, in an asar archive or under a TypeScript
 * loader. It may only require Node's own modules and the driver path it is given.
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
// Functions put into a worker's source as text: a loader that keeps function names (tsx, esbuild's keepNames)
// wraps their inner functions in its __name helper.
const __name = (fn) => fn;
`;

/** What one copy needs, worked out once on the app's thread and handed to whichever thread copies. */
interface CopyJob {
  src: string;
  srcFd: number;
  dest: string;
  stepBytes: number;
  flushEvery: number;
  factsSql: string;
}

/**
 * The copy, a step at a time with a turn of the event loop between steps (chat writes on this thread, the
 * background flush), then the facts of the finished copy. Self-contained, as openSnapshotFileCopy: the worker
 * runs it from its source text, so what it calls comes in as parameters.
 */
async function runCopy(
  fsImpl: typeof fs,
  Db: typeof Database,
  open: typeof openSnapshotFileCopy,
  readFacts: typeof readCopyFacts,
  job: CopyJob,
  onCopy: (done: number, total: number) => void,
): Promise<SnapshotCopyResult> {
  const copy = open(fsImpl, Db, job);
  try {
    for (let done; (done = copy.step()) !== null;) {
      onCopy(done, copy.bytes);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    copy.close();
  }
  return { facts: readFacts(Db, job.dest, job.factsSql), bytes: copy.bytes, walFrames: copy.walFrames };
}

// The very functions this module runs on the main thread (copySnapshotHere), put into the source as text: one
// implementation, and the bundle test runs it minified.
const WORKER_SOURCE = `
${BACKUP_WORKER_PRELUDE}const fs = require('node:fs');
const Database = require(w.driver);
const openSnapshotFileCopy = (${String(openSnapshotFileCopy)});
const readCopyFacts = (${String(readCopyFacts)});
const runCopy = (${String(runCopy)});

runCopy(fs, Database, openSnapshotFileCopy, readCopyFacts, w.job, (done, total) =>
  parentPort.postMessage({ type: 'progress', done, total }),
).then(
  (r) => parentPort.postMessage({ type: 'done', ...r }),
  (err) => parentPort.postMessage({ type: 'error', message: String((err && err.message) || err), code: err && err.code }),
);
`;

type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; facts: SnapshotFacts; bytes: number; walFrames: number }
  | { type: 'error'; message: string; code?: string };

interface SnapshotCopyOptions {
  src: string;
  dest: string;
  /** Told after each step: bytes of the copy written so far, of its final size. */
  onCopy?: (doneBytes: number, totalBytes: number) => void;
  /**
   * Write the copy out to the disk as it goes (default true): for a copy that is kept. A scratch copy that is
   * compressed and deleted within seconds is better left to the page cache: it may never reach the disk.
   */
  flush?: boolean;
  /** Bytes per step (default 1 MiB). */
  stepBytes?: number;
  /** The better-sqlite3 entry file the worker loads; default: the one this process resolves. */
  driver?: string;
}

export type SnapshotCopier = (opts: SnapshotCopyOptions) => Promise<SnapshotCopyResult>;

/**
 * Copies a consistent snapshot of the store to `dest` (snapshot-file-copy.ts) and reads its facts, on a worker
 * thread with its own read-only connection: the app's thread keeps serving chat writes at full speed.
 * Rejects with the error met (its `code` kept, so a full disk is still ENOSPC).
 */
export function copySnapshotInWorker(opts: SnapshotCopyOptions): Promise<SnapshotCopyResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    const job = copyJob(opts); // a store file that cannot be read is that error, not "no worker"
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver: opts.driver ?? sqliteDriverPath(), job },
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
      else if (m.type === 'done') settle(() => resolve({ facts: m.facts, bytes: m.bytes, walFrames: m.walFrames }));
      else settle(() => reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {})));
    });
    const broke = (why: string) =>
      settle(() => reject(heard ? new Error(`The backup worker failed: ${why}`) : new WorkerUnavailableError(why)));
    worker.on('error', (err) => broke(err.message));
    worker.on('exit', (code) => broke(`it stopped with exit code ${code}`));
  });
}

/**
 * The same copy on this thread, for where no worker can start (an unusual packaging): short steps with a
 * turn of the event loop between them, so chat writes go on; slower for them, just as correct.
 */
export async function copySnapshotHere(opts: SnapshotCopyOptions): Promise<SnapshotCopyResult> {
  return runCopy(fs, Database, openSnapshotFileCopy, readCopyFacts, copyJob(opts), opts.onCopy ?? (() => undefined));
}

/** Descriptors are the process's: a worker reads the store file through this one too. */
function copyJob(opts: SnapshotCopyOptions): CopyJob {
  return {
    src: opts.src,
    srcFd: storeFileDescriptor(opts.src),
    dest: opts.dest,
    stepBytes: opts.stepBytes ?? STEP_BYTES,
    flushEvery: opts.flush === false ? 0 : FLUSH_EVERY,
    factsSql: FACTS_SQL,
  };
}
