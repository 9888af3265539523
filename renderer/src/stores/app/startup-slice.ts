import { errorText } from '../../bridge/error-text';
import type { ReplySync } from './reply-sync';
import type { Slice, SliceDeps, StartupSlice } from './types';

export const startupSlice =
  (deps: Pick<SliceDeps, 'api' | 'connection' | 'language'>, sync: ReplySync): Slice<StartupSlice> =>
  (set, get) => {
    const fail = (err: unknown) => get().notify('error', errorText(err));
    /** Sessions, models and health, then the newest conversation opened. */
    const loadApp = async () => {
      await Promise.all([get().refreshSessions(), get().refreshModels(), get().refreshHealth()]);
      const first = get().sessions[0];
      if (first) await get().select(first.id);
    };
    /** After a dropped event stream, reload what may have been missed. */
    const caughtUp = (up: boolean) => {
      if (!up) return;
      void get().refreshSessions();
      const id = get().activeId;
      if (!id) return;
      void sync.reload(id).then(() => {
        const stillWriting = get().messages[id]?.some((m) => m.status === 'streaming');
        if (!stillWriting) {
          set((s) => {
            const streams = { ...s.streams };
            delete streams[id];
            return { streams };
          });
        }
      }, fail);
    };

    /** The one start-up of this store: the app's first render asks again for what main.tsx already began. */
    let started: Promise<void> | null = null;
    const start = async (strings: Promise<void>) => {
      try {
        const a = deps.api();
        a.on('chat.event', (e) => get().onChatEvent(e));
        a.on('settings.changed', () => void get().refreshModels());
        // The supervisor re-probes Ollama every 5 s and says when its state changes: the status dot follows.
        a.on('ollama.engine', () => void get().refreshHealth());
        const conn = deps.connection();
        if (conn) {
          await conn.whenConnected();
          conn.onConnectionChange = caughtUp;
        }
        const [info, settings, recovery] = await Promise.all([
          a.call('app.info', {}),
          a.call('settings.get', {}),
          a.call('recovery.status', {}),
        ]);
        // The first language's strings before any words, and before the one chosen in Settings (shared with
        // the other windows and the CLI) replaces it: that one beats the system's.
        await strings;
        if (settings.uiLanguage) await deps.language.set(settings.uiLanguage).catch(() => undefined);
        set({ info, settings, ready: true, recoveryActive: recovery.active });
        if (recovery.active) return;
        await loadApp();
      } catch (err) {
        await strings;
        set({ fatal: errorText(err), ready: true });
      }
    };

    return {
      ready: false,
      fatal: null,
      recoveryActive: false,
      info: null,
      settings: null,
      health: null,

      init(strings = Promise.resolve()) {
        return (started ??= start(strings));
      },

      async recovered() {
        set({ recoveryActive: false });
        try {
          await loadApp();
        } catch (err) {
          fail(err);
        }
      },

      async refreshHealth() {
        try {
          const health = await deps.api().call('health.get', {});
          set({ health });
          // The background check may have found damage while the app was open: show the recovery screen.
          if (health.status === 'unhealthy' && !get().recoveryActive) {
            const recovery = await deps.api().call('recovery.status', {});
            if (recovery.active) set({ recoveryActive: true });
          }
        } catch {
          set({ health: null });
        }
      },

      async updateSettings(patch) {
        try {
          const settings = await deps.api().call('settings.update', patch);
          if (patch.uiLanguage !== undefined) await deps.language.set(settings.uiLanguage ?? deps.language.system());
          set({ settings });
          if (patch.ollamaHost !== undefined) {
            set({ info: await deps.api().call('app.info', {}) });
            await Promise.all([get().refreshModels(), get().refreshHealth()]);
          }
        } catch (err) {
          fail(err);
        }
      },
    };
  };
