import path from 'node:path';
import { systemClock } from '../main/core/clock';
import { dataPaths } from '../main/core/paths';
import { openStore } from '../main/store/store';
import { makeTempDir } from '../test/helpers/temp-dir';
import { seeded, wordList } from '../test/helpers/synthetic-text';
import { startEmulatorProcess, startServe, type Proc } from './serve-process';
import { streamChat } from './sse-client';
import { fmt, loadNote, percentile, spread, verdict, type BenchResult } from './stats';

/** A store of `n` chat-like messages (skewed vocabulary) in a data dir `aeris serve` can open. */
function fillDataDir(dir: string, n: number): void {
  const store = openStore(dataPaths(dir).dbFile, systemClock);
  const words = wordList(5000);
  const rnd = seeded(42);
  const sentence = (k: number) =>
    Array.from({ length: k }, () => words[Math.floor(words.length * rnd() ** 3)]!).join(' ');
  const sessions = Array.from({ length: 200 }, (_, i) => store.sessions.create({ title: `s${i}` }).id);
  const fill = store.db.transaction((count: number) => {
    for (let i = 0; i < count; i++)
      store.messages.insert({
        sessionId: sessions[i % 200]!,
        role: i % 2 ? 'assistant' : 'user',
        content: sentence(20),
      });
  });
  for (let done = 0; done < n; done += 50_000) fill(Math.min(50_000, n - done));
  store.messages.indexPending();
  store.close();
}

/**
 * Fairness: the gaps between SSE token events of a reply streamed at 200 tokens/s through `aeris serve` on a big
 * store, quiet vs while a person types searches, the UI polls /health and a backup runs (alternating rounds).
 * The figure is the p99 gap added by the load.
 */
export async function benchFairness(
  messages = 1_000_000,
  rounds = 3,
  // Which loads run (AERIS_BENCH_FAIR_LOAD=search,health,backup by default), to tell which one adds a gap.
  loads = (process.env.AERIS_BENCH_FAIR_LOAD ?? 'search,health,backup').split(','),
): Promise<BenchResult> {
  const tmp = makeTempDir('aeris-bench-fair-');
  const procs: Proc[] = [];
  try {
    const dataDir = path.join(tmp.dir, 'data');
    fillDataDir(dataDir, messages);
    const emulator = await startEmulatorProcess(['--tokens', '400', '--token-delay', '5']);
    procs.push(emulator);
    const serve = await startServe(dataDir, emulator.url, { DISABLE_SESSION_LIMIT: '1' });
    procs.push(serve);
    const call = async (name: string, body: unknown) => {
      const res = await fetch(`${serve.url}/bridge/call/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
    };
    const words = wordList(5000);
    const gapsOf = async (loaded: boolean): Promise<{ gaps: number[]; searches: number; polls: number }> => {
      let streaming = true;
      let searches = 0;
      let polls = 0;
      const load: Array<Promise<void>> = [];
      if (loaded && loads.includes('search')) {
        // Typing: a word a keystroke at a time, ~8 keystrokes a second, as the debounced box would at most send.
        load.push(
          (async () => {
            for (let w = 0; streaming; w++) {
              const word = words[(w * 37) % words.length]!;
              for (let k = 3; k <= word.length && streaming; k++) {
                await call('search.messages', { query: word.slice(0, k), limit: 50 });
                searches++;
                await new Promise((r) => setTimeout(r, 120));
              }
            }
          })(),
        );
      }
      if (loaded && loads.includes('health')) {
        load.push(
          (async () => {
            while (streaming) {
              const res = await fetch(`${serve.url}/health`);
              await res.arrayBuffer();
              polls++;
              await new Promise((r) => setTimeout(r, 250));
            }
          })(),
        );
      }
      if (loaded && loads.includes('backup')) load.push(call('backups.create', { compress: true }));
      let last = 0;
      const gaps: number[] = [];
      await streamChat(serve.url, serve.token, { message: 'fair', model: 'qwen2.5:3b' }, (_c, at) => {
        if (last) gaps.push(at - last);
        last = at;
      });
      streaming = false;
      await Promise.all(load);
      return { gaps, searches, polls };
    };
    const quiet: number[] = [];
    const busy: number[] = [];
    let searches = 0;
    let polls = 0;
    await gapsOf(false); // warm-up
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 ? [true, false] : [false, true];
      for (const loaded of order) {
        const r = await gapsOf(loaded);
        (loaded ? busy : quiet).push(...r.gaps);
        searches += r.searches;
        polls += r.polls;
      }
    }
    const added = percentile(busy, 99) - percentile(quiet, 99);
    const ok = added <= 20;
    return {
      name: `fairness on ${messages.toLocaleString('en')} messages (${rounds} alternating rounds; ${loadNote()})`,
      ok,
      lines: [
        verdict(
          'added p99 gap between SSE events at 200 tokens/s',
          ok,
          `${added >= 0 ? '+' : ''}${fmt(added)} ms: p99 ${fmt(percentile(busy, 99))} ms under load (${spread(busy)} ms; ${searches} searches, ` +
            `${polls} /health polls, ${loads.includes('backup') ? rounds : 0} backups) vs p99 ${fmt(percentile(quiet, 99))} ms quiet (${spread(quiet)} ms); target ≤ +20 ms`,
        ),
      ],
      figures: [
        {
          bench: 'fairness',
          figure: 'added p99 SSE gap',
          ok,
          value: percentile(busy, 99),
          baseline: percentile(quiet, 99),
          ratio: percentile(busy, 99) / percentile(quiet, 99),
          target: '≤ +20 ms',
          unit: 'ms',
        },
      ],
    };
  } finally {
    for (const p of procs.reverse()) await p.stop();
    tmp.cleanup();
  }
}
