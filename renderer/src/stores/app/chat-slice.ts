import type { ChatStartDto } from '../../../../preload/contract';
import { errorText } from '../../bridge/error-text';
import { engineText } from '../../i18n/engine-text';
import { isInstalled } from './new-chat-slice';
import type { ReplySync } from './reply-sync';
import type { ChatSlice, Slice, SliceDeps } from './types';

/** The engine's stable code of a failed call (BridgeError.code), if it has one. */
const errorCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

export const chatSlice =
  (deps: Pick<SliceDeps, 'api' | 'here' | 'language'>, sync: ReplySync): Slice<ChatSlice> =>
  (set, get) => {
    const fail = (err: unknown) => get().notify('error', errorText(err));
    /** Streams that already ended: a `done` can arrive before the call that started the stream returns. */
    const finishedStreams = new Set<string>();
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
    const followStart = async (start: Pick<ChatStartDto, 'sessionId' | 'streamId'>) => {
      const ended = finishedStreams.has(start.streamId);
      set((s) => ({
        streams: ended ? s.streams : { ...s.streams, [start.sessionId]: start.streamId },
        activeId: start.sessionId,
      }));
      await Promise.all([sync.reload(start.sessionId), get().refreshSessions()]);
    };
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

    return {
      messages: {},
      streams: {},

      async send(text) {
        const { activeId, draftModel, draftStyle } = get();
        // A new chat picked for another provider than Ollama takes that provider's model, not Ollama's pick.
        const picked = activeId ? null : get().draftProvider;
        const elsewhere = picked !== null && picked.provider !== 'ollama';
        const here = deps.here();
        try {
          const start = await starts(() =>
            deps.api().call('chat.send', {
              message: text,
              language: deps.language.current(),
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
          // A new Ollama chat refused for want of a model: the empty-state card already says why, and how to
          // get one (EmptyState.tsx); a toast would say it twice.
          const cardSaysWhy = !activeId && !elsewhere && (get().modelsError !== null || get().models.length === 0);
          if (!(cardSaysWhy && errorCode(err) === 'model_not_found')) fail(err);
          throw err;
        }
      },

      async stop() {
        const { activeId, streams } = get();
        const streamId = activeId ? streams[activeId] : undefined;
        if (streamId) await deps.api().call('chat.stop', { streamId }).catch(fail);
      },

      async regenerate() {
        const { activeId } = get();
        if (!activeId) return;
        try {
          await followStart(
            await starts(() =>
              deps.api().call('chat.regenerate', { sessionId: activeId, language: deps.language.current() }),
            ),
          );
        } catch (err) {
          fail(err);
        }
      },

      async editAndResend(messageId, content) {
        try {
          await followStart(
            await starts(() => deps.api().call('chat.edit', { messageId, content, language: deps.language.current() })),
          );
        } catch (err) {
          fail(err);
        }
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
              const reloaded = sync.reload(e.sessionId);
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
            } else if (e.result.warning) get().notify('warning', engineText(e.result.warning_text, e.result.warning));
            return;
          }
          case 'provider':
            // A fallback is never silent: say who answers instead, and why.
            if (e.fallbackFrom) {
              get().notify(
                'warning',
                deps.language.t(e.reason ? 'chat.fallbackWhy' : 'chat.fallback', {
                  from: `${e.fallbackFrom.provider} (${e.fallbackFrom.model})`,
                  to: `${e.provider} (${e.model})`,
                  reason: e.reason ? engineText(e.reasonText, e.reason) : '',
                }),
              );
            }
            return;
        }
      },
    };
  };
