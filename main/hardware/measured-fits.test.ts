import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OllamaGateway } from '../ollama/ollama-gateway';
import { EMULATOR_MODELS, OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { HardwareService } from './hardware-service';
import { MeasuredFitStore } from './measured-fits';
import { loadModelCatalog } from './model-catalog';
import { parseNvidiaSmiCsv } from './nvidia-smi';
import { fixture, GIB } from './test-fixtures';
import { ManualClock } from '../../test/doubles/manual-clock';

describe('learning from /api/ps', () => {
  let dir: string;
  let emu: OllamaEmulator;
  const clock = new ManualClock();

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-measured-'));
    emu = await new OllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!] }).start();
  });
  afterEach(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const service = (store: MeasuredFitStore, vramFreeMib: number) =>
    new HardwareService({
      detect: async () => {
        const gpus = parseNvidiaSmiCsv(fixture('nvidia-smi/rtx3060.csv')).value.map((g) => ({
          ...g,
          vramFreeBytes: vramFreeMib * 1024 * 1024,
        }));
        return {
          platform: 'linux',
          arch: 'x64',
          gpus,
          ram: { totalBytes: 32 * GIB, freeBytes: 24 * GIB },
          cpu: { model: 'Test CPU', cores: 8, flags: [] },
          disk: { modelsDir: '/m', freeBytes: 200 * GIB },
          notes: [],
          detectedAt: new Date(clock.now()).toISOString(),
        };
      },
      ollama: new OllamaGateway(emu.url, clock),
      catalog: loadModelCatalog(),
      env: {},
      clock,
      measured: store,
    });

  it('keeps actual vs estimate per model, quantization and context, across restarts, and later verdicts use it', async () => {
    const file = path.join(dir, 'measured-fits.json');
    const first = service(new MeasuredFitStore(file, clock), 11_000);
    const before = (await first.recommend()).recommendations.find((r) => r.model === 'qwen2.5:3b')!;
    expect(before.basis).toBe('estimated');
    await fetch(`${emu.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'qwen2.5:3b', messages: [] }) });
    const [loaded] = await first.compareLoaded();
    // The emulator reports 1.2 × the file size as what Ollama used.
    expect(loaded!.sizeBytes).toBe(Math.round(1_929_912_432 * 1.2));

    // A new store on the same file (the app restarted) reads it back.
    const saved = new MeasuredFitStore(file, clock).get('qwen2.5:3b', 'Q4_K_M', 4096);
    expect(saved).toMatchObject({
      sizeBytes: loaded!.sizeBytes,
      estimateBytes: loaded!.estimateBytes,
      sizeVramBytes: loaded!.sizeVramBytes,
      measuredAt: '2026-01-10T12:00:00.000Z',
    });

    // The emulator's figure is below the estimate: on a card between the two, the estimate alone says partial,
    // the measurement says it fits.
    const ratio = loaded!.sizeBytes / loaded!.estimateBytes;
    expect(ratio).toBeLessThan(1);
    const freeMib = Math.floor((before.requiredBytes * (1 + ratio)) / 2 / (1024 * 1024));
    const unmeasured = service(new MeasuredFitStore(path.join(dir, 'none.json'), clock), freeMib);
    const guessed = (await unmeasured.recommend()).recommendations.find((r) => r.model === 'qwen2.5:3b')!;
    expect(guessed).toMatchObject({ basis: 'estimated', verdict: 'partial' });
    const second = service(new MeasuredFitStore(file, clock), freeMib);
    const after = (await second.recommend()).recommendations.find((r) => r.model === 'qwen2.5:3b')!;
    expect(after).toMatchObject({ basis: 'measured', verdict: 'full-gpu' });
    expect(after.reason).toMatch(/measured on this machine: Ollama used 2\.2 GB when it last loaded/);
    // A different context has no measurement: back to the estimate.
    const at8k = (await second.recommend({ numCtx: 8192 })).recommendations.find((r) => r.model === 'qwen2.5:3b')!;
    expect(at8k.basis).toBe('estimated');
  });

  it('a damaged file reads as empty and is rewritten on the next measurement', () => {
    const file = path.join(dir, 'measured-fits.json');
    fs.writeFileSync(file, '{"version":1,"fits":[{"model":');
    const store = new MeasuredFitStore(file, clock);
    expect(store.list()).toEqual([]);
    store.record([
      {
        model: 'llama3.1:8b',
        quantization: 'Q4_K_M',
        contextLength: 4096,
        sizeBytes: 6_000_000_000,
        sizeVramBytes: 6_000_000_000,
        estimateBytes: 5_900_000_000,
      },
    ]);
    expect(new MeasuredFitStore(file, clock).get('llama3.1:8b:latest', 'q4_k_m', 4096)?.sizeBytes).toBe(6_000_000_000);
  });
});
