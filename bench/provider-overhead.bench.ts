import OpenAI from 'openai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tuningFor } from '../main/chat/model-tuning';
import { buildSystemPrompt } from '../main/chat/system-prompt';
import { createEngine } from '../main/engine';
import { MemoryLogger } from '../test/doubles/memory-logger';
import { makeTempDir } from '../test/helpers/temp-dir';
import { fmt, interleaved, loadNote, median, spread, verdict, type BenchResult } from './stats';

const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

/** The emulator in its own process, as a GPU server would be, so it does not compete with the engine for a CPU. */
async function emulatorProcess(tokens: number, tokenDelayMs: number, promptEvalMs: number) {
  const script = path.resolve(import.meta.dirname, '../e2e/emulators/run-openai-emulator.ts');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      '0',
      '--tokens',
      String(tokens),
      '--token-delay',
      String(tokenDelayMs),
      '--prompt-eval',
      String(promptEvalMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (c) => reject(new Error(`emulator exited ${c}`)));
  });
  return { url, close: () => child.kill() };
}

/**
 * Engine overhead through the OpenAI-compatible provider: the same streamed reply read with the `openai` SDK
 * directly (the baseline, same request: system prompt, tools, usage) and through ChatService, interleaved.
 * The emulator waits a realistic prompt-evaluation time before the first token, as a GPU server does.
 */
export async function benchProviderOverhead(
  rounds = 30,
  tokens = 120,
  tokenDelayMs = 2,
  promptEvalMs = 150,
): Promise<BenchResult> {
  const emulator = await emulatorProcess(tokens, tokenDelayMs, promptEvalMs);
  const tmp = makeTempDir('aeris-bench-');
  const engine = createEngine({
    dataDir: tmp.dir,
    env: {
      DISABLE_SESSION_LIMIT: '1',
      AERIS_PROVIDER: 'openai-compatible',
      AERIS_OPENAI_BASE_URL: emulator.url,
      AERIS_MODEL: MODEL,
    },
    logger: new MemoryLogger(),
    online: () => false,
  });
  const client = new OpenAI({ baseURL: emulator.url, apiKey: 'unused', maxRetries: 0 });
  const tools = engine.tools.definitions();
  const maxTokens = tuningFor(MODEL, 'general').options.num_predict;
  const totals = { a: [] as number[], b: [] as number[] };
  let ttft: { a: number[]; b: number[] };
  try {
    const direct = async (): Promise<number> => {
      const t0 = performance.now();
      let first = 0;
      const stream = await client.chat.completions.create({
        model: MODEL,
        messages: [
          { role: 'system', content: buildSystemPrompt({ style: 'general', now: Date.now(), tools: 'native' }) },
          { role: 'user', content: 'q' },
        ],
        tools,
        stream: true,
        stream_options: { include_usage: true },
        ...(maxTokens ? { max_tokens: maxTokens } : {}),
      });
      for await (const c of stream) if (!first && c.choices[0]?.delta.content) first = performance.now() - t0;
      totals.b.push(performance.now() - t0);
      return first;
    };
    const viaEngine = async (): Promise<number> => {
      const t0 = performance.now();
      let first = 0;
      const h = await engine.chat.send({ message: 'q' });
      h.subscribe((e) => {
        if (!first && e.type === 'token') first = performance.now() - t0;
      });
      await h.done;
      totals.a.push(performance.now() - t0);
      return first;
    };
    // A (engine) and B (the SDK alone) back to back in alternating order, after 3 unrecorded rounds.
    ttft = await interleaved(rounds, viaEngine, direct, 3);
    // Warm-up rounds' totals out, as interleaved() leaves their first values out.
    totals.a.splice(0, 3);
    totals.b.splice(0, 3);
  } finally {
    await engine.close();
    emulator.close();
    tmp.cleanup();
  }
  const direct = { ttft: ttft.b, total: totals.b };
  const viaEngine = { ttft: ttft.a, total: totals.a };
  const dT = median(direct.ttft);
  const eT = median(viaEngine.ttft);
  const dTot = median(direct.total);
  const eTot = median(viaEngine.total);
  // The figure, on the medians: the first token ≤ 1.02× and ≤ +1.5 ms (both, so a short baseline cannot
  // pass a large ratio); the whole reply ≤ 1.02× (an absolute bound would grow with the reply's length).
  const ttftOk = eT / dT <= 1.02 && eT - dT <= 1.5;
  const totalOk = eTot / dTot <= 1.02;
  return {
    name: `OpenAI-compatible provider overhead (${rounds} interleaved rounds, ${promptEvalMs} ms prompt eval, ${tokens} tokens at ${tokenDelayMs} ms; ${loadNote()})`,
    ok: ttftOk && totalOk,
    lines: [
      verdict(
        'time to first token',
        ttftOk,
        `engine ${spread(viaEngine.ttft)} ms vs openai SDK ${spread(direct.ttft)} ms → ${fmt(eT / dT, 3)}× (+${fmt(eT - dT)} ms); target ≤ 1.02× and ≤ +1.5 ms`,
      ),
      verdict(
        'total',
        totalOk,
        `engine ${spread(viaEngine.total)} ms vs openai SDK ${spread(direct.total)} ms → ${fmt(eTot / dTot, 3)}× (+${fmt(eTot - dTot)} ms); target ≤ 1.02×`,
      ),
    ],
  };
}
