import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { MessageRole } from './types';

/** A message in a search's window, as the ranking reads it. */
export interface WindowDoc {
  id: number;
  session_id: string;
  role: MessageRole;
  created_at: number;
  content: string;
  title: string;
}

// The newest matches, walked by descending rowid (stops early), then their texts: the same statements as
// the app's own connection uses (messages-repository.ts).
export const SEARCH_WINDOW_SQL = `SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?`;
export const WINDOW_TEXTS_SQL = `SELECT m.id, m.session_id, m.role, m.created_at, m.content, s.title
         FROM messages m JOIN sessions s ON s.id = m.session_id WHERE m.id IN (SELECT value FROM json_each(?))`;

// Plain CommonJS for `eval` (see ops/backup/snapshot-copy.ts): Node's modules and the driver path only.
// A read-only connection for each search, closed after it (as the store watch's check does): a connection
// kept open would hold a restored-over file, and its WAL, past the restore.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
parentPort.on('message', (m) => {
  let db = null;
  try {
    db = new Database(w.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const ids = db.prepare(w.windowSql).pluck().all(m.q, m.window);
    const docs = ids.length ? db.prepare(w.textsSql).all(JSON.stringify(ids)) : [];
    parentPort.postMessage({ id: m.id, docs });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err), code: err && err.code });
  } finally {
    if (db) db.close();
  }
});
`;

/** The worker never got going: the caller searches on its own connection instead. */
export class SearchReaderUnavailable extends Error {}

type Reply = { id: number; docs: WindowDoc[] } | { id: number; error: string; code?: string };

/**
 * Message search on a worker thread with its own read-only connection, so a search (tens of ms on a million
 * messages, more on a busy machine) never holds up a streamed reply or another request on the app's thread.
 * The thread starts with the first search, not with the app.
 */
export class SearchReader {
  private worker: Worker | null = null;
  private failed: Error | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (d: WindowDoc[]) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly dbFile: string,
    private readonly driver: string = createRequire(import.meta.url).resolve('better-sqlite3'),
  ) {}

  /** The newest `window` messages matching an FTS5 query, with their texts and session titles. */
  window(ftsQuery: string, window: number): Promise<WindowDoc[]> {
    const worker = this.start();
    const id = this.nextId++;
    // Kept alive while a search is under way; an idle search thread does not hold the process open.
    worker.ref();
    return new Promise<WindowDoc[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, q: ftsQuery, window });
    }).finally(() => {
      if (this.waiting.size === 0) worker.unref();
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    await w.terminate();
  }

  private start(): Worker {
    if (this.failed) throw this.failed;
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: this.driver,
          file: this.dbFile,
          windowSql: SEARCH_WINDOW_SQL,
          textsSql: WINDOW_TEXTS_SQL,
        },
      });
    } catch (err) {
      this.failed = new SearchReaderUnavailable((err as Error).message);
      throw this.failed;
    }
    let heard = false;
    worker.on('message', (m: Reply) => {
      heard = true;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if ('docs' in m) w.resolve(m.docs);
      else w.reject(Object.assign(new Error(m.error), m.code ? { code: m.code } : {}));
    });
    const fail = (cause: Error): void => {
      if (this.worker === worker) this.worker = null;
      // A thread that never answered could not load the driver (an unusual packaging): no use trying again.
      const err = heard ? cause : (this.failed ??= new SearchReaderUnavailable(cause.message));
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the search thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
