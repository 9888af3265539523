import type { OllamaGateway } from '../ollama/ollama-gateway';

/**
 * Whether a model takes `tools`, from `/api/show` capabilities, asked once per model and host.
 * Unknown (Ollama down, model missing) is not cached, so the next reply asks again.
 */
export class ModelCapabilities {
  private readonly cache = new Map<string, boolean>();
  /** The model's own context length (`<arch>.context_length`), from the same `/api/show`; null: not given. */
  private readonly contexts = new Map<string, number | null>();

  constructor(private readonly ollama: OllamaGateway) {}

  private key(model: string): string {
    return `${this.ollama.host}|${model}`;
  }

  async supportsTools(model: string): Promise<boolean> {
    const hit = this.cache.get(this.key(model));
    if (hit !== undefined) return hit;
    return (await this.show(model))?.tools ?? false;
  }

  /** How many tokens the model can read at most; null when Ollama does not say (or cannot be asked now). */
  async contextLength(model: string): Promise<number | null> {
    const key = this.key(model);
    if (this.contexts.has(key)) return this.contexts.get(key) ?? null;
    return (await this.show(model))?.context ?? null;
  }

  /**
   * One `/api/show` answers both questions, so it fills both caches: a chat with its own context length asks
   * the context first and whether tools work next, and that must not cost the first reply a second request.
   * Unknown (Ollama down, model missing): null, nothing cached.
   */
  private async show(model: string): Promise<{ tools: boolean; context: number | null } | null> {
    try {
      const info = await this.ollama.client().show({ model });
      // Servers before capabilities existed (< 0.6): try tools; a 400 moves the model to the no-tools path.
      const tools = Array.isArray(info.capabilities) ? info.capabilities.includes('tools') : true;
      const context = contextOf(info.model_info);
      this.cache.set(this.key(model), tools);
      this.contexts.set(this.key(model), context);
      return { tools, context };
    } catch {
      return null;
    }
  }

  /** Ollama said 400 "does not support tools": remember it. */
  markNoTools(model: string): void {
    this.cache.set(this.key(model), false);
  }

  clear(): void {
    this.cache.clear();
    this.contexts.clear();
  }
}

function contextOf(modelInfo: unknown): number | null {
  // JSON gives a plain object although the client's type says Map.
  const info = (modelInfo ?? {}) as Record<string, unknown>;
  const arch = info['general.architecture'];
  const ctx = typeof arch === 'string' ? info[`${arch}.context_length`] : undefined;
  return typeof ctx === 'number' && ctx > 0 ? ctx : null;
}
