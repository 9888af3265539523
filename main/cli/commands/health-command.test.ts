import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOllamaEmulator, EMULATOR_MODELS, type OllamaEmulator } from '../../../e2e/emulators/ollama-emulator';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { runCli } from '../run-cli';

describe('aeris health', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let emulator: OllamaEmulator;
  beforeEach(async () => {
    tmp = makeTempDir();
    emulator = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!] });
  });
  afterEach(async () => {
    await emulator.close();
    tmp.cleanup();
  });

  const cli = async (...args: string[]) => {
    let stdout = '';
    const code = await runCli([...args, '--data-dir', tmp.dir, '--ollama-host', emulator.url], {
      io: { stdout: (t) => (stdout += t), stderr: () => undefined, isTTY: false },
      env: {},
      rendererDir: tmp.dir,
    });
    return { code, stdout };
  };

  it('prints one line per check with its light and reason; --json keeps the seed fields and adds checks', async () => {
    const text = await cli('health');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^● HEALTHY/);
    expect(text.stdout).toMatch(/◐ WARN {2}Last backup +No backup yet/);
    expect(text.stdout).toMatch(/● ok {4}Chat history \(SQLite\) +Open; 0 conversations/);
    const json = await cli('health', '--json');
    const report = JSON.parse(json.stdout) as { status: string; database: string; checks: { id: string }[] };
    expect(report).toMatchObject({ status: 'healthy', database: 'connected' });
    expect(report.checks.map((c) => c.id)).toContain('disk');
    await emulator.close();
    const down = await cli('health');
    expect(down.code).toBe(3);
    expect(down.stdout).toMatch(/○ FAIL {2}Ollama/);
  });
});
