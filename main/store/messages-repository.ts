import type { Clock } from '../core/clock';
import { isDiskFull } from '../core/disk-full';
import { formatIdentity, identityAlive, parseIdentity, pidAlive, selfIdentity } from '../core/process-identity';
import type { EngineText, EngineTextDto } from '../../preload/shared/engine-messages';
import { ENGINE_TEXT_DTO } from '../../preload/shared/engine-text-dto';
import type { Db } from './database';
import { makeSnippet, rankWindow } from './search-rank';
import { SEARCH_WINDOW_SQL, WINDOW_TEXTS_SQL, type SearchReader, type WindowDoc } from './search-reader';
import type { MessageRecord, MessageRole, MessageStatus, ReplyFigures, SearchHit } from './types';

interface MessageRow {
  id: number;
  session_id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  model: string | null;
  error: string | null;
  error_text?: string | null;
  tools_used: string;
  tokens: number;
  created_at: number;
  updated_at: number;
  provider?: string | null;
  ttft_ms?: number | null;
  tokens_per_second?: number | null;
}

const toolsOf = (json: string): string[] => (json === '[]' ? [] : (JSON.parse(json) as string[]));

/** A saved error's message id, checked as the UI would: anything else (damaged, hand-edited) is left out. */
function errorTextOf(json: string | null | undefined): EngineTextDto | null {
  if (!json) return null;
  try {
    const parsed = ENGINE_TEXT_DTO().safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const toRecord = (r: MessageRow): MessageRecord => {
  const errorText = errorTextOf(r.error_text);
  return { ...baseRecord(r), ...(errorText ? { errorText } : {}) };
};

const baseRecord = (r: MessageRow): MessageRecord => ({
  id: r.id,
  sessionId: r.session_id,
  role: r.role,
  content: r.content,
  status: r.status,
  model: r.model,
  error: r.error,
  toolsUsed: toolsOf(r.tools_used),
  tokens: r.tokens,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  provider: r.provider ?? null,
  ttftMs: r.ttft_ms ?? null,
  tokensPerSecond: r.tokens_per_second ?? null,
});

interface NewMessage {
  sessionId: string;
  role: MessageRole;
  content: string;
  status?: MessageStatus;
  model?: string | null;
}

/** Fewest letters (over all words) a search needs; the UI says so below it. */
export const SEARCH_MIN_CHARS = 3;
/** Only this many of the newest matches are ranked (see the searchWindow statement). */
export const SEARCH_WINDOW = 500;

/**
 * Turns what a person types into a safe FTS5 query: every word quoted (so `AND`, `-`, `"` and `*`
 * typed by a user are plain text), the last one as a prefix so results appear while typing.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}_.'-]+/gu) ?? [];
  const terms = words.map((w) => w.replace(/"/g, '')).filter((w) => w.length > 0);
  if (terms.length === 0) return null;
  // A one- or two-letter prefix matches most of the store and says little: below the minimum, no search.
  if ([...terms.join('')].length < SEARCH_MIN_CHARS) return null;
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/**
 * Whether a streaming row's writer still runs: by its instance identity (PID and process start) when the
 * row has one, else (rows from before identities were recorded) by its PID alone. Our own PID with
 * another identity is a previous process whose PID we were given.
 */
function ownerAlive(r: { owner_pid: number | null; owner_instance: string | null }): boolean {
  const id = r.owner_instance ? parseIdentity(r.owner_instance) : null;
  if (id) return identityAlive(id);
  return r.owner_pid !== null && r.owner_pid !== process.pid && pidAlive(r.owner_pid);
}

/** Background indexing works in slices this long, so a chat write waits at most about this much. */
const INDEX_SLICE_MS = 8;
const INDEX_BATCH = 500;
/** After a failed background pass (a full disk), retry after this, doubling up to the cap. */
const INDEX_RETRY_MIN_MS = 1000;
const INDEX_RETRY_MAX_MS = 30_000;

/** Told about writes the store makes on its own timers, so the engine can track a full disk. */
export interface BackgroundWriteHooks {
  onWriteError?(err: unknown, what: string): void;
  onWriteOk?(what: string): void;
}

export class MessagesRepository {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly hooks: BackgroundWriteHooks = {},
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO messages (session_id, role, content, status, model, owner_pid, owner_instance, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare(`SELECT * FROM messages WHERE id = ?`),
      appendChunk: db.prepare(`INSERT INTO message_chunks (message_id, seq, text) VALUES (?, ?, ?)`),
      lastChunk: db.prepare(`SELECT MAX(seq) AS n FROM message_chunks WHERE message_id = ?`),
      chunks: db.prepare(`SELECT text FROM message_chunks WHERE message_id = ? ORDER BY seq`).pluck(),
      dropChunks: db.prepare(`DELETE FROM message_chunks WHERE message_id = ?`),
      setContentOnly: db.prepare(`UPDATE messages SET content = ?, updated_at = ? WHERE id = ?`),
      finish: db.prepare(
        `UPDATE messages SET status = ?, error = ?, error_text = ?, tokens = ?, tools_used = ?, ttft_ms = ?, tokens_per_second = ?,
         owner_pid = NULL, owner_instance = NULL, updated_at = ?
         WHERE id = ?`,
      ),
      setContent: db.prepare(`UPDATE messages SET content = ?, updated_at = ? WHERE id = ?`),
      ftsInsert: db.prepare(`INSERT INTO messages_fts(rowid, content) VALUES (?, ?)`),
      markIndexedNew: db.prepare(`INSERT OR IGNORE INTO messages_fts_indexed(id) VALUES (?)`),
      indexedThrough: db.prepare(`SELECT indexed_through AS n FROM fts_state WHERE id = 1`),
      setIndexedThrough: db.prepare(`UPDATE fts_state SET indexed_through = ? WHERE id = 1`),
      pendingIds: db.prepare(`SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?`),
      ftsDelete: db.prepare(`INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', ?, ?)`),
      markIndexed: db.prepare(`INSERT OR IGNORE INTO messages_fts_indexed(id) VALUES (?)`),
      isIndexed: db.prepare(`SELECT 1 FROM messages_fts_indexed WHERE id = ?`),
      listAsc: db.prepare(`SELECT * FROM messages WHERE session_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`),
      recent: db.prepare(`SELECT * FROM messages WHERE session_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM messages WHERE session_id = ?`),
      deleteFrom: db.prepare(`DELETE FROM messages WHERE session_id = ? AND id >= ?`),
      streaming: db.prepare(`SELECT id, owner_pid, owner_instance FROM messages WHERE status = 'streaming'`),
      // Ranking is bounded: only the newest SEARCH_WINDOW matches (a descending rowid walk, which stops early)
      // are ranked (BM25 in JS, search-rank.ts), so a common prefix matching most of a million messages costs little.
      searchWindow: db.prepare(SEARCH_WINDOW_SQL).pluck(),
      windowTexts: db.prepare(WINDOW_TEXTS_SQL),
      touchSession: db.prepare(`UPDATE sessions SET updated_at = ? WHERE id = ?`),
    };
    this.insertTx = db.transaction((msg: NewMessage, status: MessageStatus, now: number): number => {
      const owner = status === 'streaming' ? process.pid : null;
      const info = this.stmts.insert.run(
        msg.sessionId,
        msg.role,
        msg.content,
        status,
        msg.model ?? null,
        owner,
        owner === null ? null : formatIdentity(selfIdentity()),
        now,
        now,
      );
      // A session's last activity moves with its user turns and finished replies, not every insert.
      if (msg.role === 'user' || status !== 'streaming') this.stmts.touchSession.run(now, msg.sessionId);
      return Number(info.lastInsertRowid);
    });
  }

  /**
   * Two statements in one transaction; search indexing happens later in batches (`indexPending`),
   * which keeps a write as cheap as a plain insert.
   */
  insert(msg: NewMessage): MessageRecord {
    const now = this.clock.now();
    const status = msg.status ?? 'complete';
    const id = this.insertTx(msg, status, now);
    // A new row has no chunks: its first append (a reply's first token) need not ask for the last one.
    if (status === 'streaming') this.nextChunk.set(id, 0);
    this.scheduleIndex();
    return {
      id,
      sessionId: msg.sessionId,
      role: msg.role,
      content: msg.content,
      status,
      model: msg.model ?? null,
      error: null,
      toolsUsed: [],
      tokens: 0,
      createdAt: now,
      updatedAt: now,
      provider: null,
      ttftMs: null,
      tokensPerSecond: null,
    };
  }

  private readonly insertTx: (msg: NewMessage, status: MessageStatus, now: number) => number;

  private indexTimer: NodeJS.Timeout | null = null;
  private indexRetryMs = 0;

  /**
   * Indexes soon after a burst of writes, off the write path, in slices of a few milliseconds: thousands of
   * rows waiting (a store grown by a restore or by another process) must not freeze chat writes, which share
   * this thread and connection. A search indexes everything first anyway.
   */
  private scheduleIndex(delayMs = 250): void {
    if (this.indexTimer) {
      // A write just succeeded while a retry waits out its back-off: there is room again, index soon.
      if (this.indexRetryMs === 0 || delayMs >= this.indexRetryMs) return;
      clearTimeout(this.indexTimer);
      this.indexTimer = null;
    }
    this.indexTimer = setTimeout(() => {
      this.indexTimer = null;
      if (!this.db.open) return;
      let more: boolean;
      try {
        this.finishUnrecovered();
        const r = this.indexPending(INDEX_SLICE_MS);
        more = r.more;
        if (this.indexRetryMs > 0 || r.indexed > 0) this.hooks.onWriteOk?.('search index');
        this.indexRetryMs = 0;
      } catch (err) {
        // An exception here would end the process. A full disk is waited out instead: the pass rolled
        // back, and it is tried again, less often the longer it fails, until the rows are indexed.
        this.indexRetryMs = Math.min(INDEX_RETRY_MAX_MS, Math.max(INDEX_RETRY_MIN_MS, this.indexRetryMs * 2));
        this.hooks.onWriteError?.(err, 'search index');
        this.scheduleIndex(this.indexRetryMs);
        return;
      }
      if (more) this.scheduleIndex(0);
    }, delayMs);
    this.indexTimer.unref();
  }

  /**
   * Adds final messages written since the last run to the search index, oldest first, until none are left or
   * `budgetMs` has passed (checked after each row, so a slice overruns by at most one message).
   */
  indexPending(budgetMs = Infinity): { indexed: number; more: boolean } {
    const deadline = performance.now() + budgetMs;
    let indexed = 0;
    for (;;) {
      const r = this.db.transaction(() => {
        const from = (this.stmts.indexedThrough.get() as { n: number }).n;
        // Ids first and texts one at a time: a batch of long messages never sits in memory at once.
        const ids = this.stmts.pendingIds.all(from, INDEX_BATCH) as Array<{ id: number }>;
        let through = from;
        let passed = 0;
        for (const { id } of ids) {
          const row = this.stmts.get.get(id) as MessageRow | undefined;
          if (row && row.status !== 'streaming') this.index(id, row.content);
          through = id;
          passed++;
          if (performance.now() >= deadline) break;
        }
        if (passed) this.stmts.setIndexedThrough.run(through);
        // More wait when the batch was full or the deadline cut it short.
        return { passed, more: ids.length === INDEX_BATCH || passed < ids.length };
      })();
      indexed += r.passed;
      if (!r.more) return { indexed, more: false };
      if (performance.now() >= deadline) return { indexed, more: true };
    }
  }

  /** Cuts a streaming reply back to its first `length` characters (a retracted tool-round preamble). */
  truncate(id: number, length: number): void {
    // Sliced in JS: offsets are UTF-16 lengths, which SQLite's substr() does not count in.
    this.db.transaction(() => {
      const row = this.stmts.get.get(id) as MessageRow | undefined;
      if (row) this.fold(row, this.fullText(row).slice(0, length));
    })();
  }

  /** Next chunk number per streaming message written by this process (found from the table when unknown). */
  private readonly nextChunk = new Map<number, number>();

  /**
   * Appends streamed text as one chunk row: a short insert whose cost does not grow with the reply (rewriting
   * `content` would copy the whole reply on every token), so every token shown is already on disk.
   * Chunks are folded into `content` when the reply ends or is cut (`finish`, `truncate`).
   */
  append(id: number, text: string): void {
    let seq = this.nextChunk.get(id);
    if (seq === undefined) seq = ((this.stmts.lastChunk.get(id) as { n: number | null }).n ?? -1) + 1;
    this.stmts.appendChunk.run(id, seq, text);
    this.nextChunk.set(id, seq + 1);
  }

  /** A row's full text: its content plus any chunks not yet folded in (only streaming rows have them). */
  private fullText(r: MessageRow): string {
    if (r.status !== 'streaming') return r.content;
    const chunks = this.stmts.chunks.all(r.id) as string[];
    return chunks.length ? r.content + chunks.join('') : r.content;
  }

  /** Moves a message's chunks into its content (inside the caller's transaction); returns the full text. */
  private fold(row: MessageRow, content = this.fullText(row)): string {
    this.nextChunk.delete(row.id);
    const chunks = this.stmts.dropChunks.run(row.id).changes;
    if (chunks > 0 || content !== row.content) this.stmts.setContentOnly.run(content, this.clock.now(), row.id);
    return content;
  }

  private withText = (r: MessageRow): MessageRecord =>
    toRecord(r.status === 'streaming' ? { ...r, content: this.fullText(r) } : r);

  finish(
    id: number,
    status: Exclude<MessageStatus, 'streaming'>,
    extra: {
      error?: string | null;
      /** `error` as a message id, kept as JSON so the UI words it in its language after a reload. */
      errorText?: EngineText | null;
      tokens?: number;
      toolsUsed?: string[];
    } & Partial<ReplyFigures> = {},
  ): MessageRecord {
    this.db.transaction(() => {
      const now = this.clock.now();
      const before = this.stmts.get.get(id) as MessageRow | undefined;
      if (before?.status === 'streaming') this.fold(before);
      this.stmts.finish.run(
        status,
        extra.error ?? null,
        extra.errorText ? JSON.stringify(extra.errorText) : null,
        extra.tokens ?? 0,
        JSON.stringify(extra.toolsUsed ?? []),
        extra.ttftMs ?? null,
        extra.tokensPerSecond ?? null,
        this.clock.now(),
        id,
      );
      const row = this.stmts.get.get(id) as MessageRow | undefined;
      if (row) {
        this.index(id, row.content);
        this.stmts.touchSession.run(now, row.session_id);
      }
    })();
    return this.get(id)!;
  }

  /** Rewrites a message's text (edit-and-resend), keeping the search index in step. */
  setContent(id: number, content: string): void {
    this.db.transaction(() => {
      const row = this.stmts.get.get(id) as MessageRow | undefined;
      if (!row) return;
      if (this.stmts.isIndexed.get(id)) this.stmts.ftsDelete.run(id, row.content);
      this.nextChunk.delete(id);
      this.stmts.dropChunks.run(id);
      this.stmts.setContent.run(content, this.clock.now(), id);
      this.stmts.ftsInsert.run(id, content);
      this.stmts.markIndexed.run(id);
    })();
  }

  private index(id: number, content: string): void {
    // Streaming rows are indexed when they finish, possibly before or after the batch passes them.
    if (this.stmts.markIndexedNew.run(id).changes === 0) return;
    this.stmts.ftsInsert.run(id, content);
  }

  get(id: number): MessageRecord | null {
    const row = this.stmts.get.get(id) as MessageRow | undefined;
    return row ? this.withText(row) : null;
  }

  list(sessionId: string, limit = 100, offset = 0): MessageRecord[] {
    return (this.stmts.listAsc.all(sessionId, limit, offset) as MessageRow[]).map(this.withText);
  }

  /** The newest `limit` messages, oldest first (what a chat view and the model's history need). */
  recent(sessionId: string, limit: number): MessageRecord[] {
    return (this.stmts.recent.all(sessionId, limit) as MessageRow[]).map(this.withText).reverse();
  }

  count(sessionId: string): number {
    return (this.stmts.count.get(sessionId) as { n: number }).n;
  }

  /** Drops a message and everything after it in its session (regenerate, edit-and-resend). */
  deleteFrom(sessionId: string, id: number): number {
    return this.stmts.deleteFrom.run(sessionId, id).changes;
  }

  search(text: string, limit = 30): SearchHit[] {
    const q = toFtsQuery(text);
    if (!q) return [];
    this.indexPending();
    const window = this.stmts.searchWindow.all(q, SEARCH_WINDOW) as number[];
    const docs = this.stmts.windowTexts.all(JSON.stringify(window)) as WindowDoc[];
    return this.ranked(docs, text, limit);
  }

  /**
   * `search`, with the matching and ranking done by `reader` on its own thread and connection
   * (search-reader.ts): only the pending index batch runs here.
   */
  async searchVia(reader: SearchReader, text: string, limit = 30): Promise<SearchHit[]> {
    const q = toFtsQuery(text);
    if (!q) return [];
    this.indexPending();
    return reader.search(q, text, SEARCH_WINDOW, limit);
  }

  private ranked(docs: WindowDoc[], text: string, limit: number): SearchHit[] {
    const byId = new Map(docs.map((d) => [d.id, d]));
    return rankWindow(docs, text, limit).map((id) => {
      const r = byId.get(id)!;
      return {
        messageId: r.id,
        sessionId: r.session_id,
        sessionTitle: r.title,
        role: r.role,
        snippet: makeSnippet(r.content, text),
        createdAt: r.created_at,
      };
    });
  }

  /**
   * Replies left `streaming` by a process that no longer runs (killed, crashed, power cut) become
   * `interrupted`, with their text kept. Rows owned by a live process (a running app beside this CLI) stay.
   */
  recoverInterrupted(): number {
    const rows = this.stmts.streaming.all() as Array<{
      id: number;
      owner_pid: number | null;
      owner_instance: string | null;
    }>;
    const me = formatIdentity(selfIdentity());
    for (const r of rows) {
      if (r.owner_instance !== me && ownerAlive(r)) continue;
      this.unrecovered.push(r.id);
    }
    const found = this.unrecovered.length;
    try {
      this.finishUnrecovered();
    } catch (err) {
      // A full disk must not stop the app from opening: the rest stay `streaming`, text intact, and the
      // background pass marks them once there is room.
      if (!isDiskFull(err)) throw err;
      this.hooks.onWriteError?.(err, 'interrupted replies');
      this.indexRetryMs = INDEX_RETRY_MIN_MS;
      this.scheduleIndex(INDEX_RETRY_MIN_MS);
    }
    return found - this.unrecovered.length;
  }

  /** Stale replies found at open that a full disk kept from being marked. */
  private readonly unrecovered: number[] = [];

  private finishUnrecovered(): void {
    for (let id = this.unrecovered[0]; id !== undefined; id = this.unrecovered[0]) {
      this.finish(id, 'interrupted', { error: 'The app stopped before this reply finished.' });
      this.unrecovered.shift();
    }
  }
}
