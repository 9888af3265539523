import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskFullState } from '../core/disk-full';
import { openStore, type Store } from '../store/store';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import type { EngineStatus } from '../ollama/ollama-supervisor';
import type { SourceStatus } from '../airquality/air-quality-service';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { HealthService, type HealthDeps, type HealthCheckId } from './health';
import type { MetricAlert } from './metrics/metrics-service';
import path from 'node:path';
import { ManualClock } from '../../test/doubles/manual-clock';

const GB = 1024 ** 3;
const disk = (freeBytes: number, totalBytes: number) => async () => ({
  bsize: 4096,
  blocks: totalBytes / 4096,
  bfree: freeBytes / 4096,
  bavail: freeBytes / 4096,
});
const ollamaUp = { host: 'http://127.0.0.1:11434', version: async () => '0.6.8' } as unknown as OllamaGateway;
const ollamaDown = {
  host: 'http://127.0.0.1:11434',
  version: async () => {
    throw new Error('connect ECONNREFUSED');
  },
} as unknown as OllamaGateway;
const engine = (over: Partial<EngineStatus>): EngineStatus => ({
  state: 'running',
  host: 'http://127.0.0.1:11434',
  message: null,
  version: '0.6.8',
  pid: 1,
  binary: null,
  restarts: 0,
  logFile: '',
  ...over,
});
const source = (
  id: SourceStatus['id'],
  name: string,
  configured: boolean,
  breaker: Partial<SourceStatus['breaker']> = {},
): SourceStatus => ({
  id,
  name,
  configured,
  baseUrl: '',
  baseUrlFrom: 'default',
  keyFrom: configured ? 'settings' : 'none',
  breaker: {
    state: 'closed',
    consecutiveFailures: 0,
    openedAt: null,
    retryAt: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastError: null,
    ...breaker,
  },
});
const alert = (id: MetricAlert['id'], firing: boolean): MetricAlert => ({
  id,
  severity: id === 'error_rate' ? 'critical' : 'warning',
  firing,
  value: 0.1,
  threshold: 0.05,
  message: `${id} message`,
});

describe('HealthService', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  const clock = new ManualClock();

  beforeEach(() => {
    tmp = makeTempDir();
    store = openStore(path.join(tmp.dir, 'db.sqlite'), clock);
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  const all = (over: Partial<HealthDeps> = {}): HealthService =>
    new HealthService({
      store,
      ollama: ollamaUp,
      clock,
      supervisor: () => engine({}),
      sources: () => [source('openmeteo', 'Open-Meteo', true), source('waqi', 'WAQI', false)],
      dataDir: tmp.dir,
      statfs: disk(200 * GB, 500 * GB),
      lastBackup: async () => ({
        createdAt: new Date(clock.now() - 3_600_000).toISOString(),
        sessions: 2,
        messages: 9,
      }),
      alerts: () => [alert('error_rate', false), alert('latency_p95', false)],
      ...over,
    });
  const byId = async (h: HealthService) => {
    const r = await h.check();
    return Object.fromEntries(r.checks.map((c) => [c.id, c])) as Record<HealthCheckId, (typeof r.checks)[number]>;
  };

  it('keeps the seed’s top-level fields and adds one check per part, all green on a good day', async () => {
    const r = await all().check();
    expect(r).toMatchObject({
      status: 'healthy',
      database: 'connected',
      cache: 'operational',
      ollama: 'connected (0.6.8)',
    });
    expect(r.checks.map((c) => c.id)).toEqual([
      'store',
      'ollama',
      'cache',
      'sources',
      'disk',
      'backup',
      'errors',
      'latency',
    ]);
    for (const c of r.checks) {
      expect(c.status, `${c.id}: ${c.reason}`).toBe('ok');
      expect(c.reason.length).toBeGreaterThan(5);
    }
    const checks = await byId(all());
    expect(checks.ollama.reason).toContain('started and watched by AERIS-AQ');
    expect(checks.sources.reason).toContain('No API key for WAQI');
    expect(checks.backup.reason).toMatch(/60 min ago, 2 conversations, 9 messages/);
  });

  it('store: fail and unhealthy when the database is gone', async () => {
    store.close();
    const r = await all().check();
    expect(r.status).toBe('unhealthy');
    expect(r.checks.find((c) => c.id === 'store')).toMatchObject({ status: 'fail' });
    expect(r.database).toMatch(/^error: /);
  });

  it('ollama: fail with the supervisor’s reason, warn while starting, warn after restarts', async () => {
    const down = await byId(
      all({
        ollama: ollamaDown,
        supervisor: () => engine({ state: 'crashed', message: 'Ollama crashed 3 times; see logs/ollama.log.' }),
      }),
    );
    expect(down.ollama).toMatchObject({ status: 'fail', reason: 'Ollama crashed 3 times; see logs/ollama.log.' });
    const plain = await byId(all({ ollama: ollamaDown, supervisor: undefined }));
    expect(plain.ollama.status).toBe('fail');
    expect(plain.ollama.reason).toMatch(/Cannot reach Ollama at http:\/\/127\.0\.0\.1:11434 \(connect ECONNREFUSED\)/);
    const starting = await byId(all({ ollama: ollamaDown, supervisor: () => engine({ state: 'starting' }) }));
    expect(starting.ollama).toMatchObject({ status: 'warn', reason: expect.stringMatching(/starting/) });
    const restarted = await byId(all({ supervisor: () => engine({ restarts: 2 }) }));
    expect(restarted.ollama).toMatchObject({ status: 'warn', reason: expect.stringMatching(/Restarted 2 times/) });
    expect((await all({ ollama: ollamaDown }).check()).status).toBe('degraded');
  });

  it('sources: warn with the breaker’s words when one is open or being retried, or none is set up', async () => {
    const open = await byId(
      all({
        sources: () => [
          source('waqi', 'WAQI', true, {
            state: 'open',
            consecutiveFailures: 5,
            lastError: 'HTTP 503',
            retryAt: clock.now() + 240_000,
          }),
          source('openmeteo', 'Open-Meteo', true),
        ],
      }),
    );
    expect(open.sources.status).toBe('warn');
    expect(open.sources.reason).toBe(
      'WAQI paused after 5 failures in a row (HTTP 503), next try in 4 min. The other sources still answer.',
    );
    const half = await byId(
      all({ sources: () => [source('waqi', 'WAQI', true, { state: 'half_open', consecutiveFailures: 5 })] }),
    );
    expect(half.sources).toMatchObject({
      status: 'warn',
      reason: expect.stringMatching(/tried again.*from the cache/),
    });
    const none = await byId(all({ sources: () => [source('waqi', 'WAQI', false)] }));
    expect(none.sources).toMatchObject({ status: 'warn', reason: expect.stringMatching(/No data source is set up/) });
  });

  it('disk: warn under 2 GB or 10 % free and over 80 % used, fail under 200 MB', async () => {
    expect((await byId(all({ statfs: disk(1.5 * GB, 500 * GB) }))).disk).toMatchObject({
      status: 'warn',
      reason: expect.stringMatching(/under 2 GB or 10 %/),
    });
    expect((await byId(all({ statfs: disk(9 * GB, 100 * GB) }))).disk).toMatchObject({
      status: 'warn',
      reason: expect.stringMatching(/under 2 GB or 10 %/),
    });
    expect((await byId(all({ statfs: disk(15 * GB, 100 * GB) }))).disk).toMatchObject({
      status: 'warn',
      reason: expect.stringMatching(/85 % used.*80 % usage alert/),
    });
    expect((await byId(all({ statfs: disk(100 * 1024 ** 2, 500 * GB) }))).disk).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/100 MB free.*will start failing/),
    });
    expect((await byId(all({ statfs: async () => Promise.reject(new Error('EIO')) }))).disk).toMatchObject({
      status: 'warn',
      reason: 'Could not be checked: EIO',
    });
  });

  it('disk full: says which disk, how much to free, and turns the top level degraded until space is back', async () => {
    const MB = 1024 ** 2;
    // A 20 MB disk with 150 KB left: full well before the 200 MB that matter on a laptop's disk.
    const small = await all({ statfs: disk(150 * 1024, 20 * MB) }).check();
    expect(small.status).toBe('degraded');
    expect(small.checks.find((c) => c.id === 'disk')).toMatchObject({
      status: 'fail',
      reason: `Disk full: 0.2 MB free on ${tmp.dir}; free at least 1.9 MB. Saving chats, logs and backups will start failing until then; everything saved before is kept.`,
    });

    // A write failed for lack of space (a quota, or space that came and went): red until one succeeds.
    const state = new DiskFullState(clock, tmp.dir);
    state.noteFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'search index');
    const h = all({ disk: state, statfs: disk(200 * GB, 500 * GB) });
    const failed = await h.check();
    expect(failed.status).toBe('degraded');
    expect(failed.checks.find((c) => c.id === 'disk')?.reason).toMatch(
      new RegExp(
        `^Disk full: .* free on ${tmp.dir}; free at least 1\\.0 MB\\. Saving the search index failed just now\\.`,
      ),
    );
    // With room on the disk, a failure older than a minute no longer counts…
    clock.advance(61_000);
    expect((await h.check()).status).toBe('healthy');
    // …and a write that succeeds clears it at once.
    state.noteFailure(Object.assign(new Error('no space'), { code: 'ENOSPC' }), 'chat reply');
    expect((await h.check()).status).toBe('degraded');
    state.noteSuccess();
    const back = await h.check();
    expect(back.status).toBe('healthy');
    expect(back.checks.find((c) => c.id === 'disk')?.status).toBe('ok');
  });

  it('backup: warn when there is none or the last is older than 2 days; a found one is cached until told', async () => {
    let last: { createdAt: string; sessions: number; messages: number } | null = null;
    const h = all({ lastBackup: async () => last });
    expect((await byId(h)).backup).toMatchObject({ status: 'warn', reason: expect.stringMatching(/^No backup yet/) });
    last = { createdAt: new Date(clock.now() - 3 * 86_400_000).toISOString(), sessions: 1, messages: 2 };
    expect((await byId(h)).backup).toMatchObject({
      status: 'warn',
      reason: expect.stringMatching(/3 days ago.*older than 2 days/),
    });
    last = { createdAt: new Date(clock.now()).toISOString(), sessions: 1, messages: 2 };
    expect((await byId(h)).backup.status).toBe('warn'); // a found backup is cached for a minute…
    h.backupChanged(); // …unless the dashboard says one was just made
    expect((await byId(h)).backup).toMatchObject({
      status: 'ok',
      reason: 'Last backup just now, 1 conversation, 2 messages.',
    });
  });

  it('alerts: a firing error rate is a failed check, a slow p95 a warning; neither changes the top-level status', async () => {
    const h = all({ alerts: () => [alert('error_rate', true), alert('latency_p95', true)] });
    const r = await h.check();
    expect(r.status).toBe('healthy');
    expect(r.checks.find((c) => c.id === 'errors')).toMatchObject({ status: 'fail', reason: 'error_rate message' });
    expect(r.checks.find((c) => c.id === 'latency')).toMatchObject({ status: 'warn', reason: 'latency_p95 message' });
  });

  it('without the optional collaborators it reports what it can (CLI-era construction)', async () => {
    const r = await new HealthService({ store, ollama: ollamaUp, clock }).check();
    expect(r.checks.map((c) => c.id)).toEqual(['store', 'ollama', 'cache']);
  });
});
