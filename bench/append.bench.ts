import path from 'node:path';
import { systemClock } from '../main/core/clock';
import { openStore } from '../main/store/store';
import { makeTempDir } from '../test/helpers/temp-dir';
import { fmt, interleaved, loadNote, median, spread, verdict, type BenchResult } from './stats';

/**
 * Streamed text: per-token cost of appending to a long reply vs a short one (interleaved rounds), ours (a chunk
 * row per append) beside the `content = content || ?` update it replaces.
 */
export async function benchAppend(rounds = 9, shortTokens = 100, longTokens = 4000): Promise<BenchResult> {
  const tmp = makeTempDir('aeris-bench-append-');
  const store = openStore(path.join(tmp.dir, 'store.db'), systemClock);
  try {
    const s = store.sessions.create({ title: 'append' });
    const concat = store.db.prepare(`UPDATE messages SET content = content || ?, updated_at = ? WHERE id = ?`);
    /**
     * Microseconds per token over replies of `n` tokens, as many as make `longTokens` tokens: both sides write as
     * much, so WAL checkpoints (every ~1000 pages) land on both alike instead of only on the long side.
     */
    const reply = (n: number, old: boolean) => () => {
      let ms = 0;
      for (let r = 0; r < longTokens / n; r++) {
        const m = store.messages.insert({ sessionId: s.id, role: 'assistant', content: '', status: 'streaming' });
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          if (old) concat.run(`tok${i} `, Date.now(), m.id);
          else store.messages.append(m.id, `tok${i} `);
        }
        ms += performance.now() - t0;
        store.messages.finish(m.id, 'complete');
      }
      return (ms * 1000) / longTokens;
    };
    const ours = await interleaved(rounds, reply(longTokens, false), reply(shortTokens, false));
    const before = await interleaved(Math.min(rounds, 5), reply(longTokens, true), reply(shortTokens, true), 1);
    const ratio = median(ours.a) / median(ours.b);
    const beforeRatio = median(before.a) / median(before.b);
    const ok = ratio <= 1.2;
    return {
      name: `token append (${rounds} interleaved rounds; ${loadNote()})`,
      ok,
      lines: [
        verdict(
          `per-token cost, ${longTokens.toLocaleString('en')}-token vs ${shortTokens}-token reply`,
          ok,
          `${spread(ours.a)} µs vs ${spread(ours.b)} µs → ${fmt(ratio)}×; target ≤ 1.2× ` +
            `(the content || ? update it replaces: ${spread(before.a)} µs vs ${spread(before.b)} µs → ${fmt(beforeRatio)}×)`,
        ),
      ],
      figures: [
        {
          bench: 'append',
          figure: 'per-token cost long vs short reply',
          ok,
          value: median(ours.a),
          baseline: median(ours.b),
          ratio,
          target: '≤ 1.2×',
          unit: 'µs per token',
        },
      ],
    };
  } finally {
    store.close();
    tmp.cleanup();
  }
}
