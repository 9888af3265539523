import { engineMessage } from '../../../preload/shared/engine-messages';
import type { CORE_CALLS } from '../../../preload/contract';
import { AppError } from '../../core/errors';
import { APP_NAME, APP_VERSION } from '../../core/version';
import type { Engine } from '../../engine';
import type { ChatHandle } from '../../chat/chat-service';
import { exportSession } from '../session-export';

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
  const conversations = engine.conversations;
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
    'sessions.list': ({ limit, offset }) => conversations.list(limit, offset),
    'sessions.create': (input) => conversations.create(input),
    'sessions.rename': ({ id, title }) => conversations.rename(id, title),
    'sessions.update': ({ id, model, style }) => conversations.update(id, { model, style }),
    'sessions.delete': ({ id }) => ({ deleted: conversations.delete(id) }),
    'sessions.export': ({ id, format }) => {
      const { session, messages } = conversations.whole(id);
      return exportSession(session, messages, format, engine.chat.settings(id));
    },
    'messages.list': ({ sessionId, limit, offset }) => conversations.messages(sessionId, limit, offset),
    'search.messages': async ({ query, limit }) => ({ hits: await conversations.searchOffThread(query, limit) }),
    'chat.send': async (input) => start(await engine.chat.send(input)),
    'chat.stop': ({ streamId }) => ({ stopped: engine.chat.stop(streamId) }),
    'chat.regenerate': async ({ sessionId, model, language }) =>
      start(await engine.chat.regenerate(sessionId, model, language)),
    'chat.edit': async ({ messageId, content, language }) =>
      start(await engine.chat.editAndResend(messageId, content, language)),
    'chat.getSettings': ({ sessionId }) => engine.chat.settings(sessionId),
    'chat.setSettings': ({ sessionId, ...patch }) => engine.chat.setSettings(sessionId, patch),
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
          {},
          engineMessage('error.exportFolderDesktopOnly', { configFile: engine.paths.configFile }),
        );
      }
      return engine.settings.update(patch);
    },
  };
}
