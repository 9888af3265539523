import { describe, expect, it } from 'vitest';
import type { EngineStatusDto, HardwareDto, HealthDto, SettingsDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { t } from '../../i18n';
import { createAppStore } from '../../stores/app-store';
import { INFO, SETTINGS } from '../../test-support/engine-fixtures';
import { deferred, FakeBridge } from '../../test-support/fake-bridge';
import { createOnboardingStore, SLOW_MS, STEPS } from './onboarding-store';

/** A clock that moves only when the test (or a sleep) moves it. */
function manualClock() {
  let now = 1_000;
  const timers: Array<{ at: number; run: () => void }> = [];
  return {
    now: () => now,
    async sleep(ms: number) {
      now += ms;
    },
    after(ms: number, run: () => void) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
    /** Moves time on, running the timers that come due. */
    advance(ms: number) {
      now += ms;
      for (const due of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(due), 1);
        due.run();
      }
    },
    get pending() {
      return timers.length;
    },
  };
}

const HARDWARE: HardwareDto = {
  platform: 'linux',
  arch: 'x64',
  gpus: [],
  ram: { totalBytes: 16e9, freeBytes: 8e9 },
  cpu: { model: 'cpu', cores: 8, flags: [] },
  disk: { modelsDir: '/m', freeBytes: null },
  notes: [],
  detectedAt: '2026-11-30T00:00:00Z',
  numCtx: 4096,
  recommended: null,
  recommendations: [],
  ollamaReachable: true,
};

const engine = (host: string, state: EngineStatusDto['state']): EngineStatusDto => ({
  state,
  host,
  message: null,
  version: '0.5.1',
  pid: null,
  binary: null,
  restarts: 0,
  logFile: '/l',
});

function wizard(bridge: FakeBridge, clock = manualClock()) {
  const app = createAppStore({ api: () => bridge, connection: () => null });
  const asked: string[] = [];
  const models = {
    getState: () => ({
      refreshEngine: async () => void asked.push('engine'),
      refreshInstalled: async () => void asked.push('installed'),
      refreshCatalog: async () => void asked.push('catalog'),
      setDefault: async (name: string) => void asked.push(`default ${name}`),
    }),
  };
  return { app, asked, clock, store: createOnboardingStore({ api: () => bridge, app, models, clock }) };
}

describe('onboarding store: the computer step', () => {
  it('says a slow detection is slow past SLOW_MS, asks only once meanwhile, and shows the answer when it lands', async () => {
    const detect = deferred<HardwareDto>();
    const bridge = new FakeBridge({ 'hardware.detect': () => detect.promise });
    const { store, clock } = wizard(bridge);
    const loading = store.getState().loadHardware();
    expect(store.getState().hardwareState).toBe('loading');
    clock.advance(SLOW_MS - 1);
    expect(store.getState().hardwareState).toBe('loading');
    clock.advance(1);
    expect(store.getState().hardwareState).toBe('slow');
    await store.getState().loadHardware();
    expect(bridge.count('hardware.detect')).toBe(1);
    detect.resolve(HARDWARE);
    await loading;
    expect(store.getState()).toMatchObject({ hardwareState: 'ready', hardware: HARDWARE, hardwareError: null });
    expect(clock.pending).toBe(0);
  });

  it('says why detection failed, and cancels the slow timer', async () => {
    const bridge = new FakeBridge({
      'hardware.refresh': () => {
        throw new BridgeError('internal', 'nvidia-smi did not answer.');
      },
    });
    const { store, clock } = wizard(bridge);
    await store.getState().loadHardware(true);
    expect(store.getState()).toMatchObject({ hardwareState: 'error', hardwareError: 'nvidia-smi did not answer.' });
    expect(clock.pending).toBe(0);
  });
});

describe('onboarding store: Ollama on another computer', () => {
  it('asks for an address when none is typed, without calling the engine', async () => {
    const bridge = new FakeBridge();
    const { store } = wizard(bridge);
    await store.getState().connectLan('   ');
    expect(store.getState().lan).toEqual({
      state: 'bad',
      text: t('wizard.lan.typeAddress', { example: '192.168.1.20' }),
    });
    expect(bridge.calls).toEqual([]);
  });

  it('saves the host, waits for the engine to settle on it, says it is connected, and reloads models and health', async () => {
    const host = 'http://192.168.1.20:11434';
    let polls = 0;
    const bridge = new FakeBridge({
      'settings.update': (patch) => ({ ...SETTINGS, ...(patch as Partial<SettingsDto>), ollamaHost: host }),
      // The supervisor is still starting on the new host for the first polls.
      'engine.status': () => engine(host, ++polls < 3 ? 'starting' : 'running'),
      'health.get': (): HealthDto => ({
        status: 'healthy',
        database: 'ok',
        cache: 'ok',
        ollama: 'connected (0.5.1)',
        ollama_host: host,
        version: '0.1.0',
        timestamp: '2026-11-30T00:00:00Z',
      }),
      'app.info': () => ({ ...INFO, ollamaHost: host, ollamaHostSource: 'settings' }),
      'models.list': () => ({ models: [], newChatModel: null }),
    });
    const { store, app, asked } = wizard(bridge);
    await store.getState().connectLan(' 192.168.1.20 ');
    expect(bridge.calls[0]).toEqual({ name: 'settings.update', input: { ollamaHost: '192.168.1.20' } });
    expect(polls).toBe(3);
    expect(store.getState().lan).toEqual({ state: 'ok', text: t('wizard.lan.connected', { version: ' 0.5.1', host }) });
    expect(app.getState().settings?.ollamaHost).toBe(host);
    expect(app.getState().info?.ollamaHost).toBe(host);
    expect(asked.sort()).toEqual(['catalog', 'engine', 'installed']);
  });

  it('lets the person go on when the engine has not settled within SLOW_MS', async () => {
    const host = 'http://10.0.0.9:11434';
    const bridge = new FakeBridge({
      'settings.update': () => ({ ...SETTINGS, ollamaHost: host }),
      'engine.status': () => engine(host, 'starting'),
      'app.info': () => INFO,
      'models.list': () => ({ models: [], newChatModel: null }),
    });
    const { store } = wizard(bridge);
    await store.getState().connectLan('10.0.0.9');
    expect(store.getState().lan).toEqual({ state: 'slow', text: t('wizard.lan.slow', { host }) });
    // One poll every 400 ms of the (manual) clock until SLOW_MS has gone by.
    expect(bridge.count('engine.status')).toBe(SLOW_MS / 400);
  });
});

describe('onboarding store: finishing', () => {
  it('makes the picked model the default, marks onboarding done, lands in Chat, and starts from the top next time', async () => {
    const bridge = new FakeBridge({
      'settings.update': (patch) => ({ ...SETTINGS, ...(patch as Partial<SettingsDto>) }),
    });
    const { store, app, asked } = wizard(bridge);
    app.getState().setPage('models');
    store.getState().goTo('done');
    expect(store.getState().step).toBe(STEPS.length - 1);
    await store.getState().finish('qwen2.5:3b');
    expect(asked).toEqual(['default qwen2.5:3b']);
    expect(app.getState()).toMatchObject({ page: 'chat', settings: { onboardingDone: true } });
    expect(store.getState()).toMatchObject({ step: 0, finishing: false, modelChoice: null });
  });
});
