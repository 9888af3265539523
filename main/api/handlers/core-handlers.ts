import type { CORE_CALLS } from '../../../preload/contract';
import { AppError } from '../../core/errors';
import { APP_NAME, APP_VERSION } from '../../core/version';
import type { Engine } from '../../engine';
import type { ChatHandle } from '../../chat/chat-service';
import { exportSession } from '../session-export';
import { withEarlierAnswers } from '../answer-versions';
import { withToolActivity } from '../message-tools';

import type { HandlersOf } from '../handler-types';

const start = (h: ChatHandle) => ({
  streamId: h.streamId,
  sessionId: h.sessionId,
  userMessageId: h.userMessageId,
  assistantMessageId: h.assistantMessageId,
  model: h.model,
});

/** The foundation's calls, implemented on the engine. Inputs arrive already validated (see dispatch). */
export function coreHandlers(engine: Engine, shell: 'electron' | 'serve'): HandlersOf<keyof typeof CORE_CALLS> {
  const requireSession = (id: string) => {
    const s = engine.store.sessions.get(id);
    if (!s) throw new AppError('not_found', `Session ${id} does not exist.`);
    return s;
  };
  return {
    'app.info': () => ({
      name: APP_NAME,
      version: APP_VERSION,
      dataDir: engine.paths.root,
      ollamaHost: engine.ollama.host,
      ollamaHostSource: engine.ollamaHostSource,
      shell,
    }),
    'health.get': () => engine.health.check(),
    'sessions.list': ({ limit, offset }) => engine.store.sessions.list(limit ?? 200, offset ?? 0),
    'sessions.create': (input) => engine.store.sessions.create(input),
    'sessions.rename': ({ id, title }) => {
      requireSession(id);
      engine.store.sessions.rename(id, title);
      return requireSession(id);
    },
    'sessions.update': ({ id, model, style }) => {
      requireSession(id);
      if (model !== undefined) engine.store.sessions.setModel(id, model);
      if (style !== undefined) engine.store.sessions.setStyle(id, style);
      return requireSession(id);
    },
    'sessions.delete': ({ id }) => {
      if (engine.chat.isStreaming(id)) throw new AppError('conflict', 'Stop the reply in progress before deleting.');
      return { deleted: engine.store.sessions.delete(id) };
    },
    'sessions.export': ({ id, format }) => {
      const s = requireSession(id);
      return exportSession(s, withToolActivity(engine.store, engine.store.messages.list(id, 100_000, 0)), format);
    },
    'messages.list': ({ sessionId, limit, offset }) => {
      const s = requireSession(sessionId);
      const messages = withEarlierAnswers(
        engine.store,
        withToolActivity(engine.store, engine.store.messages.list(sessionId, limit ?? 200, offset ?? 0)),
      );
      return { messages, total: s.messageCount };
    },
    'search.messages': ({ query, limit }) => ({ hits: engine.store.messages.search(query, limit ?? 30) }),
    'chat.send': async (input) => start(await engine.chat.send(input)),
    'chat.stop': ({ streamId }) => ({ stopped: engine.chat.stop(streamId) }),
    'chat.regenerate': async ({ sessionId, model }) => start(await engine.chat.regenerate(sessionId, model)),
    'chat.edit': async ({ messageId, content }) => start(await engine.chat.editAndResend(messageId, content)),
    'models.list': async ({ fresh }) => {
      const models = await engine.ollama.listInstalled({ fresh });
      return { models, newChatModel: await engine.chat.newChatModel() };
    },
    'settings.get': () => engine.settings.get(),
    'settings.update': (patch) => {
      // The export folder bounds what a browser may name on this computer: a browser cannot move it.
      if (
        shell === 'serve' &&
        patch.exportFolder !== undefined &&
        patch.exportFolder !== engine.settings.get().exportFolder
      ) {
        throw new AppError(
          'forbidden',
          `The export folder is chosen in the desktop app's Settings, or as "exportFolder" in ${engine.paths.configFile} (then restart aeris serve).`,
        );
      }
      return engine.settings.update(patch);
    },
  };
}
