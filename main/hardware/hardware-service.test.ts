import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OllamaGateway } from '../ollama/ollama-gateway';
import { EMULATOR_MODELS, OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { HardwareService } from './hardware-service';
import type { HardwareReport } from './hardware-types';
import { loadInstalledSpecs, parseParameterSize, specFromShow } from './installed-models';
import { loadModelCatalog, specFromCatalog } from './model-catalog';
import { parseNvidiaSmiCsv } from './nvidia-smi';
import { fixture, GIB } from './test-fixtures';
import { ManualClock } from '../../test/doubles/manual-clock';

const catalog = loadModelCatalog();

function report(clock: ManualClock): HardwareReport {
  return {
    platform: 'linux',
    arch: 'x64',
    gpus: parseNvidiaSmiCsv(fixture('nvidia-smi/rtx3060.csv')).value,
    ram: { totalBytes: 32 * GIB, freeBytes: 24 * GIB },
    cpu: { model: 'Test CPU', cores: 8, flags: ['avx2'] },
    disk: { modelsDir: '/m', freeBytes: 200 * GIB },
    notes: [],
    detectedAt: new Date(clock.now()).toISOString(),
  };
}

describe('installed models from /api/show', () => {
  it('reads the GGUF shape from model_info, and agrees with the catalog for the same model', () => {
    const m = EMULATOR_MODELS['llama3.1:8b']!;
    const entry = catalog.find((c) => c.name === 'llama3.1:8b');
    const spec = specFromShow(
      'llama3.1:8b',
      m.sizeBytes,
      { model_info: m.modelInfo, capabilities: m.capabilities },
      entry,
    );
    expect(spec.shape).toEqual(specFromCatalog(entry!).shape);
    expect(spec).toMatchObject({ source: 'installed', architecture: 'llama', parameterCount: 8_030_261_248 });
  });

  it('accepts model_info as a Map (the ollama-js type) and falls back to a weights-only spec without a shape', () => {
    const info = new Map<string, unknown>([
      ['general.architecture', 'nomic-bert'],
      ['nomic-bert.block_count', 12],
    ]);
    const spec = specFromShow('nomic-embed-text:latest', 274_302_450, {
      model_info: info,
      capabilities: ['embedding'],
      details: { parameter_size: '137M' },
    });
    expect(spec.shape).toBeNull();
    expect(spec.parameterCount).toBe(137_000_000);
    expect(parseParameterSize('751.63M')).toBe(751_630_000);
  });

  it('says Ollama is unreachable instead of throwing', async () => {
    const gw = new OllamaGateway('http://127.0.0.1:9', new ManualClock());
    const r = await loadInstalledSpecs(gw, catalog, 1000);
    expect(r.reachable).toBe(false);
    expect(r.notes[0]).toMatch(/^Ollama not reachable at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('HardwareService', () => {
  let emu: OllamaEmulator;
  let clock: ManualClock;
  let detections: number;
  let service: HardwareService;

  beforeEach(async () => {
    emu = await new OllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!, EMULATOR_MODELS['gemma:2b']!] }).start();
    clock = new ManualClock();
    detections = 0;
    service = new HardwareService({
      detect: async () => {
        detections++;
        return report(clock);
      },
      ollama: new OllamaGateway(emu.url, clock),
      catalog,
      env: {},
      clock,
      maxAgeMs: 60_000,
    });
  });
  afterEach(() => emu.close());

  it('caches the detection, shares one in flight, refreshes on demand and when stale', async () => {
    expect(service.current()).toBeNull();
    await Promise.all([service.get(), service.get()]);
    expect(detections).toBe(1);
    await service.get();
    expect(detections).toBe(1);
    await service.refresh();
    expect(detections).toBe(2);
    clock.advance(61_000);
    await service.get();
    expect(detections).toBe(3);
    expect(service.current()?.gpus[0]?.name).toBe('NVIDIA GeForce RTX 3060');
  });

  it('merges installed models (figures from /api/show) with the catalog, one row each', async () => {
    const r = await service.recommend();
    expect(r.ollama).toEqual({ host: emu.url.replace('localhost', '127.0.0.1'), reachable: true, installed: 2 });
    const names = r.recommendations.map((x) => x.model);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(catalog.length);
    expect(r.recommendations.find((x) => x.model === 'qwen2.5:3b')).toMatchObject({
      installed: true,
      verdict: 'full-gpu',
      tools: true,
    });
    expect(r.recommendations.find((x) => x.model === 'gemma:2b')).toMatchObject({ installed: true, tools: false });
    expect(
      emu.requests
        .filter((q) => q.path === '/api/show')
        .map((q) => (q.body as { model: string }).model)
        .sort(),
    ).toEqual(['gemma:2b', 'qwen2.5:3b']);
  });

  it('an installed model outside the catalog gets its own row', async () => {
    emu.install({ ...EMULATOR_MODELS['qwen2.5:3b']!, name: 'aeris-custom:latest' });
    const r = await service.recommend();
    expect(r.recommendations.find((x) => x.model === 'aeris-custom:latest')).toMatchObject({
      installed: true,
      verdict: 'full-gpu',
    });
  });

  it('works from the catalog alone when Ollama is down, and says so', async () => {
    await emu.close();
    const r = await service.recommend();
    expect(r.ollama.reachable).toBe(false);
    expect(r.recommendations.length).toBe(catalog.length);
    expect(r.recommended).toBe('qwen3:14b');
    expect(r.notes.some((n) => n.startsWith('Ollama not reachable'))).toBe(true);
    emu = await new OllamaEmulator().start(); // afterEach closes it
  });

  it('after a model loads, puts /api/ps size and size_vram beside the estimate', async () => {
    await service.recommend();
    await fetch(`${emu.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5:3b', messages: [] }) });
    const [c] = await service.compareLoaded();
    const est = (await service.recommend()).recommendations.find((x) => x.model === 'qwen2.5:3b')!;
    // The emulator loads at 4096 context and reports 1.2 × the file size.
    expect(c).toMatchObject({
      model: 'qwen2.5:3b',
      contextLength: 4096,
      sizeBytes: Math.round(1_929_912_432 * 1.2),
      gpuFraction: 1,
    });
    // Beside Ollama's own size: GPU minimum + one-layer buffer + weights + cache + the full graph (all on the GPU).
    const e = est.estimate;
    expect(c!.estimateBytes).toBe(
      Math.round(457 * 1024 * 1024 + e.layerBufferBytes + e.weightsBytes + e.kvCacheBytes + e.graphBytes),
    );
    expect(c!.differencePct).toBeCloseTo(((c!.estimateBytes - c!.sizeBytes) / c!.sizeBytes) * 100, 0);
  });
});
