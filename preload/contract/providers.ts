import { z } from 'zod';
import { call, EMPTY } from './define';

export type ProviderIdDto = 'ollama' | 'openai-compatible' | 'gemini';
const PROVIDER = z.enum(['ollama', 'openai-compatible', 'gemini']);

interface ProviderStatusDto {
  id: ProviderIdDto;
  /** Something to talk to is set (Gemini needs a key; the OpenAI-compatible server a URL or a key). */
  configured: boolean;
  /** A hosted service on the internet: used only when the cloud is allowed and the machine is online. */
  cloud: boolean;
  baseUrl: string;
  /** Where the URL came from: `--base-url`, the environment, Settings, the service's default, or nowhere. */
  baseUrlFrom: 'flag' | 'env' | 'settings' | 'default' | 'none';
  /** Whether a key will be sent (never the key itself). */
  keyConfigured: boolean;
  /** The model it answers with when a chat names none. */
  model: string | null;
}

export interface ProvidersStatusDto {
  keyStorage: 'file' | 'safeStorage';
  defaultProvider: ProviderIdDto;
  online: boolean;
  providers: ProviderStatusDto[];
}

const URL_VALUE = z.string().trim().max(500).nullable().optional();
const KEY_VALUE = z.string().trim().max(500).nullable().optional();

export const PROVIDERS_CALLS = {
  'providers.status': call<ProvidersStatusDto>()(EMPTY),
  /** URLs and keys of the providers; a new URL drops the key saved for the old one. Keys are write-only. */
  'providers.update': call<ProvidersStatusDto>()(
    z
      .object({ openaiBaseUrl: URL_VALUE, openaiApiKey: KEY_VALUE, geminiUrl: URL_VALUE, geminiApiKey: KEY_VALUE })
      .strict(),
  ),
  /** The provider's models (Ollama's installed ones, the server's /v1/models, Gemini's list). */
  'providers.models': call<{ models: string[] }>()(z.object({ provider: PROVIDER }).strict()),
  /** Asks the provider now: reachable, key accepted, how many models. */
  'providers.check': call<{ ok: boolean; detail: string }>()(z.object({ provider: PROVIDER }).strict()),
} as const;
