import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { EMULATOR_MODELS, OllamaEmulator } from '../../../e2e/emulators/ollama-emulator';
import { fixture } from '../../hardware/test-fixtures';
import { loadModelCatalog } from '../../hardware/model-catalog';
import { runCli } from '../run-cli';

const MIB = 1024 * 1024;
const VERDICTS = ['full-gpu', 'partial', 'cpu', 'too-large'];

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false },
    env,
    rendererDir: '/nonexistent',
  });
  return { code, stdout, stderr };
}

// Real detection through the real runner, with a fake nvidia-smi (an RTX 3060) first on PATH.
describe.skipIf(process.platform === 'win32')('aeris doctor', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(() => {
    tmp = makeTempDir();
    const bin = path.join(tmp.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'nvidia-smi'),
      `#!/bin/sh\ncat <<'OUT'\n${fixture('nvidia-smi/rtx3060.csv').trimEnd()}\nOUT\n`,
    );
    fs.chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
    env = { PATH: `${bin}:/usr/bin:/bin`, HOME: tmp.dir, OLLAMA_MODELS: path.join(tmp.dir, 'models') };
    dataDir = path.join(tmp.dir, 'data');
  });
  afterAll(() => tmp.cleanup());

  it('--json keeps the contract, with Ollama unreachable: catalog only, and says so', async () => {
    const { code, stdout, stderr } = await cli(
      ['doctor', '--json', '--data-dir', dataDir, '--ollama-host', 'http://127.0.0.1:9'],
      env,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const d = JSON.parse(stdout);
    expect(d.gpus[0]).toEqual(
      expect.objectContaining({
        name: 'NVIDIA GeForce RTX 3060',
        vendor: 'nvidia',
        vramTotalBytes: 12288 * MIB,
        vramFreeBytes: 10906 * MIB,
        driver: '550.54.14',
      }),
    );
    for (const g of d.gpus)
      expect(Object.keys(g)).toEqual(
        expect.arrayContaining(['name', 'vendor', 'vramTotalBytes', 'vramFreeBytes', 'driver']),
      );
    expect(d.ram).toEqual({ totalBytes: expect.any(Number), freeBytes: expect.any(Number) });
    expect(d.cpu).toEqual({ model: expect.any(String), cores: expect.any(Number), flags: expect.any(Array) });
    expect(d.disk).toEqual({ modelsDir: path.join(tmp.dir, 'models'), freeBytes: expect.any(Number) });
    expect(d.recommendations).toHaveLength(loadModelCatalog().length);
    for (const r of d.recommendations) {
      expect(r).toEqual(
        expect.objectContaining({
          model: expect.any(String),
          verdict: expect.any(String),
          requiredBytes: expect.any(Number),
          gpuFraction: expect.any(Number),
          tools: expect.any(Boolean),
          reason: expect.any(String),
        }),
      );
      expect(VERDICTS).toContain(r.verdict);
      expect(r.gpuFraction).toBeGreaterThanOrEqual(0);
      expect(r.gpuFraction).toBeLessThanOrEqual(1);
    }
    expect(d.recommended).toBe(d.recommendations[0].model);
    // qwen2.5:14b needs 10.2 GB of the 10.7 GB free (Ollama's placement): tight, so ranked after qwen3:14b.
    expect(d.recommended).toBe('qwen3:14b');
    expect(d.estimator).toEqual({ follows: 'ollama 0.12.10' });
    expect(d.recommendations.find((r: { model: string }) => r.model === 'qwen2.5:14b')).toMatchObject({
      verdict: 'full-gpu',
      gpuLayers: 49,
      totalLayers: 49,
      basis: 'estimated',
    });
    expect(d.recommendations[0]).toMatchObject({ verdict: 'full-gpu', tools: true, gpuFraction: 1 });
    expect(d.ollama.reachable).toBe(false);
    expect(d.notes.some((n: string) => n.startsWith('Ollama not reachable at http://127.0.0.1:9'))).toBe(true);
  });

  it('marks installed models when Ollama answers', async () => {
    const emu = await new OllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!] }).start();
    try {
      const { code, stdout } = await cli(['doctor', '--json', '--data-dir', dataDir, '--ollama-host', emu.url], env);
      expect(code).toBe(0);
      const d = JSON.parse(stdout);
      expect(d.ollama).toMatchObject({ reachable: true, installed: 1 });
      expect(
        d.recommendations.filter((r: { installed: boolean }) => r.installed).map((r: { model: string }) => r.model),
      ).toEqual(['qwen2.5:3b']);
    } finally {
      await emu.close();
    }
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await cli(['doctor', '--data-dir', dataDir, '--ollama-host', 'http://127.0.0.1:9'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('GPU    NVIDIA GeForce RTX 3060 (nvidia) 12 GB VRAM, 10.7 GB free, driver 550.54.14');
    expect(stdout).toContain('Ollama not reachable at http://127.0.0.1:9: advice from the built-in catalog only');
    expect(stdout).toContain('Recommended: qwen3:14b');
    expect(stdout).toMatch(/^\s+MODEL\s+RUNS ON\s+NEEDS\s+TOOLS\s+WHY$/m);
    expect(stdout).toMatch(
      /^\s+qwen3:14b\s+GPU\s+10 GB\s+yes\s+needs 10 GB of your 12 GB VRAM \(10\.7 GB free\) at 4k context$/m,
    );
  });

  it('--context changes the sizing; a bad value is a usage error', async () => {
    const { stdout } = await cli(
      ['doctor', '--json', '--context', '8192', '--data-dir', dataDir, '--ollama-host', 'http://127.0.0.1:9'],
      env,
    );
    expect(JSON.parse(stdout).context).toEqual({ numCtx: 8192, kvCacheType: 'f16', numParallel: 1 });
    const bad = await cli(['doctor', '--context', 'lots', '--data-dir', dataDir], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--context must be a whole number/);
  });
});
