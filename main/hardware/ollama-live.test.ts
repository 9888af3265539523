import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock';
import { errorMessage } from '../core/errors';
import { OllamaGateway } from '../ollama/ollama-gateway';
import { formatGb } from '../../preload/shared/units';
import { createHardwareService } from './hardware-service';

/**
 * Opt-in: runs only when OLLAMA_HOST is set and an Ollama answers there. Loads the smallest installed chat model
 * and compares the estimate with Ollama's own /api/ps figure (goal: within ±10%).
 */
describe('estimate against a real Ollama', () => {
  it('is within ±10% of /api/ps size for a loaded model', async (ctx) => {
    const host = process.env.OLLAMA_HOST;
    if (!host) return ctx.skip('OLLAMA_HOST is not set: set it to compare estimates with a real Ollama');
    const gw = new OllamaGateway(host, systemClock);
    try {
      await gw.version(2000);
    } catch (err) {
      return ctx.skip(`no Ollama answers at ${gw.host}: ${errorMessage(err)}`);
    }
    const installed = (await gw.listInstalled({ fresh: true })).sort((a, b) => a.sizeBytes - b.sizeBytes);
    let model: string | null = null;
    for (const m of installed) {
      const show = await gw.client().show({ model: m.name });
      if (show.capabilities?.includes('completion')) {
        model = m.name;
        break;
      }
    }
    if (!model) return ctx.skip(`no chat model installed at ${gw.host}`);
    // A chat with no messages loads the model and returns (done_reason "load").
    const res = await fetch(`${gw.host}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model, messages: [], stream: false, keep_alive: '2m' }),
    });
    expect(res.ok).toBe(true);
    await res.text();
    const service = createHardwareService({ env: process.env, clock: systemClock, ollama: gw });
    await service.recommend();
    const c = (await service.compareLoaded()).find((x) => x.model === model);
    expect(c, `${model} not in /api/ps`).toBeDefined();
    console.info(
      `${model} at ${c!.contextLength} ctx: estimate ${formatGb(c!.estimateBytes)}, /api/ps size ${formatGb(c!.sizeBytes)} ` +
        `(size_vram ${formatGb(c!.sizeVramBytes)}), difference ${c!.differencePct}%`,
    );
    expect(Math.abs(c!.differencePct)).toBeLessThanOrEqual(10);
  }, 180_000);
});
