import { describe, expect, it } from 'vitest';
import type { GpuInfo, HardwareReport } from './hardware-types';
import { ollamaSettingsFromEnv } from './memory-estimator';
import { loadModelCatalog, specFromCatalog } from './model-catalog';
import { parseNvidiaSmiCsv } from './nvidia-smi';
import { recommendModels, type RecommendationSet } from './recommendations';
import { fixture, GIB, MIB } from './test-fixtures';

const specs = loadModelCatalog().map(specFromCatalog);
const settings = ollamaSettingsFromEnv({});

function machine(gpus: GpuInfo[], ram: { totalGb: number; freeGb: number }, diskFreeGb = 500): HardwareReport {
  return {
    platform: 'linux',
    arch: 'x64',
    gpus,
    ram: { totalBytes: ram.totalGb * GIB, freeBytes: ram.freeGb * GIB },
    cpu: { model: 'Test CPU', cores: 8, flags: ['avx', 'avx2'] },
    disk: { modelsDir: '/home/officer/.ollama/models', freeBytes: diskFreeGb * GIB },
    notes: [],
    detectedAt: '2026-01-10T12:00:00.000Z',
  };
}

const nvidia = (name: string, totalMib: number, freeMib: number): GpuInfo => ({
  index: 0,
  name,
  vendor: 'nvidia',
  backend: 'cuda',
  vramTotalBytes: totalMib * MIB,
  vramFreeBytes: freeMib * MIB,
  driver: '550.54.14',
  sharesSystemRam: false,
  source: 'nvidia-smi',
});

const verdicts = (set: RecommendationSet) => Object.fromEntries(set.recommendations.map((r) => [r.model, r.verdict]));
const row = (set: RecommendationSet, model: string) => set.recommendations.find((r) => r.model === model)!;

describe('the seed’s tiers on real cards', () => {
  it('4 GB (GTX 1650): qwen2.5:3b, gemma:2b fit fully; the pick is a 3–4B model with tools; 7B+ do not fit', () => {
    const set = recommendModels(
      specs,
      machine(parseNvidiaSmiCsv(fixture('nvidia-smi/gtx1650-4gb.csv')).value, { totalGb: 16, freeGb: 10 }),
      settings,
    );
    const v = verdicts(set);
    expect(set.numCtx).toBe(4096);
    expect(v['qwen2.5:3b']).toBe('full-gpu');
    expect(v['gemma:2b']).toBe('full-gpu');
    // phi3 has no GQA: its 4k KV cache alone is 1.5 GB, so at 4k it spills over a 4 GB card.
    expect(['full-gpu', 'partial']).toContain(v['phi3:mini']);
    for (const m of ['qwen2.5:7b', 'mistral:7b', 'llama3:8b', 'llama3.1:8b']) expect(v[m], m).toBe('partial');
    const pick = row(set, set.recommended!);
    expect(pick).toMatchObject({ verdict: 'full-gpu', tools: true, tight: false });
    expect(pick.parameterCount).toBeGreaterThan(2.5e9);
    expect(pick.parameterCount).toBeLessThan(4.5e9);
    expect(row(set, 'qwen2.5:3b').reason).toBe('needs 3 GB of your 4 GB VRAM at 4k context');
  });

  it('6 GB: qwen2.5:7b and mistral:7b fit fully; llama3.1:8b keeps its output layer on the CPU (32/33)', () => {
    const set = recommendModels(
      specs,
      machine([nvidia('NVIDIA GeForce GTX 1660 SUPER', 6144, 5900)], { totalGb: 16, freeGb: 10 }),
      settings,
    );
    const v = verdicts(set);
    expect(v['qwen2.5:7b']).toBe('full-gpu');
    expect(v['mistral:7b']).toBe('full-gpu');
    // Ollama v0.12.10 needs 6.05 GiB free for all 33 layers (the 677 MiB partial graph is reserved while placing).
    expect(row(set, 'llama3.1:8b')).toMatchObject({ verdict: 'partial', gpuFraction: 0.97, gpuLayers: 32 });
    expect(row(set, 'llama3.1:8b').reason).toMatch(
      /^needs 6\.1 GB for all 33 layers, more than your 6 GB VRAM: 32\/33 layers on the GPU \(the output layer on the CPU\), 411 MB in RAM \(slower\) at 4k context$/,
    );
  });

  it('8 GB: every 7–8B model fits fully and the pick is one of them, with tools', () => {
    const set = recommendModels(
      specs,
      machine([nvidia('NVIDIA GeForce RTX 3070 Laptop GPU', 8192, 7800)], { totalGb: 32, freeGb: 20 }),
      settings,
    );
    const v = verdicts(set);
    for (const m of ['qwen2.5:7b', 'mistral:7b', 'llama3:8b', 'llama3.1:8b', 'qwen3:8b'])
      expect(v[m], m).toBe('full-gpu');
    expect(v['qwen2.5:14b']).toBe('partial');
    const pick = row(set, set.recommended!);
    expect(pick.tools).toBe(true);
    expect(pick.parameterCount).toBeGreaterThan(7e9);
    expect(pick.parameterCount).toBeLessThan(9e9);
  });

  it('12 GB (RTX 3060): qwen2.5:14b fits but tight, so qwen3:14b is the pick; mixtral is partial; llama3:70b too large with 24 GB free RAM', () => {
    const set = recommendModels(
      specs,
      machine(parseNvidiaSmiCsv(fixture('nvidia-smi/rtx3060.csv')).value, { totalGb: 32, freeGb: 24 }),
      settings,
    );
    const v = verdicts(set);
    expect(set.recommended).toBe('qwen3:14b');
    expect(row(set, 'qwen2.5:14b')).toMatchObject({ verdict: 'full-gpu', tight: true });
    expect(row(set, 'qwen2.5:14b').reason).toBe(
      'needs 10.2 GB of your 12 GB VRAM (10.7 GB free) at 4k context (tight: other GPU apps may push part of it to the CPU)',
    );
    expect(v['mixtral:8x7b']).toBe('partial');
    expect(v['llama3:70b']).toBe('too-large');
    // The first entries are GPU fits with tools, strongest first; a 1B model is nowhere near the top.
    const top = set.recommendations.slice(0, 3);
    expect(top.every((r) => r.verdict === 'full-gpu' && r.tools)).toBe(true);
    expect(top.map((r) => r.parameterCount)).toEqual([...top.map((r) => r.parameterCount)].sort((a, b) => b - a));
  });

  it('llama3:70b on 12 GB VRAM + 64 GB free RAM runs partly on the GPU', () => {
    const set = recommendModels(
      specs,
      machine(parseNvidiaSmiCsv(fixture('nvidia-smi/rtx3060.csv')).value, { totalGb: 64, freeGb: 56 }),
      settings,
    );
    const r = row(set, 'llama3:70b');
    expect(r.verdict).toBe('partial');
    expect(r.gpuFraction).toBeGreaterThan(0.2);
    expect(r.gpuFraction).toBeLessThan(0.3);
  });
});

describe('other machines', () => {
  it('CPU only: verdict cpu, and the pick is a ~3B model with tools, not the biggest one RAM can hold', () => {
    const set = recommendModels(specs, machine([], { totalGb: 32, freeGb: 24 }), settings);
    expect(row(set, 'llama3.1:8b').verdict).toBe('cpu');
    expect(row(set, 'llama3:70b').verdict).toBe('too-large');
    const pick = row(set, set.recommended!);
    expect(pick).toMatchObject({ verdict: 'cpu', tools: true });
    expect(pick.parameterCount).toBeLessThan(3.5e9);
    expect(pick.reason).toMatch(/^no GPU Ollama can use: runs on the CPU, needs .* of 24 GB free RAM at 4k context$/);
  });

  it('an integrated GPU counts as CPU', () => {
    const igpu: GpuInfo = {
      index: 0,
      name: 'Intel UHD',
      vendor: 'intel',
      backend: 'none',
      vramTotalBytes: 0,
      vramFreeBytes: null,
      driver: null,
      sharesSystemRam: true,
      source: 'sysfs',
    };
    expect(
      row(recommendModels(specs, machine([igpu], { totalGb: 16, freeGb: 8 }), settings), 'qwen2.5:3b').verdict,
    ).toBe('cpu');
  });

  it('24 GB: Ollama’s default context rises to 32k and the estimate with it', () => {
    const small = recommendModels(
      specs,
      machine([nvidia('RTX 4080', 16376, 15800)], { totalGb: 64, freeGb: 50 }),
      settings,
    );
    const big = recommendModels(
      specs,
      machine([nvidia('RTX 4090', 24564, 23800)], { totalGb: 64, freeGb: 50 }),
      settings,
    );
    expect(small.numCtx).toBe(4096);
    expect(big.numCtx).toBe(32768);
    expect(row(big, 'llama3.1:8b').estimate.kvCacheBytes).toBe(4 * GIB);
    expect(row(big, 'llama3.1:8b').reason).toMatch(/at 32k context$/);
  });

  it('two 24 GB cards split a model too big for one', () => {
    const gpus = parseNvidiaSmiCsv(fixture('nvidia-smi/two-gpus.csv')).value;
    const set = recommendModels(specs, machine(gpus, { totalGb: 128, freeGb: 100 }), settings, { numCtx: 4096 });
    expect(row(set, 'mixtral:8x7b').verdict).toBe('full-gpu');
    expect(row(set, 'mixtral:8x7b').reason).toMatch(/over 2 GPUs/);
  });

  it('a --context or OLLAMA_CONTEXT_LENGTH changes every estimate; q8_0 KV halves the cache', () => {
    const hw = machine([nvidia('RTX 3060', 12288, 11000)], { totalGb: 32, freeGb: 24 });
    const at8k = recommendModels(specs, hw, ollamaSettingsFromEnv({ OLLAMA_CONTEXT_LENGTH: '8192' }));
    expect(row(at8k, 'llama3.1:8b').estimate.kvCacheBytes).toBe(GIB);
    const q8 = recommendModels(
      specs,
      hw,
      ollamaSettingsFromEnv({ OLLAMA_FLASH_ATTENTION: 'true', OLLAMA_KV_CACHE_TYPE: 'q8_0' }),
    );
    expect(row(q8, 'llama3.1:8b').estimate.kvCacheBytes).toBe(256 * MIB);
  });

  it('says so when the download would not fit on the disk, and notes models without tools', () => {
    const set = recommendModels(
      specs,
      machine([nvidia('RTX 3060', 12288, 11000)], { totalGb: 32, freeGb: 24 }, 10),
      settings,
    );
    expect(row(set, 'mixtral:8x7b').reason).toMatch(
      /the 24.6 GB download needs more than the 10 GB free at \/home\/officer\/.ollama\/models/,
    );
    expect(row(set, 'gemma2:9b').reason).toMatch(/no tool calling/);
    expect(row(set, 'qwen2.5:7b').reason).not.toMatch(/download/);
  });

  it('nothing fits: no pick', () => {
    const set = recommendModels(specs, machine([], { totalGb: 1, freeGb: 0.2 }), settings);
    expect(set.recommended).toBeNull();
    // Only the 46 MB embedding model still runs in 200 MB (it needs about 50 MB); it chats with no one.
    const runs = set.recommendations.filter((r) => r.verdict !== 'too-large').map((r) => r.model);
    expect(runs).toEqual(['all-minilm:latest']);
  });
});

describe('embedding models', () => {
  it('get a fit verdict on an 8 GB laptop without a GPU and are never the chat pick', () => {
    const set = recommendModels(specs, machine([], { totalGb: 8, freeGb: 5 }), settings);
    const nomic = row(set, 'nomic-embed-text:latest');
    expect(nomic).toMatchObject({ verdict: 'cpu', tools: false, downloadBytes: 274_302_450 });
    // Sized at the model's own 2k context, not the chat default.
    expect(nomic.estimate.numCtx).toBe(2048);
    expect(nomic.reason).toMatch(/needs \d+ MB of 5 GB free RAM at 2k context; not a chat model/);
    expect(row(set, 'all-minilm:latest').requiredBytes).toBeLessThan(nomic.requiredBytes);
    expect(set.recommended).not.toMatch(/embed|minilm/);
    // Ranked after every chat model.
    const order = set.recommendations.map((r) => r.model);
    const lastChat = Math.max(
      ...set.recommendations.filter((r) => !/embed|minilm/.test(r.model)).map((r) => order.indexOf(r.model)),
    );
    expect(order.indexOf('all-minilm:latest')).toBeGreaterThan(lastChat);
  });
});
