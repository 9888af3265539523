// Runs the Ollama emulator on its own, for trying the app by hand without Ollama, and for benchmarks
// that must not share a CPU with it:
//   npx tsx e2e/emulators/run-ollama-emulator.ts [port] [--tokens N] [--token-delay MS] [--first-token-delay MS] [--stamp]
// With --tokens, every chat reply is N scripted tokens. Prints "listening <url>" when ready.
import { parseArgs } from 'node:util';
import { EMULATOR_MODELS, startOllamaEmulator } from './ollama-emulator';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tokens: { type: 'string' },
    'token-delay': { type: 'string' },
    'first-token-delay': { type: 'string' },
    stamp: { type: 'boolean' },
  },
});
const port = Number(positionals[0] ?? 11434);
const emu = await startOllamaEmulator({
  port,
  tokenDelayMs: Number(values['token-delay'] ?? 30),
  models: Object.values(EMULATOR_MODELS),
});
if (values.tokens) {
  const n = Number(values.tokens);
  // --first-token-delay stands for prompt evaluation (a real model reads the prompt before its first token).
  const firstTokenDelayMs = Number(values['first-token-delay'] ?? 0);
  emu.script({
    reply: {
      tokens: Array.from({ length: n }, (_, i) => `tok${i} `),
      firstTokenDelayMs,
      stampTokens: values.stamp ?? false,
    },
  });
}
console.log(`listening ${emu.url}`);
