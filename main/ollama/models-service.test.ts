import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock';
import { EMULATOR_MODELS, startOllamaEmulator, type OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { requireModelName } from './model-name';
import { parseModelName } from '../../preload/shared/model-name';
import { ModelsService } from './models-service';
import { OllamaGateway } from './ollama-gateway';

let emu: OllamaEmulator;
let saved: string | null;
let svc: ModelsService;

beforeEach(async () => {
  emu = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!, EMULATOR_MODELS['gemma:2b']!] });
  saved = null;
  svc = new ModelsService({
    gateway: new OllamaGateway(emu.url, systemClock),
    defaults: { get: () => saved, set: (n) => void (saved = n) },
  });
});

afterEach(async () => {
  await emu.close();
});

describe('ModelsService', () => {
  it('lists installed models with details, capabilities, and what sits on the GPU', async () => {
    await svc.preload('qwen2.5:3b');
    emu.setGpuShare('qwen2.5:3b', 0.62);
    const { models, totalBytes } = await svc.list();
    const qwen = models.find((m) => m.name === 'qwen2.5:3b')!;
    const gemma = models.find((m) => m.name === 'gemma:2b')!;
    expect(qwen).toMatchObject({
      family: 'qwen2',
      parameterSize: '3.1B',
      quantization: 'Q4_K_M',
      sizeBytes: 1_929_912_432,
      capabilities: ['completion', 'tools'],
      loaded: true,
      contextLength: 4096,
    });
    expect(qwen.gpuShare).toBeCloseTo(0.62, 2);
    expect(qwen.expiresAt).toMatch(/^\d{4}-/);
    expect(gemma).toMatchObject({ loaded: false, gpuShare: null, capabilities: ['completion'] });
    expect(totalBytes).toBe(1_929_912_432 + 1_678_456_656);
    // keep_alive went to the server as asked.
    expect(emu.requests.find((r) => r.path === '/api/chat')?.body).toMatchObject({
      model: 'qwen2.5:3b',
      messages: [],
      keep_alive: '30m',
    });
  });

  it('unloads with keep_alive 0', async () => {
    await svc.preload('gemma:2b', -1);
    expect(emu.isLoaded('gemma:2b')).toBe(true);
    await svc.unload('gemma:2b');
    expect(emu.isLoaded('gemma:2b')).toBe(false);
    expect(emu.requests.filter((r) => r.path === '/api/chat').at(-1)?.body).toMatchObject({ keep_alive: 0 });
  });

  it('shows a model with its architecture numbers', async () => {
    const d = await svc.show('qwen2.5:3b');
    expect(d).toMatchObject({
      family: 'qwen2',
      contextLength: 32768,
      parameterCount: 3_085_938_688,
      capabilities: ['completion', 'tools'],
    });
  });

  it('deletes, clearing the default; a missing model fails with the server’s own reason', async () => {
    await svc.setDefault('gemma:2b');
    expect(svc.getDefault()).toBe('gemma:2b');
    await svc.delete('gemma:2b');
    expect(emu.isInstalled('gemma:2b')).toBe(false);
    expect(svc.getDefault()).toBeNull();
    await expect(svc.delete('gemma:2b')).rejects.toMatchObject({
      code: 'model_not_found',
      message: "model 'gemma:2b' not found",
    });
    await expect(svc.show('nope')).rejects.toMatchObject({ message: "model 'nope:latest' not found" });
  });

  it('refuses invalid names before any request', async () => {
    emu.reset();
    for (const bad of ['bad name', '../../x', '', ':tag', 'a/b/c/d']) {
      await expect(svc.delete(bad)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(svc.show(bad)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(svc.preload(bad)).rejects.toMatchObject({ code: 'bad_request' });
    }
    expect(emu.requests).toEqual([]);
  });

  it('only an installed model can be the default; resolve falls back to a tools-capable one', async () => {
    await expect(svc.setDefault('llama3.1:8b')).rejects.toMatchObject({ code: 'model_not_found' });
    expect(await svc.resolve()).toBe('qwen2.5:3b');
    await expect(svc.setDefault('gemma')).rejects.toMatchObject({ message: "model 'gemma:latest' not found" });
    await svc.setDefault('gemma:2b');
    expect(svc.getDefault()).toBe('gemma:2b');
    expect(await svc.resolve()).toBe('gemma:2b');
    expect(await svc.resolve('llama3.1:8b')).toBe('llama3.1:8b');
  });

  it('says Ollama is not answering when it is down', async () => {
    await emu.close();
    await expect(svc.list()).rejects.toMatchObject({ code: 'ollama_unavailable' });
    await expect(svc.delete('qwen2.5:3b')).rejects.toMatchObject({
      message: expect.stringMatching(/Ollama is not answering at/),
    });
  });
});

describe('model names', () => {
  it('parses the forms Ollama accepts', () => {
    expect(requireModelName('qwen2.5')).toBe('qwen2.5:latest');
    expect(requireModelName(' qwen2.5:3b ')).toBe('qwen2.5:3b');
    expect(requireModelName('library/qwen2.5:3b')).toBe('qwen2.5:3b');
    expect(requireModelName('user/my-model:q4_K_M')).toBe('user/my-model:q4_K_M');
    expect(requireModelName('hf.co/org/model:Q4')).toBe('hf.co/org/model:Q4');
    expect(parseModelName('localhost:5000/ns/m:t')).toEqual({
      host: 'localhost:5000',
      namespace: 'ns',
      model: 'm',
      tag: 't',
    });
    for (const bad of ['a b', 'x/../y', 'ns.dot/model', 'model:', '.hidden', 'a\nb', 'a/b/c/d:e']) {
      expect(parseModelName(bad)).toBeNull();
    }
  });
});
