import fs from 'node:fs';
import path from 'node:path';
import { dataPaths } from '../main/core/paths';
import { makeTempDir } from '../test/helpers/temp-dir';
import { startServe, spawnUntil } from './serve-process';
import { fmt, interleaved, loadNote, median, spread, verdict, type BenchResult } from './stats';

/** A trivial server in bare node: the floor for "process start to first answer". */
const BARE = `require('http').createServer((q, s) => s.end('{"status":"healthy"}'))
  .listen(0, '127.0.0.1', function () { console.log('serving on http://127.0.0.1:' + this.address().port); });`;

async function untilHealthy(url: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/health`).catch(() => null);
    if (res?.ok) {
      await res.arrayBuffer();
      return;
    }
    await res?.arrayBuffer();
  }
}

/**
 * `aeris serve` (the built bundle) from spawn to its first /health answer, against bare node serving a constant,
 * interleaved rounds: a first start (an empty data dir, the store is made) and a later one (the store of an
 * earlier start is there, as on every day after the first). Both are judged. Also checks that no backup runs
 * right after start.
 */
export async function benchStartup(rounds = 10): Promise<BenchResult> {
  const tmp = makeTempDir('aeris-bench-start-');
  let n = 0;
  let backupSoon = false;
  try {
    const later = path.join(tmp.dir, 'later');
    const serve = async (dataDir = path.join(tmp.dir, `d${n++}`)): Promise<number> => {
      const t0 = performance.now();
      const p = await startServe(dataDir, 'http://127.0.0.1:9');
      await untilHealthy(p.url);
      const ms = performance.now() - t0;
      // A first start used to write a whole-store backup right after listening, competing with the first requests.
      const dir = dataPaths(dataDir).backupsDir;
      if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) backupSoon = true;
      await p.stop();
      return ms;
    };
    const bare = async (): Promise<number> => {
      const t0 = performance.now();
      const p = await spawnUntil(process.execPath, ['-e', BARE], /serving on (http:\/\/\S+)/);
      await untilHealthy(p.url);
      const ms = performance.now() - t0;
      await p.stop();
      return ms;
    };
    const r = await interleaved(rounds, () => serve(), bare, 1);
    const ratio = median(r.a) / median(r.b);
    const ok = ratio <= 1.5;
    await serve(later);
    const l = await interleaved(rounds, () => serve(later), bare, 1);
    const laterRatio = median(l.a) / median(l.b);
    const laterOk = laterRatio <= 1.5;
    return {
      name: `start-up (${rounds} interleaved rounds each; ${loadNote()})`,
      ok: ok && laterOk && !backupSoon,
      lines: [
        verdict(
          'aeris serve → first /health, first start',
          ok,
          `serve ${spread(r.a, 0)} ms vs bare node ${spread(r.b, 0)} ms → ${fmt(ratio, 2)}×; target ≤ 1.5×`,
        ),
        verdict(
          'aeris serve → first /health, a later start',
          laterOk,
          `serve ${spread(l.a, 0)} ms vs bare node ${spread(l.b, 0)} ms → ${fmt(laterRatio, 2)}×; target ≤ 1.5×`,
        ),
        verdict('no backup right after start', !backupSoon, backupSoon ? 'a scheduled backup ran at start' : 'none'),
      ],
      figures: [
        {
          bench: 'startup',
          figure: 'serve to first /health, first start',
          ok,
          value: median(r.a),
          baseline: median(r.b),
          ratio,
          target: '≤ 1.5×',
          unit: 'ms',
        },
        {
          bench: 'startup',
          figure: 'serve to first /health, a later start',
          ok: laterOk,
          value: median(l.a),
          baseline: median(l.b),
          ratio: laterRatio,
          target: '≤ 1.5×',
          unit: 'ms',
        },
      ],
    };
  } finally {
    tmp.cleanup();
  }
}
