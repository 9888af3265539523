import { Ollama, type Tool } from 'ollama';
import { tuningFor } from '../main/chat/model-tuning';
import { buildSystemPrompt } from '../main/chat/system-prompt';
import { createEngine } from '../main/engine';
import { MemoryLogger } from '../test/doubles/memory-logger';

/**
 * The chat benches' baseline: the `ollama` client sending the request the engine would (system prompt, tools,
 * options) straight to Ollama, so the engine's overhead is the difference.
 */
export async function directChatBaseline(
  dataDir: string,
  ollamaHost: string,
): Promise<() => Promise<{ ttft: number; total: number }>> {
  // The tool definitions the engine sends, from a throwaway engine.
  const defs = createEngine({ dataDir, ollamaHost, logger: new MemoryLogger() });
  const tools = defs.tools.definitions() as unknown as Tool[];
  await defs.close();
  const client = new Ollama({ host: ollamaHost });
  return async () => {
    const t0 = performance.now();
    let first = 0;
    const stream = await client.chat({
      model: 'qwen2.5:3b',
      messages: [
        { role: 'system', content: buildSystemPrompt({ style: 'general', now: Date.now(), tools: 'native' }) },
        { role: 'user', content: 'q' },
      ],
      tools,
      options: tuningFor('qwen2.5:3b', 'general').options,
      stream: true,
    });
    for await (const c of stream) if (!first && c.message.content) first = performance.now() - t0;
    return { ttft: first, total: performance.now() - t0 };
  };
}
