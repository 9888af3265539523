/** Calls of the foundation: app info, health, settings, sessions, messages, search, chat, installed models. */
import { z } from 'zod';
import { call, EMPTY, MODEL, SESSION_ID, STYLE, UI_LANGUAGE } from './define';
import type { ToolActivityDto } from './airquality';
import type { EngineTextDto } from '../shared/engine-messages';
import { CHAT_SETTINGS_LIMITS, type ChatSettings } from '../shared/chat-settings';

export interface SessionDto {
  id: string;
  title: string;
  model: string | null;
  style: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export interface MessageDto {
  id: number;
  sessionId: string;
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
  status: 'streaming' | 'complete' | 'stopped' | 'interrupted' | 'error';
  model: string | null;
  error: string | null;
  /** `error` as a message id for the UI's language, kept with the reply (issue 15); absent without one. */
  errorText?: EngineTextDto;
  toolsUsed: string[];
  /** Tool calls of an assistant reply (chips, AQI badges, charts), in order. */
  tools: ToolActivityDto[];
  tokens: number;
  createdAt: number;
  updatedAt: number;
  /** The provider that wrote a reply (`ollama`, `openai-compatible`, `gemini`); null before providers. */
  provider?: string | null;
  /** Milliseconds from the request to the reply's first content token; null when not measured. */
  ttftMs?: number | null;
  /** Generated tokens per second (the provider's own counts and timing); null when not measured. */
  tokensPerSecond?: number | null;
  /** Earlier answers to the same question, oldest first (kept by Regenerate); absent when there are none. */
  earlierAnswers?: Array<{
    content: string;
    model: string | null;
    tokens: number;
    createdAt: number;
    updatedAt: number;
    provider?: string | null;
    ttftMs?: number | null;
    tokensPerSecond?: number | null;
  }>;
}

export interface SearchHitDto {
  messageId: number;
  sessionId: string;
  sessionTitle: string;
  role: string;
  snippet: string;
  createdAt: number;
}

export interface ChatStartDto {
  streamId: string;
  sessionId: string;
  userMessageId: number | null;
  assistantMessageId: number;
  model: string;
}

interface ChatResultDto {
  response: string;
  session_id: string;
  message_id: number;
  status: 'complete' | 'stopped';
  tools_used: string[];
  message_count: number;
  tokens_used: number;
  cached: boolean;
  model: string;
  /** The provider that wrote the reply (after a fallback, the one that answered). */
  provider?: string;
  /** Milliseconds from the request to the first content token (null: none came). */
  ttft_ms?: number | null;
  /** Generated tokens per second, from the provider's counts (null: not reported). */
  tokens_per_second?: number | null;
  warning: string | null;
  /** `warning` as a message id, worded in the UI's language. */
  warning_text?: EngineTextDto | null;
}

export type ChatEventDto =
  | { type: 'start'; streamId: string; sessionId: string; messageId: number; model: string }
  /** `offset`: the reply's length before `text`, so a view that loaded the row mid-stream can skip what it has. */
  | { type: 'token'; streamId: string; sessionId: string; messageId: number; text: string; offset: number }
  /** Text from `offset` on was a tool round's preamble and is gone from the reply. */
  | { type: 'retract'; streamId: string; sessionId: string; messageId: number; offset: number }
  | { type: 'done'; streamId: string; sessionId: string; messageId: number; result: ChatResultDto }
  /** Who answers; sent again with `fallbackFrom` and `reason` when the reply falls back to another provider. */
  | {
      type: 'provider';
      streamId: string;
      sessionId: string;
      messageId: number;
      provider: string;
      model: string;
      fallbackFrom?: { provider: string; model: string };
      reason?: string;
      /** `reason` as a message id for the UI's language (issue 15). */
      reasonText?: EngineTextDto;
    }
  /** A tool call started (`running`) or ended; `activity` is the full chip, as kept with the message. */
  | {
      type: 'tool';
      streamId: string;
      sessionId: string;
      messageId: number;
      seq: number;
      name: string;
      status: 'running' | 'done' | 'error';
      durationMs?: number;
      source?: string;
      cached?: boolean;
      summary?: string;
      activity: ToolActivityDto;
    }
  | {
      type: 'error';
      streamId: string;
      sessionId: string;
      messageId: number;
      /** `text`: the message as an id and parameters, for the UI's language (issue 15). */
      error: { code: string; message: string; text?: EngineTextDto };
    };

export interface InstalledModelDto {
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  sizeBytes: number;
  modifiedAt: string;
  digest: string;
}

export interface SettingsDto {
  ollamaHost: string | null;
  defaultModel: string | null;
  defaultStyle: z.infer<ReturnType<typeof STYLE>>;
  theme: 'system' | 'light' | 'dark';
  location: string | null;
  /** The first-run wizard was finished or skipped; false shows it. */
  onboardingDone: boolean;
  /** Where exports go; null = the data dir's `exports` folder. Serve mode confines file paths to it and backups/. */
  exportFolder: string | null;
  /** Model providers (see main/providers); absent from engines before them. */
  defaultProvider?: 'ollama' | 'openai-compatible' | 'gemini';
  providerFallback?: Array<{ provider: 'ollama' | 'openai-compatible' | 'gemini'; model: string }>;
  allowCloud?: boolean;
  openaiModel?: string | null;
  geminiModel?: string | null;
  /** The UI's language; null = follow the system (navigator.languages). Absent from engines before it. */
  uiLanguage?: 'en' | 'fr' | 'sw' | null;
}

export interface HealthDto {
  status: 'healthy' | 'degraded' | 'unhealthy';
  database: string;
  cache: string;
  ollama: string;
  ollama_host: string;
  version: string;
  timestamp: string;
}

export interface AppInfoDto {
  name: string;
  version: string;
  dataDir: string;
  ollamaHost: string;
  ollamaHostSource: 'flag' | 'env' | 'settings' | 'default';
  shell: 'electron' | 'serve';
}

export const CORE_CALLS = {
  'app.info': call<AppInfoDto>()(() => EMPTY()),
  'health.get': call<HealthDto>()(() => EMPTY()),

  'sessions.list': call<{ sessions: SessionDto[]; total: number }>()(() =>
    z
      .object({ limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() })
      .strict(),
  ),
  'sessions.create': call<SessionDto>()(() =>
    z.object({ title: z.string().max(200).optional(), model: MODEL().optional(), style: STYLE().optional() }).strict(),
  ),
  'sessions.rename': call<SessionDto>()(() =>
    z.object({ id: SESSION_ID(), title: z.string().trim().min(1).max(200) }).strict(),
  ),
  'sessions.update': call<SessionDto>()(() =>
    z.object({ id: SESSION_ID(), model: MODEL().optional(), style: STYLE().optional() }).strict(),
  ),
  'sessions.delete': call<{ deleted: boolean }>()(() => z.object({ id: SESSION_ID() }).strict()),
  'sessions.export': call<{ filename: string; mimeType: string; content: string }>()(() =>
    z.object({ id: SESSION_ID(), format: z.enum(['markdown', 'json']) }).strict(),
  ),

  'messages.list': call<{ messages: MessageDto[]; total: number }>()(() =>
    z
      .object({
        sessionId: SESSION_ID(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
  ),
  'search.messages': call<{ hits: SearchHitDto[] }>()(() =>
    z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(200).optional() }).strict(),
  ),

  'chat.send': call<ChatStartDto>()(() =>
    z
      .object({
        sessionId: SESSION_ID().optional(),
        message: z.string(),
        model: MODEL().optional(),
        style: STYLE().optional(),
        provider: z.enum(['ollama', 'openai-compatible', 'gemini']).optional(),
        /** "My location": sent with each question so "how is the air here?" has an answer. */
        latitude: z.number().min(-90).max(90).optional(),
        longitude: z.number().min(-180).max(180).optional(),
        /** The UI's language; the reply is asked for in it (else the uiLanguage setting). */
        language: UI_LANGUAGE().optional(),
      })
      .strict(),
  ),
  'chat.stop': call<{ stopped: boolean }>()(() => z.object({ streamId: z.string().regex(/^\d{1,15}$/) }).strict()),
  'chat.regenerate': call<ChatStartDto>()(() =>
    z.object({ sessionId: SESSION_ID(), model: MODEL().optional(), language: UI_LANGUAGE().optional() }).strict(),
  ),
  'chat.edit': call<ChatStartDto>()(() =>
    z
      .object({ messageId: z.number().int().positive(), content: z.string(), language: UI_LANGUAGE().optional() })
      .strict(),
  ),

  /** A chat's own system prompt, temperature and context length; absent keys follow the defaults. */
  'chat.getSettings': call<ChatSettings>()(() => z.object({ sessionId: SESSION_ID() }).strict()),
  /** Changes them for the next replies: an absent key is kept, null (or an empty prompt) goes back to the default. */
  'chat.setSettings': call<ChatSettings>()(() =>
    z
      .object({
        sessionId: SESSION_ID(),
        systemPrompt: z.string().max(CHAT_SETTINGS_LIMITS.systemPromptMaxChars).nullable().optional(),
        temperature: z
          .number()
          .min(CHAT_SETTINGS_LIMITS.temperatureMin)
          .max(CHAT_SETTINGS_LIMITS.temperatureMax)
          .nullable()
          .optional(),
        contextLength: z
          .number()
          .int()
          .min(CHAT_SETTINGS_LIMITS.contextLengthMin)
          .max(CHAT_SETTINGS_LIMITS.contextLengthMax)
          .nullable()
          .optional(),
      })
      .strict(),
  ),

  /** newChatModel: what a chat started without a model uses (the default while installed, else a tool-capable one). */
  'models.list': call<{ models: InstalledModelDto[]; newChatModel: string | null }>()(() =>
    z.object({ fresh: z.boolean().optional() }).strict(),
  ),

  'settings.get': call<SettingsDto>()(() => EMPTY()),
  'settings.update': call<SettingsDto>()(() =>
    z
      .object({
        ollamaHost: z.string().max(300).nullable().optional(),
        defaultModel: MODEL().nullable().optional(),
        defaultStyle: STYLE().optional(),
        theme: z.enum(['system', 'light', 'dark']).optional(),
        location: z.string().max(120).nullable().optional(),
        onboardingDone: z.boolean().optional(),
        exportFolder: z.string().max(1000).nullable().optional(),
        defaultProvider: z.enum(['ollama', 'openai-compatible', 'gemini']).optional(),
        providerFallback: z
          .array(
            z.object({
              provider: z.enum(['ollama', 'openai-compatible', 'gemini']),
              model: z.string().min(1).max(200),
            }),
          )
          .max(3)
          .optional(),
        allowCloud: z.boolean().optional(),
        openaiModel: z.string().max(200).nullable().optional(),
        geminiModel: z.string().max(200).nullable().optional(),
        uiLanguage: UI_LANGUAGE().nullable().optional(),
      })
      .strict(),
  ),
} as const;
