import { engineMessage } from '../../preload/shared/engine-messages';
import { GEMINI_DEFAULT_URL, GeminiProvider } from './gemini-provider';
import { OpenAiCompatibleProvider } from './openai-provider';
import { isCloudUrl } from './provider-config';
import type { ProviderHealth } from './provider-types';

interface ProbeInput {
  provider: 'openai-compatible' | 'gemini';
  /** Null: Gemini's own endpoint (an OpenAI-compatible server needs one). */
  baseUrl: string | null;
  apiKey: string | null;
}

/**
 * "Test connection" for a URL and key not saved yet (the first-run wizard): asks that server for its models
 * with that key, and nothing else. The key goes only to the URL typed beside it; nothing is kept.
 */
export async function probeProvider(
  input: ProbeInput,
  online: () => boolean,
  fetchImpl: typeof fetch = fetch,
): Promise<ProviderHealth & { cloud: boolean }> {
  const baseUrl = input.baseUrl?.trim() || (input.provider === 'gemini' ? GEMINI_DEFAULT_URL : '');
  if (!baseUrl) {
    return {
      ok: false,
      cloud: false,
      detail: 'Enter the server’s address (it usually ends in /v1).',
      text: engineMessage('provider.noAddress', {}),
    };
  }
  try {
    new URL(baseUrl);
  } catch {
    return {
      ok: false,
      cloud: false,
      detail: `“${baseUrl}” is not a web address (http://… or https://…).`,
      text: engineMessage('provider.notAUrl', { url: baseUrl }),
    };
  }
  const cloud = isCloudUrl(baseUrl);
  if (cloud && !online()) {
    return {
      ok: false,
      cloud,
      detail: 'This computer is offline: an online provider can be tested once connected.',
      text: engineMessage('provider.testOffline', {}),
    };
  }
  const provider =
    input.provider === 'gemini'
      ? new GeminiProvider({ baseUrl, apiKey: input.apiKey })
      : new OpenAiCompatibleProvider({ baseUrl, apiKey: input.apiKey, cloud }, fetchImpl);
  return { ...(await provider.health()), cloud };
}
