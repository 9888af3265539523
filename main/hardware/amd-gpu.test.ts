import { describe, expect, it } from 'vitest';
import { parseRocmSmiJson, probeDrmSysfs, probeRocmSmi } from './amd-gpu';
import { scriptedRunner } from './scripted-runner';
import { fixture, fixtureRoot, GIB } from './test-fixtures';

describe('AMD and integrated GPUs from sysfs', () => {
  it('reads an AMD card’s VRAM and flags the Intel iGPU beside it as sharing RAM', async () => {
    const r = await probeDrmSysfs(fixtureRoot('amd-desktop'));
    expect(r.reason).toBeUndefined();
    expect(r.value).toEqual([
      {
        index: 0,
        name: 'AMD Radeon GPU 0x73bf',
        vendor: 'amd',
        backend: 'rocm',
        vramTotalBytes: 17163091968,
        vramFreeBytes: 17163091968 - 325521408,
        driver: null,
        sharesSystemRam: false,
        source: 'sysfs',
      },
      expect.objectContaining({ vendor: 'intel', backend: 'none', sharesSystemRam: true, vramTotalBytes: 0 }),
    ]);
  });

  it('treats a Radeon APU with a 512 MB carve-out as integrated (Ollama runs it on the CPU)', async () => {
    const [g] = (await probeDrmSysfs(fixtureRoot('amd-apu'))).value;
    expect(g).toMatchObject({
      vendor: 'amd',
      backend: 'none',
      sharesSystemRam: true,
      vramTotalBytes: 512 * 1024 * 1024,
    });
  });

  it('leaves NVIDIA cards to nvidia-smi', async () => {
    expect((await probeDrmSysfs(fixtureRoot('intel-nvidia'))).value).toEqual([]);
  });

  it('says why when /sys/class/drm cannot be read', async () => {
    const r = await probeDrmSysfs(fixtureRoot('arm64'));
    expect(r.value).toEqual([]);
    expect(r.reason).toMatch(/sys\/class\/drm not readable \(ENOENT\)/);
  });
});

describe('rocm-smi --showmeminfo vram --json', () => {
  it('parses total and used bytes per card', () => {
    const [g] = parseRocmSmiJson(fixture('rocm-smi/rx7900xtx.json')).value;
    expect(g).toMatchObject({
      vendor: 'amd',
      backend: 'rocm',
      vramTotalBytes: 25753026560,
      vramFreeBytes: 25753026560 - 1118879744,
      source: 'rocm-smi',
    });
    expect(g!.vramTotalBytes / GIB).toBeCloseTo(23.98, 1);
  });

  it('reports a warning instead of JSON, and a missing binary', async () => {
    expect(parseRocmSmiJson(fixture('rocm-smi/not-json.txt')).reason).toMatch(
      /^rocm-smi: not JSON: WARNING: AMD GPU device/,
    );
    expect(await probeRocmSmi(scriptedRunner({}))).toEqual({ value: [], reason: 'rocm-smi not found on PATH' });
  });
});
