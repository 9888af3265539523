import { create } from 'zustand';
import { getApi, getHttpBridge } from '../bridge';
import { currentLanguage, setLanguage, systemLanguage, t } from '../i18n';
import { persisted } from '../lib/persisted';
import { saveFile } from '../lib/save-file';
import { chatSlice } from './app/chat-slice';
import { navigationSlice } from './app/navigation-slice';
import { newChatSlice } from './app/new-chat-slice';
import { noticesSlice } from './app/notices-slice';
import { ReplySync } from './app/reply-sync';
import { sessionsSlice } from './app/sessions-slice';
import { startupSlice } from './app/startup-slice';
import type { AppState, AppStoreDeps, SliceDeps } from './app/types';
import { useMyLocation } from './location-store';

export type { AppState } from './app/types';
export { newChatChoice } from './app/new-chat-slice';

/** The browser's own collaborators, for what the caller does not hand in. */
function withDefaults(deps: AppStoreDeps): SliceDeps {
  return {
    api: deps.api,
    connection: deps.connection,
    noticeMs: deps.noticeMs ?? 5000,
    timers: deps.timers ?? { setTimeout: (run, ms) => setTimeout(run, ms) },
    draftModel: deps.draftModel ?? persisted('aeris.draftModel'),
    here: deps.here ?? (() => useMyLocation.getState().location),
    language: deps.language ?? { current: currentLanguage, set: setLanguage, system: systemLanguage, t },
    download: deps.download ?? saveFile,
  };
}

/**
 * The app store, composed of one slice per idea (stores/app/): start-up and settings, sessions and search, chat
 * messages and streams, the new chat's choice, notices, navigation. Built on its collaborators, so tests hand
 * it a fake bridge, timers and storage.
 */
export function createAppStore(input: AppStoreDeps) {
  const deps = withDefaults(input);
  return create<AppState>()((set, get, store) => {
    // The messages on screen, kept whole while replies stream; shared by the slices that open and follow them.
    const sync = new ReplySync({
      load: async (sessionId) => (await deps.api().call('messages.list', { sessionId, limit: 1000 })).messages,
      get: (sessionId) => get().messages[sessionId],
      put: (sessionId, list) => set((s) => ({ messages: { ...s.messages, [sessionId]: list } })),
    });
    return {
      ...startupSlice(deps, sync)(set, get, store),
      ...sessionsSlice(deps, sync)(set, get, store),
      ...chatSlice(deps, sync)(set, get, store),
      ...newChatSlice(deps)(set, get, store),
      ...noticesSlice(deps)(set, get, store),
      ...navigationSlice()(set, get, store),
    };
  });
}

/** The one app store of this window, on the bridge resolved by bridge/index.ts. */
export const useApp = createAppStore({ api: getApi, connection: getHttpBridge });
