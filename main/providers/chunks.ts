import type { ChatResponse } from 'ollama';

/** A streamed piece of text in the agent's (Ollama's) chunk shape. */
export function textChunk(model: string, content: string): ChatResponse {
  return {
    model,
    created_at: new Date(),
    message: { role: 'assistant', content },
    done: false,
    done_reason: '',
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: 0,
    prompt_eval_duration: 0,
    eval_count: 0,
    eval_duration: 0,
  };
}

/**
 * The last chunk: why it ended, the token counts the provider reported and how long generating them took
 * (ns, as Ollama's `eval_duration`; see GenerationTimer).
 */
export function doneChunk(
  model: string,
  reason: string,
  promptTokens: number,
  completionTokens: number,
  evalDurationNs = 0,
): ChatResponse {
  return {
    ...textChunk(model, ''),
    done: true,
    done_reason: reason,
    prompt_eval_count: promptTokens,
    eval_count: completionTokens,
    eval_duration: evalDurationNs,
  };
}
