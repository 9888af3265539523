// Paired A/B of time to first token for builds of `aeris serve`, for a change too small to see across separate
// `bench/run.ts chat` runs on a shared CPU: every variant runs as its own serve process against one emulator,
// interleaved round by round (order rotated) with the same direct baseline as bench/chat-overhead.bench.ts.
//   npx tsx bench/chat-ab.ts ROUNDS CLI[,ENV=VALUE...] CLI[,ENV=VALUE...] ...
// e.g. copy dist/ to .tmp/dist-before, change and rebuild, then
//   npx tsx bench/chat-ab.ts 40 .tmp/dist-before/cli.cjs dist/cli.cjs
// PROF=DIR writes a V8 CPU profile of each serve process there. Reports each variant's median against direct
// and the median of its per-round difference from the first variant (the figure that survives load drift).
// Name the same build twice (an A/A run) to see the noise floor first: on the loaded 2-CPU machine, 15 rounds of
// two identical builds differed by up to 1 ms.
import { makeTempDir } from '../test/helpers/temp-dir';
import { directChatBaseline } from './direct-chat';
import { startEmulatorProcess, spawnUntil, type Proc } from './serve-process';
import { streamChat } from './sse-client';
import { loadNote } from './stats';

const N = Number(process.argv[2] ?? 40);
const variants = process.argv.slice(3);
const emulator = await startEmulatorProcess(['--tokens', '120', '--token-delay', '2', '--first-token-delay', '150']);
const tmp = makeTempDir('aeris-ab-');
const directChat = await directChatBaseline(`${tmp.dir}/defs`, emulator.url);
const serves: Array<Proc & { token: string }> = [];
try {
  for (const [i, v] of variants.entries()) {
    const env: Record<string, string> = {
      DISABLE_SESSION_LIMIT: '1',
      AERIS_API_TOKEN: 'bench-token-0123456789abcdef',
      OLLAMA_HOST: '',
    };
    const [cli, ...kvs] = v.split(',');
    for (const kv of kvs) {
      const [k, val] = kv.split('=');
      if (k) env[k] = val ?? '';
    }
    const p = await spawnUntil(
      process.execPath,
      [
        ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF, '--cpu-prof-interval=50'] : []),
        cli!,
        'serve',
        '--port',
        '0',
        '--data-dir',
        `${tmp.dir}/serve${i}`,
        '--ollama-host',
        emulator.url,
      ],
      /serving on (http:\/\/\S+)/,
      env,
    );
    serves.push({ ...p, token: 'bench-token-0123456789abcdef' });
  }
  const direct = async () => (await directChat()).ttft;
  const res: number[][] = variants.map(() => []);
  const d: number[] = [];
  for (let r = 0; r < N + 3; r++) {
    const order = serves.map((_, i) => (i + r) % serves.length);
    for (const i of order) {
      const s = serves[i]!;
      // A short gap, so one reply's tail (its final writes, the access log) does not land on the next request.
      await new Promise((res) => setTimeout(res, 5));
      const t0 = performance.now();
      const x = await streamChat(s.url, s.token, { message: 'q', model: 'qwen2.5:3b' });
      if (r >= 3) res[i]!.push(x.firstTokenAt - t0);
    }
    await new Promise((res) => setTimeout(res, 5));
    const y = await direct();
    if (r >= 3) d.push(y);
  }
  const med = (a: number[]) => {
    const s = [...a].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const q = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(p * (a.length - 1))]!;
  console.log(`${N} rounds; ${loadNote()}; direct median ${med(d).toFixed(2)}`);
  for (const [i, v] of variants.entries())
    console.log(
      `  ${v.padEnd(30)} ${med(res[i]!) - med(d) >= 0 ? '+' : ''}${(med(res[i]!) - med(d)).toFixed(2)} ms  (p25 ${(q(res[i]!, 0.25) - q(d, 0.25)).toFixed(2)}, p75 ${(q(res[i]!, 0.75) - q(d, 0.75)).toFixed(2)})`,
    );
  for (const [i, v] of variants.entries())
    console.log(
      `  paired ${v.padEnd(24)} median(serve-direct) ${med(res[i]!.map((x, k) => x - d[k]!)).toFixed(2)}  median(vs first variant) ${med(res[i]!.map((x, k) => x - res[0]![k]!)).toFixed(2)}`,
    );
} finally {
  for (const s of serves) await s.stop();
  await emulator.stop();
  tmp.cleanup();
}
