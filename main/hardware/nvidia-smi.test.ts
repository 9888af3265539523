import { describe, expect, it } from 'vitest';
import { NVIDIA_SMI_ARGS, parseNvidiaSmiCsv, probeNvidia } from './nvidia-smi';
import { scriptedRunner } from './scripted-runner';
import { fixture, MIB } from './test-fixtures';

describe('nvidia-smi', () => {
  it('parses one GPU: MiB figures to bytes, driver and compute capability', () => {
    const r = parseNvidiaSmiCsv(fixture('nvidia-smi/rtx3060.csv'));
    expect(r.reason).toBeUndefined();
    expect(r.value).toEqual([
      {
        index: 0,
        name: 'NVIDIA GeForce RTX 3060',
        vendor: 'nvidia',
        backend: 'cuda',
        vramTotalBytes: 12288 * MIB,
        vramFreeBytes: 10906 * MIB,
        driver: '550.54.14',
        sharesSystemRam: false,
        computeCapability: '8.6',
        source: 'nvidia-smi',
      },
    ]);
  });

  it('parses the output recorded from a real NVIDIA H200 (driver 580.159.04, 2026-11-28) byte for byte', () => {
    const r = parseNvidiaSmiCsv(fixture('nvidia-smi/h200-recorded.csv'));
    expect(r.reason).toBeUndefined();
    expect(r.value).toEqual([
      {
        index: 0,
        name: 'NVIDIA H200',
        vendor: 'nvidia',
        backend: 'cuda',
        vramTotalBytes: 143771 * MIB,
        vramFreeBytes: 143156 * MIB,
        driver: '580.159.04',
        sharesSystemRam: false,
        computeCapability: '9.0',
        source: 'nvidia-smi',
      },
    ]);
  });

  it('parses several GPUs, one a line', () => {
    const r = parseNvidiaSmiCsv(fixture('nvidia-smi/two-gpus.csv'));
    expect(r.value.map((g) => [g.index, g.name, g.vramTotalBytes / MIB])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090', 24564],
      [1, 'NVIDIA GeForce RTX 3090', 24576],
    ]);
  });

  it('keeps a board whose used/free read [N/A]: free unknown, total kept', () => {
    const [g] = parseNvidiaSmiCsv(fixture('nvidia-smi/not-available-fields.csv')).value;
    expect(g).toMatchObject({ name: 'NVIDIA GH200 480GB', vramTotalBytes: 97871 * MIB, vramFreeBytes: null });
  });

  it('runs the documented query', async () => {
    const runner = scriptedRunner({ 'nvidia-smi': { stdout: fixture('nvidia-smi/rtx3060.csv') } });
    await probeNvidia(runner);
    expect(runner.calls).toEqual([{ command: 'nvidia-smi', args: NVIDIA_SMI_ARGS }]);
    expect(NVIDIA_SMI_ARGS.join(' ')).toBe(
      '--query-gpu=index,name,memory.total,memory.used,memory.free,driver_version,compute_cap --format=csv,noheader,nounits',
    );
  });

  it.each([
    ['no-devices.txt', 6, 'nvidia-smi: No devices were found'],
    ['nvml-mismatch.txt', 18, 'nvidia-smi failed: Failed to initialize NVML: Driver/library version mismatch'],
    [
      'driver-not-loaded.txt',
      9,
      "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    ],
    ['old-driver-invalid-field.txt', 2, 'nvidia-smi failed: Field "compute_cap" is not a valid field to query.'],
  ])('%s: no GPUs, and says why', async (file, code, reason) => {
    const runner = scriptedRunner({
      'nvidia-smi': {
        ok: false,
        stdout: fixture(`nvidia-smi/${file}`),
        exitCode: code,
        failure: 'exit',
        message: `nvidia-smi exited with code ${code}`,
      },
    });
    expect(await probeNvidia(runner)).toEqual({ value: [], reason });
  });

  it('a missing binary or a timeout: no GPUs, with the runner’s reason', async () => {
    expect(await probeNvidia(scriptedRunner({}))).toEqual({ value: [], reason: 'nvidia-smi not found on PATH' });
    const slow = scriptedRunner({
      'nvidia-smi': {
        ok: false,
        failure: 'timeout',
        exitCode: null,
        message: 'nvidia-smi did not answer within 5000 ms',
      },
    });
    expect(await probeNvidia(slow)).toEqual({ value: [], reason: 'nvidia-smi did not answer within 5000 ms' });
  });

  it('exit 0 with "No devices were found" (some versions) is no GPU, not an error', () => {
    expect(parseNvidiaSmiCsv('No devices were found\n')).toEqual({
      value: [],
      reason: 'nvidia-smi: No devices were found',
    });
  });

  it('garbage output is reported, not trusted', () => {
    expect(parseNvidiaSmiCsv('index, name\n').reason).toMatch(/unexpected output/);
  });
});
