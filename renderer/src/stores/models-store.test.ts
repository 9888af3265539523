import { describe, expect, it } from 'vitest';
import type { CatalogDto, InstalledModelsDto, PullSnapshotDto } from '../../../preload/contract';
import { BridgeError } from '../bridge/http-bridge';
import { deferred, FakeBridge, settle } from '../test-support/fake-bridge';
import { createAppStore } from './app-store';
import { createModelsStore } from './models-store';

const snap = (over: Partial<PullSnapshotDto> & Pick<PullSnapshotDto, 'name'>): PullSnapshotDto => ({
  state: 'pulling',
  status: 'pulling 6a0746a1ec1a',
  layers: [],
  completedBytes: 0,
  totalBytes: 2_000_000,
  percent: 0,
  bytesPerSecond: 0,
  etaSeconds: null,
  error: null,
  resumable: false,
  queuePosition: null,
  startedAt: 100,
  updatedAt: 100,
  ...over,
});

const installed = (names: string[]): InstalledModelsDto =>
  ({ models: names.map((name) => ({ name })), totalBytes: 0, defaultModel: null, disk: {} }) as never;
const catalog = (names: string[]): CatalogDto =>
  ({ models: names.map((name) => ({ name })), recommended: null, numCtx: 4096, machine: {} }) as never;

function setup(handlers: ConstructorParameters<typeof FakeBridge>[0] = {}) {
  const bridge = new FakeBridge({
    'models.installed': () => installed([]),
    'models.catalog': () => catalog(['tinyllama:1b']),
    'models.list': () => ({ models: [], newChatModel: null }),
    'models.pulls': () => ({ pulls: [], resumable: [] }),
    'engine.status': () => ({ state: 'stopped' }) as never,
    ...handlers,
  });
  const app = createAppStore({ api: () => bridge, connection: () => null });
  const models = createModelsStore({ api: () => bridge, app });
  return { bridge, app, models };
}

describe('models store: pull progress', () => {
  it('follows a pull from its events, never steps back to an older snapshot, and refreshes everything on success', async () => {
    const { bridge, app, models } = setup({
      'models.pullStart': ({ name }) => snap({ name, percent: 0, updatedAt: 100 }),
    });
    await models.getState().init();
    expect(await models.getState().pull('  tinyllama ')).toBe(true);
    expect(bridge.calls.find((c) => c.name === 'models.pullStart')?.input).toEqual({ name: 'tinyllama:latest' });

    bridge.emit(
      'models.pull',
      snap({ name: 'tinyllama:latest', percent: 60, completedBytes: 1_200_000, updatedAt: 300 }),
    );
    // An older snapshot that arrives late (the call's own answer, a slow event) is ignored.
    bridge.emit('models.pull', snap({ name: 'tinyllama:latest', percent: 30, updatedAt: 200 }));
    expect(models.getState().pulls['tinyllama:latest']).toMatchObject({ percent: 60, completedBytes: 1_200_000 });

    const before = { installed: bridge.count('models.installed'), list: bridge.count('models.list') };
    bridge.handle({ 'models.installed': () => installed(['tinyllama:latest']) });
    bridge.emit('models.pull', snap({ name: 'tinyllama:latest', state: 'success', percent: 100, updatedAt: 400 }));
    // A second success snapshot (event and list) announces nothing twice.
    bridge.emit('models.pull', snap({ name: 'tinyllama:latest', state: 'success', percent: 100, updatedAt: 401 }));
    await settle();
    expect(app.getState().notices.map((n) => n.text)).toEqual(['tinyllama:latest is installed.']);
    expect(bridge.count('models.installed')).toBe(before.installed + 1);
    expect(bridge.count('models.list')).toBe(before.list + 1);
    expect(models.getState().installed?.models.map((m) => m.name)).toEqual(['tinyllama:latest']);
  });

  it('a new pull of the same model (a later start) replaces an old snapshot even if its clock reads earlier', () => {
    const { models } = setup();
    models.getState().onPull(snap({ name: 'a:1b', state: 'failed', startedAt: 100, updatedAt: 900 }));
    models.getState().onPull(snap({ name: 'a:1b', state: 'pulling', startedAt: 1000, updatedAt: 500 }));
    expect(models.getState().pulls['a:1b']?.state).toBe('pulling');
  });

  it('merges the pull list with newer snapshots from events, and says why a pull could not start', async () => {
    const { bridge, app, models } = setup({
      'models.pulls': () => ({
        pulls: [
          snap({ name: 'a:1b', percent: 10, updatedAt: 100 }),
          snap({ name: 'b:1b', percent: 50, updatedAt: 100 }),
        ],
        resumable: [],
      }),
      'models.pullStart': () => {
        throw new BridgeError('invalid_model', 'That is not a model name.');
      },
    });
    models.getState().onPull(snap({ name: 'a:1b', percent: 20, updatedAt: 200 }));
    await models.getState().refreshPulls();
    expect(models.getState().pulls['a:1b']?.percent).toBe(20);
    expect(models.getState().pulls['b:1b']?.percent).toBe(50);

    expect(await models.getState().pull('bad name')).toBe(false);
    expect(app.getState().notices.map((n) => n.text)).toEqual(['That is not a model name.']);
    expect(bridge.count('models.pullStart')).toBe(1);
  });

  it('hides a finished pull, shows it again on a new pull, and forgets a discarded one', async () => {
    const { models } = setup({
      'models.pullStart': ({ name }) => snap({ name, updatedAt: 600, startedAt: 600 }),
      'models.pullDiscard': () => ({ discarded: true }) as never,
    });
    models.getState().onPull(snap({ name: 'a:1b', state: 'failed', updatedAt: 500 }));
    models.getState().hidePull('a:1b');
    expect(models.getState().hiddenPulls).toEqual({ 'a:1b': 500 });
    await models.getState().pull('a:1b');
    expect(models.getState().hiddenPulls).toEqual({});
    await models.getState().discard('a:1b');
    expect(models.getState().pulls).toEqual({});
  });
});

describe('models store: actions and loading', () => {
  it('marks a model busy while an action runs, clears it after, and reports a failure', async () => {
    const answer = deferred<{ ok: true }>();
    const { models, app } = setup({
      'models.unload': () => answer.promise as never,
      'models.preload': () => {
        throw new BridgeError('ollama_unavailable', 'Ollama is not running.');
      },
    });
    const unloading = models.getState().unload('a:1b');
    expect(models.getState().busy).toEqual({ 'a:1b': 'unload' });
    answer.resolve({ ok: true });
    await unloading;
    expect(models.getState().busy).toEqual({});
    await models.getState().preload('a:1b');
    expect(models.getState().busy).toEqual({});
    expect(app.getState().notices.map((n) => n.text)).toEqual(['Ollama is not running.']);
  });

  it('loads the catalog once for the chat picker, however many ask at the same time', async () => {
    const answer = deferred<CatalogDto>();
    const { bridge, models } = setup({ 'models.catalog': () => answer.promise });
    const asks = [models.getState().ensureCatalog(), models.getState().ensureCatalog()];
    answer.resolve(catalog(['x:1b']));
    await Promise.all(asks);
    await models.getState().ensureCatalog();
    expect(bridge.count('models.catalog')).toBe(1);
    expect(models.getState().catalog?.models.map((m) => m.name)).toEqual(['x:1b']);
  });

  it('subscribes to events once, and looks at installed models again when Ollama comes up', async () => {
    const { bridge, models } = setup();
    await models.getState().init();
    await models.getState().init();
    const lists = bridge.count('models.list');
    bridge.emit('settings.changed', {} as never);
    await settle();
    expect(bridge.count('models.list')).toBe(lists + 1); // one listener, not one per init
    const seen = bridge.count('models.installed');
    bridge.emit('ollama.engine', { state: 'running' } as never);
    bridge.emit('ollama.engine', { state: 'running' } as never);
    await settle();
    expect(bridge.count('models.installed')).toBe(seen + 1);
    expect(models.getState().engine?.state).toBe('running');
  });

  it('keeps each part of the page working when another part fails', async () => {
    const { models } = setup({
      'engine.status': () => {
        throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
      },
      'models.catalog': () => {
        throw new BridgeError('catalog_unavailable', 'No catalog.');
      },
    });
    await models.getState().init();
    expect(models.getState()).toMatchObject({
      engineError: 'The AERIS-AQ server is not reachable.',
      catalogError: 'No catalog.',
      catalogLoading: false,
      installedError: null,
    });
    expect(models.getState().installed?.models).toEqual([]);
  });
});

describe('models store: a read taken before a change never undoes it', () => {
  it('keeps a new default when an installed-models read taken before it lands after it', async () => {
    const { bridge, models } = setup({
      'models.installed': () => ({ ...installed(['a:1b', 'b:1b']), defaultModel: 'a:1b' }),
    });
    await models.getState().init();
    // The page refreshes (Ollama came back) while the engine is slow: that read's answer is held back.
    const slow = deferred<InstalledModelsDto>();
    bridge.handle({ 'models.installed': () => slow.promise });
    const reading = models.getState().refreshInstalled();
    bridge.handle({ 'models.setDefault': ({ name }) => ({ defaultModel: name }) });
    await models.getState().setDefault('b:1b');
    expect(models.getState().installed?.defaultModel).toBe('b:1b');
    slow.resolve({ ...installed(['a:1b', 'b:1b']), defaultModel: 'a:1b' });
    await reading;
    expect(models.getState().installed?.defaultModel).toBe('b:1b');
  });

  it('drops an older list read that lands after a newer one: a deleted model does not come back', async () => {
    const { bridge, models } = setup({ 'models.installed': () => installed(['a:1b', 'b:1b']) });
    await models.getState().init();
    const slowInstalled = deferred<InstalledModelsDto>();
    const slowCatalog = deferred<CatalogDto>();
    bridge.handle({ 'models.installed': () => slowInstalled.promise, 'models.catalog': () => slowCatalog.promise });
    const reading = Promise.all([models.getState().refreshInstalled(), models.getState().refreshCatalog()]);
    // The model is deleted meanwhile; the delete's own reads answer at once.
    bridge.handle({
      'models.delete': () => ({ ok: true }) as never,
      'models.installed': () => installed(['a:1b']),
      'models.catalog': () => catalog(['a:1b']),
      'settings.get': () => ({}) as never,
    });
    await models.getState().remove('b:1b');
    expect(models.getState().installed?.models.map((m) => m.name)).toEqual(['a:1b']);
    slowInstalled.resolve(installed(['a:1b', 'b:1b']));
    slowCatalog.resolve(catalog(['a:1b', 'b:1b']));
    await reading;
    expect(models.getState().installed?.models.map((m) => m.name)).toEqual(['a:1b']);
    expect(models.getState().catalog?.models.map((m) => m.name)).toEqual(['a:1b']);
    expect(models.getState().catalogLoading).toBe(false);
  });
});
