import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Clock } from '../../main/core/clock';
import { openStore } from '../../main/store/store';

/**
 * A store with `sessions` conversations of `perSession` messages each, written through the repositories
 * (so the search index is built as the app builds it), then closed and checkpointed into the main file.
 */
export function buildStore(file: string, clock: Clock, sessions: number, perSession: number): void {
  const store = openStore(file, clock);
  try {
    store.db.transaction(() => {
      for (let s = 0; s < sessions; s++) {
        const { id } = store.sessions.create({ title: `Field visit ${s}` });
        for (let m = 0; m < perSession; m++) {
          store.messages.insert({
            sessionId: id,
            role: m % 2 ? 'assistant' : 'user',
            content: `Visit ${s} note ${m}: PM2.5 near the market was ${20 + ((s * 7 + m) % 90)} µg/m³ at noon.`,
          });
        }
      }
    })();
    store.messages.indexPending();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
}

/** Overwrites `length` bytes at `offset` with random bytes, for real, on disk. */
export function overwriteBytes(file: string, offset: number, length: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, crypto.randomBytes(length), 0, length, offset);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The leaf pages of `table` (1-based page numbers), read from SQLite's dbstat before the damage is done. */
export function leafPagesOf(file: string, table: string): number[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare(`SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno`).all(table) as {
        pageno: number;
      }[]
    ).map((r) => r.pageno);
  } finally {
    db.close();
  }
}

/** Random bytes over one whole page (1-based), as a failing disk sector would leave it. */
export function corruptPage(file: string, page: number, pageSize = 4096): void {
  overwriteBytes(file, (page - 1) * pageSize, pageSize);
}
