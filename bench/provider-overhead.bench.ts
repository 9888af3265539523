import OpenAI from 'openai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tuningFor } from '../main/chat/model-tuning';
import { buildSystemPrompt } from '../main/chat/system-prompt';
import { createEngine } from '../main/engine';
import { MemoryLogger } from '../test/doubles/memory-logger';
import { makeTempDir } from '../test/helpers/temp-dir';
import { fmt, median, verdict, type BenchResult } from './stats';

const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

/** The emulator in its own process, as a GPU server would be, so it does not compete with the engine for a CPU. */
async function emulatorProcess(tokens: number, tokenDelayMs: number) {
  const script = path.resolve(import.meta.dirname, '../e2e/emulators/run-openai-emulator.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '0', '--tokens', String(tokens), '--token-delay', String(tokenDelayMs)],
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
 */
export async function benchProviderOverhead(rounds = 30, tokens = 120, tokenDelayMs = 2): Promise<BenchResult> {
  const emulator = await emulatorProcess(tokens, tokenDelayMs);
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
  const direct = { ttft: [] as number[], total: [] as number[] };
  const viaEngine = { ttft: [] as number[], total: [] as number[] };
  const tools = engine.tools.definitions();
  const maxTokens = tuningFor(MODEL, 'general').options.num_predict;
  try {
    for (let i = 0; i < rounds + 3; i++) {
      const warm = i < 3;
      let t0 = performance.now();
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
      const dTotal = performance.now() - t0;
      t0 = performance.now();
      let eFirst = 0;
      const h = await engine.chat.send({ message: 'q' });
      h.subscribe((e) => {
        if (!eFirst && e.type === 'token') eFirst = performance.now() - t0;
      });
      await h.done;
      const eTotal = performance.now() - t0;
      if (!warm) {
        direct.ttft.push(first);
        direct.total.push(dTotal);
        viaEngine.ttft.push(eFirst);
        viaEngine.total.push(eTotal);
      }
    }
  } finally {
    await engine.close();
    emulator.close();
    tmp.cleanup();
  }
  const dT = median(direct.ttft);
  const eT = median(viaEngine.ttft);
  const dTot = median(direct.total);
  const eTot = median(viaEngine.total);
  // The figure: ≤ 1.02× or ≤ +1.5 ms on the median, for the first token and for the whole reply.
  const ttftOk = eT / dT <= 1.02 || eT - dT <= 1.5;
  const totalOk = eTot / dTot <= 1.02 || eTot - dTot <= 1.5;
  return {
    name: `OpenAI-compatible provider overhead (${rounds} rounds, ${tokens} tokens at ${tokenDelayMs} ms)`,
    ok: ttftOk && totalOk,
    lines: [
      verdict(
        'time to first token',
        ttftOk,
        `engine ${fmt(eT)} ms vs openai SDK ${fmt(dT)} ms → ${fmt(eT / dT, 3)}× (+${fmt(eT - dT)} ms); target ≤ 1.02× or ≤ +1.5 ms`,
      ),
      verdict(
        'total',
        totalOk,
        `engine ${fmt(eTot)} ms vs openai SDK ${fmt(dTot)} ms → ${fmt(eTot / dTot, 3)}× (+${fmt(eTot - dTot)} ms); target ≤ 1.02× or ≤ +1.5 ms`,
      ),
    ],
  };
}
