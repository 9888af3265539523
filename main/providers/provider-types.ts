import type { EngineText } from '../../preload/shared/engine-messages';
import type { ChatResponse, Message } from 'ollama';
import type { OllamaToolDefinition } from '../agent/tools/tool-types';

/** The inference back ends the engine can talk to. */
export const PROVIDER_IDS = ['ollama', 'openai-compatible', 'gemini'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && (PROVIDER_IDS as readonly string[]).includes(v);
}

/**
 * One streamed chat call, in the agent's shape (Ollama's messages and chunks): every provider translates
 * to and from its own wire format, so the agent loop stays the same for all of them.
 */
export interface ProviderChatRequest {
  model: string;
  messages: Message[];
  tools?: OllamaToolDefinition[];
  /** Ollama's options (num_ctx, num_predict, temperature…); others take what they understand. */
  options?: Record<string, unknown>;
  /** The reply was stopped: the request is dropped, even before the provider's first byte. */
  signal?: AbortSignal;
}

/** Chunks as Ollama streams them: `message.content` pieces, whole `tool_calls`, and counts on `done`. */
export type ProviderStream = AsyncIterable<ChatResponse> & { abort(): void };

export interface ProviderModel {
  name: string;
  /** Bytes on disk where the provider says (Ollama); null for remote servers. */
  sizeBytes: number | null;
}

export interface ProviderHealth {
  ok: boolean;
  /** What was found, in words: "3 models at http://gpu-box:8000/v1", or why it failed. */
  detail: string;
  /** The detail as a message id for the UI's language (issue 15). */
  text?: EngineText;
}

export interface ChatProvider {
  readonly id: ProviderId;
  /** Where it talks to (for messages and for the fallback order's "local vs LAN vs cloud"). */
  readonly baseUrl: string;
  /** A hosted service on the internet (needs the cloud allowed and a connection). */
  readonly cloud: boolean;
  /** Whether anything is configured to talk to (a Gemini without a key is not). */
  configured(): boolean;
  listModels(): Promise<ProviderModel[]>;
  chat(req: ProviderChatRequest): Promise<ProviderStream>;
  /** Native tool calling for `model`; false sends the agent down the proactive path. */
  supportsTools(model: string): Promise<boolean>;
  /** Remembers that `model` refused tools (so the next reply goes straight to the proactive path). */
  markNoTools(model: string): void;
  health(): Promise<ProviderHealth>;
}
