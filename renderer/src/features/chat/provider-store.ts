import { create } from 'zustand';
import type { AerisApi, ProviderIdDto, ProvidersStatusDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { useApp, type AppState } from '../../stores/app-store';

interface ChatProvidersState {
  /** The providers as configured (null until first asked). */
  status: ProvidersStatusDto | null;
  /** Each opened chat's provider. */
  byChat: Record<string, ProviderIdDto>;
  /** Models each provider lists (asked when it is picked). */
  models: Partial<Record<ProviderIdDto, string[]>>;
  refresh(): Promise<void>;
  load(sessionId: string): Promise<void>;
  setForChat(sessionId: string, provider: ProviderIdDto): Promise<void>;
  loadModels(provider: ProviderIdDto): Promise<void>;
}

interface ChatProvidersDeps {
  api(): AerisApi;
  /** The app store: failures become its notices, and a chat's new provider shows in its session list. */
  app: { getState(): Pick<AppState, 'notify' | 'refreshSessions'> };
}

/** The chat screen's provider picker: who answers each chat, what is configured, and each provider's models. */
export function createChatProvidersStore(deps: ChatProvidersDeps) {
  return create<ChatProvidersState>((set) => {
    const api = () => deps.api();
    const fail = (err: unknown) => deps.app.getState().notify('error', errorText(err));
    return {
      status: null,
      byChat: {},
      models: {},
      async refresh() {
        try {
          set({ status: await api().call('providers.status', {}) });
        } catch (err) {
          fail(err);
        }
      },
      async load(sessionId) {
        try {
          const r = await api().call('providers.ofChat', { sessionId });
          set((s) => ({ byChat: { ...s.byChat, [sessionId]: r.provider } }));
        } catch {
          // A chat deleted meanwhile: nothing to show.
        }
      },
      async setForChat(sessionId, provider) {
        try {
          const r = await api().call('providers.setForChat', { sessionId, provider });
          set((s) => ({ byChat: { ...s.byChat, [sessionId]: r.provider } }));
          await deps.app.getState().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },
      async loadModels(provider) {
        if (provider === 'ollama') return;
        try {
          const { models } = await api().call('providers.models', { provider });
          set((s) => ({ models: { ...s.models, [provider]: models } }));
        } catch {
          // Unreachable now: the chat's own model stays the only choice.
        }
      },
    };
  });
}

export const useChatProviders = createChatProvidersStore({ api: getApi, app: useApp });
