import type { ModelCapabilities } from '../agent/model-capabilities';
import type { SavedSourceSettings } from '../airquality/sources/source-config';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import { GEMINI_DEFAULT_URL, GeminiProvider } from './gemini-provider';
import { OllamaProvider } from './ollama-provider';
import { OpenAiCompatibleProvider } from './openai-provider';
import { ProviderRouter, type ProviderChoice, type ProviderRouterDeps } from './provider-router';
import { isProviderId, type ProviderId } from './provider-types';

/** The OpenAI API itself, for a key given without a base URL (as the original server did). */
const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';

/** The settings the providers read (a slice of config.json). */
interface ProviderSettings {
  defaultProvider: ProviderId;
  providerFallback: ProviderChoice[];
  allowCloud: boolean;
  openaiModel: string | null;
  geminiModel: string | null;
  /** Ollama's default model (AERIS_DEFAULT_MODEL or the saved one). */
  ollamaModel: string | null;
}

/** One endpoint and the key that may be sent to it (null: none). */
interface Endpoint {
  baseUrl: string;
  apiKey: string | null;
  /** Where the URL came from, for `aeris health` and the settings page. */
  origin: 'flag' | 'env' | 'settings' | 'default' | 'none';
}

const trimUrl = (u: string): string => u.trim().replace(/\/+$/, '');

/**
 * A key goes only with the URL it was configured with: an env key with the env URL (or the service's own
 * default when no env URL is set), a saved key with the saved URL. A key whose URL was replaced elsewhere
 * is not sent at all.
 */
function pair(
  flagUrl: string | undefined,
  envUrl: string | undefined,
  envKey: string | undefined,
  savedUrl: string | null | undefined,
  savedKey: string | null | undefined,
  defaultUrl: string | null,
): Endpoint {
  const key = (k: string | null | undefined): string | null => (k && k.trim() ? k.trim() : null);
  if (flagUrl) {
    const url = trimUrl(flagUrl);
    const matching =
      (envUrl && trimUrl(envUrl) === url ? key(envKey) : null) ??
      (savedUrl && trimUrl(savedUrl) === url ? key(savedKey) : null);
    return { baseUrl: url, apiKey: matching, origin: 'flag' };
  }
  if (envUrl) return { baseUrl: trimUrl(envUrl), apiKey: key(envKey), origin: 'env' };
  if (savedUrl) return { baseUrl: trimUrl(savedUrl), apiKey: key(savedKey), origin: 'settings' };
  if (defaultUrl && (key(envKey) || key(savedKey))) {
    return { baseUrl: defaultUrl, apiKey: key(envKey) ?? key(savedKey), origin: 'default' };
  }
  return { baseUrl: defaultUrl ?? '', apiKey: null, origin: defaultUrl ? 'default' : 'none' };
}

function openAiEndpoint(env: NodeJS.ProcessEnv, saved: SavedSourceSettings, flagUrl?: string): Endpoint {
  return pair(
    flagUrl,
    env.AERIS_OPENAI_BASE_URL,
    env.AERIS_OPENAI_API_KEY,
    saved.openaiBaseUrl,
    saved.openaiApiKey,
    OPENAI_DEFAULT_URL,
  );
}

function geminiEndpoint(env: NodeJS.ProcessEnv, saved: SavedSourceSettings): Endpoint {
  return pair(
    undefined,
    env.AERIS_GEMINI_URL,
    env.AERIS_GEMINI_API_KEY,
    saved.geminiUrl,
    saved.geminiApiKey,
    GEMINI_DEFAULT_URL,
  );
}

/** Loopback, private ranges and .local/.lan names are "this machine or the LAN"; anything else is the cloud. */
export function isCloudUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return true;
  }
  if (
    host === 'localhost' ||
    host === '::1' ||
    /\.(local|lan|internal|home\.arpa)$/i.test(host) ||
    !host.includes('.')
  ) {
    return false;
  }
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    return !(
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (/^(fc|fd|fe80)/i.test(host)) return false;
  return true;
}

interface ProviderSetupDeps {
  env: NodeJS.ProcessEnv;
  gateway: OllamaGateway;
  capabilities: ModelCapabilities;
  settings: () => ProviderSettings;
  secrets: () => SavedSourceSettings;
  online: () => boolean;
  /** `--provider` and `--base-url` from the command line (they beat the environment and the settings). */
  flags?: { provider?: string; baseUrl?: string; model?: string };
  fetch?: typeof fetch;
}

/**
 * The providers as configured now: rebuilt (SDK clients included) only when a URL or key changes, so a
 * key saved in Settings applies to the next reply.
 */
export function createProviderRouter(deps: ProviderSetupDeps): ConfiguredProviders {
  const ollama = new OllamaProvider(deps.gateway, deps.capabilities);
  let openai: { sig: string; p: OpenAiCompatibleProvider } | null = null;
  let gemini: { sig: string; p: GeminiProvider } | null = null;
  const openaiNow = (): OpenAiCompatibleProvider => {
    const e = openAiEndpoint(deps.env, deps.secrets(), deps.flags?.baseUrl);
    const sig = `${e.baseUrl}|${e.apiKey ?? ''}`;
    if (openai?.sig !== sig) {
      openai = {
        sig,
        p: new OpenAiCompatibleProvider(
          { baseUrl: e.baseUrl, apiKey: e.apiKey, cloud: isCloudUrl(e.baseUrl) },
          deps.fetch,
        ),
      };
    }
    return openai.p;
  };
  const geminiNow = (): GeminiProvider => {
    const e = geminiEndpoint(deps.env, deps.secrets());
    const sig = `${e.baseUrl}|${e.apiKey ?? ''}`;
    if (gemini?.sig !== sig) gemini = { sig, p: new GeminiProvider({ baseUrl: e.baseUrl, apiKey: e.apiKey }) };
    return gemini.p;
  };
  const providers = {
    ollama,
    get 'openai-compatible'() {
      return openaiNow();
    },
    get gemini() {
      return geminiNow();
    },
  } as Record<ProviderId, ReturnType<typeof openaiNow> | ReturnType<typeof geminiNow> | OllamaProvider>;
  const envProvider = deps.flags?.provider ?? deps.env.AERIS_PROVIDER;
  const envModel = deps.flags?.model ?? deps.env.AERIS_MODEL;
  return new ConfiguredProviders(deps, {
    providers,
    online: deps.online,
    policy: () => {
      const s = deps.settings();
      const defaultProvider = isProviderId(envProvider) ? envProvider : s.defaultProvider;
      const own: Record<ProviderId, string | null> = {
        ollama: s.ollamaModel,
        'openai-compatible': s.openaiModel,
        gemini: s.geminiModel,
      };
      return {
        defaultProvider,
        // AERIS_MODEL names the model of the configured provider (as AI_MODEL did in the original).
        modelFor: (p) => (envModel && p === defaultProvider ? envModel : own[p]),
        fallback: s.providerFallback,
        // Naming the provider on the command line or in the environment is consent for it; offline still stops it.
        allowCloud: s.allowCloud || deps.env.AERIS_ALLOW_CLOUD === '1' || isProviderId(envProvider),
      };
    },
  });
}

/** The router, plus where each endpoint came from (for the settings page and `aeris health`). */
export class ConfiguredProviders extends ProviderRouter {
  constructor(
    private readonly setup: ProviderSetupDeps,
    deps: ProviderRouterDeps,
  ) {
    super(deps);
  }

  endpoint(id: ProviderId): Omit<Endpoint, 'apiKey'> & { keyConfigured: boolean } {
    if (id === 'ollama') return { baseUrl: this.get('ollama').baseUrl, origin: 'settings', keyConfigured: false };
    const e =
      id === 'gemini'
        ? geminiEndpoint(this.setup.env, this.setup.secrets())
        : openAiEndpoint(this.setup.env, this.setup.secrets(), this.setup.flags?.baseUrl);
    return { baseUrl: e.baseUrl, origin: e.origin, keyConfigured: e.apiKey !== null };
  }

  online(): boolean {
    return this.setup.online();
  }
}
