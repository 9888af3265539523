import { engineMessage } from '../../preload/shared/engine-messages';
import { isAppError } from '../core/errors';
import type { ChatResponse, ToolCall } from 'ollama';
import { doneChunk, textChunk } from './chunks';
import type { GenerationTimer } from './generation-timer';
import type {
  ChatProvider,
  ProviderChatRequest,
  ProviderHealth,
  ProviderId,
  ProviderModel,
  ProviderStream,
} from './provider-types';

/**
 * What the OpenAI-compatible and Gemini providers share: servers that do not say in advance whether a model
 * takes tools (a refusal moves it to the proactive path), a health check that lists the models, and the end
 * of a translated stream (the gathered tool calls, then the counts and timing in Ollama's last chunk).
 */
export abstract class RemoteChatProvider implements ChatProvider {
  abstract readonly id: ProviderId;
  abstract readonly baseUrl: string;
  abstract readonly cloud: boolean;
  abstract configured(): boolean;
  abstract listModels(): Promise<ProviderModel[]>;
  abstract chat(req: ProviderChatRequest): Promise<ProviderStream>;

  private readonly noTools = new Set<string>();

  supportsTools(model: string): Promise<boolean> {
    return Promise.resolve(!this.noTools.has(model));
  }

  markNoTools(model: string): void {
    this.noTools.add(model);
  }

  async health(): Promise<ProviderHealth> {
    try {
      const models = await this.listModels();
      return {
        ok: true,
        detail: `${models.length} model(s) at ${this.baseUrl}`,
        text: engineMessage('health.providerModels', { provider: this.id, count: models.length, url: this.baseUrl }),
      };
    } catch (err) {
      return {
        ok: false,
        detail: err instanceof Error ? err.message : String(err),
        ...(isAppError(err) && err.text ? { text: err.text } : {}),
      };
    }
  }
}

/** The reply's stop aborts a provider request's own controller (at once when it came already). */
export function linkAbort(signal: AbortSignal | undefined, controller: AbortController): void {
  if (!signal) return;
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort(), { once: true });
}

/** A translated stream the agent can iterate and stop. */
export function providerStream(it: AsyncGenerator<ChatResponse>, controller: AbortController): ProviderStream {
  return { [Symbol.asyncIterator]: () => it, abort: () => controller.abort() };
}

/** The end of a reply in the agent's shape: the tool calls in one chunk (when any), then the counts. */
export function* closingChunks(
  model: string,
  toolCalls: ToolCall[],
  end: { finish: string; promptTokens: number; completionTokens: number; timer: GenerationTimer },
): Generator<ChatResponse> {
  if (toolCalls.length) {
    yield { ...textChunk(model, ''), message: { role: 'assistant', content: '', tool_calls: toolCalls } };
  }
  yield doneChunk(
    model,
    end.finish,
    end.promptTokens,
    end.completionTokens,
    end.timer.evalDurationNs(end.completionTokens),
  );
}
