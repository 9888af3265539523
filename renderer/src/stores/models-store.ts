import { create, type StoreApi } from 'zustand';
import type {
  AerisApi,
  CatalogDto,
  CatalogModelDto,
  EngineStatusDto,
  InstalledModelsDto,
  PullSnapshotDto,
  TransferResultDto,
} from '../../../preload/contract';
import { errorText, getApi } from '../bridge';
import { readGeneration } from '../lib/read-generation';
import { withTag } from '../../../preload/shared/model-name';
import { useApp, type AppState } from './app-store';
import { t } from '../i18n';

type ModelAction = 'delete' | 'default' | 'preload' | 'unload';

interface TransferState {
  busy: 'export' | 'import' | null;
  result: (TransferResultDto & { kind: 'export' | 'import' }) | null;
  error: string | null;
}

interface ModelsState {
  engine: EngineStatusDto | null;
  engineError: string | null;
  restarting: boolean;
  log: string[] | null;
  logError: string | null;

  installed: InstalledModelsDto | null;
  installedError: string | null;
  catalog: CatalogDto | null;
  catalogError: string | null;
  catalogLoading: boolean;

  /** Latest snapshot per model name (from events and `models.pulls`). */
  pulls: Record<string, PullSnapshotDto>;
  /** Finished pulls the person closed. */
  hiddenPulls: Record<string, number>;
  /** Model → the action running on it, to disable its buttons meanwhile. */
  busy: Record<string, ModelAction>;
  confirmDelete: string | null;
  transfer: TransferState;

  init(): Promise<void>;
  refreshEngine(): Promise<void>;
  restartEngine(): Promise<void>;
  loadLog(): Promise<void>;
  refreshInstalled(): Promise<void>;
  refreshCatalog(refresh?: boolean): Promise<void>;
  /** Loads the catalog once (the chat picker's fit marks); later calls reuse it. */
  ensureCatalog(): Promise<void>;
  refreshPulls(): Promise<void>;
  pull(name: string): Promise<boolean>;
  cancel(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  discard(name: string): Promise<void>;
  hidePull(name: string): void;
  askDelete(name: string | null): void;
  remove(name: string): Promise<void>;
  setDefault(name: string | null): Promise<void>;
  preload(name: string): Promise<void>;
  unload(name: string): Promise<void>;
  exportModel(name: string, dir: string): Promise<void>;
  importDir(dir: string, overwrite: boolean): Promise<void>;
  /** The native folder picker (Electron); null when cancelled or unavailable (serve mode: type the path). */
  pickFolder(purpose: 'export' | 'import'): Promise<string | null>;
  onPull(s: PullSnapshotDto): void;
}

interface ModelsStoreDeps {
  api(): AerisApi;
  /** The app store: notices, the chat picker's model list and the settings follow model changes. */
  app: Pick<StoreApi<AppState>, 'getState' | 'setState'>;
}

/** The models page's store, built on its collaborators so tests can hand it a fake bridge. */
export function createModelsStore(deps: ModelsStoreDeps) {
  const useApp = deps.app;
  return create<ModelsState>((set, get) => {
    const api = () => deps.api();
    const notifyError = (err: unknown) => useApp.getState().notify('error', errorText(err));
    let subscribed = false;
    let catalogOnce: Promise<void> | null = null;
    // A read of the installed list or the catalog that lands after a newer read (or, for the list, after the
    // default was changed here) is dropped: it was taken before, and would bring back a deleted model.
    const installedReads = readGeneration();
    const catalogReads = readGeneration();

    const withBusy = async (name: string, action: ModelAction, run: () => Promise<void>) => {
      set((s) => ({ busy: { ...s.busy, [name]: action } }));
      try {
        await run();
      } catch (err) {
        notifyError(err);
      } finally {
        set((s) => {
          const busy = { ...s.busy };
          delete busy[name];
          return { busy };
        });
      }
    };

    /** Installed models changed: this page, the catalog's "installed" marks and the chat picker follow. */
    const afterInstallChange = async () => {
      await Promise.all([get().refreshInstalled(), get().refreshCatalog(), useApp.getState().refreshModels()]);
    };

    return {
      engine: null,
      engineError: null,
      restarting: false,
      log: null,
      logError: null,
      installed: null,
      installedError: null,
      catalog: null,
      catalogError: null,
      catalogLoading: false,
      pulls: {},
      hiddenPulls: {},
      busy: {},
      confirmDelete: null,
      transfer: { busy: null, result: null, error: null },

      async init() {
        if (!subscribed) {
          subscribed = true;
          api().on('models.pull', (s) => get().onPull(s));
          api().on('ollama.engine', (e) => {
            const was = get().engine?.state;
            set({ engine: e, engineError: null });
            // Ollama came (back): what it has installed may be visible now.
            if ((e.state === 'running' || e.state === 'external') && was !== e.state) void get().refreshInstalled();
          });
          api().on('settings.changed', () => void afterInstallChange());
        }
        await Promise.all([
          get().refreshEngine(),
          get().refreshInstalled(),
          get().refreshCatalog(),
          get().refreshPulls(),
        ]);
      },

      async refreshEngine() {
        try {
          set({ engine: await api().call('engine.status', {}), engineError: null });
        } catch (err) {
          set({ engineError: errorText(err) });
        }
      },

      async restartEngine() {
        set({ restarting: true });
        try {
          set({ engine: await api().call('engine.restart', {}), engineError: null });
          await Promise.all([get().refreshInstalled(), get().log ? get().loadLog() : Promise.resolve()]);
        } catch (err) {
          set({ engineError: errorText(err) });
        } finally {
          set({ restarting: false });
        }
      },

      async loadLog() {
        try {
          const { lines } = await api().call('engine.logTail', { lines: 200 });
          set({ log: lines, logError: null });
        } catch (err) {
          set({ logError: errorText(err) });
        }
      },

      async refreshInstalled() {
        const current = installedReads.begin();
        try {
          const installed = await api().call('models.installed', {});
          if (current()) set({ installed, installedError: null });
        } catch (err) {
          if (current()) set({ installedError: errorText(err) });
        }
      },

      async refreshCatalog(refresh = false) {
        const current = catalogReads.begin();
        set({ catalogLoading: true });
        try {
          const catalog = await api().call('models.catalog', refresh ? { refresh } : {});
          if (current()) set({ catalog, catalogError: null });
        } catch (err) {
          if (current()) set({ catalogError: errorText(err) });
        } finally {
          // The newest read clears it; an overtaken one leaves it to that read.
          if (current()) set({ catalogLoading: false });
        }
      },

      ensureCatalog() {
        if (get().catalog) return Promise.resolve();
        catalogOnce ??= get().refreshCatalog();
        return catalogOnce;
      },

      async refreshPulls() {
        try {
          const { pulls } = await api().call('models.pulls', {});
          set((s) => {
            const next = { ...s.pulls };
            // A snapshot from an event may be newer than the list; keep the later one.
            for (const p of pulls) if (!next[p.name] || next[p.name]!.updatedAt <= p.updatedAt) next[p.name] = p;
            return { pulls: next };
          });
        } catch {
          // The list only restores what events would show; the engine card says when Ollama is down.
        }
      },

      async pull(raw) {
        const name = withTag(raw.trim());
        set((s) => {
          const hiddenPulls = { ...s.hiddenPulls };
          delete hiddenPulls[name];
          return { hiddenPulls };
        });
        try {
          const snap = await api().call('models.pullStart', { name });
          get().onPull(snap);
          return true;
        } catch (err) {
          notifyError(err);
          return false;
        }
      },

      async cancel(name) {
        try {
          await api().call('models.pullCancel', { name });
        } catch (err) {
          notifyError(err);
        }
      },

      async resume(name) {
        try {
          get().onPull(await api().call('models.pullResume', { name }));
        } catch (err) {
          notifyError(err);
        }
      },

      async discard(name) {
        try {
          await api().call('models.pullDiscard', { name });
          set((s) => {
            const pulls = { ...s.pulls };
            delete pulls[name];
            return { pulls };
          });
        } catch (err) {
          notifyError(err);
        }
      },

      hidePull(name) {
        set((s) => ({ hiddenPulls: { ...s.hiddenPulls, [name]: s.pulls[name]?.updatedAt ?? 0 } }));
      },

      askDelete(name) {
        set({ confirmDelete: name });
      },

      async remove(name) {
        set({ confirmDelete: null });
        await withBusy(name, 'delete', async () => {
          await api().call('models.delete', { name });
          useApp.getState().notify('info', t('models.notices.deleted', { name }));
          await afterInstallChange();
          // The default may have been cleared with it.
          const settings = await api().call('settings.get', {});
          useApp.setState({ settings });
        });
      },

      async setDefault(name) {
        await withBusy(name ?? '', 'default', async () => {
          const { defaultModel } = await api().call('models.setDefault', { name });
          installedReads.changed();
          set((s) => (s.installed ? { installed: { ...s.installed, defaultModel } } : {}));
          const settings = useApp.getState().settings;
          if (settings) useApp.setState({ settings: { ...settings, defaultModel } });
        });
      },

      async preload(name) {
        await withBusy(name, 'preload', async () => {
          await api().call('models.preload', { name });
          await get().refreshInstalled();
        });
      },

      async unload(name) {
        await withBusy(name, 'unload', async () => {
          await api().call('models.unload', { name });
          await get().refreshInstalled();
        });
      },

      async exportModel(name, dir) {
        set({ transfer: { busy: 'export', result: null, error: null } });
        try {
          const result = await api().call('models.export', { name, dir });
          set({ transfer: { busy: null, result: { ...result, kind: 'export' }, error: null } });
        } catch (err) {
          set({ transfer: { busy: null, result: null, error: errorText(err) } });
        }
      },

      async importDir(dir, overwrite) {
        set({ transfer: { busy: 'import', result: null, error: null } });
        try {
          const result = await api().call('models.import', { dir, overwrite });
          set({ transfer: { busy: null, result: { ...result, kind: 'import' }, error: null } });
          await afterInstallChange();
        } catch (err) {
          set({ transfer: { busy: null, result: null, error: errorText(err) } });
        }
      },

      async pickFolder(purpose) {
        try {
          const r = await api().call('dialog.pickFolder', { purpose });
          return r.available ? r.path : null;
        } catch (err) {
          notifyError(err);
          return null;
        }
      },

      onPull(s) {
        const prev = get().pulls[s.name];
        // Events can overtake the call's own answer; never step back to an older snapshot.
        if (prev && prev.startedAt === s.startedAt && prev.updatedAt > s.updatedAt) return;
        set((st) => ({ pulls: { ...st.pulls, [s.name]: s } }));
        if (s.state === 'success' && prev?.state !== 'success') {
          useApp.getState().notify('info', t('models.notices.installed', { name: s.name }));
          void afterInstallChange();
        }
      },
    };
  });
}

export const useModels = createModelsStore({ api: getApi, app: useApp });

/** The verdict for a model name (tag or not), from the catalog the store holds. */
export function fitFor(catalog: CatalogDto | null, name: string): CatalogModelDto | undefined {
  if (!catalog) return undefined;
  const n = withTag(name);
  return catalog.models.find((m) => withTag(m.name) === n);
}
