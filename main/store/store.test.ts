import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { openStore, type Store } from './store';
import { toFtsQuery } from './messages-repository';
import { SCHEMA_VERSION } from './migrations';
import { openDatabase } from './database';
import os from 'node:os';
import { formatIdentity, processStartOf } from '../core/process-identity';
import { ManualClock } from '../../test/doubles/manual-clock';

describe('store', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let clock: ManualClock;

  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock();
    store = openStore(path.join(tmp.dir, 'data', 'aeris_agent.db'), clock);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('opens with WAL, foreign keys, busy timeout, the seed indexes and the current schema version', () => {
    const db = store.db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(indexes).toContain('idx_sessions_created');
    expect(indexes).toContain('idx_messages_session');
  });

  it('refuses a database written by a newer app, and leaves it untouched', () => {
    const file = path.join(tmp.dir, 'newer.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this app understands/);
  });

  it('keeps sessions and messages, counts them and cascades deletes', () => {
    const s = store.sessions.create({ title: 'Kampala', model: 'qwen2.5:3b' });
    store.messages.insert({ sessionId: s.id, role: 'user', content: 'How is the air?' });
    clock.advance(1000);
    store.messages.insert({ sessionId: s.id, role: 'assistant', content: 'Moderate.' });
    expect(store.sessions.get(s.id)?.messageCount).toBe(2);
    expect(store.messages.list(s.id).map((m) => m.content)).toEqual(['How is the air?', 'Moderate.']);
    expect(store.messages.recent(s.id, 1).map((m) => m.content)).toEqual(['Moderate.']);
    expect(store.sessions.delete(s.id)).toBe(true);
    expect(store.messages.list(s.id)).toEqual([]);
    expect(store.messages.search('Moderate')).toEqual([]);
  });

  it('stores a streamed reply as it grows and indexes it for search once it ends', () => {
    const s = store.sessions.create({ title: 't' });
    const m = store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
    store.messages.append(m.id, 'PM2.5 is ');
    store.messages.append(m.id, 'elevated near Nakawa');
    expect(store.messages.get(m.id)?.content).toBe('PM2.5 is elevated near Nakawa');
    expect(store.messages.search('Nakawa')).toHaveLength(0);
    store.messages.finish(m.id, 'complete', { tokens: 5 });
    const hits = store.messages.search('nakaw');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.snippet).toContain('[[Nakawa]]');
  });

  it('indexes in slices: a budget bounds each run, and runs continue where the last one stopped', () => {
    const s = store.sessions.create({ title: 'slices' });
    for (let i = 0; i < 5; i++)
      store.messages.insert({ sessionId: s.id, role: 'user', content: `nitrogen dioxide ${i}` });
    const runs: Array<{ indexed: number; more: boolean }> = [];
    // A zero budget still makes progress: one message a run.
    for (let r = store.messages.indexPending(0); ; r = store.messages.indexPending(0)) {
      runs.push(r);
      if (!r.more) break;
    }
    expect(runs.map((r) => r.indexed)).toEqual([1, 1, 1, 1, 1]);
    expect(runs.map((r) => r.more)).toEqual([true, true, true, true, false]);
    expect(store.messages.indexPending(0)).toEqual({ indexed: 0, more: false });
    expect(store.messages.search('nitrogen')).toHaveLength(5);
  });

  it('indexes a large backlog in the background, in slices, without a search asking for it', async () => {
    const s = store.sessions.create({ title: 'backlog' });
    const words = 'ozone particulate sulphur monitor station reading hourly'.split(' ');
    for (let i = 0; i < 1500; i++) {
      const text = Array.from({ length: 300 }, (_, w) => words[(i + w) % words.length]).join(' ');
      store.messages.insert({ sessionId: s.id, role: 'assistant', content: `${text} row${i}` });
    }
    const through = () => (store.db.prepare('SELECT indexed_through AS n FROM fts_state').get() as { n: number }).n;
    const last = store.messages.recent(s.id, 1)[0]!.id;
    await vi.waitFor(() => expect(through()).toBe(last), { timeout: 10_000, interval: 50 });
    expect(store.messages.search('row1499')).toHaveLength(1);
  });

  it('treats search text as words, not FTS syntax', () => {
    expect(toFtsQuery('pm2.5 AND "kampala')).toBe('"pm2.5" "AND" "kampala"*');
    expect(toFtsQuery('  ')).toBeNull();
    const s = store.sessions.create({});
    store.messages.insert({ sessionId: s.id, role: 'user', content: 'NEAR(x) OR * "quoted"' });
    expect(() => store.messages.search('NEAR( OR *')).not.toThrow();
  });

  it('edits keep the index in step', () => {
    const s = store.sessions.create({});
    const m = store.messages.insert({ sessionId: s.id, role: 'user', content: 'ozone in Lagos' });
    store.messages.setContent(m.id, 'nitrogen dioxide in Nairobi');
    expect(store.messages.search('Lagos')).toHaveLength(0);
    expect(store.messages.search('Nairobi')).toHaveLength(1);
  });

  it('marks replies left streaming by a dead process as interrupted, keeping their text', () => {
    const file = path.join(tmp.dir, 'crash.db');
    const first = openStore(file, clock);
    const s = first.sessions.create({});
    const m = first.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
    first.messages.append(m.id, 'partial answer');
    // Pretend the writer was another, now dead, process.
    first.db.prepare('UPDATE messages SET owner_pid = ? WHERE id = ?').run(999_999_999, m.id);
    first.close();
    const second = openStore(file, clock);
    const rec = second.messages.get(m.id)!;
    expect(rec.status).toBe('interrupted');
    expect(rec.content).toBe('partial answer');
    expect(second.messages.search('partial')).toHaveLength(1);
    second.close();
  });

  it('leaves a reply that a live process is still writing alone', () => {
    const s = store.sessions.create({});
    const m = store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
    // Owned by the parent process, recorded with its real identity (PID and start time).
    const owner = formatIdentity({ host: os.hostname(), pid: process.ppid, start: processStartOf(process.ppid) });
    store.db
      .prepare('UPDATE messages SET owner_pid = ?, owner_instance = ? WHERE id = ?')
      .run(process.ppid, owner, m.id);
    expect(store.messages.recoverInterrupted()).toBe(0);
    expect(store.messages.get(m.id)?.status).toBe('streaming');
  });
});
