import { create } from 'zustand';
import type {
  AerisApi,
  AppInfoDto,
  ChatEventDto,
  HealthDto,
  InstalledModelDto,
  MessageDto,
  ProviderIdDto,
  SearchHitDto,
  SessionDto,
  SettingsDto,
} from '../../../preload/contract';
import { errorText, getApi, httpBridge } from '../bridge';
import type { HttpBridge } from '../bridge/http-bridge';
import { ReplySync } from './reply-sync';
import { persisted } from '../lib/persisted';
import { useMyLocation } from './location-store';
import { currentLanguage, setLanguage, systemLanguage, t } from '../i18n';
import { engineText } from '../i18n/engine-text';

const savedDraftModel = persisted('aeris.draftModel');

type Style = SettingsDto['defaultStyle'];

interface Notice {
  id: number;
  kind: 'error' | 'info' | 'warning';
  text: string;
}

export interface AppState {
  ready: boolean;
  fatal: string | null;
  /** The chat history is damaged: the recovery screen replaces the app until it is restored or salvaged. */
  recoveryActive: boolean;
  /** Leaves the recovery screen and loads the app on the repaired store. */
  recovered(): Promise<void>;
  info: AppInfoDto | null;
  settings: SettingsDto | null;
  health: HealthDto | null;
  sessions: SessionDto[];
  activeId: string | null;
  messages: Record<string, MessageDto[]>;
  /** sessionId → streamId of the reply being written there. */
  streams: Record<string, string>;
  models: InstalledModelDto[];
  modelsError: string | null;
  /** The model for the next new chat (before a session exists); kept across reloads. */
  draftModel: string | null;
  /** What the engine gives a chat started without a model (the default while installed, else a tool-capable one). */
  newChatModel: string | null;
  draftStyle: Style | null;
  /** The provider (and its model) picked for the next new chat; null follows the default in Settings. */
  draftProvider: { provider: ProviderIdDto; model: string | null } | null;
  setDraftProvider(choice: { provider: ProviderIdDto; model: string | null } | null): void;
  searchQuery: string;
  searchHits: SearchHitDto[];
  notices: Notice[];
  settingsOpen: boolean;
  /** The page shown (see app/pages.tsx). */
  page: string;
  /** Asks the search box to take focus (the box owns its element; the store only asks). */
  searchFocusWanted: boolean;
  setPage(id: string): void;
  focusSearch(): void;
  searchFocusDone(): void;

  init(): Promise<void>;
  refreshSessions(): Promise<void>;
  refreshModels(): Promise<void>;
  refreshHealth(): Promise<void>;
  select(id: string | null): Promise<void>;
  newChat(): void;
  send(text: string): Promise<void>;
  stop(): Promise<void>;
  regenerate(): Promise<void>;
  editAndResend(messageId: number, content: string): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  setModel(model: string): Promise<void>;
  setStyle(style: Style): Promise<void>;
  search(q: string): Promise<void>;
  updateSettings(patch: Partial<SettingsDto>): Promise<void>;
  exportSession(id: string, format: 'markdown' | 'json'): Promise<void>;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
  openSettings(open: boolean): void;
  onChatEvent(e: ChatEventDto): void;
}

interface AppStoreDeps {
  /** The contract (Electron preload or the HTTP bridge). */
  api(): AerisApi;
  /** The HTTP bridge in serve mode (its event stream can drop and come back); null under Electron. */
  connection(): Pick<HttpBridge, 'whenConnected' | 'onConnectionChange'> | null;
  /** How long an info notice stays; errors stay until closed. */
  noticeMs?: number;
}

const isInstalled = (s: Pick<AppState, 'models'>, name: string) => s.models.some((m) => m.name === name);

/** The model a new chat will use: the one picked for it while installed, else the engine's choice. */
export function newChatChoice(s: Pick<AppState, 'models' | 'draftModel' | 'newChatModel'>): string | null {
  return s.draftModel && isInstalled(s, s.draftModel) ? s.draftModel : s.newChatModel;
}

/** The chat store, built on its collaborators so tests can hand it a fake bridge. */
export function createAppStore(deps: AppStoreDeps) {
  return create<AppState>((set, get) => {
    const api = () => deps.api();
    const fail = (err: unknown) => get().notify('error', errorText(err));
    let noticeSeq = 0;
    /** Streams that already ended: a `done` can arrive before the call that started the stream returns. */
    const finishedStreams = new Set<string>();
    const sync = new ReplySync({
      load: async (sessionId) => (await api().call('messages.list', { sessionId, limit: 1000 })).messages,
      get: (sessionId) => get().messages[sessionId],
      put: (sessionId, list) => set((s) => ({ messages: { ...s.messages, [sessionId]: list } })),
    });
    const loadMessages = (sessionId: string) => sync.reload(sessionId);
    /** `replace`: the event's words are in the UI's language, and stand in for the English kept on disk. */
    const markFailed = (sessionId: string, messageId: number, message: string, replace = false) =>
      set((s) => {
        const list = s.messages[sessionId];
        const i = list?.findIndex((m) => m.id === messageId) ?? -1;
        if (!list || i < 0 || (list[i]!.error && !replace)) return {};
        const copy = list.slice();
        copy[i] = { ...list[i]!, status: 'error', error: message };
        return { messages: { ...s.messages, [sessionId]: copy } };
      });

    /** Replies being started from this window: their session is about to be shown, errors and all. */
    let starting = 0;
    const starts = async <T>(call: () => Promise<T>): Promise<T> => {
      starting++;
      try {
        return await call();
      } finally {
        starting--;
      }
    };
    const followStart = async (start: { sessionId: string; streamId: string }) => {
      const ended = finishedStreams.has(start.streamId);
      set((s) => ({
        streams: ended ? s.streams : { ...s.streams, [start.sessionId]: start.streamId },
        activeId: start.sessionId,
      }));
      await Promise.all([loadMessages(start.sessionId), get().refreshSessions()]);
    };

    return {
      ready: false,
      fatal: null,
      recoveryActive: false,
      info: null,
      settings: null,
      health: null,
      sessions: [],
      activeId: null,
      messages: {},
      streams: {},
      models: [],
      modelsError: null,
      draftModel: savedDraftModel.get(),
      newChatModel: null,
      draftStyle: null,
      draftProvider: null,
      setDraftProvider(choice) {
        set({ draftProvider: choice });
      },
      searchQuery: '',
      searchHits: [],
      notices: [],
      settingsOpen: false,
      page: 'chat',
      searchFocusWanted: false,
      setPage(id) {
        set({ page: id });
      },
      focusSearch() {
        set({ page: 'chat', searchFocusWanted: true });
      },
      searchFocusDone() {
        set({ searchFocusWanted: false });
      },

      async init() {
        try {
          const a = api();
          a.on('chat.event', (e) => get().onChatEvent(e));
          a.on('settings.changed', () => void get().refreshModels());
          // The supervisor re-probes Ollama every 5 s and says when its state changes: the status dot follows.
          a.on('ollama.engine', () => void get().refreshHealth());
          const conn = deps.connection();
          if (conn) {
            await conn.whenConnected();
            // After a dropped event stream, reload what may have been missed.
            conn.onConnectionChange = (up) => {
              if (!up) return;
              void get().refreshSessions();
              const id = get().activeId;
              if (!id) return;
              void loadMessages(id).then(() => {
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
          }
          const [info, settings, recovery] = await Promise.all([
            a.call('app.info', {}),
            a.call('settings.get', {}),
            a.call('recovery.status', {}),
          ]);
          // The language chosen in Settings (shared with the other windows and the CLI) beats the system's.
          if (settings.uiLanguage) await setLanguage(settings.uiLanguage).catch(() => undefined);
          set({ info, settings, ready: true, recoveryActive: recovery.active });
          if (recovery.active) return;
          await Promise.all([get().refreshSessions(), get().refreshModels(), get().refreshHealth()]);
          const first = get().sessions[0];
          if (first) await get().select(first.id);
        } catch (err) {
          set({ fatal: errorText(err), ready: true });
        }
      },

      async recovered() {
        set({ recoveryActive: false });
        try {
          await Promise.all([get().refreshSessions(), get().refreshModels(), get().refreshHealth()]);
          const first = get().sessions[0];
          if (first) await get().select(first.id);
        } catch (err) {
          fail(err);
        }
      },

      async refreshSessions() {
        const { sessions } = await api().call('sessions.list', { limit: 500 });
        set({ sessions });
      },

      async refreshModels() {
        try {
          const { models, newChatModel } = await api().call('models.list', { fresh: true });
          set({ models, newChatModel: newChatModel ?? null, modelsError: null });
        } catch (err) {
          set({ models: [], modelsError: errorText(err) });
        }
      },

      async refreshHealth() {
        try {
          const health = await api().call('health.get', {});
          set({ health });
          // The background check may have found damage while the app was open: show the recovery screen.
          if (health.status === 'unhealthy' && !get().recoveryActive) {
            const recovery = await api().call('recovery.status', {});
            if (recovery.active) set({ recoveryActive: true });
          }
        } catch {
          set({ health: null });
        }
      },

      async select(id) {
        set({ activeId: id });
        if (id) await loadMessages(id).catch(fail);
      },

      newChat() {
        set({ activeId: null, searchQuery: '', searchHits: [] });
      },

      async send(text) {
        const { activeId, draftModel, draftStyle } = get();
        // A new chat picked for another provider than Ollama takes that provider's model, not Ollama's pick.
        const picked = activeId ? null : get().draftProvider;
        const elsewhere = picked !== null && picked.provider !== 'ollama';
        const here = useMyLocation.getState().location;
        try {
          const start = await starts(() =>
            api().call('chat.send', {
              message: text,
              language: currentLanguage(),
              ...(activeId ? { sessionId: activeId } : {}),
              ...(picked ? { provider: picked.provider } : {}),
              ...(elsewhere && picked.model ? { model: picked.model } : {}),
              ...(!activeId && !elsewhere && draftModel && isInstalled(get(), draftModel) ? { model: draftModel } : {}),
              ...(!activeId && draftStyle ? { style: draftStyle } : {}),
              ...(here ? { latitude: here.latitude, longitude: here.longitude } : {}),
            }),
          );
          await followStart(start);
        } catch (err) {
          fail(err);
          throw err;
        }
      },

      async stop() {
        const { activeId, streams } = get();
        const streamId = activeId ? streams[activeId] : undefined;
        if (streamId) await api().call('chat.stop', { streamId }).catch(fail);
      },

      async regenerate() {
        const { activeId } = get();
        if (!activeId) return;
        try {
          await followStart(
            await starts(() => api().call('chat.regenerate', { sessionId: activeId, language: currentLanguage() })),
          );
        } catch (err) {
          fail(err);
        }
      },

      async editAndResend(messageId, content) {
        try {
          await followStart(
            await starts(() => api().call('chat.edit', { messageId, content, language: currentLanguage() })),
          );
        } catch (err) {
          fail(err);
        }
      },

      async rename(id, title) {
        try {
          await api().call('sessions.rename', { id, title });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },

      async remove(id) {
        try {
          await api().call('sessions.delete', { id });
          set((s) => {
            const messages = { ...s.messages };
            delete messages[id];
            return { messages, activeId: s.activeId === id ? null : s.activeId };
          });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },

      async setModel(model) {
        const { activeId } = get();
        if (!activeId) {
          savedDraftModel.set(model);
          return set({ draftModel: model });
        }
        try {
          await api().call('sessions.update', { id: activeId, model });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },

      async setStyle(style) {
        const { activeId } = get();
        if (!activeId) return set({ draftStyle: style });
        try {
          await api().call('sessions.update', { id: activeId, style });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },

      async search(q) {
        set({ searchQuery: q });
        if (!q.trim()) return set({ searchHits: [] });
        try {
          const { hits } = await api().call('search.messages', { query: q, limit: 50 });
          if (get().searchQuery === q) set({ searchHits: hits });
        } catch (err) {
          fail(err);
        }
      },

      async updateSettings(patch) {
        try {
          const settings = await api().call('settings.update', patch);
          if (patch.uiLanguage !== undefined) await setLanguage(settings.uiLanguage ?? systemLanguage());
          set({ settings });
          if (patch.ollamaHost !== undefined) {
            set({ info: await api().call('app.info', {}) });
            await Promise.all([get().refreshModels(), get().refreshHealth()]);
          }
        } catch (err) {
          fail(err);
        }
      },

      async exportSession(id, format) {
        try {
          const file = await api().call('sessions.export', { id, format });
          const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
          const a = document.createElement('a');
          a.href = url;
          a.download = file.filename;
          a.click();
          setTimeout(() => URL.revokeObjectURL(url), 1000);
        } catch (err) {
          fail(err);
        }
      },

      notify(kind, text) {
        const id = ++noticeSeq;
        set((s) => ({ notices: [...s.notices.slice(-3), { id, kind, text }] }));
        if (kind !== 'error') setTimeout(() => get().dismiss(id), deps.noticeMs ?? 5000);
      },

      dismiss(id) {
        set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
      },

      openSettings(open) {
        set({ settingsOpen: open });
      },

      onChatEvent(e) {
        switch (e.type) {
          case 'start':
            if (!finishedStreams.has(e.streamId))
              set((s) => ({ streams: { ...s.streams, [e.sessionId]: e.streamId } }));
            return;
          case 'token':
          case 'retract':
          case 'tool':
            sync.event(e);
            return;
          case 'done':
          case 'error': {
            finishedStreams.add(e.streamId);
            set((s) => {
              const streams = { ...s.streams };
              if (streams[e.sessionId] === e.streamId) delete streams[e.sessionId];
              return { streams };
            });
            // The final text is on disk before `done` is sent: reload it for any view that shows this session.
            if (get().messages[e.sessionId] || get().activeId === e.sessionId) {
              const reloaded = loadMessages(e.sessionId);
              // A reply that failed because nothing more could be saved (a full disk) has no error on disk:
              // the event's words stand in for it, so the reason still shows under the reply.
              if (e.type === 'error') {
                const words = engineText(e.error.text, e.error.message);
                void reloaded.then(() => markFailed(e.sessionId, e.messageId, words, e.error.text !== undefined));
              }
              void reloaded.catch(fail);
            }
            void get().refreshSessions();
            if (e.type === 'error') {
              // Said once: inline under the reply when it is on screen, as a toast only for another conversation.
              if (starting === 0 && get().activeId !== e.sessionId) {
                get().notify('error', engineText(e.error.text, e.error.message));
              }
              // A failed reply may mean Ollama died: check now rather than at the next poll.
              void get().refreshHealth();
            } else if (e.result.warning) get().notify('warning', e.result.warning);
            return;
          }
          case 'provider':
            // A fallback is never silent: say who answers instead, and why.
            if (e.fallbackFrom) {
              get().notify(
                'warning',
                t('chat.fallback', {
                  from: `${e.fallbackFrom.provider} (${e.fallbackFrom.model})`,
                  to: `${e.provider} (${e.model})`,
                }),
              );
            }
            return;
        }
      },
    };
  });
}

export const useApp = createAppStore({ api: getApi, connection: () => httpBridge });
