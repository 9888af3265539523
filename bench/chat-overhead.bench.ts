import { Ollama, type Tool } from 'ollama';
import { tuningFor } from '../main/chat/model-tuning';
import { buildSystemPrompt } from '../main/chat/system-prompt';
import { createEngine } from '../main/engine';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { makeTempDir } from '../test/helpers/temp-dir';
import { fmt, median, verdict, type BenchResult } from './stats';
import { MemoryLogger } from '../test/doubles/memory-logger';

/** The emulator in its own process, as a real Ollama would be, so it does not compete with the engine for a CPU. */
async function emulatorProcess(tokens: number, tokenDelayMs: number) {
  const script = path.resolve(import.meta.dirname, '../e2e/emulators/run-ollama-emulator.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, '0', '--tokens', String(tokens), '--token-delay', String(tokenDelayMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
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
 * Engine overhead on a streamed reply: the same scripted reply read directly with the `ollama` client
 * (the baseline) and through ChatService (store writes, events), interleaved, medians compared.
 */
export async function benchChatOverhead(rounds = 30, tokens = 120, tokenDelayMs = 2): Promise<BenchResult> {
  const emulator = await emulatorProcess(tokens, tokenDelayMs);
  const tmp = makeTempDir('aeris-bench-');
  const engine = createEngine({
    dataDir: tmp.dir,
    ollamaHost: emulator.url,
    env: { DISABLE_SESSION_LIMIT: '1' },
    logger: new MemoryLogger(),
  });
  const client = new Ollama({ host: emulator.url });
  const direct = { ttft: [] as number[], total: [] as number[] };
  const viaEngine = { ttft: [] as number[], total: [] as number[] };
  try {
    for (let i = 0; i < rounds + 3; i++) {
      const warm = i < 3;
      // baseline: the client straight against the emulator
      let t0 = performance.now();
      let first = 0;
      // The same request the engine sends (system prompt, tool definitions, options), so the ratio is the
      // engine's own work rather than the cost of a bigger request on the Ollama side.
      const stream = await client.chat({
        model: 'qwen2.5:3b',
        messages: [
          { role: 'system', content: buildSystemPrompt({ style: 'general', now: Date.now(), tools: 'native' }) },
          { role: 'user', content: 'q' },
        ],
        tools: engine.tools.definitions() as unknown as Tool[],
        options: tuningFor('qwen2.5:3b', 'general').options,
        stream: true,
      });
      for await (const c of stream) if (!first && c.message.content) first = performance.now() - t0;
      const dTotal = performance.now() - t0;
      // engine: a fresh session each round so history does not grow
      t0 = performance.now();
      let eFirst = 0;
      const h = await engine.chat.send({ message: 'q', model: 'qwen2.5:3b' });
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
  const ttftOk = eT / dT <= 1.05 || eT - dT <= 2;
  const totalOk = eTot / dTot <= 1.05;
  return {
    name: `chat overhead (${rounds} rounds, ${tokens} tokens at ${tokenDelayMs} ms)`,
    ok: ttftOk && totalOk,
    lines: [
      verdict(
        'time to first token',
        ttftOk,
        `engine ${fmt(eT)} ms vs direct ${fmt(dT)} ms → ${fmt(eT / dT, 3)}× (+${fmt(eT - dT)} ms); target ≤ 1.05× or ≤ +2 ms`,
      ),
      verdict(
        'total',
        totalOk,
        `engine ${fmt(eTot)} ms vs direct ${fmt(dTot)} ms → ${fmt(eTot / dTot, 3)}×; target ≤ 1.05×`,
      ),
    ],
  };
}
