import type { GpuBackend } from './hardware-types';
import type { ModelShape, ModelSpec } from './model-spec';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export type KvCacheType = 'f16' | 'q8_0' | 'q4_0';
export const KV_BYTES_PER_ELEMENT: Record<KvCacheType, number> = { f16: 2, q8_0: 1, q4_0: 0.5 };

/** Memory each GPU keeps for itself before any layer (Ollama: 457 MiB CUDA/ROCm, 512 MiB Metal). */
export const GPU_MINIMUM_BYTES: Record<GpuBackend, number> = {
  cuda: 457 * MIB,
  rocm: 457 * MIB,
  metal: 512 * MIB,
  none: 0,
};

/** Ollama's default batch size: the graph is sized for min(n_ctx, 512) tokens at once. */
export const DEFAULT_BATCH = 512;

export interface EstimateOptions {
  /** Context per request (Ollama's num_ctx); capped at the model's trained context. */
  numCtx: number;
  /** OLLAMA_NUM_PARALLEL: each slot gets its own context. */
  numParallel?: number;
  kvCacheType?: KvCacheType;
  numBatch?: number;
}

export interface MemoryEstimate {
  model: string;
  numCtx: number;
  numParallel: number;
  kvCacheType: KvCacheType;
  weightsBytes: number;
  kvCacheBytes: number;
  graphBytes: number;
  /** weights + KV cache + graph: held somewhere, GPU or RAM, before any per-GPU minimum. */
  modelBytes: number;
  /** Layers Ollama places (block_count + the output layer) and the size of each. */
  layers: number;
  layerBytes: number;
  /** How the graph was sized: the architecture's formula, or the gqa·kv/6 fallback. */
  graphMethod: 'llama' | 'qwen2' | 'gemma' | 'fallback' | 'none';
}

/** KV cache = n_ctx × parallel × n_layer × n_head_kv × (head_dim_k + head_dim_v) × bytes per element. */
export function kvCacheBytes(shape: ModelShape, numCtx: number, numParallel = 1, type: KvCacheType = 'f16'): number {
  return (
    numCtx *
    numParallel *
    shape.blockCount *
    shape.headCountKv *
    (shape.keyLength + shape.valueLength) *
    KV_BYTES_PER_ELEMENT[type]
  );
}

/**
 * Full-offload compute graph, after Ollama's GGML.GraphSize: per-architecture formulas where it has them,
 * otherwise gqa × kv / 6. `context` is the total across parallel slots.
 */
export function graphBytes(
  architecture: string,
  shape: ModelShape,
  context: number,
  batch: number,
  kvTotal: number,
): { bytes: number; method: MemoryEstimate['graphMethod'] } {
  const e = shape.embeddingLength;
  const h = shape.headCount;
  const vocab = shape.vocabSize ?? 0;
  const c = context;
  const b = batch;
  switch (architecture) {
    case 'llama':
      return { bytes: Math.max(4 * b * (1 + 4 * e + c * (1 + h)), 4 * b * (e + vocab)), method: 'llama' };
    case 'qwen2':
      return { bytes: Math.max(4 * b * (e + vocab), 4 * b * (1 + 2 * e + c + c * h)), method: 'qwen2' };
    case 'gemma':
    case 'gemma2':
    case 'gemma3':
      return {
        bytes: Math.max(4 * b * (e + vocab), 4 * b * (2 + c + c * h + 2 * e + 2 * shape.keyLength * h)),
        method: 'gemma',
      };
    default: {
      const gqa = Math.floor(h / Math.max(1, shape.headCountKv));
      return { bytes: Math.floor((gqa * kvTotal) / 6), method: 'fallback' };
    }
  }
}

export function effectiveContext(spec: ModelSpec, numCtx: number): number {
  return spec.shape ? Math.min(numCtx, spec.shape.contextLength) : numCtx;
}

/** Weights + KV cache + graph for one model at one context; the per-GPU minimum is added by the fit. */
export function estimateMemory(spec: ModelSpec, opts: EstimateOptions): MemoryEstimate {
  const numParallel = Math.max(1, opts.numParallel ?? 1);
  const kvCacheType = opts.kvCacheType ?? 'f16';
  const numCtx = effectiveContext(spec, opts.numCtx);
  const weightsBytes = spec.sizeBytes;
  if (!spec.shape) {
    return {
      model: spec.name,
      numCtx,
      numParallel,
      kvCacheType,
      weightsBytes,
      kvCacheBytes: 0,
      graphBytes: 0,
      modelBytes: weightsBytes,
      layers: 1,
      layerBytes: weightsBytes,
      graphMethod: 'none',
    };
  }
  const kv = kvCacheBytes(spec.shape, numCtx, numParallel, kvCacheType);
  const context = numCtx * numParallel;
  const graph = graphBytes(
    spec.architecture,
    spec.shape,
    context,
    Math.min(context, opts.numBatch ?? DEFAULT_BATCH),
    kv,
  );
  const layers = spec.shape.blockCount + 1;
  return {
    model: spec.name,
    numCtx,
    numParallel,
    kvCacheType,
    weightsBytes,
    kvCacheBytes: kv,
    graphBytes: graph.bytes,
    modelBytes: weightsBytes + kv + graph.bytes,
    layers,
    layerBytes: weightsBytes / layers + kv / spec.shape.blockCount,
    graphMethod: graph.method,
  };
}

/**
 * Ollama's default context when the request sets none (OLLAMA_CONTEXT_LENGTH unset or 0):
 * 4096 below 23 GiB of VRAM, 32768 from 23 GiB, 262144 from 47 GiB.
 */
export function defaultContextForVram(vramBytes: number): number {
  if (vramBytes >= 47 * GIB) return 262144;
  if (vramBytes >= 23 * GIB) return 32768;
  return 4096;
}

export interface OllamaServerSettings {
  /** From OLLAMA_CONTEXT_LENGTH; null = chosen from VRAM. */
  contextLength: number | null;
  numParallel: number;
  kvCacheType: KvCacheType;
  /** OLLAMA_GPU_OVERHEAD, bytes reserved per GPU. */
  gpuOverheadBytes: number;
}

const truthy = (v: string | undefined): boolean => !!v && !/^(0|false|no|off)$/i.test(v.trim());

/** The Ollama server variables that change how much memory a model takes. */
export function ollamaSettingsFromEnv(env: NodeJS.ProcessEnv): OllamaServerSettings {
  const int = (v: string | undefined): number | null => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
  const ctx = int(env.OLLAMA_CONTEXT_LENGTH);
  const kvType = env.OLLAMA_KV_CACHE_TYPE?.trim().toLowerCase();
  // A quantized KV cache only takes effect with flash attention on.
  const kvCacheType: KvCacheType =
    truthy(env.OLLAMA_FLASH_ATTENTION) && (kvType === 'q8_0' || kvType === 'q4_0') ? kvType : 'f16';
  return {
    contextLength: ctx && ctx > 0 ? ctx : null,
    numParallel: Math.max(1, int(env.OLLAMA_NUM_PARALLEL) ?? 1),
    kvCacheType,
    gpuOverheadBytes: int(env.OLLAMA_GPU_OVERHEAD) ?? 0,
  };
}
