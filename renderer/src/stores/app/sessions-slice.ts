import { errorText } from '../../bridge/error-text';
import type { ReplySync } from './reply-sync';
import type { SessionsSlice, Slice, SliceDeps } from './types';

export const sessionsSlice =
  (deps: Pick<SliceDeps, 'api' | 'download'>, sync: ReplySync): Slice<SessionsSlice> =>
  (set, get) => {
    const fail = (err: unknown) => get().notify('error', errorText(err));
    return {
      sessions: [],
      activeId: null,
      searchQuery: '',
      searchHits: [],

      async refreshSessions() {
        const { sessions } = await deps.api().call('sessions.list', { limit: 500 });
        set({ sessions });
      },

      async select(id) {
        set({ activeId: id });
        if (id) await sync.reload(id).catch(fail);
      },

      newChat() {
        set({ activeId: null, searchQuery: '', searchHits: [] });
      },

      async rename(id, title) {
        try {
          await deps.api().call('sessions.rename', { id, title });
          await get().refreshSessions();
        } catch (err) {
          fail(err);
        }
      },

      async remove(id) {
        try {
          await deps.api().call('sessions.delete', { id });
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

      async search(q) {
        set({ searchQuery: q });
        if (!q.trim()) return set({ searchHits: [] });
        try {
          const { hits } = await deps.api().call('search.messages', { query: q, limit: 50 });
          // An answer overtaken by a later query is dropped.
          if (get().searchQuery === q) set({ searchHits: hits });
        } catch (err) {
          fail(err);
        }
      },

      async exportSession(id, format) {
        try {
          deps.download(await deps.api().call('sessions.export', { id, format }));
        } catch (err) {
          fail(err);
        }
      },
    };
  };
