import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../core/errors';
import type { LegacyImportReportDto } from '../../preload/contract';
import type { Store } from './store';

/** What `aeris import-legacy` reports: rows added, and rows left out (already here, or unusable). */
type LegacyImportReport = LegacyImportReportDto;

interface LegacySession {
  id: string | null;
  created_at: string | null;
  updated_at: string | null;
}
interface LegacyMessage {
  id: number;
  session_id: string | null;
  role: string | null;
  content: string | null;
  timestamp: string | null;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROLES = new Set(['user', 'assistant', 'system']);

/**
 * SQLAlchemy writes `DateTime` columns to SQLite as `YYYY-MM-DD HH:MM:SS[.ffffff]`, from `datetime.utcnow()`:
 * naive UTC. Milliseconds are kept; microseconds are dropped.
 */
function parseLegacyTime(text: string | null): number | null {
  if (!text) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(text.trim());
  if (!m) return null;
  const ms = m[7] ? Number(m[7].padEnd(6, '0').slice(0, 3)) : 0;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  return Number.isFinite(t) ? t : null;
}

function titleFrom(messages: LegacyMessage[]): string {
  const first =
    messages
      .find((m) => m.role === 'user')
      ?.content?.trim()
      .split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 57)}…` : first;
}

/**
 * Opens the original server's database read-only and checks it has its `chat_sessions` and `chat_messages`
 * tables; the caller closes it. Throws not_found, or bad_request in words for any other file.
 */
export function openLegacyDatabase(file: string): Database.Database {
  if (!fs.existsSync(file)) {
    throw new AppError('not_found', `No such file: ${file}`, {}, engineMessage('error.legacyNoFile', { file }));
  }
  let legacy: Database.Database;
  try {
    legacy = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new AppError(
      'bad_request',
      `${file} is not an SQLite database: ${(err as Error).message}`,
      {},
      engineMessage('error.legacyNotSqlite', { file, error: (err as Error).message }),
    );
  }
  try {
    let tables: Set<string>;
    try {
      tables = new Set(
        (legacy.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
          (t) => t.name,
        ),
      );
    } catch (err) {
      // SQLite opens any file lazily: a file of other bytes fails here, at its first read.
      throw new AppError(
        'bad_request',
        `${file} is not an SQLite database: ${(err as Error).message}`,
        {},
        engineMessage('error.legacyNotSqlite', { file, error: (err as Error).message }),
      );
    }
    if (!tables.has('chat_sessions') || !tables.has('chat_messages')) {
      throw new AppError(
        'bad_request',
        `${file} has no chat_sessions and chat_messages tables: it is not an AERIS-AQ server database.`,
        {},
        engineMessage('error.legacyNoTables', { file }),
      );
    }
    return legacy;
  } catch (err) {
    legacy.close();
    throw err;
  }
}

/**
 * Imports the original server's database (`chat_sessions`, `chat_messages`) into the store: sessions keep
 * their ids and times, messages their order and timestamps. A session already here gets only the messages it
 * lacks (same role, time and text), so a second run adds nothing. One transaction: all or nothing.
 */
export function importLegacyDatabase(store: Store, file: string, now: number): LegacyImportReport {
  const legacy = openLegacyDatabase(file);
  try {
    const sessions = legacy.prepare(`SELECT id, created_at, updated_at FROM chat_sessions`).all() as LegacySession[];
    const messages = legacy
      .prepare(`SELECT id, session_id, role, content, timestamp FROM chat_messages ORDER BY timestamp, id`)
      .all() as LegacyMessage[];
    const bySession = new Map<string, LegacyMessage[]>();
    for (const m of messages) {
      const list = bySession.get(m.session_id ?? '') ?? [];
      list.push(m);
      bySession.set(m.session_id ?? '', list);
    }

    const report: LegacyImportReport = { sessions: 0, messages: 0, skipped: 0, reasons: {} };
    const skip = (reason: string, text: EngineText, n = 1): void => {
      if (n <= 0) return;
      report.skipped += n;
      report.reasons[reason] = (report.reasons[reason] ?? 0) + n;
      (report.reasonTexts ??= {})[reason] = text;
    };
    const db = store.db;
    const insertSession = db.prepare(
      `INSERT INTO sessions (id, title, model, style, created_at, updated_at) VALUES (?, ?, NULL, 'general', ?, ?)`,
    );
    const hasSession = db.prepare(`SELECT 1 FROM sessions WHERE id = ?`);
    const hasMessage = db.prepare(
      `SELECT 1 FROM messages WHERE session_id = ? AND role = ? AND created_at = ? AND content = ?`,
    );
    const insertMessage = db.prepare(
      `INSERT INTO messages (session_id, role, content, status, created_at, updated_at) VALUES (?, ?, ?, 'complete', ?, ?)`,
    );

    db.transaction(() => {
      const known = new Set<string>();
      for (const s of sessions) {
        const own = bySession.get(s.id ?? '') ?? [];
        known.add(s.id ?? '');
        if (!s.id || !SESSION_ID.test(s.id)) {
          skip('session id this app cannot address', engineMessage('legacy.sessionIdUnusable', {}), 1 + own.length);
          continue;
        }
        const created = parseLegacyTime(s.created_at) ?? parseLegacyTime(own[0]?.timestamp ?? null) ?? now;
        const updated = parseLegacyTime(s.updated_at) ?? parseLegacyTime(own.at(-1)?.timestamp ?? null) ?? created;
        if (hasSession.get(s.id)) skip('session already imported', engineMessage('legacy.sessionAlreadyImported', {}));
        else {
          insertSession.run(s.id, titleFrom(own), created, updated);
          report.sessions++;
        }
        let last = created;
        for (const m of own) {
          if (!m.role || !ROLES.has(m.role)) {
            skip(`message role "${m.role ?? ''}"`, engineMessage('legacy.messageRole', { role: m.role ?? '' }));
            continue;
          }
          // A message without a time keeps its place after the one before it.
          const at = parseLegacyTime(m.timestamp) ?? last;
          last = at;
          const content = m.content ?? '';
          if (hasMessage.get(s.id, m.role, at, content)) {
            skip('message already imported', engineMessage('legacy.messageAlreadyImported', {}));
            continue;
          }
          insertMessage.run(s.id, m.role, content, at, at);
          report.messages++;
        }
      }
      for (const [sid, list] of bySession)
        if (!known.has(sid)) skip('message of no session', engineMessage('legacy.messageNoSession', {}), list.length);
    })();
    // Imported rows join the search index now rather than on the next chat write.
    store.messages.indexPending();
    return report;
  } finally {
    legacy.close();
  }
}
