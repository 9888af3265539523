import { afterEach, describe, expect, it } from 'vitest';
import type { HealthDto, RecoveryStatusDto, SettingsDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { currentLanguage, setLanguage, t } from '../../i18n';
import { INFO, SETTINGS } from '../../test-support/engine-fixtures';
import { deferred, FakeBridge, message, settle } from '../../test-support/fake-bridge';
import { createAppStore } from '../app-store';

afterEach(async () => {
  await setLanguage('en');
});

const health = (status: HealthDto['status']): HealthDto => ({
  status,
  database: 'ok',
  cache: 'ok',
  ollama: 'ok',
  ollama_host: 'http://127.0.0.1:11434',
  version: '0.1.0',
  timestamp: '2026-11-30T00:00:00Z',
});

const NOT_DAMAGED: RecoveryStatusDto = {
  active: false,
  damage: null,
  reason: null,
  since: null,
  backups: [],
  damagedBackups: [],
};

describe('startup slice: start-up', () => {
  it('loads info, settings, sessions, models and health, then opens the newest conversation', async () => {
    const bridge = new FakeBridge({
      'app.info': () => INFO,
      'settings.get': () => SETTINGS,
      'sessions.list': () => ({
        sessions: [
          { id: 'new', title: 'Newest', model: null, style: 'general', createdAt: 2, updatedAt: 2, messageCount: 1 },
        ],
        total: 1,
      }),
      'models.list': () => {
        throw new BridgeError('ollama_unavailable', 'Ollama is not running.');
      },
      'health.get': () => {
        throw new BridgeError('offline', 'down');
      },
      'messages.list': ({ sessionId }) => ({
        messages: [message({ id: 1, sessionId, role: 'user', content: 'hi', status: 'complete' })],
        total: 1,
      }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().init();
    const s = store.getState();
    expect(s).toMatchObject({ ready: true, fatal: null, activeId: 'new', models: [], health: null });
    expect(s.modelsError).toBe('Ollama is not running.');
    expect(s.messages.new!.map((m) => m.content)).toEqual(['hi']);
  });

  it('says why it cannot start when the first calls fail', async () => {
    const bridge = new FakeBridge({
      'app.info': () => {
        throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
      },
      'settings.get': () => SETTINGS,
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().init();
    expect(store.getState()).toMatchObject({ ready: true, fatal: 'The AERIS-AQ server is not reachable.' });
  });

  it('shows the recovery screen instead of loading a damaged store, and loads the app once it is repaired', async () => {
    let damaged = true;
    const bridge = new FakeBridge({
      'app.info': () => INFO,
      'settings.get': () => SETTINGS,
      'recovery.status': () => ({
        active: damaged,
        damage: null,
        reason: damaged ? 'The start of the chat history file is damaged.' : null,
        since: damaged ? 1 : null,
        backups: [],
        damagedBackups: [],
      }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'models.list': () => ({ models: [], newChatModel: null }),
      'health.get': () => {
        throw new BridgeError('offline', 'down');
      },
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().init();
    expect(store.getState()).toMatchObject({ ready: true, fatal: null, recoveryActive: true });
    expect(bridge.count('sessions.list')).toBe(0);
    damaged = false;
    await store.getState().recovered();
    expect(store.getState().recoveryActive).toBe(false);
    expect(bridge.count('sessions.list')).toBe(1);
  });

  it('reloads the open conversation when the event stream comes back, and forgets a reply that ended meanwhile', async () => {
    const conn: { whenConnected(): Promise<void>; onConnectionChange: ((up: boolean) => void) | null } = {
      whenConnected: () => Promise.resolve(),
      onConnectionChange: null,
    };
    const bridge = new FakeBridge({
      'app.info': () => {
        throw new BridgeError('x', 'stop after the hook is set');
      },
      'settings.get': () => SETTINGS,
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'messages.list': ({ sessionId }) => ({
        messages: [message({ id: 2, sessionId, content: 'all of it', status: 'complete' })],
        total: 1,
      }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => conn });
    await store.getState().init();
    store.setState({ activeId: 's1', streams: { s1: '41' } });
    conn.onConnectionChange!(true);
    await settle();
    expect(store.getState().messages.s1![0]!.content).toBe('all of it');
    expect(store.getState().streams).toEqual({});
  });

  it('shows the UI in the language saved in Settings before the app loads', async () => {
    const switched: string[] = [];
    const bridge = new FakeBridge({
      'app.info': () => INFO,
      'settings.get': () => ({ ...SETTINGS, uiLanguage: 'fr' }),
      'recovery.status': () => NOT_DAMAGED,
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'models.list': () => ({ models: [], newChatModel: null }),
      'health.get': () => {
        throw new BridgeError('offline', 'down');
      },
    });
    const store = createAppStore({
      api: () => bridge,
      connection: () => null,
      language: {
        current: () => 'en',
        set: async (lng) => void switched.push(lng),
        system: () => 'en',
        t,
      },
    });
    await store.getState().init();
    expect(switched).toEqual(['fr']);
    expect(store.getState()).toMatchObject({ ready: true, fatal: null });
  });

  it('calls the engine while the first strings load, and sets no words nor Settings’ language before they are here', async () => {
    const switched: string[] = [];
    const bridge = new FakeBridge({
      'app.info': () => INFO,
      'settings.get': () => ({ ...SETTINGS, uiLanguage: 'fr' }),
      'recovery.status': () => NOT_DAMAGED,
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'models.list': () => ({ models: [], newChatModel: null }),
      'health.get': () => health('healthy'),
    });
    const store = createAppStore({
      api: () => bridge,
      connection: () => null,
      language: { current: () => 'en', set: async (lng) => void switched.push(lng), system: () => 'en', t },
    });
    const strings = deferred<void>();
    const started = store.getState().init(strings.promise);
    await settle();
    expect(bridge.count('app.info')).toBe(1);
    expect(bridge.count('settings.get')).toBe(1);
    expect(switched).toEqual([]);
    expect(store.getState().ready).toBe(false);
    strings.resolve();
    await started;
    expect(switched).toEqual(['fr']);
    expect(store.getState()).toMatchObject({ ready: true, fatal: null, health: { status: 'healthy' } });
  });

  it('words a failed start only once the strings are here', async () => {
    const bridge = new FakeBridge({
      'app.info': () => {
        throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
      },
      'settings.get': () => SETTINGS,
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    const strings = deferred<void>();
    const started = store.getState().init(strings.promise);
    await settle();
    expect(store.getState()).toMatchObject({ ready: false, fatal: null });
    strings.resolve();
    await started;
    expect(store.getState()).toMatchObject({ ready: true, fatal: 'The AERIS-AQ server is not reachable.' });
  });

  it('starts once: the first render asking again shares the start-up main.tsx began', async () => {
    const bridge = new FakeBridge({
      'app.info': () => INFO,
      'settings.get': () => SETTINGS,
      'recovery.status': () => NOT_DAMAGED,
      'sessions.list': () => ({ sessions: [], total: 0 }),
      'models.list': () => ({ models: [], newChatModel: null }),
      'health.get': () => health('healthy'),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    const first = store.getState().init();
    expect(store.getState().init()).toBe(first);
    await first;
    expect(bridge.count('app.info')).toBe(1);
    expect(bridge.count('sessions.list')).toBe(1);
    // One listener per event, so an event is handled once.
    const seen: string[] = [];
    store.setState({ onChatEvent: (e) => void seen.push(e.type) });
    bridge.emit('chat.event', { type: 'retract', streamId: '1', sessionId: 's1', messageId: 1, offset: 0 });
    expect(seen).toHaveLength(1);
  });
});

describe('startup slice: health and settings', () => {
  it('shows the recovery screen when a health check finds the store damaged while the app is open', async () => {
    let damaged = false;
    const bridge = new FakeBridge({
      'health.get': () => health(damaged ? 'unhealthy' : 'healthy'),
      'recovery.status': () => ({ ...NOT_DAMAGED, active: damaged, reason: damaged ? 'damaged' : null }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().refreshHealth();
    expect(store.getState()).toMatchObject({ health: { status: 'healthy' }, recoveryActive: false });
    // Healthy: the recovery status is not even asked.
    expect(bridge.count('recovery.status')).toBe(0);
    damaged = true;
    await store.getState().refreshHealth();
    expect(store.getState()).toMatchObject({ health: { status: 'unhealthy' }, recoveryActive: true });
  });

  it('reloads the app info, models and health when Settings changes the Ollama host, and says why a save failed', async () => {
    let host = 'http://127.0.0.1:11434';
    let refuse = false;
    const bridge = new FakeBridge({
      'settings.update': (patch) => {
        if (refuse) throw new BridgeError('invalid', 'That is not an address.');
        host = (patch as Partial<SettingsDto>).ollamaHost ?? host;
        return { ...SETTINGS, ollamaHost: host };
      },
      'app.info': () => ({ ...INFO, ollamaHost: host, ollamaHostSource: 'settings' }),
      'models.list': () => ({ models: [], newChatModel: null }),
      'health.get': () => health('healthy'),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().updateSettings({ theme: 'dark' });
    expect(bridge.count('app.info')).toBe(0);
    await store.getState().updateSettings({ ollamaHost: 'http://10.0.0.2:11434' });
    expect(store.getState().info?.ollamaHost).toBe('http://10.0.0.2:11434');
    expect(store.getState().settings?.ollamaHost).toBe('http://10.0.0.2:11434');
    expect(bridge.count('models.list')).toBe(1);
    expect(bridge.count('health.get')).toBe(1);
    refuse = true;
    await store.getState().updateSettings({ ollamaHost: 'nonsense' });
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([['error', 'That is not an address.']]);
    expect(store.getState().settings?.ollamaHost).toBe('http://10.0.0.2:11434');
  });

  it('switches the UI at once when Settings saves a language, and back to the system language when cleared', async () => {
    let saved: SettingsDto = { ...SETTINGS, uiLanguage: null };
    const bridge = new FakeBridge({
      'settings.update': (patch) => (saved = { ...saved, ...(patch as Partial<SettingsDto>) }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().updateSettings({ uiLanguage: 'sw' });
    expect(currentLanguage()).toBe('sw');
    expect(t('nav.settings')).toBe('Mipangilio');
    expect(store.getState().settings?.uiLanguage).toBe('sw');
    // Null follows the system; Node has no navigator.languages, so the system language is English here.
    await store.getState().updateSettings({ uiLanguage: null });
    expect(currentLanguage()).toBe('en');
  });
});
