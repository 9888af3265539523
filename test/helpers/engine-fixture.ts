import { createEngine, type Engine } from '../../main/engine';
import {
  startOllamaEmulator,
  type OllamaEmulator,
  type OllamaEmulatorOptions,
  EMULATOR_MODELS,
} from '../../e2e/emulators/ollama-emulator';
import { makeTempDir } from './temp-dir';
import { MemoryLogger } from '../doubles/memory-logger';

export interface EngineFixture {
  engine: Engine;
  emulator: OllamaEmulator;
  dataDir: string;
  close(): Promise<void>;
}

/** A real engine on a temp data dir, talking to a loopback Ollama emulator. */
export async function engineFixture(
  opts: { emulator?: OllamaEmulatorOptions; env?: NodeJS.ProcessEnv; cwd?: string; home?: string } = {},
): Promise<EngineFixture> {
  const emulator = await startOllamaEmulator({
    models: [EMULATOR_MODELS['qwen2.5:3b']!, EMULATOR_MODELS['llama3.1:8b']!, EMULATOR_MODELS['gemma:2b']!],
    ...opts.emulator,
  });
  const tmp = makeTempDir();
  const engine = createEngine({
    dataDir: tmp.dir,
    ollamaHost: emulator.url,
    env: opts.env ?? {},
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.home ? { home: opts.home } : {}),
    logger: new MemoryLogger(),
  });
  return {
    engine,
    emulator,
    dataDir: tmp.dir,
    async close() {
      await engine.close();
      await emulator.close();
      tmp.cleanup();
    },
  };
}
