import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { detectHardware, type DetectDeps } from './detect-hardware';
import { scriptedRunner } from './scripted-runner';
import { fakeSystem, fixture, fixtureRoot, GIB, MIB } from './test-fixtures';
import { ManualClock } from '../../test/doubles/manual-clock';

const statfs = async () => ({ bavail: 100 * 1024 * 1024, bsize: 4096 });

function deps(over: Partial<DetectDeps>): DetectDeps {
  return {
    runner: scriptedRunner({}),
    platform: 'linux',
    arch: 'x64',
    env: {},
    fsRoot: fixtureRoot('intel-nvidia'),
    system: fakeSystem(),
    clock: new ManualClock(),
    statfs,
    ...over,
  };
}

describe('detectHardware', () => {
  it('Linux + NVIDIA: GPUs from nvidia-smi, CPU flags from /proc/cpuinfo, RAM, disk at ~/.ollama/models', async () => {
    const report = await detectHardware(
      deps({
        runner: scriptedRunner({ 'nvidia-smi': { stdout: fixture('nvidia-smi/two-gpus.csv') } }),
        system: fakeSystem({ cpus: 4 }),
      }),
    );
    expect(report.gpus.map((g) => [g.index, g.name, g.vramTotalBytes / MIB])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090', 24564],
      [1, 'NVIDIA GeForce RTX 3090', 24576],
    ]);
    expect(report.cpu).toMatchObject({ model: 'Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz', cores: 4 });
    expect(report.cpu.flags).toContain('avx512f');
    expect(report.ram).toEqual({ totalBytes: 32 * GIB, freeBytes: 24 * GIB });
    expect(report.disk).toEqual({
      modelsDir: path.join('/home/officer', '.ollama', 'models'),
      freeBytes: 100 * 1024 * 1024 * 4096,
    });
    expect(report.notes).toEqual([]);
    expect(report.detectedAt).toBe('2026-01-10T12:00:00.000Z');
  });

  it('Linux + AMD: sysfs card plus the Intel iGPU; nvidia-smi missing is noted, not fatal', async () => {
    const report = await detectHardware(
      deps({ fsRoot: fixtureRoot('amd-desktop'), env: { OLLAMA_MODELS: '/srv/models' } }),
    );
    expect(report.gpus.map((g) => [g.vendor, g.backend, g.sharesSystemRam])).toEqual([
      ['amd', 'rocm', false],
      ['intel', 'none', true],
    ]);
    expect(report.notes).toEqual(['nvidia-smi not found on PATH']);
    expect(report.disk.modelsDir).toBe(path.resolve('/srv/models'));
  });

  it('Linux without a readable sysfs falls back to rocm-smi', async () => {
    const runner = scriptedRunner({ 'rocm-smi': { stdout: fixture('rocm-smi/rx7900xtx.json') } });
    const report = await detectHardware(deps({ fsRoot: fixtureRoot('arm64'), runner }));
    expect(report.gpus).toHaveLength(1);
    expect(report.gpus[0]).toMatchObject({ vendor: 'amd', source: 'rocm-smi' });
  });

  it('NVML driver/library mismatch: no GPU, CPU-only advice, and the reason is kept', async () => {
    const runner = scriptedRunner({
      'nvidia-smi': { ok: false, failure: 'exit', exitCode: 18, stdout: fixture('nvidia-smi/nvml-mismatch.txt') },
    });
    const report = await detectHardware(deps({ runner }));
    expect(report.gpus).toEqual([]);
    expect(report.notes).toContain('nvidia-smi failed: Failed to initialize NVML: Driver/library version mismatch');
  });

  it('macOS Apple Silicon: one Metal GPU sharing RAM, the CPU named by its brand string', async () => {
    const runner = scriptedRunner({ sysctl: { stdout: fixture('macos/sysctl-m2pro-32gb.txt') } });
    const report = await detectHardware(
      deps({ platform: 'darwin', arch: 'arm64', runner, system: fakeSystem({ model: 'Apple M2 Pro' }) }),
    );
    expect(report.gpus).toEqual([
      expect.objectContaining({ vendor: 'apple', backend: 'metal', sharesSystemRam: true }),
    ]);
    expect(report.cpu.model).toBe('Apple M2 Pro');
    expect(runner.calls.map((c) => c.command)).toEqual(['sysctl']);
  });

  it('Intel Mac: no GPU, AVX flags from sysctl', async () => {
    const runner = scriptedRunner({
      sysctl: (args) => ({
        stdout: fixture(args.includes('hw.memsize') ? 'macos/sysctl-intel-i7.txt' : 'macos/sysctl-intel-features.txt'),
      }),
    });
    const report = await detectHardware(deps({ platform: 'darwin', runner }));
    expect(report.gpus).toEqual([]);
    expect(report.cpu.flags).toEqual(['avx', 'avx2', 'f16c', 'fma']);
  });

  it('Windows: nvidia-smi first; registry adds the iGPU but not the NVIDIA card twice', async () => {
    const runner = scriptedRunner({
      'nvidia-smi': { stdout: '0, NVIDIA GeForce RTX 3070 Laptop GPU, 8192, 512, 7680, 552.22, 8.6\n' },
      reg: (args) => ({
        stdout: fixture(
          `windows/${
            {
              'HardwareInformation.qwMemorySize': 'laptop-qwMemorySize.txt',
              DriverDesc: 'laptop-DriverDesc.txt',
              DriverVersion: 'laptop-DriverVersion.txt',
            }[args[4]!] ?? 'no-match.txt'
          }`,
        ),
      }),
    });
    const report = await detectHardware(deps({ platform: 'win32', runner }));
    expect(report.gpus.map((g) => [g.name, g.source])).toEqual([
      ['NVIDIA GeForce RTX 3070 Laptop GPU', 'nvidia-smi'],
      ['Intel(R) UHD Graphics 630', 'registry'],
    ]);
  });

  it('Windows without nvidia-smi: the registry’s 16 GB, not a 4 GB cap', async () => {
    const runner = scriptedRunner({
      reg: (args) => ({
        stdout: fixture(
          `windows/${
            {
              'HardwareInformation.qwMemorySize': 'rx6800xt-qwMemorySize.txt',
              DriverDesc: 'rx6800xt-DriverDesc.txt',
              DriverVersion: 'rx6800xt-DriverVersion.txt',
            }[args[4]!] ?? 'no-match.txt'
          }`,
        ),
      }),
    });
    const report = await detectHardware(deps({ platform: 'win32', runner }));
    expect(report.gpus).toEqual([expect.objectContaining({ name: 'AMD Radeon RX 6800 XT', vramTotalBytes: 16 * GIB })]);
    expect(report.notes).toContain('nvidia-smi not found on PATH');
  });

  it('every probe failing still gives a report, CPU-only, with the reasons', async () => {
    const report = await detectHardware(
      deps({
        fsRoot: '/nonexistent-root',
        statfs: () => Promise.reject(Object.assign(new Error('x'), { code: 'EIO' })),
      }),
    );
    expect(report.gpus).toEqual([]);
    expect(report.cpu).toMatchObject({ model: 'Test CPU', cores: 8, flags: [] });
    expect(report.notes).toEqual(
      expect.arrayContaining([
        'nvidia-smi not found on PATH',
        'rocm-smi not found on PATH',
        expect.stringMatching(/cpuinfo not readable/),
        expect.stringMatching(/^free disk at .*: EIO$/),
      ]),
    );
  });
});
