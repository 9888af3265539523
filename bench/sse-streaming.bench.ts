import { Ollama } from 'ollama';
import { makeTempDir } from '../test/helpers/temp-dir';
import { startEmulatorProcess, startServe, type Proc } from './serve-process';
import { streamChat } from './sse-client';
import { fmt, interleaved, loadNote, median, percentile, spread, verdict, type BenchResult } from './stats';

const stampsIn = (text: string): number[] => [...text.matchAll(/@(\d+\.\d+)/g)].map((m) => Number(m[1]));

/**
 * SSE through a real `aeris serve`, the emulator in its own process writing one token per NDJSON line:
 * 1. throughput with no delay, beside the `ollama` client reading the emulator directly (interleaved rounds);
 * 2. delivery delay per token (emulator write → client read, stamped in the token) at 200 tokens/s, beside
 *    the same delay read directly.
 */
export async function benchSseStreaming(tokens = 20_000, rounds = 3): Promise<BenchResult> {
  const tmp = makeTempDir('aeris-bench-sse-');
  const procs: Proc[] = [];
  try {
    const fast = await startEmulatorProcess(['--tokens', String(tokens), '--token-delay', '0']);
    procs.push(fast);
    const serve = await startServe(`${tmp.dir}/serve`, fast.url, { DISABLE_SESSION_LIMIT: '1' });
    procs.push(serve);
    const expected = Array.from({ length: tokens }, (_, i) => `tok${i} `).join('');
    let intact = true;
    let events = 0;
    const r = await interleaved(
      rounds,
      async () => {
        const t0 = performance.now();
        const s = await streamChat(serve.url, serve.token, { message: 'stream', model: 'qwen2.5:3b' });
        intact &&= s.text === expected && s.response === s.text;
        events = s.events;
        return tokens / ((s.endAt - t0) / 1000);
      },
      async () => {
        const t0 = performance.now();
        const stream = await new Ollama({ host: fast.url }).chat({
          model: 'qwen2.5:3b',
          messages: [{ role: 'user', content: 'stream' }],
          stream: true,
        });
        for await (const c of stream) void c;
        return tokens / ((performance.now() - t0) / 1000);
      },
      1,
    );
    const rate = median(r.a);
    const rateOk = rate >= 20_000 && intact;

    // 2. 200 tokens/s, each stamped with its write time.
    const paced = await startEmulatorProcess(['--tokens', '400', '--token-delay', '5', '--stamp']);
    procs.push(paced);
    const serve2 = await startServe(`${tmp.dir}/serve2`, paced.url, { DISABLE_SESSION_LIMIT: '1' });
    procs.push(serve2);
    const viaServe: number[] = [];
    await streamChat(serve2.url, serve2.token, { message: 'paced', model: 'qwen2.5:3b' }, (content, at) => {
      const now = performance.timeOrigin + at;
      for (const st of stampsIn(content)) viaServe.push(now - st);
    });
    const direct: number[] = [];
    const stream = await new Ollama({ host: paced.url }).chat({
      model: 'qwen2.5:3b',
      messages: [{ role: 'user', content: 'paced' }],
      stream: true,
    });
    for await (const c of stream) {
      const now = performance.timeOrigin + performance.now();
      for (const st of stampsIn(c.message.content)) direct.push(now - st);
    }
    const p99 = percentile(viaServe, 99);
    const delayOk = p99 <= 5 && viaServe.length === 400;
    return {
      name: `SSE through aeris serve (emulator in its own process; ${loadNote()})`,
      ok: rateOk && delayOk,
      lines: [
        verdict(
          `throughput, ${tokens.toLocaleString('en')} tokens with no delay`,
          rateOk,
          `${spread(r.a, 0)} tokens/s through serve (${events} SSE events) vs ${spread(r.b, 0)} tokens/s read directly → ` +
            `${fmt(rate / median(r.b), 3)}× the direct rate, ${fmt(rate / 20_000, 2)}× the 20,000/s target; every token delivered: ${intact ? 'yes' : 'NO'}`,
        ),
        verdict(
          'delivery delay per token at 200 tokens/s (emulator write → client read)',
          delayOk,
          `p99 ${fmt(p99)} ms, ${spread(viaServe)} ms over ${viaServe.length} tokens vs direct p99 ${fmt(percentile(direct, 99))} ms, ` +
            `${spread(direct)} ms; target p99 ≤ 5 ms`,
        ),
      ],
      figures: [
        {
          bench: 'sse',
          figure: 'throughput',
          ok: rateOk,
          value: rate,
          baseline: median(r.b),
          ratio: rate / median(r.b),
          target: '≥ 20,000 tokens/s',
          unit: 'tokens/s',
        },
        {
          bench: 'sse',
          figure: 'delivery delay p99 at 200 tokens/s',
          ok: delayOk,
          value: p99,
          baseline: percentile(direct, 99),
          ratio: p99 / percentile(direct, 99),
          target: 'p99 ≤ 5 ms',
          unit: 'ms',
        },
      ],
    };
  } finally {
    for (const p of procs.reverse()) await p.stop();
    tmp.cleanup();
  }
}
