import OpenAI from 'openai';
import type { ChatResponse, Message, ToolCall } from 'ollama';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { explainProviderError } from './provider-errors';
import type { ProviderChatRequest, ProviderModel, ProviderStream } from './provider-types';
import { textChunk } from './chunks';
import { closingChunks, linkAbort, providerStream, RemoteChatProvider } from './remote-provider';
import { GenerationTimer } from './generation-timer';

interface OpenAiProviderConfig {
  /** Ends in `/v1` for most servers (vLLM, llama.cpp, LM Studio, LocalAI, OpenRouter). */
  baseUrl: string;
  /** Null for servers that take none; never sent anywhere but `baseUrl`. */
  apiKey: string | null;
  /** Whether this is a hosted service on the internet (OpenRouter, DeepSeek…) rather than a LAN server. */
  cloud: boolean;
}

/** A tool call as the agent keeps it, with the server's id so the answer can name it. */
type IdentifiedCall = ToolCall & { id?: string };

/** Ollama's messages as chat-completions messages; tool answers get the id of the call they answer. */
function toOpenAiMessages(messages: Message[]): ChatCompletionMessageParam[] {
  const pending: string[] = [];
  let generated = 0;
  return messages.map((m): ChatCompletionMessageParam => {
    if (m.role === 'assistant' && m.tool_calls?.length) {
      const calls = (m.tool_calls as IdentifiedCall[]).map((c) => {
        const id = c.id ?? `call_${++generated}`;
        pending.push(id);
        return {
          id,
          type: 'function' as const,
          function: { name: c.function.name, arguments: JSON.stringify(c.function.arguments ?? {}) },
        };
      });
      return { role: 'assistant', content: m.content || null, tool_calls: calls };
    }
    if (m.role === 'tool') {
      return { role: 'tool', tool_call_id: pending.shift() ?? `call_${++generated}`, content: m.content };
    }
    if (m.role === 'system') return { role: 'system', content: m.content };
    if (m.role === 'assistant') return { role: 'assistant', content: m.content };
    return { role: 'user', content: m.content };
  });
}

function parseArguments(raw: string): Record<string, unknown> {
  try {
    const v = JSON.parse(raw || '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // Falls through: the tool answers the model that its arguments were not JSON.
  }
  return raw as unknown as Record<string, unknown>;
}

/** Ollama's options that chat completions has a name for. */
function sampling(options: Record<string, unknown> | undefined): Record<string, unknown> {
  const o = options ?? {};
  const out: Record<string, unknown> = {};
  if (typeof o.num_predict === 'number' && o.num_predict > 0) out.max_tokens = o.num_predict;
  if (typeof o.temperature === 'number') out.temperature = o.temperature;
  if (typeof o.top_p === 'number') out.top_p = o.top_p;
  if (typeof o.seed === 'number') out.seed = o.seed;
  return out;
}

/**
 * vLLM, llama.cpp's server, LM Studio, LocalAI, OpenRouter, DeepSeek… through the official `openai` SDK.
 * Streams text as it comes; tool calls are put together from their argument pieces (split anywhere, several
 * interleaved by `index`) and handed over whole when the stream ends; usage from the last chunk.
 */
export class OpenAiCompatibleProvider extends RemoteChatProvider {
  readonly id = 'openai-compatible' as const;
  private readonly client: OpenAI;

  constructor(
    private readonly config: OpenAiProviderConfig,
    fetchImpl: typeof fetch = fetch,
  ) {
    super();
    this.client = new OpenAI({
      baseURL: config.baseUrl,
      // The SDK insists on a key; without one, no Authorization header is sent at all.
      apiKey: config.apiKey ?? 'unused',
      ...(config.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      fetch: fetchImpl,
      // The engine decides about retries and fallbacks; the SDK's own would hide them.
      maxRetries: 0,
      timeout: 10 * 60_000,
    });
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  get cloud(): boolean {
    return this.config.cloud;
  }

  configured(): boolean {
    return this.config.baseUrl !== '';
  }

  async listModels(): Promise<ProviderModel[]> {
    try {
      const page = await this.client.models.list();
      return page.data.map((m) => ({ name: m.id, sizeBytes: null })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      throw explainProviderError(err, { provider: this.id, baseUrl: this.baseUrl });
    }
  }

  async chat(req: ProviderChatRequest): Promise<ProviderStream> {
    const controller = new AbortController();
    // The reply's stop drops the request at once, even before the first chunk.
    linkAbort(req.signal, controller);
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      stream = await this.client.chat.completions.create(
        {
          model: req.model,
          messages: toOpenAiMessages(req.messages),
          stream: true,
          stream_options: { include_usage: true },
          ...(req.tools?.length ? { tools: req.tools } : {}),
          ...sampling(req.options),
        },
        { signal: controller.signal },
      );
    } catch (err) {
      throw explainProviderError(err, { provider: this.id, baseUrl: this.baseUrl, model: req.model });
    }
    const ctx = { provider: this.id, baseUrl: this.baseUrl, model: req.model } as const;
    async function* translate(): AsyncGenerator<ChatResponse> {
      const calls = new Map<number, { id?: string; name: string; args: string }>();
      let promptTokens = 0;
      let completionTokens = 0;
      let finish = 'stop';
      const timer = new GenerationTimer();
      try {
        for await (const chunk of stream) {
          if (chunk.usage) {
            promptTokens = chunk.usage.prompt_tokens ?? 0;
            completionTokens = chunk.usage.completion_tokens ?? 0;
          }
          for (const choice of chunk.choices ?? []) {
            const delta = choice.delta ?? {};
            if (delta.content) {
              timer.mark();
              yield textChunk(req.model, delta.content);
            }
            if (delta.tool_calls) timer.mark();
            for (const piece of delta.tool_calls ?? []) {
              const call = calls.get(piece.index) ?? { name: '', args: '' };
              if (piece.id) call.id = piece.id;
              if (piece.function?.name) call.name += piece.function.name;
              if (piece.function?.arguments) call.args += piece.function.arguments;
              calls.set(piece.index, call);
            }
            if (choice.finish_reason) finish = choice.finish_reason;
          }
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        throw explainProviderError(err, ctx);
      }
      const toolCalls: IdentifiedCall[] = [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, c]) => ({
          ...(c.id ? { id: c.id } : {}),
          function: { name: c.name, arguments: parseArguments(c.args) },
        }));
      yield* closingChunks(req.model, toolCalls, { finish, promptTokens, completionTokens, timer });
    }
    return providerStream(translate(), controller);
  }
}
