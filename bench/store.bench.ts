import path from 'node:path';
import { openDatabase } from '../main/store/database';
import { systemClock } from '../main/core/clock';
import { openStore } from '../main/store/store';
import { makeTempDir } from '../test/helpers/temp-dir';
import { seeded, sentenceMaker, wordList } from '../test/helpers/synthetic-text';
import { fmt, percentile, verdict, type BenchResult } from './stats';

export async function benchStore(opts: { ftsMessages?: number; sessionMessages?: number } = {}): Promise<BenchResult> {
  const ftsMessages = opts.ftsMessages ?? 1_000_000;
  const sessionMessages = opts.sessionMessages ?? 10_000;
  const tmp = makeTempDir('aeris-bench-store-');
  const lines: string[] = [];
  let ok = true;
  try {
    const store = openStore(path.join(tmp.dir, 'store.db'), systemClock);
    const words = wordList(5000);
    const rnd = seeded(42);
    const sentence = sentenceMaker(5000, 42);

    // 1. Insert throughput: our repository (FTS indexing included) vs raw better-sqlite3 inserts, same schema.
    const s = store.sessions.create({ title: 'bench' });
    const N = 5000;
    const texts = Array.from({ length: N }, () => sentence(20));
    let t0 = performance.now();
    for (const t of texts) store.messages.insert({ sessionId: s.id, role: 'user', content: t });
    store.messages.indexPending(); // the search index is part of the cost
    const ours = performance.now() - t0;
    // Baseline: a plain prepared INSERT into the same schema (same pragmas, indexes, foreign key).
    const raw = openDatabase(path.join(tmp.dir, 'raw.db'));
    raw.prepare(`INSERT INTO sessions (id, title, created_at, updated_at) VALUES ('s', '', 0, 0)`).run();
    const ins = raw.prepare(
      `INSERT INTO messages (session_id, role, content, status, created_at, updated_at) VALUES (?, ?, ?, 'complete', ?, ?)`,
    );
    t0 = performance.now();
    for (const t of texts) ins.run('s', 'user', t, Date.now(), Date.now());
    const rawMs = performance.now() - t0;
    raw.close();
    const insertOk = ours / rawMs <= 2;
    ok &&= insertOk;
    lines.push(
      verdict(
        'insert throughput (same schema; ours includes search indexing)',
        insertOk,
        `${fmt(N / (ours / 1000), 0)}/s ours vs ${fmt(N / (rawMs / 1000), 0)}/s raw better-sqlite3 → ${fmt(ours / rawMs, 2)}× the time; target ≤ 2×`,
      ),
    );

    // 2. Last 50 messages of a 10,000-message session.
    const big = store.sessions.create({ title: 'big' });
    const bulk = store.db.transaction((n: number) => {
      for (let i = 0; i < n; i++)
        store.messages.insert({ sessionId: big.id, role: i % 2 ? 'assistant' : 'user', content: sentence(30) });
    });
    bulk(sessionMessages);
    const recentTimes: number[] = [];
    for (let i = 0; i < 500; i++) {
      t0 = performance.now();
      store.messages.recent(big.id, 50);
      recentTimes.push(performance.now() - t0);
    }
    const p95recent = percentile(recentTimes, 95);
    const recentOk = p95recent < 2;
    ok &&= recentOk;
    lines.push(
      verdict(
        'last 50 of a 10,000-message session',
        recentOk,
        `p95 ${fmt(p95recent, 3)} ms (${fmt(p95recent / 2, 3)}× the 2 ms target)`,
      ),
    );

    // 3. FTS search over ~1,000,000 messages.
    const have = store.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number };
    const sessions = Array.from({ length: 200 }, (_, i) => store.sessions.create({ title: `s${i}` }).id);
    const fill = store.db.transaction((n: number) => {
      for (let i = 0; i < n; i++) {
        store.messages.insert({
          sessionId: sessions[i % sessions.length]!,
          role: i % 2 ? 'assistant' : 'user',
          content: sentence(20),
        });
      }
    });
    t0 = performance.now();
    const toAdd = Math.max(0, ftsMessages - have.n);
    for (let done = 0; done < toAdd; done += 50_000) fill(Math.min(50_000, toAdd - done));
    store.messages.indexPending();
    const fillMs = performance.now() - t0;
    const total = (store.db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
    const searchTimes: number[] = [];
    for (let i = 0; i < 300; i++) {
      const q = `${words[Math.floor(rnd() * words.length)]}`;
      t0 = performance.now();
      store.messages.search(q, 30);
      searchTimes.push(performance.now() - t0);
    }
    const two: number[] = [];
    for (let i = 0; i < 100; i++) {
      const q = `${words[Math.floor(rnd() * words.length)]} ${words[Math.floor(rnd() * words.length)]!.slice(0, 4)}`;
      t0 = performance.now();
      store.messages.search(q, 30);
      two.push(performance.now() - t0);
    }
    const p95search = percentile(searchTimes, 95);
    const searchOk = p95search < 30;
    ok &&= searchOk;
    lines.push(
      verdict(
        `FTS search over ${total.toLocaleString('en')} messages`,
        searchOk,
        `p95 ${fmt(p95search, 2)} ms one word (${fmt(p95search / 30, 3)}× the 30 ms target); two words with a prefix p95 ${fmt(percentile(two, 95), 2)} ms; filled in ${fmt(fillMs / 1000, 1)} s`,
      ),
    );
    store.close();
  } finally {
    tmp.cleanup();
  }
  return { name: 'store', lines, ok };
}
