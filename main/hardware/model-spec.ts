/** What the estimator needs to know about a model, from the catalog or from `/api/show`. */
export interface ModelSpec {
  name: string;
  family: string;
  /** GGUF `general.architecture`: picks the compute-graph formula. */
  architecture: string;
  parameterCount: number;
  quantization: string;
  /** Weights on disk (the download size, and what Ollama loads). */
  sizeBytes: number;
  /** Null when the model carries no usable shape (some embedding or vision models): weights-only estimate. */
  shape: ModelShape | null;
  capabilities: string[];
  license: string;
  source: 'catalog' | 'installed';
}

export interface ModelShape {
  blockCount: number;
  embeddingLength: number;
  headCount: number;
  headCountKv: number;
  /** Per-head key and value widths; default embeddingLength / headCount. */
  keyLength: number;
  valueLength: number;
  contextLength: number;
  /** Null when unknown (/api/show elides the token list): the graph formula then drops its vocab term. */
  vocabSize: number | null;
}

export const supportsTools = (spec: Pick<ModelSpec, 'capabilities'>): boolean => spec.capabilities.includes('tools');
