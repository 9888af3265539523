import { makeTempDir } from '../test/helpers/temp-dir';
import { directChatBaseline } from './direct-chat';
import { startEmulatorProcess, startServe } from './serve-process';
import { streamChat } from './sse-client';
import { fmt, interleaved, loadNote, median, spread, verdict, type BenchResult } from './stats';

/**
 * Engine overhead on a streamed reply, through a real `aeris serve` process, against the emulator in its own
 * process with a realistic prompt-evaluation delay before the first token. Baseline: the `ollama` client
 * sending the same request (system prompt, tools, options) straight to the emulator. Interleaved rounds.
 */
export async function benchChatOverhead(
  rounds = 30,
  tokens = 120,
  tokenDelayMs = 2,
  promptEvalMs = 150,
): Promise<BenchResult> {
  const emulator = await startEmulatorProcess([
    '--tokens',
    String(tokens),
    '--token-delay',
    String(tokenDelayMs),
    '--first-token-delay',
    String(promptEvalMs),
  ]);
  const tmp = makeTempDir('aeris-bench-');
  const direct = await directChatBaseline(`${tmp.dir}/defs`, emulator.url);
  const serve = await startServe(`${tmp.dir}/serve`, emulator.url, { DISABLE_SESSION_LIMIT: '1' });
  try {
    const viaServe = async () => {
      const t0 = performance.now();
      const r = await streamChat(serve.url, serve.token, { message: 'q', model: 'qwen2.5:3b' });
      return { ttft: r.firstTokenAt - t0, total: r.endAt - t0 };
    };
    const totals = { a: [] as number[], b: [] as number[] };
    const ttft = await interleaved(
      rounds,
      async () => {
        const r = await viaServe();
        totals.a.push(r.total);
        return r.ttft;
      },
      async () => {
        const r = await direct();
        totals.b.push(r.total);
        return r.ttft;
      },
      3,
    );
    // Warm-up rounds' totals out, as interleaved() leaves their first values out.
    totals.a.splice(0, 3);
    totals.b.splice(0, 3);
    const eT = median(ttft.a);
    const dT = median(ttft.b);
    const added = eT - dT;
    const ttftOk = added <= 1.5 && eT / dT <= 1.02;
    const totalRatio = median(totals.a) / median(totals.b);
    const totalOk = totalRatio <= 1.05;
    return {
      name: `chat overhead through aeris serve (${rounds} interleaved rounds, ${promptEvalMs} ms prompt eval, ${tokens} tokens at ${tokenDelayMs} ms; ${loadNote()})`,
      ok: ttftOk && totalOk,
      lines: [
        verdict(
          'time to first token',
          ttftOk,
          `serve ${spread(ttft.a)} ms vs direct ${spread(ttft.b)} ms → ${fmt(eT / dT, 3)}×, +${fmt(added)} ms; target ≤ 1.02× and ≤ +1.5 ms`,
        ),
        verdict(
          'total',
          totalOk,
          `serve ${spread(totals.a)} ms vs direct ${spread(totals.b)} ms → ${fmt(totalRatio, 3)}×; target ≤ 1.05×`,
        ),
      ],
      figures: [
        {
          bench: 'chat',
          figure: 'time to first token',
          ok: ttftOk,
          value: eT,
          baseline: dT,
          ratio: eT / dT,
          target: '≤ 1.02× and ≤ +1.5 ms',
          unit: 'ms',
        },
        {
          bench: 'chat',
          figure: 'total',
          ok: totalOk,
          value: median(totals.a),
          baseline: median(totals.b),
          ratio: totalRatio,
          target: '≤ 1.05×',
          unit: 'ms',
        },
      ],
    };
  } finally {
    await serve.stop();
    await emulator.stop();
    tmp.cleanup();
  }
}
