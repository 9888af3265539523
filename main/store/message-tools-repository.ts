import type { Clock } from '../core/clock';
import type { Db } from './database';
import type { ToolActivityDto as ToolActivity } from '../../preload/contract/airquality';

interface Row {
  message_id: number;
  seq: number;
  name: string;
  status: ToolActivity['status'];
  duration_ms: number | null;
  detail: string;
}

type Detail = Omit<ToolActivity, 'seq' | 'name' | 'status' | 'durationMs'>;

const EMPTY: Detail = { label: null, sources: [], cached: false, stale: false, summary: null, aqi: null, chart: null };

/** Tool activity per assistant message (`message_tools`); rows go with their message (ON DELETE CASCADE). */
export class MessageToolsRepository {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO message_tools (message_id, seq, name, status, duration_ms, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare(
        `UPDATE message_tools SET status = ?, duration_ms = ?, detail = ? WHERE message_id = ? AND seq = ?`,
      ),
      forMessage: db.prepare(`SELECT * FROM message_tools WHERE message_id = ? ORDER BY seq`),
      clear: db.prepare(`DELETE FROM message_tools WHERE message_id = ?`),
    };
  }

  /** Records one tool activity (running or finished); writing the same seq again replaces it. */
  put(messageId: number, a: ToolActivity): void {
    const { seq, name, status, durationMs, ...rest } = a;
    const detail = JSON.stringify(rest);
    const changed = this.stmts.update.run(status, durationMs, detail, messageId, seq).changes;
    if (changed === 0) this.stmts.insert.run(messageId, seq, name, status, durationMs, detail, this.clock.now());
  }

  clear(messageId: number): void {
    this.stmts.clear.run(messageId);
  }

  list(messageId: number): ToolActivity[] {
    return (this.stmts.forMessage.all(messageId) as Row[]).map(toActivity);
  }

  /** Activity for many messages at once (a page of a conversation). */
  forMessages(ids: number[]): Map<number, ToolActivity[]> {
    const out = new Map<number, ToolActivity[]>();
    if (ids.length === 0) return out;
    // Chunked: SQLite caps the number of bound parameters.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT * FROM message_tools WHERE message_id IN (${chunk.map(() => '?').join(',')}) ORDER BY message_id, seq`,
        )
        .all(...chunk) as Row[];
      for (const r of rows) {
        const list = out.get(r.message_id) ?? [];
        list.push(toActivity(r));
        out.set(r.message_id, list);
      }
    }
    return out;
  }
}

function toActivity(r: Row): ToolActivity {
  let detail: Detail = EMPTY;
  try {
    detail = { ...EMPTY, ...(JSON.parse(r.detail) as Partial<Detail>) };
  } catch {
    // a damaged row still shows its name and status
  }
  return { seq: r.seq, name: r.name, status: r.status, durationMs: r.duration_ms, ...detail };
}
