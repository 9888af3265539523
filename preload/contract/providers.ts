import { z } from 'zod';
import { call, EMPTY, SESSION_ID } from './define';
import type { EngineTextDto } from '../shared/engine-messages';
import { lazy } from '../shared/lazy';

export type ProviderIdDto = 'ollama' | 'openai-compatible' | 'gemini';
const PROVIDER = lazy(() => z.enum(['ollama', 'openai-compatible', 'gemini']));

export interface ProviderStatusDto {
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

interface ChatProviderDto {
  provider: ProviderIdDto;
  model: string | null;
}

const URL_VALUE = lazy(() => z.string().trim().max(500).nullable().optional());
const KEY_VALUE = lazy(() => z.string().trim().max(500).nullable().optional());

export const PROVIDERS_CALLS = {
  'providers.status': call<ProvidersStatusDto>()(() => EMPTY()),
  /** URLs and keys of the providers; a new URL drops the key saved for the old one. Keys are write-only. */
  'providers.update': call<ProvidersStatusDto>()(() =>
    z
      .object({
        openaiBaseUrl: URL_VALUE(),
        openaiApiKey: KEY_VALUE(),
        geminiUrl: URL_VALUE(),
        geminiApiKey: KEY_VALUE(),
      })
      .strict(),
  ),
  /** The provider's models (Ollama's installed ones, the server's /v1/models, Gemini's list). */
  'providers.models': call<{ models: string[] }>()(() => z.object({ provider: PROVIDER() }).strict()),
  /** Asks the provider now: reachable, key accepted, how many models. */
  'providers.check': call<{ ok: boolean; detail: string; text?: EngineTextDto }>()(() =>
    z.object({ provider: PROVIDER() }).strict(),
  ),
  /**
   * Tests a URL and key before they are saved (the first-run wizard): the key goes only to that URL and is not
   * kept. `cloud`: the address is on the internet (offline, it is not asked).
   */
  'providers.test': call<{ ok: boolean; detail: string; text?: EngineTextDto; cloud: boolean }>()(() =>
    z
      .object({
        provider: z.enum(['openai-compatible', 'gemini']),
        baseUrl: z.string().trim().max(500).nullable(),
        apiKey: z.string().trim().max(500).nullable(),
      })
      .strict(),
  ),
  /** Who answers a chat: its provider (chats from before providers: Ollama) and model. */
  'providers.ofChat': call<ChatProviderDto>()(() => z.object({ sessionId: SESSION_ID() }).strict()),
  /** Moves a chat to another provider, with the model it answers with there (Settings' model, else its first). */
  'providers.setForChat': call<ChatProviderDto>()(() =>
    z.object({ sessionId: SESSION_ID(), provider: PROVIDER() }).strict(),
  ),
} as const;
