import { Worker } from 'node:worker_threads';
import type { MessageRole, SearchHit } from './types';
import { sqliteDriverPath } from './sqlite-driver';

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
// A read-only connection, kept while someone types (opening one costs more than a search) and closed after
// IDLE_MS without a search, so it does not hold the file for long; opened again when the store file is
// another one (a restore renames one in). The ranking and snippets are
// search-rank.ts's, in plain JS: search-reader.test.ts checks that both give the same hits in the same order.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(w.driver);
const K1 = 1.2;
const B = 0.75;
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const tokens = (text) => fold(text).match(/[\p{L}\p{N}]+/gu) || [];
function rankWindow(docs, typed, limit) {
  if (docs.length === 0) return [];
  const terms = tokens(typed);
  const wanted = terms.map((t, i) => ({ text: t, prefix: i === terms.length - 1 }));
  const perDoc = docs.map((d) => {
    const toks = tokens(d.content);
    const tf = wanted.map((x) => {
      let n = 0;
      for (const t of toks) if (x.prefix ? t.startsWith(x.text) : t === x.text) n++;
      return n;
    });
    return { id: d.id, len: toks.length, tf };
  });
  const avgLen = perDoc.reduce((n, d) => n + d.len, 0) / perDoc.length || 1;
  const idf = wanted.map((_, i) => {
    const n = perDoc.filter((d) => d.tf[i] > 0).length;
    return Math.log(1 + (perDoc.length - n + 0.5) / (n + 0.5));
  });
  const scored = perDoc.map((d) => {
    let score = 0;
    d.tf.forEach((tf, i) => {
      if (tf > 0) score += (idf[i] * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.len) / avgLen));
    });
    return { id: d.id, score };
  });
  scored.sort((a, b) => b.score - a.score || b.id - a.id);
  return scored.slice(0, limit).map((d) => d.id);
}
function makeSnippet(content, typed, size = 12) {
  const terms = tokens(typed);
  const matches = (tok) => terms.some((t, i) => (i === terms.length - 1 ? fold(tok).startsWith(t) : fold(tok) === t));
  const words = [...content.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ at: m.index, text: m[0] }));
  if (words.length === 0) return '';
  const first = Math.max(0, words.findIndex((x) => matches(x.text)));
  const start = Math.max(0, Math.min(first - Math.floor(size / 4), words.length - size));
  const end = Math.min(words.length, start + size);
  let out = start > 0 ? '\u2026' : '';
  let pos = words[start].at;
  for (let i = start; i < end; i++) {
    const x = words[i];
    out += content.slice(pos, x.at);
    out += matches(x.text) ? '[[' + x.text + ']]' : x.text;
    pos = x.at + x.text.length;
  }
  return end < words.length ? out + '\u2026' : out + content.slice(pos);
}
let conn = null;
let idle = null;
function connection() {
  const ino = fs.statSync(w.file).ino;
  if (conn && conn.ino !== ino) closeConnection();
  if (!conn) {
    const db = new Database(w.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    // The index pages a search walks, read through the page cache's mapping rather than a read() each.
    db.pragma('mmap_size = 268435456');
    conn = { db, ino, window: db.prepare(w.windowSql).pluck(), texts: db.prepare(w.textsSql) };
  }
  return conn;
}
function closeConnection() {
  if (conn) conn.db.close();
  conn = null;
}
function search(m) {
  clearTimeout(idle);
  try {
    const c = connection();
    const ids = c.window.all(m.q, m.window);
    const docs = ids.length ? c.texts.all(JSON.stringify(ids)) : [];
    const byId = new Map(docs.map((d) => [d.id, d]));
    const hits = rankWindow(docs, m.typed, m.limit).map((id) => {
      const r = byId.get(id);
      return {
        messageId: r.id,
        sessionId: r.session_id,
        sessionTitle: r.title,
        role: r.role,
        snippet: makeSnippet(r.content, m.typed),
        createdAt: r.created_at,
      };
    });
    return hits;
  } finally {
    if (w.idleMs > 0) idle = setTimeout(closeConnection, w.idleMs);
    else closeConnection();
  }
}
parentPort.on('message', (m) => {
  if (m.type === 'close') {
    clearTimeout(idle);
    closeConnection();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, hits: search(m) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.message) || err), code: err && err.code });
  }
});
`;

/**
 * How long the search thread keeps its connection after the last search. Not at all on Windows: a file open
 * there cannot be renamed, and a restore renames the store (StoreHost.reopen closes only its own connection).
 */
const IDLE_MS = process.platform === 'win32' ? 0 : 2000;

/** The worker never got going: the caller searches on its own connection instead. */
export class SearchReaderUnavailable extends Error {}

type Reply = { id: number; hits: SearchHit[] } | { id: number; error: string; code?: string } | { closed: true };

/**
 * Message search on a worker thread with its own read-only connection, so a search (tens of ms on a million
 * messages, more on a busy machine) never holds up a streamed reply or another request on the app's thread.
 * The thread starts with the first search, not with the app.
 */
export class SearchReader {
  private worker: Worker | null = null;
  private failed: Error | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (h: SearchHit[]) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly dbFile: string,
    /** better-sqlite3's entry for the thread; found at the first search (resolving it took ~0.6 ms of every start). */
    private readonly driver?: string,
  ) {}

  /**
   * The best `limit` of the newest `window` messages matching an FTS5 query, ranked for what was `typed`
   * (search-rank.ts), with snippets.
   */
  search(ftsQuery: string, typed: string, window: number, limit: number): Promise<SearchHit[]> {
    const worker = this.start();
    const id = this.nextId++;
    // Kept alive while a search is under way; an idle search thread does not hold the process open.
    worker.ref();
    return new Promise<SearchHit[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, q: ftsQuery, typed, window, limit });
    }).finally(() => {
      if (this.waiting.size === 0) worker.unref();
    });
  }

  /** Closes the thread's connection (so the store's own close is the last one), then the thread. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    await new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.on('message', (m: { closed?: boolean }) => m.closed && resolve());
      w.postMessage({ type: 'close' });
    });
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
          driver: this.driver ?? sqliteDriverPath(),
          file: this.dbFile,
          windowSql: SEARCH_WINDOW_SQL,
          idleMs: IDLE_MS,
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
      if ('closed' in m) return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if ('hits' in m) w.resolve(m.hits);
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
