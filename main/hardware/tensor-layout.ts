import type { WeightLayout } from './model-spec';

/** One entry of `/api/show` (verbose) `tensors`: GGML type name and shape. */
export interface ShowTensor {
  name: string;
  type: string;
  shape: number[];
}

/** Bytes per block and elements per block of each GGML type (Ollama fs/ggml Tensor.typeSize / blockSize). */
const TYPE_SIZES: Record<string, [bytes: number, elements: number]> = {
  F32: [4, 1],
  F16: [2, 1],
  BF16: [2, 1],
  F64: [8, 1],
  I8: [1, 1],
  I16: [2, 1],
  I32: [4, 1],
  I64: [8, 1],
  Q4_0: [18, 32],
  Q4_1: [20, 32],
  Q5_0: [22, 32],
  Q5_1: [24, 32],
  Q8_0: [34, 32],
  Q8_1: [36, 32],
  MXFP4: [17, 32],
  IQ4_NL: [18, 32],
  Q2_K: [84, 256],
  Q3_K: [110, 256],
  Q4_K: [144, 256],
  Q5_K: [176, 256],
  Q6_K: [210, 256],
  Q8_K: [292, 256],
  IQ4_XS: [136, 256],
};

/** A tensor's bytes as Ollama counts them (elements × type size / block size); null for a type not listed. */
export function tensorBytes(t: ShowTensor): number | null {
  const size = TYPE_SIZES[t.type.toUpperCase()];
  if (!size) return null;
  const elements = t.shape.reduce((a, b) => a * b, 1);
  return Math.floor((elements * size[0]) / size[1]);
}

/**
 * The sizes Ollama's estimator reads, from the model's own tensor list: blk.0; output_norm + output, or the token
 * embedding when there is no output tensor (tied); the untied input embedding it leaves out. Null when the list is
 * missing or has a type this table does not know (the estimator then spreads the file evenly).
 */
export function layoutFromTensors(tensors: ShowTensor[] | undefined, projectorBytes = 0): WeightLayout | null {
  if (!tensors?.length) return null;
  const group = (prefix: string): number | null => {
    let sum = 0;
    for (const t of tensors) {
      if (t.name !== prefix && !t.name.startsWith(`${prefix}.`)) continue;
      const b = tensorBytes(t);
      if (b === null) return null;
      sum += b;
    }
    return sum;
  };
  const block0 = group('blk.0');
  const norm = group('output_norm');
  const output = group('output');
  const embedding = group('token_embd');
  if (!block0 || norm === null || output === null || embedding === null) return null;
  const tied = output === 0;
  return {
    tiedEmbedding: tied,
    outputBytes: norm + (tied ? embedding : output),
    inputEmbeddingBytes: tied ? 0 : embedding,
    block0Bytes: block0,
    projectorBytes,
  };
}
