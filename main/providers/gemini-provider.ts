import { engineMessage } from '../../preload/shared/engine-messages';
import { GoogleGenAI, type Content, type FunctionCall, type Part } from '@google/genai';
import type { ChatResponse, Message, ToolCall } from 'ollama';
import { textChunk } from './chunks';
import { GenerationTimer } from './generation-timer';
import { explainProviderError } from './provider-errors';
import type { ProviderChatRequest, ProviderHealth, ProviderModel, ProviderStream } from './provider-types';
import { closingChunks, linkAbort, providerStream, RemoteChatProvider } from './remote-provider';

export const GEMINI_DEFAULT_URL = 'https://generativelanguage.googleapis.com';

interface GeminiProviderConfig {
  /** Google's endpoint, or an emulator's in tests. */
  baseUrl: string;
  /** Never sent anywhere but `baseUrl`. */
  apiKey: string | null;
}

function parseResult(content: string): Record<string, unknown> {
  try {
    const v = JSON.parse(content) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    return { result: v };
  } catch {
    return { result: content };
  }
}

/** Ollama's messages as Gemini contents: the system prompt apart, tool answers as `functionResponse` parts. */
function toGeminiContents(messages: Message[]): { system: string; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  for (const m of messages) {
    if (m.role === 'system') {
      system.push(m.content);
      continue;
    }
    if (m.role === 'tool') {
      const part: Part = { functionResponse: { name: m.tool_name ?? '', response: parseResult(m.content) } };
      const last = contents[contents.length - 1];
      // Answers to one round's calls travel together, in one user turn.
      if (last?.role === 'user' && last.parts?.every((p) => p.functionResponse)) last.parts.push(part);
      else contents.push({ role: 'user', parts: [part] });
      continue;
    }
    if (m.role === 'assistant') {
      const parts: Part[] = m.content ? [{ text: m.content }] : [];
      for (const c of m.tool_calls ?? []) {
        parts.push({ functionCall: { name: c.function.name, args: c.function.arguments ?? {} } });
      }
      contents.push({ role: 'model', parts: parts.length ? parts : [{ text: '' }] });
      continue;
    }
    contents.push({ role: 'user', parts: [{ text: m.content }] });
  }
  return { system: system.join('\n\n'), contents };
}

/** Google's Gemini through `@google/genai`: streamed text, function calls (whole, with object args), usage. */
export class GeminiProvider extends RemoteChatProvider {
  readonly id = 'gemini' as const;
  readonly cloud = true;
  private readonly client: GoogleGenAI | null;

  constructor(private readonly config: GeminiProviderConfig) {
    super();
    this.client = config.apiKey
      ? new GoogleGenAI({ apiKey: config.apiKey, httpOptions: { baseUrl: config.baseUrl } })
      : null;
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  configured(): boolean {
    return this.client !== null;
  }

  private need(): GoogleGenAI {
    if (!this.client) {
      throw explainProviderError(Object.assign(new Error('no Gemini API key is set'), { status: 401 }), {
        provider: this.id,
        baseUrl: this.baseUrl,
      });
    }
    return this.client;
  }

  async listModels(): Promise<ProviderModel[]> {
    try {
      const pager = await this.need().models.list();
      const out: ProviderModel[] = [];
      for await (const m of pager) {
        if (m.name && (m.supportedActions ?? ['generateContent']).includes('generateContent')) {
          out.push({ name: m.name.replace(/^models\//, ''), sizeBytes: null });
        }
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      throw explainProviderError(err, { provider: this.id, baseUrl: this.baseUrl });
    }
  }

  async chat(req: ProviderChatRequest): Promise<ProviderStream> {
    const client = this.need();
    const controller = new AbortController();
    // The reply's stop drops the request at once, even before the first chunk.
    linkAbort(req.signal, controller);
    const ctx = { provider: this.id, baseUrl: this.baseUrl, model: req.model } as const;
    const { system, contents } = toGeminiContents(req.messages);
    const o = req.options ?? {};
    let stream: AsyncGenerator<{
      text?: string;
      functionCalls?: FunctionCall[];
      usageMetadata?: unknown;
      candidates?: unknown;
    }>;
    try {
      stream = await client.models.generateContentStream({
        model: req.model,
        contents,
        config: {
          abortSignal: controller.signal,
          ...(system ? { systemInstruction: system } : {}),
          ...(req.tools?.length
            ? {
                tools: [
                  {
                    functionDeclarations: req.tools.map((t) => ({
                      name: t.function.name,
                      description: t.function.description,
                      parametersJsonSchema: t.function.parameters,
                    })),
                  },
                ],
              }
            : {}),
          ...(typeof o.num_predict === 'number' && o.num_predict > 0 ? { maxOutputTokens: o.num_predict } : {}),
          ...(typeof o.temperature === 'number' ? { temperature: o.temperature } : {}),
        },
      });
    } catch (err) {
      throw explainProviderError(err, ctx);
    }
    async function* translate(): AsyncGenerator<ChatResponse> {
      const calls: ToolCall[] = [];
      let promptTokens = 0;
      let completionTokens = 0;
      let finish = 'stop';
      const timer = new GenerationTimer();
      try {
        for await (const res of stream) {
          const candidate = (res.candidates as Array<{ content?: Content; finishReason?: string }> | undefined)?.[0];
          for (const part of candidate?.content?.parts ?? []) {
            if (part.text && !part.thought) {
              timer.mark();
              yield textChunk(req.model, part.text);
            }
            if (part.functionCall?.name) {
              timer.mark();
              calls.push({ function: { name: part.functionCall.name, arguments: part.functionCall.args ?? {} } });
            }
          }
          if (candidate?.finishReason) finish = candidate.finishReason.toLowerCase();
          const usage = res.usageMetadata as { promptTokenCount?: number; candidatesTokenCount?: number } | undefined;
          if (usage) {
            promptTokens = usage.promptTokenCount ?? promptTokens;
            completionTokens = usage.candidatesTokenCount ?? completionTokens;
          }
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        throw explainProviderError(err, ctx);
      }
      yield* closingChunks(req.model, calls, { finish, promptTokens, completionTokens, timer });
    }
    return providerStream(translate(), controller);
  }

  override async health(): Promise<ProviderHealth> {
    if (!this.client) {
      return {
        ok: false,
        detail: 'No Gemini API key is set (AERIS_GEMINI_API_KEY or Settings).',
        text: engineMessage('health.providerNoGeminiKey', {}),
      };
    }
    return super.health();
  }
}
