// Runs the OpenAI-compatible emulator on its own (a stand-in for vLLM or llama.cpp's server), for trying the
// app without a GPU server and for benchmarks that must not share a CPU with it:
//   npx tsx e2e/emulators/run-openai-emulator.ts [port] [--tokens N] [--token-delay MS] [--prompt-eval MS] [--key KEY]
// With --tokens, every reply is N scripted tokens, the first after --prompt-eval ms (a server's prompt processing). Prints "listening <base URL>" (ending in /v1) when ready.
import { parseArgs } from 'node:util';
import { startOpenAiEmulator } from './openai-compatible-emulator';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tokens: { type: 'string' },
    'token-delay': { type: 'string' },
    'prompt-eval': { type: 'string' },
    key: { type: 'string' },
  },
});
const emu = await startOpenAiEmulator({
  port: Number(positionals[0] ?? 8000),
  tokenDelayMs: Number(values['token-delay'] ?? 30),
  ...(values.key ? { apiKey: values.key } : {}),
});
if (values.tokens) {
  const n = Number(values.tokens);
  const firstTokenDelayMs = Number(values['prompt-eval'] ?? 0);
  emu.script({ reply: { tokens: Array.from({ length: n }, (_, i) => `tok${i} `), firstTokenDelayMs } });
}
console.log(`listening ${emu.baseUrl}`);
