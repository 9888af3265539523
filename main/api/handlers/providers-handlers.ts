import type { PROVIDERS_CALLS, ProvidersStatusDto } from '../../../preload/contract';
import type { Engine } from '../../engine';
import { PROVIDER_IDS } from '../../providers/provider-types';
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
      if (!usable.ok) return { ok: false, detail: usable.reason };
      return engine.providers.get(provider).health();
    },
  };
}
