import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { systemClock } from '../core/clock';
import { isDiskFull } from '../core/disk-full';
import { openDatabase } from './database';
import { MessagesRepository } from './messages-repository';
import { openStore, type Store } from './store';

/**
 * The search index is written on a timer, away from any request. On a full disk that timer used to throw
 * and end the process; now it waits and catches up. SQLite's page cap (max_page_count) makes the index's
 * write fail with the same SQLITE_FULL a full disk gives, on any machine.
 */
/** Distinct words, so the index grows by pages (one long repeated word would fit in the pages it has). */
const words = (seed: number, n: number) => Array.from({ length: n }, (_, j) => `w${seed}x${j}`).join(' ');

describe('background search indexing on a full disk', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  const errors: unknown[] = [];
  const oks: string[] = [];

  beforeEach(() => {
    tmp = makeTempDir();
    errors.length = 0;
    oks.length = 0;
    store = openStore(path.join(tmp.dir, 'aeris.db'), systemClock, {
      onWriteError: (err) => errors.push(err),
      onWriteOk: (what) => oks.push(what),
    });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('does not throw from its timer, reports disk full, and indexes everything once there is room', async () => {
    const s = store.sessions.create({ title: 'field notes' });
    for (let i = 0; i < 40; i++) {
      store.messages.insert({ sessionId: s.id, role: 'user', content: `harmattan dust ${words(i, 300)}` });
    }
    // The disk fills before the indexer's timer runs (same tick as the inserts).
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);

    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 10_000 });
    expect(isDiskFull(errors[0])).toBe(true);
    const through = () =>
      (store.db.prepare('SELECT indexed_through AS n FROM fts_state WHERE id = 1').get() as { n: number }).n;
    // The failed pass rolled back whole: nothing half-indexed.
    expect(through()).toBe(0);
    expect(oks).toEqual([]);

    // Space again: the retry (no restart, no new write) indexes every row.
    store.db.pragma('max_page_count = 1073741823');
    const last = store.messages.list(s.id, 100).at(-1)!.id;
    await vi.waitFor(() => expect(through()).toBe(last), { timeout: 10_000 });
    expect(oks).toContain('search index');
    expect(store.messages.search('harmattan', 100)).toHaveLength(40);
  });

  it('a write that succeeds while the indexer backs off brings the retry forward', async () => {
    const s = store.sessions.create({ title: 'notes' });
    store.messages.insert({ sessionId: s.id, role: 'user', content: `first ${words(0, 3000)}` });
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    // Failed passes in a row back the retry off (1 s, 2 s, then 4 s).
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    store.db.pragma('max_page_count = 1073741823');
    const failures = errors.length;
    const second = store.messages.insert({ sessionId: s.id, role: 'user', content: 'second' });
    // Within the normal 250 ms debounce, well before the backed-off retry (4 s).
    await vi.waitFor(
      () =>
        expect(
          (store.db.prepare('SELECT indexed_through AS n FROM fts_state WHERE id = 1').get() as { n: number }).n,
        ).toBe(second.id),
      { timeout: 2_000 },
    );
    expect(errors.length).toBe(failures);
  });

  it('a start on a full disk opens anyway; replies a crash left `streaming` are marked once there is room', async () => {
    const s = store.sessions.create({ title: 'cut' });
    const reply = store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
    store.messages.append(reply.id, words(7, 3000));
    store.close();

    // The next start, with the disk full: the store opens, the reply keeps its text and waits.
    const file = path.join(tmp.dir, 'aeris.db');
    const db = openDatabase(file);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const messages = new MessagesRepository(db, systemClock, {
      onWriteError: (err) => errors.push(err),
      onWriteOk: (what) => oks.push(what),
    });
    try {
      expect(messages.recoverInterrupted()).toBe(0);
      expect(isDiskFull(errors[0])).toBe(true);
      expect(messages.get(reply.id)).toMatchObject({ status: 'streaming', content: words(7, 3000) });

      db.pragma('max_page_count = 1073741823');
      await vi.waitFor(() => expect(messages.get(reply.id)?.status).toBe('interrupted'), { timeout: 10_000 });
      expect(messages.get(reply.id)?.content).toBe(words(7, 3000));
    } finally {
      db.close();
      store = openStore(file, systemClock);
    }
  });
});
