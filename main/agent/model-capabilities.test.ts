import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock';
import { EMULATOR_MODELS, startOllamaEmulator, type OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { OllamaGateway } from '../ollama/ollama-gateway';
import { ModelCapabilities } from './model-capabilities';

let emu: OllamaEmulator;
let caps: ModelCapabilities;

beforeEach(async () => {
  emu = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!] });
  caps = new ModelCapabilities(new OllamaGateway(emu.url, systemClock));
});

afterEach(async () => {
  await emu.close();
});

const shows = (): number => emu.requests.filter((r) => r.path === '/api/show').length;

describe('ModelCapabilities', () => {
  it('asks /api/show once per model whichever question comes first', async () => {
    const context = await caps.contextLength('qwen2.5:3b');
    expect(context).toBeGreaterThan(0);
    expect(await caps.supportsTools('qwen2.5:3b')).toBe(true);
    expect(await caps.contextLength('qwen2.5:3b')).toBe(context);
    expect(shows()).toBe(1);
  });

  it('caches nothing when the model cannot be described, so the next question asks again', async () => {
    expect(await caps.contextLength('nope:1b')).toBeNull();
    expect(await caps.supportsTools('nope:1b')).toBe(false);
    expect(shows()).toBe(2);
  });
});
