import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { Db } from './database';
import type { SessionRecord } from './types';

interface SessionRow {
  id: string;
  title: string;
  model: string | null;
  style: string;
  created_at: number;
  updated_at: number;
  message_count: number;
}

const toRecord = (r: SessionRow): SessionRecord => ({
  id: r.id,
  title: r.title,
  model: r.model,
  style: r.style,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  messageCount: r.message_count,
});

const SELECT = `SELECT s.*, (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count FROM sessions s`;

export class SessionsRepository {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO sessions (id, title, model, style, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare(`${SELECT} WHERE s.id = ?`),
      list: db.prepare(`${SELECT} ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM sessions`),
      touch: db.prepare(`UPDATE sessions SET updated_at = ? WHERE id = ?`),
      rename: db.prepare(`UPDATE sessions SET title = ?, updated_at = ? WHERE id = ?`),
      setModel: db.prepare(`UPDATE sessions SET model = ? WHERE id = ?`),
      setStyle: db.prepare(`UPDATE sessions SET style = ? WHERE id = ?`),
      delete: db.prepare(`DELETE FROM sessions WHERE id = ?`),
      olderThan: db.prepare(`SELECT id FROM sessions WHERE updated_at < ?`),
    };
  }

  create(input: { id?: string; title?: string; model?: string | null; style?: string } = {}): SessionRecord {
    const now = this.clock.now();
    const id = input.id ?? randomUUID();
    this.stmts.insert.run(id, input.title ?? '', input.model ?? null, input.style ?? 'general', now, now);
    return this.get(id)!;
  }

  get(id: string): SessionRecord | null {
    const row = this.stmts.get.get(id) as SessionRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(limit = 50, offset = 0): { sessions: SessionRecord[]; total: number } {
    const rows = this.stmts.list.all(limit, offset) as SessionRow[];
    const total = (this.stmts.count.get() as { n: number }).n;
    return { sessions: rows.map(toRecord), total };
  }

  touch(id: string): void {
    this.stmts.touch.run(this.clock.now(), id);
  }

  rename(id: string, title: string): boolean {
    return this.stmts.rename.run(title, this.clock.now(), id).changes > 0;
  }

  setModel(id: string, model: string | null): void {
    this.stmts.setModel.run(model, id);
  }

  setStyle(id: string, style: string): void {
    this.stmts.setStyle.run(style, id);
  }

  delete(id: string): boolean {
    return this.stmts.delete.run(id).changes > 0;
  }

  idsNotUpdatedSince(cutoff: number): string[] {
    return (this.stmts.olderThan.all(cutoff) as { id: string }[]).map((r) => r.id);
  }
}
