import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { buildStore, corruptPage, leafPagesOf, overwriteBytes } from '../../test/helpers/damage-store';
import { salvageStore } from './salvage';
import { openStore } from './store';
import { checkStoreFile } from './store-check';
import { ManualClock } from '../../test/doubles/manual-clock';

const count = (file: string, table: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('salvageStore', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: ManualClock;
  let file: string;
  const SESSIONS = 60;
  const PER = 40;

  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock();
    file = path.join(tmp.dir, 'data', 'aeris_agent.db');
    buildStore(file, clock, SESSIONS, PER);
  });
  afterEach(() => tmp.cleanup());

  it('keeps every readable row around a page of random bytes, reports the loss exactly, and search works', () => {
    const leaves = leafPagesOf(file, 'messages');
    expect(leaves.length).toBeGreaterThan(20);
    corruptPage(file, leaves[Math.floor(leaves.length / 2)]!);
    expect(checkStoreFile(file).ok).toBe(false);
    const before = fs.readFileSync(file);

    const dest = path.join(tmp.dir, 'data', 'salvaged.db');
    const report = salvageStore(file, dest, clock);

    const messages = report.tables.find((t) => t.table === 'messages')!;
    const sessions = report.tables.find((t) => t.table === 'sessions')!;
    // One leaf page of ~2,400 rows: most rows survive, and what is reported is what the new store holds.
    expect(messages.kept).toBe(count(dest, 'messages'));
    expect(messages.kept).toBeGreaterThan(SESSIONS * PER * 0.9);
    expect(messages.kept).toBeLessThan(SESSIONS * PER);
    expect(messages.expected).toBe(SESSIONS * PER); // counted through the intact index
    expect(messages.kept + messages.lost!).toBe(SESSIONS * PER);
    expect(sessions.kept).toBe(SESSIONS);
    expect(sessions.lost).toBe(0);
    // The damaged file was only read.
    expect(fs.readFileSync(file).equals(before)).toBe(true);

    expect(checkStoreFile(dest).ok).toBe(true);
    const store = openStore(dest, clock);
    try {
      expect(store.sessions.list(1).total).toBe(SESSIONS);
      const hits = store.messages.search('market');
      expect(hits.length).toBeGreaterThan(0);
      expect(store.db.pragma('foreign_key_check')).toEqual([]);
      // The search index covers every kept message.
      expect((store.db.prepare(`SELECT COUNT(*) AS n FROM messages_fts_indexed`).get() as { n: number }).n).toBe(
        messages.kept,
      );
    } finally {
      store.close();
    }
  });

  it('reads a store whose header is garbage by giving a scratch copy a fresh header: nothing is lost', () => {
    overwriteBytes(file, 0, 100);
    const check = checkStoreFile(file);
    expect(check.ok).toBe(false);
    const dest = path.join(tmp.dir, 'data', 'salvaged.db');
    const report = salvageStore(file, dest, clock);
    expect(report.headerRepaired).toBe(true);
    expect(report.tables.find((t) => t.table === 'messages')).toMatchObject({ kept: SESSIONS * PER, lost: 0 });
    expect(count(dest, 'sessions')).toBe(SESSIONS);
  });

  it('garbage over the header of a store whose newest writes are still in its WAL: the WAL is replayed, nothing lost', () => {
    // As a killed app leaves it: rows committed to the WAL, not yet copied into the main file.
    const db = new Database(file);
    db.pragma('wal_autocheckpoint = 0');
    db.prepare(
      `INSERT INTO sessions (id, title, style, created_at, updated_at) VALUES ('late', 'Late one', 'general', 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO messages (session_id, role, content, created_at, updated_at) VALUES ('late', 'user', 'only in the WAL', 1, 1)`,
    ).run();
    // Copy the files as they are now, with the connection still open (closing would checkpoint the WAL).
    const killed = path.join(tmp.dir, 'killed');
    fs.mkdirSync(killed);
    const copy = path.join(killed, 'aeris_agent.db');
    fs.copyFileSync(file, copy);
    fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    db.close();
    expect(fs.statSync(`${copy}-wal`).size).toBeGreaterThan(0);
    overwriteBytes(copy, 0, 100);

    const dest = path.join(killed, 'salvaged.db');
    const report = salvageStore(copy, dest, clock);
    expect(report.headerRepaired).toBe(true);
    expect(report.tables.find((t) => t.table === 'messages')).toMatchObject({ kept: SESSIONS * PER + 1, lost: 0 });
    const store = openStore(dest, clock);
    try {
      expect(store.messages.search('only in the WAL').length).toBe(1);
    } finally {
      store.close();
    }
  });

  it('keeps attached documents with their chunks, searchable again (FTS rebuilt from the copied rows)', () => {
    const db = new Database(file);
    const sid = (db.prepare('SELECT id FROM sessions LIMIT 1').get() as { id: string }).id;
    const doc = db
      .prepare(
        `INSERT INTO documents (session_id, name, kind, size_bytes, sha256, pages, chunks, created_at)
         VALUES (?, 'annual-report.pdf', 'pdf', 10, 'x', 2, 2, 0)`,
      )
      .run(sid).lastInsertRowid;
    const add = db.prepare(
      'INSERT INTO document_chunks (doc_id, seq, page, label, text, vector) VALUES (?, ?, ?, ?, ?, ?)',
    );
    add.run(doc, 0, 1, 'p. 1', 'harmattan dust in January', Buffer.alloc(16));
    add.run(doc, 1, 2, 'p. 2', 'annual mean of 48', null);
    db.close();
    const dest = path.join(tmp.dir, 'data', 'salvaged.db');
    const report = salvageStore(file, dest, clock);
    expect(report.tables.find((t) => t.table === 'document_chunks')).toMatchObject({ kept: 2, lost: 0 });
    const store = openStore(dest, clock);
    try {
      const hits = store.db
        .prepare(
          `SELECT c.label FROM document_chunks_fts f JOIN document_chunks c ON c.id = f.rowid WHERE document_chunks_fts MATCH 'harmattan'`,
        )
        .all();
      expect(hits).toEqual([{ label: 'p. 1' }]);
      expect(
        store.db.prepare('SELECT session_id AS s, COUNT(vector) AS v FROM documents, document_chunks').get(),
      ).toEqual({ s: sid, v: 1 });
    } finally {
      store.close();
    }
  });

  it('gives messages whose conversation was lost a conversation again, so they still show', () => {
    // Enough conversations to span several pages of the sessions table.
    const db = new Database(file);
    db.prepare(`UPDATE sessions SET title = ? `).run('x'.repeat(900));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const leaves = leafPagesOf(file, 'sessions');
    expect(leaves.length).toBeGreaterThan(3);
    corruptPage(file, leaves[1]!);
    const dest = path.join(tmp.dir, 'data', 'salvaged.db');
    const report = salvageStore(file, dest, clock);
    const sessions = report.tables.find((t) => t.table === 'sessions')!;
    expect(sessions.lost).toBeGreaterThan(0);
    const store = openStore(dest, clock);
    try {
      expect(store.db.pragma('foreign_key_check')).toEqual([]);
      const recovered = store.sessions.list(500).sessions.filter((s) => s.title === 'Recovered conversation');
      expect(recovered.length).toBeGreaterThan(0);
      expect(store.sessions.list(1).total).toBe(SESSIONS);
    } finally {
      store.close();
    }
  });
});
