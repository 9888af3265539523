import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { execFileRunner } from './command-runner';
import { detectHardware, systemDeps } from './detect-hardware';
import { probeNvidia } from './nvidia-smi';
import { fakeSystem, fixture, fixtureRoot, MIB } from './test-fixtures';
import { ManualClock } from '../../test/doubles/manual-clock';

/** Writes an executable `nvidia-smi` that answers the documented query with `stdout` and exits with `code`. */
function writeFakeNvidiaSmi(dir: string, stdout: string, code = 0): void {
  const file = path.join(dir, 'nvidia-smi');
  const body = [
    '#!/bin/sh',
    // Anything but the query the probe documents is a bug in the probe.
    'case "$1" in --query-gpu=index,name,memory.total,memory.used,memory.free,driver_version,compute_cap) ;; *) echo "bad args: $*" >&2; exit 2;; esac',
    '[ "$2" = "--format=csv,noheader,nounits" ] || { echo "bad format: $2" >&2; exit 2; }',
    "cat <<'OUT'",
    stdout.trimEnd(),
    'OUT',
    `exit ${code}`,
  ].join('\n');
  fs.writeFileSync(file, body + '\n');
  fs.chmodSync(file, 0o755);
}

describe.skipIf(process.platform === 'win32')('detection through a fake nvidia-smi first on PATH', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(() => tmp.cleanup());

  const detect = (binDir: string) =>
    detectHardware({
      runner: execFileRunner({ PATH: `${binDir}:/usr/bin:/bin` }),
      platform: 'linux',
      arch: 'x64',
      env: {},
      fsRoot: fixtureRoot('intel-nvidia'),
      system: fakeSystem(),
      clock: new ManualClock(),
    });

  it('finds two GPUs through the real runner', async () => {
    const bin = path.join(tmp.dir, 'two');
    fs.mkdirSync(bin);
    writeFakeNvidiaSmi(bin, fixture('nvidia-smi/two-gpus.csv'));
    const report = await detect(bin);
    expect(report.gpus.map((g) => [g.name, g.vramFreeBytes! / MIB, g.driver])).toEqual([
      ['NVIDIA GeForce RTX 4090', 22260, '560.35.03'],
      ['NVIDIA GeForce RTX 3090', 24119, '560.35.03'],
    ]);
    expect(report.notes.filter((n) => n.includes('nvidia'))).toEqual([]);
  });

  it('a driver/library mismatch (exit 18) gives no GPU and the reason', async () => {
    const bin = path.join(tmp.dir, 'mismatch');
    fs.mkdirSync(bin);
    writeFakeNvidiaSmi(bin, fixture('nvidia-smi/nvml-mismatch.txt'), 18);
    const report = await detect(bin);
    expect(report.gpus).toEqual([]);
    expect(report.notes).toContain('nvidia-smi failed: Failed to initialize NVML: Driver/library version mismatch');
  });

  it('"No devices were found" (exit 6) is no GPU', async () => {
    const bin = path.join(tmp.dir, 'none');
    fs.mkdirSync(bin);
    writeFakeNvidiaSmi(bin, fixture('nvidia-smi/no-devices.txt'), 6);
    expect((await detect(bin)).notes).toContain('nvidia-smi: No devices were found');
  });
});

describe('the real nvidia-smi on this machine', () => {
  it('reports at least one GPU with its VRAM, or says why not', async (ctx) => {
    const runner = execFileRunner(process.env);
    const probe = await runner.run('nvidia-smi', ['-L'], { timeoutMs: 10_000 });
    if (probe.failure === 'missing') ctx.skip('nvidia-smi is not on PATH: no NVIDIA driver on this machine');
    const r = await probeNvidia(runner, 10_000);
    if (r.value.length === 0) {
      expect(r.reason).toBeTruthy();
      return;
    }
    for (const g of r.value) {
      expect(g.vramTotalBytes).toBeGreaterThan(512 * MIB);
      expect(g.name).toMatch(/\S/);
    }
    const report = await detectHardware({ ...systemDeps(), runner, env: process.env, clock: new ManualClock() });
    expect(report.gpus.filter((g) => g.vendor === 'nvidia').length).toBe(r.value.length);
  });
});
