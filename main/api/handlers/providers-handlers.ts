import { engineMessage } from '../../../preload/shared/engine-messages';
import type { PROVIDERS_CALLS, ProvidersStatusDto } from '../../../preload/contract';
import type { Engine } from '../../engine';
import { AppError } from '../../core/errors';
import { probeProvider } from '../../providers/provider-probe';
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../../providers/provider-types';
import type { HandlersOf } from '../handler-types';

/** The providers page: where each one is, whether a key is set (never the key), and who answers by default. */
function providersStatus(engine: Engine): ProvidersStatusDto {
  const p = engine.providers;
  return {
    keyStorage: engine.sourceSettings.kind,
    defaultProvider: p.providerFor(undefined, null),
    online: p.online(),
    providers: PROVIDER_IDS.map((id) => {
      const e = p.endpoint(id);
      return {
        id,
        configured: p.get(id).configured(),
        cloud: p.get(id).cloud,
        baseUrl: e.baseUrl,
        baseUrlFrom: e.origin,
        keyConfigured: e.keyConfigured,
        model: p.modelFor(id),
      };
    }),
  };
}

function chatProvider(engine: Engine, sessionId: string): ProviderId {
  const id = engine.conversations.provider(sessionId);
  return isProviderId(id) ? id : 'ollama';
}

/** The model a chat moved to `provider` answers with: Settings' choice there, else the first it lists. */
async function modelOn(engine: Engine, provider: ProviderId): Promise<string> {
  const model = provider === 'ollama' ? await engine.chat.newChatModel() : engine.providers.modelFor(provider);
  if (model) return model;
  const usable = engine.providers.usable(provider);
  if (!usable.ok) {
    throw new AppError('bad_request', `Cannot use ${provider}: ${usable.reason}.`, {}, usable.text);
  }
  const first = (await engine.providers.get(provider).listModels())[0];
  if (!first) {
    throw new AppError(
      'model_not_found',
      `${provider} lists no models: choose one in Settings.`,
      {},
      engineMessage('error.providerListsNoModels', { provider }),
    );
  }
  return first.name;
}

export function providersHandlers(engine: Engine): HandlersOf<keyof typeof PROVIDERS_CALLS> {
  return {
    'providers.status': () => providersStatus(engine),
    'providers.update': (patch) => {
      engine.sourceSettings.update(patch);
      // The names of what changed, never the values.
      engine.logger.log('info', 'providers', 'provider settings saved', { fields: Object.keys(patch) });
      return providersStatus(engine);
    },
    'providers.models': async ({ provider }) => {
      const usable = engine.providers.usable(provider);
      if (!usable.ok) return { models: [] };
      return { models: (await engine.providers.get(provider).listModels()).map((m) => m.name) };
    },
    'providers.check': async ({ provider }) => {
      const usable = engine.providers.usable(provider);
      if (!usable.ok) return { ok: false, detail: usable.reason, text: usable.text };
      return engine.providers.get(provider).health();
    },
    'providers.test': (input) => probeProvider(input, () => engine.providers.online()),
    'providers.ofChat': ({ sessionId }) => ({
      provider: chatProvider(engine, sessionId),
      model: engine.conversations.get(sessionId).model,
    }),
    'providers.setForChat': async ({ sessionId, provider }) => {
      if (chatProvider(engine, sessionId) === provider) {
        return { provider, model: engine.conversations.get(sessionId).model };
      }
      const model = await modelOn(engine, provider);
      return { provider, model: engine.conversations.setProvider(sessionId, provider, model).model };
    },
  };
}
