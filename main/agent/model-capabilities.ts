import type { OllamaGateway } from '../ollama/ollama-gateway';

/**
 * Whether a model takes `tools`, from `/api/show` capabilities, asked once per model and host.
 * Unknown (Ollama down, model missing) is not cached, so the next reply asks again.
 */
export class ModelCapabilities {
  private readonly cache = new Map<string, boolean>();

  constructor(private readonly ollama: OllamaGateway) {}

  private key(model: string): string {
    return `${this.ollama.host}|${model}`;
  }

  async supportsTools(model: string): Promise<boolean> {
    const hit = this.cache.get(this.key(model));
    if (hit !== undefined) return hit;
    try {
      const info = await this.ollama.client().show({ model });
      // Servers before capabilities existed (< 0.6): try tools; a 400 moves the model to the no-tools path.
      const tools = Array.isArray(info.capabilities) ? info.capabilities.includes('tools') : true;
      this.cache.set(this.key(model), tools);
      return tools;
    } catch {
      return false;
    }
  }

  /** Ollama said 400 "does not support tools": remember it. */
  markNoTools(model: string): void {
    this.cache.set(this.key(model), false);
  }

  clear(): void {
    this.cache.clear();
  }
}
