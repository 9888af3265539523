import { normalize } from './vectors';

export interface Embedder {
  readonly model: string;
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

class EmbeddingError extends Error {
  constructor(
    message: string,
    /** The model is not installed (404): fall back to keyword search and say so. */
    readonly modelMissing: boolean,
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

interface OllamaEmbedderOptions {
  host: string;
  model: string;
  fetch?: typeof fetch;
  /** Texts per /api/embed request: one request per batch keeps HTTP overhead small. */
  batchSize?: number;
}

/** Embeds through Ollama's POST /api/embed (`{model, input: string[], truncate}` → `{embeddings}`). */
export class OllamaEmbedder implements Embedder {
  readonly model: string;
  private readonly fetch: typeof fetch;
  private readonly batchSize: number;

  constructor(private readonly opts: OllamaEmbedderOptions) {
    this.model = opts.model;
    this.fetch = opts.fetch ?? fetch;
    this.batchSize = opts.batchSize ?? 64;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const res = await this.fetch(new URL('/api/embed', this.opts.host), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        // truncate: a chunk longer than the model's context is cut rather than failing the whole batch.
        body: JSON.stringify({ model: this.model, input: batch, truncate: true }),
        signal,
      });
      const body = (await res.json().catch(() => ({}))) as { embeddings?: number[][]; error?: string };
      if (!res.ok || !Array.isArray(body.embeddings)) {
        throw new EmbeddingError(
          `The embedding model ${this.model} failed: ${body.error ?? `HTTP ${res.status}`}`,
          res.status === 404,
        );
      }
      if (body.embeddings.length !== batch.length) {
        throw new EmbeddingError(
          `${this.model} returned ${body.embeddings.length} vectors for ${batch.length} texts`,
          false,
        );
      }
      for (const e of body.embeddings) out.push(normalize(e));
    }
    return out;
  }
}
