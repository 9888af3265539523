// Runs the Ollama emulator on its own, for trying the app by hand without Ollama:
//   npx tsx e2e/emulators/run-ollama-emulator.ts [port]
import { EMULATOR_MODELS, startOllamaEmulator } from './ollama-emulator';

const port = Number(process.argv[2] ?? 11434);
const emu = await startOllamaEmulator({
  port,
  tokenDelayMs: 30,
  models: Object.values(EMULATOR_MODELS),
});
console.log(`Ollama emulator on ${emu.url}`);
