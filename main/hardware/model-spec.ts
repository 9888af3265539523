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
  /** The tensor sizes Ollama's estimator reads; null = unknown (the file is spread evenly over the layers). */
  layout: WeightLayout | null;
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

/** Sizes of the tensors outside the repeating blocks, and of blk.0, in bytes. */
export interface WeightLayout {
  /** The model reuses its token embedding as the output projection (no `output.weight`). */
  tiedEmbedding: boolean;
  /** output_norm + output.weight, or the tied token embedding: Ollama's "output layer", placed last. */
  outputBytes: number;
  /** An untied input token embedding: in the file, but not in Ollama's GPU estimate. 0 when tied. */
  inputEmbeddingBytes: number;
  /** blk.0: Ollama keeps one such layer (with its KV cache) free as a buffer. */
  block0Bytes: number;
  /** A vision projector file (llava's CLIP), loaded on the first GPU; 0 without one. */
  projectorBytes: number;
}
