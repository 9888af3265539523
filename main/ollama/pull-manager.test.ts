import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock';
import { AppError } from '../core/errors';
import { startOllamaEmulator, type OllamaEmulator } from '../../e2e/emulators/ollama-emulator';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { PullManager, type PullManagerDeps, type PullSnapshot } from './pull-manager';
import { PullStore } from './pull-store';
import { waitFor } from './test-support/fake-ollama';
import { pullable } from './test-support/pullable';

let tmp: { dir: string; cleanup: () => void };
let emu: OllamaEmulator;
const managers: PullManager[] = [];

beforeEach(async () => {
  tmp = makeTempDir('aeris-pull-');
  emu = await startOllamaEmulator({
    models: [],
    registry: [
      pullable('tiny:1b', 3, 1000),
      pullable('slow:1b', 2, 10_000),
      pullable('other:1b', 2, 10_000),
      pullable('third:1b', 2, 10_000),
    ],
    pullTickMs: 10,
    pullBytesPerTick: 100,
  });
});

afterEach(async () => {
  for (const m of managers.splice(0)) await m.shutdown();
  await emu.close();
  tmp.cleanup();
});

function manager(over: Partial<PullManagerDeps> = {}, file = path.join(tmp.dir, 'pulls.json')) {
  const m = new PullManager({ host: () => emu.url, store: new PullStore(file), clock: systemClock, ...over });
  managers.push(m);
  const updates: PullSnapshot[] = [];
  m.onUpdate((s) => updates.push(s));
  return { m, updates };
}

const pullRequests = (): number => emu.requests.filter((r) => r.path === '/api/pull').length;

describe('PullManager', () => {
  it('reports progress per layer and in total, and only a success line installs', async () => {
    const { m, updates } = manager();
    await m.pull('slow:1b');
    const final = await m.wait('slow:1b');
    expect(final.state).toBe('success');
    expect(final.totalBytes).toBe(20_000);
    expect(final.completedBytes).toBe(20_000);
    expect(final.layers).toHaveLength(2);
    expect(final.layers.every((l) => l.completed === l.total)).toBe(true);
    expect(emu.isInstalled('slow:1b')).toBe(true);
    expect(updates.at(-1)).toEqual(final);
    const mid = updates.filter((u) => u.state === 'pulling' && u.totalBytes > 0);
    expect(mid.length).toBeGreaterThan(0);
    expect(mid.some((u) => u.bytesPerSecond > 0 && u.etaSeconds !== null)).toBe(true);
    expect(m.resumable()).toEqual([]);
    // The request names the model the way the server reads it.
    expect(emu.requests.find((r) => r.path === '/api/pull')?.body).toEqual({ model: 'slow:1b', stream: true });
  });

  it('throttles updates to at most 10 per second per pull and always delivers the final state', async () => {
    emu.pullTickMs = 2; // ~200 progress lines, one every 2 ms
    // Read the spacing on the throttle's own clock, at the moment it decided to deliver: a listener's own
    // Date.now() also counts how long each delivery took to reach it, which a busy machine stretches unevenly.
    let lastNow = 0;
    const monotonicNow = () => (lastNow = performance.now());
    const { m } = manager({ monotonicNow });
    const stamps: number[] = [];
    const seen: PullSnapshot[] = [];
    m.onUpdate((s) => {
      stamps.push(lastNow);
      seen.push(s);
    });
    const t0 = performance.now();
    await m.pull('slow:1b');
    const final = await m.wait('slow:1b');
    const elapsed = performance.now() - t0;
    expect(final.state).toBe('success');
    expect(seen.at(-1)).toEqual(final);
    expect(stamps.length).toBeGreaterThan(1);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(100);
    expect(stamps.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
  });

  it('an error line after HTTP 200 leaves the model uninstalled and resumable; pulling again resumes', async () => {
    emu.failPull('slow:1b', { afterLines: 40, error: 'max retries exceeded: unexpected EOF' });
    const { m } = manager();
    await m.pull('slow:1b');
    const failed = await m.wait('slow:1b');
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe('max retries exceeded: unexpected EOF');
    expect(failed.resumable).toBe(true);
    expect(emu.isInstalled('slow:1b')).toBe(false);
    const saved = new PullStore(path.join(tmp.dir, 'pulls.json')).get('slow:1b');
    expect(saved?.state).toBe('failed');
    expect(m.resumable().map((s) => s.name)).toEqual(['slow:1b']);

    const firstSeen: number[] = [];
    m.onUpdate((s) => s.state === 'pulling' && s.totalBytes > 0 && firstSeen.push(s.completedBytes));
    await m.resume('slow:1b');
    const done = await m.wait('slow:1b');
    expect(done.state).toBe('success');
    expect(firstSeen[0]).toBeGreaterThanOrEqual(4000); // continued from the partial blob
    expect(emu.isInstalled('slow:1b')).toBe(true);
    expect(m.resumable()).toEqual([]);
  });

  it('a dropped connection is not "installed" and stays resumable', async () => {
    emu.failPull('slow:1b', { afterLines: 10, drop: true });
    const { m } = manager();
    await m.pull('slow:1b');
    const s = await m.wait('slow:1b');
    expect(s.state).toBe('failed');
    expect(s.error).toMatch(/Lost the connection to Ollama at .* during the download \(ECONNRESET\)/);
    expect(s.resumable).toBe(true);
    expect(emu.isInstalled('slow:1b')).toBe(false);
  });

  it('gives the server’s reason for a model that does not exist, and offers no resume', async () => {
    const { m } = manager();
    await m.pull('nosuchmodel:7b');
    const s = await m.wait('nosuchmodel:7b');
    expect(s.state).toBe('failed');
    expect(s.error).toBe('pull model manifest: file does not exist');
    expect(s.resumable).toBe(false);
    expect(m.resumable()).toEqual([]);
  });

  it('refuses invalid names before any request', async () => {
    const { m } = manager();
    for (const bad of ['', 'has space', '../etc/passwd', 'a:b:c', 'x'.repeat(81), 'model:', '-lead']) {
      await expect(m.pull(bad)).rejects.toMatchObject({ code: 'bad_request' });
    }
    expect(pullRequests()).toBe(0);
  });

  it('cancel aborts the request; the partial download stays resumable', async () => {
    const { m } = manager();
    await m.pull('slow:1b');
    await waitFor(() => m.list().some((s) => s.completedBytes > 500), 5000, 'progress');
    expect(m.cancel('slow:1b')).toBe(true);
    const s = await m.wait('slow:1b');
    expect(s.state).toBe('cancelled');
    expect(s.resumable).toBe(true);
    await waitFor(() => emu.pullsInFlight === 0, 2000, 'server saw the abort');
    expect(emu.isInstalled('slow:1b')).toBe(false);
    expect(m.resumable().map((x) => x.name)).toEqual(['slow:1b']);
  });

  it('runs two pulls at once and queues the rest', async () => {
    const { m } = manager();
    const a = await m.pull('slow:1b');
    const b = await m.pull('other:1b');
    const c = await m.pull('third:1b');
    expect([a.state, b.state, c.state]).toEqual(['pulling', 'pulling', 'queued']);
    expect(c.queuePosition).toBe(1);
    await waitFor(() => m.activeCount === 2, 2000, 'two running');
    expect(m.list().find((s) => s.name === 'third:1b')?.state).toBe('queued');
    // Asking again for a pull in progress does not start a second one.
    await m.pull('slow:1b');
    const results = await Promise.all(['slow:1b', 'other:1b', 'third:1b'].map((n) => m.wait(n)));
    expect(results.map((r) => r.state)).toEqual(['success', 'success', 'success']);
    expect(emu.maxPullsInFlight).toBe(2);
    expect(pullRequests()).toBe(3);
  });

  it('unfinished pulls survive an app restart (killed or quit) and are offered for resume', async () => {
    const file = path.join(tmp.dir, 'pulls.json');
    const { m } = manager({}, file);
    await m.pull('slow:1b');
    await waitFor(() => m.list().some((s) => s.completedBytes > 500), 5000, 'progress');
    // A killed app leaves the file as it was mid-pull: copy it before this manager goes on.
    const killed = path.join(tmp.dir, 'killed.json');
    fs.copyFileSync(file, killed);
    expect(JSON.parse(fs.readFileSync(killed, 'utf8')).pulls[0].state).toBe('pulling');
    await m.shutdown(); // a clean quit
    expect(new PullStore(file).get('slow:1b')?.state).toBe('interrupted');

    const { m: after } = manager({}, killed);
    const offered = after.resumable();
    expect(offered.map((s) => [s.name, s.state])).toEqual([['slow:1b', 'interrupted']]);
    expect(emu.isInstalled('slow:1b')).toBe(false);
    await after.resume('slow:1b');
    expect((await after.wait('slow:1b')).state).toBe('success');
    expect(after.resumable()).toEqual([]);
    expect(new PullStore(killed).all()).toEqual([]);
  });

  it('refuses a pull that cannot fit on disk, with the numbers', async () => {
    const { m } = manager({
      modelsDir: () => tmp.dir,
      sizeOf: (n) => (n === 'slow:1b' ? 4_000_000_000 : undefined),
      freeBytes: async () => 3_000_000_000,
    });
    const err = await m.pull('slow:1b').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/needs 4\.0 GB plus 500 MB to spare, but only 3\.0 GB is free at /);
    expect((err as AppError).details).toMatchObject({ needBytes: 4_000_000_000, freeBytes: 3_000_000_000 });
    expect(pullRequests()).toBe(0);
    // Unknown size: no guess, the pull goes ahead.
    await m.pull('tiny:1b');
    expect((await m.wait('tiny:1b')).state).toBe('success');
  });

  it('Ollama going down mid-pull gives a clear error; Ollama down at the start too', async () => {
    const { m } = manager();
    await m.pull('slow:1b');
    await waitFor(() => m.list().some((s) => s.completedBytes > 500), 5000, 'progress');
    await emu.close();
    const s = await m.wait('slow:1b');
    expect(s.state).toBe('failed');
    expect(s.error).toMatch(new RegExp(`Lost the connection to Ollama at ${emu.url} during the download`));
    expect(s.resumable).toBe(true);

    await m.pull('tiny:1b');
    const t = await m.wait('tiny:1b');
    expect(t.state).toBe('failed');
    expect(t.error).toMatch(/Ollama is not answering at/);
    expect(t.resumable).toBe(true);
  });
});
