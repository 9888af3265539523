import { createEngine } from '../main/engine';
import { startHttpServer } from '../main/server/http-server';
import { startOllamaEmulator } from '../e2e/emulators/ollama-emulator';
import { makeTempDir } from '../test/helpers/temp-dir';
import { fmt, verdict, type BenchResult } from './stats';
import { MemoryLogger } from '../test/doubles/memory-logger';

/** Tokens per second from the engine to an SSE client of /api/v1/agent/chat/stream, checking none is lost. */
export async function benchSseStreaming(tokens = 20_000): Promise<BenchResult> {
  const emulator = await startOllamaEmulator();
  const expected = Array.from({ length: tokens }, (_, i) => `t${i} `);
  emulator.script({ reply: { tokens: expected, tokenDelayMs: 0 } });
  const tmp = makeTempDir('aeris-bench-sse-');
  const engine = createEngine({ dataDir: tmp.dir, ollamaHost: emulator.url, env: {}, logger: new MemoryLogger() });
  const token = 'bench-token-0123456789abcdef';
  const server = await startHttpServer(engine, { host: '127.0.0.1', port: 0, token, rendererDir: null });
  try {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/v1/agent/chat/stream`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'stream', model: 'qwen2.5:3b' }),
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    let received = '';
    let events = 0;
    let final: { response?: string } = {};
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1] ?? 'null';
        if (ev === 'token') {
          received += (JSON.parse(data) as { content: string }).content;
          events++;
        } else if (ev === 'response') final = (JSON.parse(data) as { data: { response: string } }).data;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const rate = tokens / seconds;
    const intact = received === expected.join('') && final.response === received;
    const ok = rate >= 5000 && intact;
    return {
      name: `SSE streaming (${tokens.toLocaleString('en')} tokens, no delay)`,
      ok,
      lines: [
        verdict(
          'engine → SSE client',
          ok,
          `${fmt(rate, 0)} tokens/s (${fmt(rate / 5000, 2)}× the 5,000/s target) in ${events} SSE events; every token delivered: ${intact ? 'yes' : 'NO'}`,
        ),
      ],
    };
  } finally {
    await server.close();
    await engine.close();
    await emulator.close();
    tmp.cleanup();
  }
}
