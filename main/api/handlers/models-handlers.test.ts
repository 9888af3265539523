import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, EngineStatusDto, PullSnapshotDto } from '../../../preload/contract';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { createEngine } from '../../engine';
import { pullable } from '../../ollama/test-support/pullable';
import { listTree, writeSyntheticModel } from '../../ollama/test-support/synthetic-model';
import { dispatch } from '../dispatch';
import { createHandlers, type Handlers } from '../handlers';
import { MemoryLogger } from '../../../test/doubles/memory-logger';

let fx: EngineFixture | null = null;
const cleanups: Array<() => void> = [];

afterEach(async () => {
  await fx?.close();
  fx = null;
  for (const c of cleanups.splice(0)) c();
});

/** A bin folder whose `nvidia-smi` reports one 6 GB card (5.7 GB free), so verdicts do not depend on this machine's GPU. */
function fakeGpuPath(): string {
  const tmp = makeTempDir('aeris-bin-');
  cleanups.push(tmp.cleanup);
  const file = path.join(tmp.dir, 'nvidia-smi');
  fs.writeFileSync(file, '#!/bin/sh\necho "0, NVIDIA GeForce RTX 3050 Laptop GPU, 6144, 300, 5844, 550.54.14, 8.6"\n');
  fs.chmodSync(file, 0o755);
  return `${tmp.dir}:/usr/bin:/bin`;
}

async function setup(
  opts: Parameters<typeof engineFixture>[0] = {},
): Promise<{ fx: EngineFixture; h: Handlers; call: Call }> {
  fx = await engineFixture({
    ...opts,
    emulator: {
      registry: [pullable('tinyllama:1b', 3, 2_000_000), pullable('smollm:135m', 2, 1_000_000)],
      pullTickMs: 15,
      pullBytesPerTick: 250_000,
      ...opts.emulator,
    },
  });
  const h = createHandlers(fx.engine, 'serve');
  const call: Call = (name, input) => dispatch(h, name, input) as never;
  return { fx, h, call };
}
type Call = <N extends CallName>(name: N, input: unknown) => Promise<Awaited<ReturnType<Handlers[N]>>>;

const until = async (ok: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('models handlers: engine card', () => {
  it('reports the engine state, emits it as an event, and restarts (attaching to a running Ollama)', async () => {
    const { fx, call } = await setup();
    const seen: EngineStatusDto[] = [];
    fx.engine.events.on('ollama.engine', (s) => seen.push(s));
    expect((await call('engine.status', {})).state).toBe('stopped');
    const after = await call('engine.restart', {});
    expect(after).toMatchObject({ state: 'external', host: fx.emulator.url, version: '0.12.6' });
    expect(seen.at(-1)?.state).toBe('external');
    const log = await call('engine.logTail', { lines: 50 });
    expect(log.file).toMatch(/ollama\.log$/);
    expect(Array.isArray(log.lines)).toBe(true);
  });
});

describe('models handlers: installed models and disk', () => {
  it('lists models with capabilities, GPU share beside the estimate, the default, and disk usage', async () => {
    const { fx, call } = await setup();
    await call('models.preload', { name: 'qwen2.5:3b' });
    fx.emulator.setGpuShare('qwen2.5:3b', 0.62);
    await call('models.setDefault', { name: 'qwen2.5:3b' });
    const out = await call('models.installed', {});
    expect(out.models.map((m) => m.name).sort()).toEqual(['gemma:2b', 'llama3.1:8b', 'qwen2.5:3b']);
    const qwen = out.models.find((m) => m.name === 'qwen2.5:3b')!;
    expect(qwen).toMatchObject({ loaded: true, capabilities: ['completion', 'tools'], quantization: 'Q4_K_M' });
    expect(qwen.gpuShare).toBeCloseTo(0.62, 2);
    // Ollama's figure (the emulator loads 1.2 × the file size) beside the app's estimate at the loaded context.
    expect(qwen.estimate).toMatchObject({ contextLength: 4096, sizeBytes: Math.round(1_929_912_432 * 1.2) });
    expect(qwen.estimate!.estimateBytes).toBeGreaterThan(1_929_912_432);
    expect(out.models.find((m) => m.name === 'gemma:2b')).toMatchObject({
      loaded: false,
      gpuShare: null,
      estimate: null,
    });
    expect(out.defaultModel).toBe('qwen2.5:3b');
    expect(out.totalBytes).toBe(out.models.reduce((n, m) => n + m.sizeBytes, 0));
    // The emulator is on loopback: the models folder is on this computer, with its free space.
    expect(out.disk.modelsDir).toBeTruthy();
    expect(out.disk.freeBytes).toBeGreaterThan(0);
    expect(out.disk.volumeBytes).toBeGreaterThanOrEqual(out.disk.freeBytes!);

    await call('models.unload', { name: 'qwen2.5:3b' });
    expect(fx.emulator.isLoaded('qwen2.5:3b')).toBe(false);
  });

  it('deletes a model, clears it as default, and keeps the server reason for an unknown one', async () => {
    const { fx, call } = await setup();
    await call('models.setDefault', { name: 'gemma:2b' });
    expect(await call('models.delete', { name: 'gemma:2b' })).toEqual({ deleted: true });
    expect(fx.emulator.isInstalled('gemma:2b')).toBe(false);
    expect((await call('models.installed', {})).defaultModel).toBeNull();
    await expect(call('models.delete', { name: 'gemma:2b' })).rejects.toMatchObject({
      code: 'model_not_found',
      message: "model 'gemma:2b' not found",
    });
    await expect(call('models.setDefault', { name: 'nope:1b' })).rejects.toMatchObject({ code: 'model_not_found' });
  });
});

// The fake nvidia-smi is a shell script.
describe.skipIf(process.platform === 'win32')('models handlers: catalog with fit verdicts', () => {
  it('gives every catalog model a verdict for a 6 GB GPU, with the numbers behind it', async () => {
    const { call } = await setup({ env: { PATH: fakeGpuPath() } });
    const cat = await call('models.catalog', { numCtx: 4096 });
    expect(cat.models.length).toBeGreaterThanOrEqual(20);
    expect(cat.numCtx).toBe(4096);
    expect(cat.machine.gpus).toEqual([
      expect.objectContaining({ name: 'NVIDIA GeForce RTX 3050 Laptop GPU', vramTotalBytes: 6144 * 1024 * 1024 }),
    ]);
    const by = new Map(cat.models.map((m) => [m.name, m]));
    expect(by.get('qwen2.5:3b')).toMatchObject({ verdict: 'full-gpu', gpuFraction: 1, installed: true, tools: true });
    const big = by.get('qwen2.5:14b')!;
    expect(big.verdict).toBe('partial');
    expect(big.gpuFraction).toBeGreaterThan(0);
    expect(big.gpuFraction).toBeLessThan(1);
    expect(big.reason).toMatch(/\d+\/49 layers on the GPU/);
    expect(big).toMatchObject({ basis: 'estimated', totalLayers: 49, estimatorVersion: '0.12.10' });
    expect(by.get('llama3:70b')!.verdict).not.toBe('full-gpu');
    for (const m of cat.models) {
      const b = m.breakdown;
      // The parts add up to what the verdict compared with the free memory.
      expect(Math.abs(b.weightsBytes + b.kvCacheBytes + b.graphBytes + b.overheadBytes - b.requiredBytes)).toBeLessThan(
        4,
      );
      expect(b.numCtx).toBeLessThanOrEqual(4096);
    }
    // On the GPU, the overhead is at least CUDA's own minimum (457 MiB).
    expect(by.get('qwen2.5:3b')!.breakdown.overheadBytes).toBeGreaterThanOrEqual(457 * 1024 * 1024);
    expect(cat.recommended).toBeTruthy();
    expect(by.get('qwen2.5:0.5b')).toMatchObject({ inCatalog: true, license: 'Apache-2.0', family: 'qwen2' });
  });
});

describe('models handlers: pulls', () => {
  it('pulls with per-layer and total progress as events; only success installs', async () => {
    const { fx, call } = await setup();
    const events: PullSnapshotDto[] = [];
    fx.engine.events.on('models.pull', (s) => events.push(s));
    const first = await call('models.pullStart', { name: 'tinyllama:1b' });
    expect(first.state).toBe('pulling');
    const done = await fx.engine.models.pulls.wait('tinyllama:1b');
    expect(done).toMatchObject({ state: 'success', percent: 100, completedBytes: 6_000_000, totalBytes: 6_000_000 });
    expect(done.layers).toHaveLength(3);
    const mid = events.find((e) => e.state === 'pulling' && e.percent !== null && e.percent > 0 && e.percent < 100);
    expect(mid).toBeDefined();
    expect(mid!.layers.length).toBeGreaterThan(0);
    expect(events.at(-1)?.state).toBe('success');
    expect((await call('models.installed', {})).models.map((m) => m.name)).toContain('tinyllama:1b');
    expect((await call('models.pulls', {})).resumable).toEqual([]);
  });

  it('cancels, offers the pull for resume, and resumes from the partial download', async () => {
    const { fx, call } = await setup();
    const events: PullSnapshotDto[] = [];
    fx.engine.events.on('models.pull', (s) => events.push(s));
    await call('models.pullStart', { name: 'tinyllama:1b' });
    await until(() => events.some((e) => (e.percent ?? 0) >= 20));
    expect(await call('models.pullCancel', { name: 'tinyllama:1b' })).toEqual({ cancelled: true });
    const cancelled = await fx.engine.models.pulls.wait('tinyllama:1b');
    expect(cancelled).toMatchObject({ state: 'cancelled', resumable: true });
    expect(fx.emulator.isInstalled('tinyllama:1b')).toBe(false);
    const list = await call('models.pulls', {});
    expect(list.resumable.map((p) => p.name)).toEqual(['tinyllama:1b']);

    const before = events.length;
    await call('models.pullResume', { name: 'tinyllama:1b' });
    const resumed = await fx.engine.models.pulls.wait('tinyllama:1b');
    expect(resumed.state).toBe('success');
    // Ollama kept the partial blob: the resumed pull's first progress starts part-way, not at zero.
    const firstResumed = events.slice(before).find((e) => e.layers.length > 0);
    expect(firstResumed!.completedBytes).toBeGreaterThan(0);
    expect(fx.emulator.requests.filter((r) => r.path === '/api/pull')).toHaveLength(2);
    expect(fx.emulator.isInstalled('tinyllama:1b')).toBe(true);
  });

  it('refuses an invalid name before any request, and keeps the server reason of a failed pull', async () => {
    const { fx, call } = await setup();
    await expect(call('models.pullStart', { name: 'bad name!' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/not a valid model name/),
    });
    expect(fx.emulator.requests.filter((r) => r.path === '/api/pull')).toEqual([]);

    await call('models.pullStart', { name: 'doesnotexist:1b' });
    const failed = await fx.engine.models.pulls.wait('doesnotexist:1b');
    expect(failed).toMatchObject({
      state: 'failed',
      error: 'pull model manifest: file does not exist',
      resumable: false,
    });

    fx.emulator.failPull('smollm:135m', { afterLines: 3, error: 'max retries exceeded: unexpected EOF' });
    await call('models.pullStart', { name: 'smollm:135m' });
    const broken = await fx.engine.models.pulls.wait('smollm:135m');
    expect(broken).toMatchObject({ state: 'failed', resumable: true, error: 'max retries exceeded: unexpected EOF' });
    expect(fx.emulator.isInstalled('smollm:135m')).toBe(false);
    expect((await call('models.pulls', {})).resumable.map((p) => p.name)).toEqual(['smollm:135m']);
    await call('models.pullDiscard', { name: 'smollm:135m' });
    expect((await call('models.pulls', {})).resumable).toEqual([]);
  });

  it('offers a pull the app was stopped in for resume after a restart', async () => {
    const { fx } = await setup({ emulator: { pullTickMs: 40, pullBytesPerTick: 100_000 } });
    const h1 = createHandlers(fx.engine, 'serve');
    await dispatch(h1, 'models.pullStart', { name: 'tinyllama:1b' });
    await until(() => (fx.engine.models.pulls.list()[0]?.completedBytes ?? 0) > 0);
    await fx.engine.models.pulls.shutdown();
    const again = createEngine({
      dataDir: fx.dataDir,
      ollamaHost: fx.emulator.url,
      env: {},
      logger: new MemoryLogger(),
    });
    try {
      const list = (await dispatch(createHandlers(again, 'serve'), 'models.pulls', {})) as {
        resumable: PullSnapshotDto[];
      };
      expect(list.resumable).toEqual([
        expect.objectContaining({ name: 'tinyllama:1b', state: 'interrupted', resumable: true }),
      ]);
    } finally {
      await again.models.pulls.shutdown();
    }
  });
});

describe('models handlers: offline transfer and folder picker', () => {
  it('exports a model to a folder and imports a folder into the models directory', async () => {
    const tmp = makeTempDir('aeris-xfer-');
    cleanups.push(tmp.cleanup);
    const modelsDir = path.join(tmp.dir, 'models');
    writeSyntheticModel(modelsDir, { model: 'qwen2.5', tag: '3b' });
    const { call, fx: engineFx } = await setup({ env: { OLLAMA_MODELS: modelsDir } });
    // Serve mode names folders only inside the export folder chosen in Settings.
    engineFx.engine.settings.update({ exportFolder: tmp.dir });

    const usb = path.join(tmp.dir, 'usb');
    const out = await call('models.export', { name: 'qwen2.5:3b', dir: usb });
    expect(out).toMatchObject({ models: ['qwen2.5:3b'], blobs: 3, dir: usb });
    expect(listTree(usb)).toEqual(listTree(modelsDir));

    const other = path.join(tmp.dir, 'other-laptop');
    writeSyntheticModel(other, { model: 'gemma', tag: '2b' });
    const inb = await call('models.import', { dir: other });
    expect(inb.models).toEqual(['gemma:2b']);
    expect(fs.existsSync(path.join(modelsDir, 'manifests/registry.ollama.ai/library/gemma/2b'))).toBe(true);

    await expect(call('models.import', { dir: 'relative/folder' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/not a full folder path/),
    });
    await expect(call('models.import', { dir: path.join(tmp.dir, 'missing') })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(call('models.import', { dir: '' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('says the folder picker is unavailable in serve mode', async () => {
    const { call } = await setup();
    expect(await call('dialog.pickFolder', { purpose: 'export' })).toMatchObject({ available: false, path: null });
  });
});
