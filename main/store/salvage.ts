import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../core/clock';
import { openDatabase } from './database';
import { MessagesRepository } from './messages-repository';
import { checkHeader, headerPageSize } from './store-check';

/** What salvage kept and lost of one table. */
interface SalvagedTable {
  table: string;
  kept: number;
  /** Rows the damaged file said it had, when it could still count them (an intact index can); else null. */
  expected: number | null;
  /** expected − kept when expected is known; else the rows known to be skipped (at least this many). */
  lost: number | null;
  /** The table's first page could not be read: nothing of it was kept. */
  unreadable: boolean;
}

export interface SalvageReport {
  tables: SalvagedTable[];
  /** The damaged header was rewritten on a scratch copy so the rest of the file could be read. */
  headerRepaired: boolean;
  ms: number;
}

/** Tables holding the user's data, in an order that lets foreign keys be put right afterwards. */
const TABLES = [
  'sessions',
  'messages',
  'message_chunks',
  'message_tools',
  'answer_versions',
  'aq_cache',
  'import_files',
  'import_sites',
  'import_readings',
  'metrics_hourly',
  'documents',
  'document_chunks',
] as const;

const BATCH = 256;

const isReadError = (err: unknown): boolean => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|IOERR|ERROR|RANGE|FORMAT|SCHEMA)/.test(code);
};

/**
 * Builds a fresh 100-byte header for a file whose own header is garbage. Page 1's b-tree (the schema) starts
 * at byte 100 and is untouched by a damaged header, so with a plausible header the rest of the file reads.
 */
function repairHeader(file: string, pageSize: number, wal: boolean): void {
  const size = fs.statSync(file).size;
  const h = Buffer.alloc(100);
  h.write('SQLite format 3\0', 0, 'latin1');
  h.writeUInt16BE(pageSize === 65536 ? 1 : pageSize, 16);
  // WAL mode when the WAL came along: SQLite then replays its committed frames (the newest writes, often
  // page 1 itself with the real header) on open. Its frames are checked against the WAL's own header.
  h[18] = wal ? 2 : 1;
  h[19] = wal ? 2 : 1;
  h[20] = 0;
  h[21] = 64;
  h[22] = 32;
  h[23] = 32;
  h.writeUInt32BE(1, 24); // change counter
  h.writeUInt32BE(Math.floor(size / pageSize), 28); // pages in the file
  h.writeUInt32BE(1, 40); // schema cookie
  h.writeUInt32BE(4, 44); // schema format
  h.writeUInt32BE(1, 56); // UTF-8
  h.writeUInt32BE(1, 92);
  h.writeUInt32BE(3046000, 96);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, h, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
}

/** The page size of a file whose header cannot be trusted: the header's when sane, else SQLite's default. */
function guessPageSize(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const h = Buffer.alloc(100);
    fs.readSync(fd, h, 0, 100, 0);
    return headerPageSize(h) ?? 4096;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Copies every row that can still be read from the damaged store `source` into a new store at `dest`, made by
 * our migrations. The damaged file is never written: it is copied (with its WAL) to a scratch file first.
 * Tables are read in rowid order in small batches; when a batch hits an unreadable page, the reader jumps
 * ahead (doubling the jump) to the next readable rowid and narrows the gap back down, so one bad page costs
 * the rows on that page, not the rest of the table. The search index is rebuilt from the kept messages.
 */
export function salvageStore(source: string, dest: string, clock: Clock): SalvageReport {
  const started = performance.now();
  if (fs.existsSync(dest)) throw new Error(`Salvage target ${dest} already exists.`);
  const scratchDir = fs.mkdtempSync(path.join(path.dirname(dest), '.salvage-src-'));
  const scratch = path.join(scratchDir, 'damaged.db');
  let headerRepaired = false;
  try {
    if (fs.existsSync(source) && fs.statSync(source).size > 0) {
      fs.copyFileSync(source, scratch);
      if (fs.existsSync(`${source}-wal`)) fs.copyFileSync(`${source}-wal`, `${scratch}-wal`);
      const header = checkHeader(scratch);
      if (!header.ok) {
        repairHeader(scratch, guessPageSize(scratch), fs.existsSync(`${scratch}-wal`));
        headerRepaired = true;
      }
    }
    const target = openDatabase(dest);
    let src: Database.Database | null = null;
    try {
      try {
        if (fs.existsSync(scratch)) src = new Database(scratch, { fileMustExist: true });
      } catch {
        src = null;
      }
      target.pragma('foreign_keys = OFF');
      const tables = TABLES.map((t) => copyTable(src, target, t));
      putForeignKeysRight(target, clock);
      target.pragma('foreign_keys = ON');
      new MessagesRepository(target, clock).indexPending();
      return { tables, headerRepaired, ms: Math.round(performance.now() - started) };
    } finally {
      src?.close();
      target.close();
    }
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

/** WITHOUT ROWID tables are read in primary-key order instead of rowid order. */
function keyOf(db: Database.Database, table: string): string[] {
  const info = db.prepare(`SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as {
    name: string;
  }[];
  const withoutRowid = /WITHOUT\s+ROWID/i.test(
    (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string })
      ?.sql ?? '',
  );
  return withoutRowid ? info.map((r) => r.name) : ['rowid'];
}

function copyTable(src: Database.Database | null, target: Database.Database, table: string): SalvagedTable {
  const result: SalvagedTable = { table, kept: 0, expected: null, lost: null, unreadable: false };
  if (!src) return { ...result, unreadable: true };
  let srcCols: string[];
  try {
    srcCols = columnsOf(src, table);
  } catch {
    return { ...result, unreadable: true };
  }
  if (!srcCols.length) return result; // an older store without this table
  const targetCols = new Set(columnsOf(target, table));
  const cols = srcCols.filter((c) => targetCols.has(c));
  const key = keyOf(src, table);
  try {
    result.expected = (src.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } catch {
    result.expected = null;
  }
  const quoted = cols.map((c) => `"${c}"`).join(', ');
  const insert = target.prepare(
    `INSERT OR IGNORE INTO "${table}" (${quoted}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  // Fixed table names from TABLES; targets built from the store's own schema.
  const skipped =
    key[0] === 'rowid'
      ? copyByRowid(src, table, quoted, cols, insert, result)
      : copyByKey(src, table, quoted, key, cols, insert, result);
  result.lost = result.expected !== null ? Math.max(0, result.expected - result.kept) : skipped > 0 ? skipped : 0;
  return result;
}

function copyByRowid(
  src: Database.Database,
  table: string,
  quoted: string,
  cols: string[],
  insert: Database.Statement,
  result: SalvagedTable,
): number {
  const read = src.prepare(
    `SELECT rowid AS __r, ${quoted} FROM "${table}" WHERE rowid >= ? ORDER BY rowid LIMIT ${BATCH}`,
  );
  const probe = src.prepare(`SELECT rowid AS r FROM "${table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1`);
  const canRead = (from: number): boolean => {
    try {
      probe.get(from);
      return true;
    } catch (err) {
      if (!isReadError(err)) throw err;
      return false;
    }
  };
  let maxRowid = Number.MAX_SAFE_INTEGER;
  try {
    maxRowid = (src.prepare(`SELECT MAX(rowid) AS m FROM "${table}"`).get() as { m: number | null }).m ?? 0;
  } catch {
    // The last page is damaged too: jumps run until a read succeeds or the rowid space ends.
  }
  // Our rowids are positive (AUTOINCREMENT or implicit): 0 is below every row.
  let next = 0;
  let skipped = 0;
  while (next <= maxRowid) {
    // Row by row within the batch: rows before an unreadable page are kept, and the jump starts right after them.
    const rows: Record<string, unknown>[] = [];
    let failed = false;
    try {
      for (const row of read.iterate(next)) rows.push(row as Record<string, unknown>);
    } catch (err) {
      if (!isReadError(err)) throw err;
      failed = true;
    }
    if (rows.length) {
      insertAll(insert, rows, cols, result);
      next = (rows[rows.length - 1]!.__r as number) + 1;
    }
    if (failed) {
      // Skip ahead (doubling) to some readable start, then narrow back to the smallest readable one.
      let bad = next;
      let step = 1;
      let good: number | null = null;
      while (bad + step <= Math.min(maxRowid, Number.MAX_SAFE_INTEGER / 2)) {
        if (canRead(bad + step)) {
          good = bad + step;
          break;
        }
        bad += step;
        step *= 2;
      }
      if (good === null) {
        if (result.kept === 0) result.unreadable = true;
        return skipped + (maxRowid < Number.MAX_SAFE_INTEGER ? Math.max(0, maxRowid - next + 1) : 0);
      }
      let lo = bad;
      let hi = good;
      while (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (canRead(mid)) hi = mid;
        else lo = mid;
      }
      skipped += hi - next;
      next = hi;
      continue;
    }
    if (rows.length < BATCH) break;
  }
  return skipped;
}

function copyByKey(
  src: Database.Database,
  table: string,
  quoted: string,
  key: string[],
  cols: string[],
  insert: Database.Statement,
  result: SalvagedTable,
): number {
  // No rowid to jump by: rows are streamed in key order until the first unreadable page; the rest of the
  // table after it is skipped (these are caches, metrics and imported readings, which can be imported again).
  const order = key.map((k) => `"${k}"`).join(', ');
  try {
    const rows: Record<string, unknown>[] = [];
    for (const row of src.prepare(`SELECT ${quoted} FROM "${table}" ORDER BY ${order}`).iterate()) {
      rows.push(row as Record<string, unknown>);
      if (rows.length >= BATCH) insertAll(insert, rows.splice(0), cols, result);
    }
    insertAll(insert, rows, cols, result);
  } catch (err) {
    if (!isReadError(err)) throw err;
    if (result.kept === 0) result.unreadable = true;
  }
  return 0;
}

function insertAll(insert: Database.Statement, rows: Record<string, unknown>[], cols: string[], result: SalvagedTable) {
  if (!rows.length) return;
  insert.database.transaction(() => {
    for (const row of rows) result.kept += insert.run(...cols.map((c) => row[c])).changes;
  })();
}

/**
 * Messages whose conversation was on a lost page get a conversation of their own again (so they show);
 * tool activity whose message was lost goes (it has nothing to attach to).
 */
function putForeignKeysRight(db: Database.Database, clock: Clock): void {
  db.prepare(
    `INSERT INTO sessions (id, title, style, created_at, updated_at)
     SELECT session_id, 'Recovered conversation', 'general', MIN(created_at), MAX(updated_at)
     FROM messages WHERE session_id NOT IN (SELECT id FROM sessions) GROUP BY session_id`,
  ).run();
  db.prepare(`DELETE FROM message_tools WHERE message_id NOT IN (SELECT id FROM messages)`).run();
  db.prepare(`DELETE FROM answer_versions WHERE question_id NOT IN (SELECT id FROM messages)`).run();
  // A document whose conversation was lost is kept, shared; chunks of a lost document go (with their FTS rows).
  db.prepare(`UPDATE documents SET session_id = NULL WHERE session_id NOT IN (SELECT id FROM sessions)`).run();
  db.prepare(`DELETE FROM document_chunks WHERE doc_id NOT IN (SELECT id FROM documents)`).run();
  // A reply that was streaming when the store broke will never finish: its streamed chunks join its text.
  db.prepare(`DELETE FROM message_chunks WHERE message_id NOT IN (SELECT id FROM messages)`).run();
  db.prepare(
    `UPDATE messages SET content = content || coalesce((SELECT group_concat(text, '') FROM
       (SELECT text FROM message_chunks c WHERE c.message_id = messages.id ORDER BY seq)), '')
     WHERE status = 'streaming'`,
  ).run();
  db.prepare(`DELETE FROM message_chunks`).run();
  db.prepare(`UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'`).run(clock.now());
}
