import { usableGpus } from './fit-verdict';
import type { HardwareReport } from './hardware-types';
import { GPU_MINIMUM_BYTES, estimateMemory, type OllamaServerSettings } from './memory-estimator';
import type { ModelSpec } from './model-spec';
import { contextFor } from './recommendations';

/** One `/api/ps` entry, as the server sends it. */
export interface PsEntry {
  name: string;
  size: number;
  size_vram: number;
  context_length?: number;
}

export interface LoadedComparison {
  model: string;
  quantization: string;
  contextLength: number;
  estimateBytes: number;
  /** Ollama's own figures for the loaded model. */
  sizeBytes: number;
  sizeVramBytes: number;
  /** size_vram / size: 1 is "100% GPU". */
  gpuFraction: number;
  /** (estimate − actual) / actual, in percent; positive when the estimate is high. */
  differencePct: number;
}

/**
 * Puts each loaded model's estimate beside `/api/ps` size and size_vram, at the context Ollama reports it loaded
 * with. A model Ollama placed on the GPU pays the GPU minimum; one in RAM does not.
 */
export function compareWithLoaded(
  ps: PsEntry[],
  specFor: (name: string) => ModelSpec | undefined,
  hw: Pick<HardwareReport, 'gpus'>,
  settings: OllamaServerSettings,
): LoadedComparison[] {
  const gpu = usableGpus(hw)[0];
  return ps.flatMap((p) => {
    const spec = specFor(p.name);
    if (!spec || !(p.size > 0)) return [];
    const ctx = p.context_length && p.context_length > 0 ? p.context_length : contextFor(hw, settings);
    const est = estimateMemory(spec, {
      numCtx: ctx,
      numParallel: settings.numParallel,
      kvCacheType: settings.kvCacheType,
      flashAttention: settings.flashAttention,
    });
    // What Ollama v0.12.10 reports as size (its TotalSize): on a GPU the minimum, the one-layer buffer, the
    // projector, weights, cache and the graph that applies (full when all of it is on the GPU, else partial).
    const onGpu = p.size_vram > 0;
    const graph = p.size_vram >= p.size ? est.graphBytes : est.graphPartialBytes;
    const estimateBytes = Math.round(
      onGpu
        ? GPU_MINIMUM_BYTES[gpu?.backend ?? 'cuda'] +
            est.layerBufferBytes +
            est.projectorBytes +
            est.weightsBytes +
            est.kvCacheBytes +
            graph
        : est.modelBytes,
    );
    return [
      {
        model: p.name,
        quantization: spec.quantization,
        contextLength: ctx,
        estimateBytes,
        sizeBytes: p.size,
        sizeVramBytes: p.size_vram,
        gpuFraction: Math.round((p.size_vram / p.size) * 100) / 100,
        differencePct: Math.round(((estimateBytes - p.size) / p.size) * 1000) / 10,
      },
    ];
  });
}
