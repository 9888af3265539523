import type { GpuBackend } from './hardware-types';
import type { ModelShape, ModelSpec, WeightLayout } from './model-spec';

/**
 * The Ollama release whose estimator this file follows: v0.12.10, `llm/memory.go` (EstimateGPULayers) with
 * `fs/ggml` GraphSize — the last release where the llama engine estimates instead of measuring. Placement
 * reserves the larger of the partial- and full-offload graphs, keeps a one-layer buffer (blk.0 + its KV cache),
 * counts weights as repeating blocks + the output layer (not an untied input embedding), puts a vision
 * projector on the first GPU, and quantizes the KV cache only where it turns flash attention on.
 */
export const OLLAMA_ESTIMATOR_VERSION = '0.12.10';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export type KvCacheType = 'f16' | 'q8_0' | 'q4_0';
const KV_BYTES_PER_ELEMENT: Record<KvCacheType, number> = { f16: 2, q8_0: 1, q4_0: 0.5 };

/** Memory each GPU keeps for itself before any layer (Ollama: 457 MiB CUDA/ROCm, 512 MiB Metal). */
export const GPU_MINIMUM_BYTES: Record<GpuBackend, number> = {
  cuda: 457 * MIB,
  rocm: 457 * MIB,
  metal: 512 * MIB,
  none: 0,
};

/** Ollama's default batch size: the graph is sized for min(n_ctx, 512) tokens at once. */
const DEFAULT_BATCH = 512;

interface EstimateOptions {
  /** Context per request (Ollama's num_ctx); capped at the model's trained context. */
  numCtx: number;
  /** OLLAMA_NUM_PARALLEL: each slot gets its own context. */
  numParallel?: number;
  /** OLLAMA_KV_CACHE_TYPE as requested; applies only where flash attention ends up on (see flashAttentionFor). */
  kvCacheType?: KvCacheType;
  /** OLLAMA_FLASH_ATTENTION: true/false when set, null for the model's default. */
  flashAttention?: boolean | null;
  numBatch?: number;
}

export interface MemoryEstimate {
  model: string;
  numCtx: number;
  numParallel: number;
  kvCacheType: KvCacheType;
  weightsBytes: number;
  kvCacheBytes: number;
  /** Full-offload compute graph (what a fully loaded model holds). */
  graphBytes: number;
  /** Partial-offload graph: carries the output layer's vocab term; during placement Ollama reserves the larger. */
  graphPartialBytes: number;
  /** One repeating layer's worth (blk.0 + its KV cache) Ollama keeps free as a buffer. */
  layerBufferBytes: number;
  /** The output layer (output_norm + output, or the tied token embedding), placed last. */
  outputLayerBytes: number;
  /** A vision projector, loaded on the first GPU. */
  projectorBytes: number;
  flashAttention: boolean;
  /** weights + KV cache + full graph + projector: held somewhere, GPU or RAM, before the per-GPU minimum. */
  modelBytes: number;
  /** Layers Ollama places (block_count + the output layer); a repeating layer's size with its KV cache. */
  layers: number;
  layerBytes: number;
  /** How the graph was sized: the architecture's formula, or the gqa·kv/6 fallback. */
  graphMethod: 'llama' | 'qwen2' | 'gemma' | 'fallback' | 'none';
  /** Where the tensor sizes came from: the catalog's worked-out layout, or the file size spread evenly. */
  layoutSource: 'layout' | 'file-size';
}

/**
 * A note when the running Ollama is newer than the estimator's release: newer ones measure what their own engine
 * allocates, so the figure they report after a load (kept as "measured") is the one to trust. Null otherwise.
 */
export function estimatorVersionNote(running: string | undefined): string | null {
  const parts = (v: string): number[] => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim()) ?? []).slice(1).map(Number);
  const r = running ? parts(running) : [];
  if (r.length !== 3) return null;
  const pin = parts(OLLAMA_ESTIMATOR_VERSION);
  const newer = r[0]! - pin[0]! || r[1]! - pin[1]! || r[2]! - pin[2]!;
  if (newer <= 0) return null;
  return `Ollama ${running} measures memory in its own engine; verdicts follow the ${OLLAMA_ESTIMATOR_VERSION} estimator until a model has loaded here, then what Ollama reported (measured)`;
}

/** Architectures Ollama v0.12.10 cannot run with flash attention (GGML.SupportsFlashAttention). */
const NO_FLASH_ATTENTION = new Set(['gemma2', 'grok']);
/** Architectures whose flash attention is on unless OLLAMA_FLASH_ATTENTION says otherwise (GGML.FlashAttention). */
const FLASH_ATTENTION_BY_DEFAULT = new Set(['gemma3', 'gptoss', 'gpt-oss', 'qwen3', 'qwen3moe']);

/**
 * Whether Ollama turns flash attention on for this model: the env setting (or the architecture's default) and the
 * model must support it (not gemma2; equal K and V head widths). A quantized KV cache needs it on.
 */
function flashAttentionFor(spec: Pick<ModelSpec, 'architecture' | 'shape'>, requested: boolean | null): boolean {
  const wanted = requested ?? FLASH_ATTENTION_BY_DEFAULT.has(spec.architecture);
  if (!wanted || NO_FLASH_ATTENTION.has(spec.architecture)) return false;
  return !spec.shape || spec.shape.keyLength === spec.shape.valueLength;
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
 * Compute graphs after Ollama's GGML.GraphSize (v0.12.10): full offload and partial offload, per-architecture
 * formulas where it has them, otherwise gqa × kv / 6 for both. `context` is the total across parallel slots.
 * Integer division as in Go (`/ 16`, `/ 128` on uint64).
 */
export function graphBytes(
  architecture: string,
  shape: ModelShape,
  context: number,
  batch: number,
  kvTotal: number,
): { bytes: number; partialBytes: number; method: MemoryEstimate['graphMethod'] } {
  const e = shape.embeddingLength;
  const h = shape.headCount;
  const hkv = shape.headCountKv;
  const hk = shape.keyLength;
  const vocab = shape.vocabSize ?? 0;
  const c = context;
  const b = batch;
  const div = (x: number, d: number): number => Math.floor(x / d);
  switch (architecture) {
    case 'llama':
      return {
        bytes: Math.max(4 * b * (1 + 4 * e + c * (1 + h)), 4 * b * (e + vocab)),
        partialBytes:
          4 * b * e +
          Math.max(
            4 * b * (1 + e + Math.max(c, e)) + div(e * e * 9, 16) + 4 * c * (b * h + hk * hkv),
            4 * b * (e + vocab) + div(e * vocab * 105, 128),
          ),
        method: 'llama',
      };
    case 'qwen2':
      return {
        bytes: Math.max(4 * b * (e + vocab), 4 * b * (1 + 2 * e + c + c * h)),
        partialBytes: Math.max(
          4 * b * (e + vocab) + div(e * vocab * 105, 128),
          4 * (b * (1 + 2 * e + c * (1 + h)) + e * (1 + c)),
        ),
        method: 'qwen2',
      };
    case 'gemma':
    case 'gemma2':
    case 'gemma3':
      return {
        bytes: Math.max(4 * b * (e + vocab), 4 * b * (2 + c + c * h + 2 * e + 2 * hk * h)),
        partialBytes: Math.max(
          4 * e * b + div(e * vocab * 105, 128) + 4 * vocab * b,
          4 * b * (2 * e + 1 + 2 * hk * h + c + c * h) + 4 * hk * c * 8 + div(e * hk * h * 9, 16),
        ),
        method: 'gemma',
      };
    default: {
      const gqa = Math.floor(h / Math.max(1, hkv));
      const bytes = Math.floor((gqa * kvTotal) / 6);
      return { bytes, partialBytes: bytes, method: 'fallback' };
    }
  }
}

/**
 * The tensor sizes Ollama reads. Without a worked-out layout (an installed model outside the catalog), the file is
 * spread evenly over block_count + 1 layers, the last being the output layer.
 */
function layoutFor(spec: ModelSpec): WeightLayout & { source: MemoryEstimate['layoutSource'] } {
  if (spec.layout) return { ...spec.layout, source: 'layout' };
  const layers = (spec.shape?.blockCount ?? 0) + 1;
  const each = spec.sizeBytes / layers;
  return {
    tiedEmbedding: false,
    outputBytes: spec.shape ? each : 0,
    inputEmbeddingBytes: 0,
    block0Bytes: each,
    projectorBytes: 0,
    source: 'file-size',
  };
}

function effectiveContext(spec: ModelSpec, numCtx: number): number {
  return spec.shape ? Math.min(numCtx, spec.shape.contextLength) : numCtx;
}

/** Weights (as Ollama counts them) + KV cache + graphs for one model at one context; the fit adds the GPU minimum. */
export function estimateMemory(spec: ModelSpec, opts: EstimateOptions): MemoryEstimate {
  const numParallel = Math.max(1, opts.numParallel ?? 1);
  const flashAttention = flashAttentionFor(spec, opts.flashAttention ?? null);
  // Ollama keeps the requested quantized cache only with flash attention on; otherwise f16.
  const kvCacheType: KvCacheType = flashAttention ? (opts.kvCacheType ?? 'f16') : 'f16';
  const layout = layoutFor(spec);
  // A multimodal model gets at least 2048 context (memory.go).
  const numCtx = Math.max(effectiveContext(spec, opts.numCtx), layout.projectorBytes > 0 ? 2048 : 0);
  if (!spec.shape) {
    return {
      model: spec.name,
      numCtx,
      numParallel,
      kvCacheType,
      weightsBytes: spec.sizeBytes,
      kvCacheBytes: 0,
      graphBytes: 0,
      graphPartialBytes: 0,
      layerBufferBytes: 0,
      outputLayerBytes: 0,
      projectorBytes: 0,
      flashAttention,
      modelBytes: spec.sizeBytes,
      layers: 1,
      layerBytes: spec.sizeBytes,
      graphMethod: 'none',
      layoutSource: layout.source,
    };
  }
  const n = spec.shape.blockCount;
  const kv = kvCacheBytes(spec.shape, numCtx, numParallel, kvCacheType);
  const context = numCtx * numParallel;
  const graph = graphBytes(
    spec.architecture,
    spec.shape,
    context,
    Math.min(context, opts.numBatch ?? DEFAULT_BATCH),
    kv,
  );
  // Repeating blocks: the file less what is not a block (output layer, an untied input embedding, the projector).
  // GGUF metadata (the tokenizer, a few MB) stays in, a slight overcount on the safe side.
  const repeating = Math.max(
    0,
    spec.sizeBytes - layout.outputBytes - layout.inputEmbeddingBytes - layout.projectorBytes,
  );
  const weightsBytes = repeating + layout.outputBytes;
  const kvPerLayer = kv / n;
  return {
    model: spec.name,
    numCtx,
    numParallel,
    kvCacheType,
    weightsBytes,
    kvCacheBytes: kv,
    graphBytes: graph.bytes,
    graphPartialBytes: graph.partialBytes,
    layerBufferBytes: layout.block0Bytes + kvPerLayer,
    outputLayerBytes: layout.outputBytes,
    projectorBytes: layout.projectorBytes,
    flashAttention,
    modelBytes: weightsBytes + kv + graph.bytes + layout.projectorBytes,
    layers: n + 1,
    layerBytes: repeating / n + kvPerLayer,
    graphMethod: graph.method,
    layoutSource: layout.source,
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
  /** OLLAMA_FLASH_ATTENTION when set; null = each architecture's default. */
  flashAttention: boolean | null;
  /** OLLAMA_GPU_OVERHEAD, bytes reserved per GPU. */
  gpuOverheadBytes: number;
}

const truthy = (v: string | undefined): boolean => !!v && !/^(0|false|no|off)$/i.test(v.trim());

/** The Ollama server variables that change how much memory a model takes. */
export function ollamaSettingsFromEnv(env: NodeJS.ProcessEnv): OllamaServerSettings {
  const int = (v: string | undefined): number | null => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
  const ctx = int(env.OLLAMA_CONTEXT_LENGTH);
  const kvType = env.OLLAMA_KV_CACHE_TYPE?.trim().toLowerCase();
  const fa = env.OLLAMA_FLASH_ATTENTION?.trim();
  const flashAttention = fa ? truthy(fa) : null;
  // The requested type; estimateMemory keeps it only where flash attention ends up on for the model.
  const kvCacheType: KvCacheType =
    flashAttention !== false && (kvType === 'q8_0' || kvType === 'q4_0') ? kvType : 'f16';
  return {
    contextLength: ctx && ctx > 0 ? ctx : null,
    numParallel: Math.max(1, int(env.OLLAMA_NUM_PARALLEL) ?? 1),
    kvCacheType,
    flashAttention,
    gpuOverheadBytes: int(env.OLLAMA_GPU_OVERHEAD) ?? 0,
  };
}
