import { describe, expect, it } from 'vitest';
import { metalBudgetBytes, parseMacCpuFeatures, probeAppleSilicon } from './apple-silicon';
import { simdFlags } from './cpu-info';
import { scriptedRunner } from './scripted-runner';
import { fixture, GIB } from './test-fixtures';

describe('Apple Silicon', () => {
  it('reports unified memory with a Metal share of about 2/3 of RAM on a 32 GB M2 Pro', async () => {
    const runner = scriptedRunner({ sysctl: { stdout: fixture('macos/sysctl-m2pro-32gb.txt') } });
    const r = await probeAppleSilicon(runner, 'arm64');
    expect(runner.calls[0]).toEqual({ command: 'sysctl', args: ['-n', 'hw.memsize', 'machdep.cpu.brand_string'] });
    expect(r.value.memBytes).toBe(32 * GIB);
    expect(r.value.gpu).toMatchObject({
      name: 'Apple M2 Pro GPU',
      vendor: 'apple',
      backend: 'metal',
      sharesSystemRam: true,
      vramTotalBytes: Math.floor((32 * GIB * 2) / 3),
    });
  });

  it('gives 3/4 from 36 GB up, 2/3 below', () => {
    expect(metalBudgetBytes(64 * GIB)).toBe(48 * GIB);
    expect(metalBudgetBytes(8 * GIB)).toBe(Math.floor((8 * GIB * 2) / 3));
  });

  it('an Intel Mac has no GPU Ollama uses; its AVX flags come from sysctl', async () => {
    const r = await probeAppleSilicon(
      scriptedRunner({ sysctl: { stdout: fixture('macos/sysctl-intel-i7.txt') } }),
      'x64',
    );
    expect(r.value.gpu).toBeNull();
    expect(r.reason).toBe('Intel Mac: Ollama runs on the CPU');
    expect(simdFlags(parseMacCpuFeatures(fixture('macos/sysctl-intel-features.txt')))).toEqual([
      'avx',
      'avx2',
      'f16c',
      'fma',
    ]);
  });

  it('says why when sysctl fails', async () => {
    const r = await probeAppleSilicon(scriptedRunner({}), 'arm64');
    expect(r).toEqual({ value: { memBytes: null, brand: null, gpu: null }, reason: 'sysctl not found on PATH' });
  });
});
