import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ManualClock } from '../../test/doubles/manual-clock';
import { storeInTempDir } from '../../test/helpers/store-in-temp-dir';
import { SEARCH_MIN_CHARS, SEARCH_WINDOW, toFtsQuery } from './messages-repository';
import { MIGRATIONS } from './migrations';
import Database from 'better-sqlite3';

/** The paths that must stay cheap on a big store: bounded search, chunked appends, kept row counts. */
describe('messages at scale', () => {
  const bench = storeInTempDir(new ManualClock());

  const counts = () =>
    Object.fromEntries(
      (bench.store.db.prepare(`SELECT name, n FROM row_counts`).all() as Array<{ name: string; n: number }>).map(
        (r) => [r.name, r.n],
      ),
    );

  describe('search limits', () => {
    it('needs at least SEARCH_MIN_CHARS letters, over all words', () => {
      expect(SEARCH_MIN_CHARS).toBe(3);
      expect(toFtsQuery('k')).toBeNull();
      expect(toFtsQuery('ka')).toBeNull();
      expect(toFtsQuery(' "k" ')).toBeNull();
      expect(toFtsQuery('kat')).toBe('"kat"*');
      expect(toFtsQuery('a b c')).toBe('"a" "b" "c"*');
      const s = bench.store.sessions.create({ title: 't' });
      bench.store.messages.insert({ sessionId: s.id, role: 'user', content: 'kampala air' });
      expect(bench.store.messages.search('k')).toEqual([]);
      expect(bench.store.messages.search('ka')).toEqual([]);
      expect(bench.store.messages.search('kam')).toHaveLength(1);
    });

    it('ranks only the newest SEARCH_WINDOW matches, best first, with snippets', () => {
      const s = bench.store.sessions.create({ title: 'many' });
      // One old message that would rank first (the word three times in a short text), then a window's worth of
      // newer, weaker matches: the old one is outside the window and is not found by the common word.
      const old = bench.store.messages.insert({
        sessionId: s.id,
        role: 'user',
        content: 'smoke smoke smoke harmattan',
      });
      bench.store.db.transaction(() => {
        for (let i = 0; i < SEARCH_WINDOW; i++) {
          bench.store.messages.insert({
            sessionId: s.id,
            role: 'assistant',
            content: `entry ${i} mentions smoke once among quite a few other words here`,
          });
        }
      })();
      const strong = bench.store.messages.insert({ sessionId: s.id, role: 'user', content: 'smoke smoke haze' });
      const hits = bench.store.messages.search('smoke', 10);
      expect(hits).toHaveLength(10);
      expect(hits[0]).toMatchObject({ messageId: strong.id, sessionTitle: 'many', role: 'user' });
      expect(hits[0]!.snippet).toContain('[[smoke]]');
      expect(hits.map((h) => h.messageId)).not.toContain(old.id);
      // A rarer query still finds an old message: the window bounds matches, not the bench.store.
      expect(bench.store.messages.search('harmattan').map((h) => h.messageId)).toContain(old.id);
      expect(bench.store.messages.search('entry 5', 3).length).toBe(3);
    });
  });

  describe('streamed text', () => {
    it('appends as chunks, reads whole while streaming, and folds into the message when it ends', () => {
      const s = bench.store.sessions.create({ title: 't' });
      const m = bench.store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
      const words = Array.from({ length: 50 }, (_, i) => `w${i} `);
      for (const w of words) bench.store.messages.append(m.id, w);
      const chunkRows = () =>
        (
          bench.store.db.prepare(`SELECT COUNT(*) AS n FROM message_chunks WHERE message_id = ?`).get(m.id) as {
            n: number;
          }
        ).n;
      expect(chunkRows()).toBe(50);
      // The row itself is not rewritten per token.
      expect(
        (bench.store.db.prepare(`SELECT content FROM messages WHERE id = ?`).get(m.id) as { content: string }).content,
      ).toBe('');
      expect(bench.store.messages.get(m.id)!.content).toBe(words.join(''));
      expect(bench.store.messages.list(s.id)[0]!.content).toBe(words.join(''));
      expect(bench.store.messages.recent(s.id, 5)[0]!.content).toBe(words.join(''));

      bench.store.messages.truncate(m.id, 6); // "w0 w1 "
      expect(chunkRows()).toBe(0);
      bench.store.messages.append(m.id, 'tail');
      expect(bench.store.messages.get(m.id)!.content).toBe('w0 w1 tail');

      const done = bench.store.messages.finish(m.id, 'complete', { tokens: 3 });
      expect(done.content).toBe('w0 w1 tail');
      expect(chunkRows()).toBe(0);
      expect(bench.store.messages.search('tail').map((h) => h.messageId)).toEqual([m.id]);
    });

    it('keeps every appended chunk across a reopen and folds it when the reply is marked interrupted', () => {
      const s = bench.store.sessions.create({ title: 't' });
      const m = bench.store.messages.insert({ sessionId: s.id, role: 'assistant', content: 'a', status: 'streaming' });
      bench.store.messages.append(m.id, 'b');
      bench.store.messages.append(m.id, 'c');
      // This process's own identity would keep the row streaming; clear it as if its writer had died.
      bench.store.db.prepare(`UPDATE messages SET owner_pid = NULL, owner_instance = NULL WHERE id = ?`).run(m.id);
      bench.reopen();
      const after = bench.store.messages.get(m.id)!;
      expect(after.status).toBe('interrupted');
      expect(after.content).toBe('abc');
      expect((bench.store.db.prepare(`SELECT COUNT(*) AS n FROM message_chunks`).get() as { n: number }).n).toBe(0);
    });

    it('drops the chunks of a deleted streaming reply', () => {
      const s = bench.store.sessions.create({ title: 't' });
      const m = bench.store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
      bench.store.messages.append(m.id, 'x');
      bench.store.messages.deleteFrom(s.id, m.id);
      expect((bench.store.db.prepare(`SELECT COUNT(*) AS n FROM message_chunks`).get() as { n: number }).n).toBe(0);
    });
  });

  describe('row counts', () => {
    it('follow inserts, deletes and a cascading conversation delete', () => {
      expect(counts()).toEqual({ messages: 0, sessions: 0 });
      const a = bench.store.sessions.create({ title: 'a' });
      const b = bench.store.sessions.create({ title: 'b' });
      for (let i = 0; i < 3; i++) bench.store.messages.insert({ sessionId: a.id, role: 'user', content: `m${i}` });
      const first = bench.store.messages.insert({ sessionId: b.id, role: 'user', content: 'x' });
      bench.store.messages.insert({ sessionId: b.id, role: 'assistant', content: 'y' });
      expect(counts()).toEqual({ messages: 5, sessions: 2 });
      bench.store.messages.deleteFrom(b.id, first.id);
      expect(counts()).toEqual({ messages: 3, sessions: 2 });
      bench.store.sessions.delete(a.id);
      expect(counts()).toEqual({ messages: 0, sessions: 1 });
      const real = bench.store.db
        .prepare(`SELECT (SELECT COUNT(*) FROM messages) AS messages, (SELECT COUNT(*) FROM sessions) AS sessions`)
        .get();
      expect(counts()).toEqual(real);
    });
  });

  describe('upgrade from schema 6', () => {
    it('counts the rows already there and rebuilds the search index with prefixes', () => {
      bench.store.close();
      const old = path.join(bench.dir, 'old.db');
      const db = new Database(old);
      for (const m of MIGRATIONS.slice(0, 6)) m(db);
      db.pragma('user_version = 6');
      db.prepare(`INSERT INTO sessions (id, title, created_at, updated_at) VALUES ('s', 'old', 0, 0)`).run();
      const add = db.prepare(
        `INSERT INTO messages (session_id, role, content, created_at, updated_at) VALUES ('s', 'user', ?, 0, 0)`,
      );
      for (const text of ['dusty harmattan', 'clear skies', 'dust again']) {
        const id = Number(add.run(text).lastInsertRowid);
        db.prepare(`INSERT INTO messages_fts(rowid, content) VALUES (?, ?)`).run(id, text);
        db.prepare(`INSERT INTO messages_fts_indexed(id) VALUES (?)`).run(id);
      }
      db.prepare(`UPDATE fts_state SET indexed_through = 3`).run();
      db.close();

      bench.reopen(old);
      expect(counts()).toEqual({ messages: 3, sessions: 1 });
      expect(bench.store.messages.search('dus').map((h) => h.snippet)).toEqual([
        '[[dust]] again',
        '[[dusty]] harmattan',
      ]);
      const sql = (
        bench.store.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'messages_fts'`).get() as { sql: string }
      ).sql;
      expect(sql).toContain(`prefix='3 4'`);
    });
  });
});
