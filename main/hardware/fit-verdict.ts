import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import { formatContext, formatGb } from '../../preload/shared/units';
import type { GpuInfo, HardwareReport } from './hardware-types';
import { GPU_MINIMUM_BYTES, type MemoryEstimate } from './memory-estimator';

export type Verdict = 'full-gpu' | 'partial' | 'cpu' | 'too-large';

export interface Fit {
  verdict: Verdict;
  /** Share of the layers on the GPU: 1 full, 0 on the CPU. */
  gpuFraction: number;
  /** With a usable GPU: the full-offload need (weights + KV + graph + per-GPU minimum); otherwise the RAM need. */
  requiredBytes: number;
  gpuLayers: number;
  totalLayers: number;
  /** Fits, but with less headroom than other GPU apps or an estimate error would need. */
  tight: boolean;
  reason: string;
  /** The reason as a message id, for the UI's language. */
  text: EngineText;
}

/** Where the free figure is unknown (Windows registry), keep a tenth back for the desktop, as Jan does. */
const UNKNOWN_FREE_SHARE = 0.9;

/** Headroom below which a full fit is called tight: the estimate is ±10%, and browsers take VRAM too. */
function tightMarginBytes(g: GpuInfo): number {
  return Math.max(256 * 1024 * 1024, 0.05 * g.vramTotalBytes);
}

export function usableGpus(hw: Pick<HardwareReport, 'gpus'>): GpuInfo[] {
  return hw.gpus.filter((g) => g.backend !== 'none' && g.vramTotalBytes > 0);
}

function gpuFreeBytes(g: GpuInfo): number {
  return g.vramFreeBytes ?? Math.floor(g.vramTotalBytes * UNKNOWN_FREE_SHARE);
}

/** What Ollama's placement decided for one set of GPUs (llm/memory.go EstimateGPULayers, v0.12.10). */
interface Placement {
  /** Layers on the GPUs, the output layer counting as one. */
  layers: number;
  fullyLoaded: boolean;
  /** Bytes on the GPUs with the applicable (full or partial) graph: Ollama's VRAMSize. */
  vramBytes: number;
  /** VRAM plus what overflowed to RAM: Ollama's TotalSize, what /api/ps reports as size. */
  totalBytes: number;
  /** Free VRAM the first GPU needs for everything to fit: minimum, buffer, projector, weights, KV, larger graph. */
  fullNeedBytes: number;
  gpusUsed: number;
}

/**
 * Ollama's layer placement: each GPU that can hold its minimum, the larger graph, the layer buffer and one more
 * layer keeps minimum + buffer (the first also the projector); layers go on while free > overhead + allocated +
 * max(partial, full graph) + layer; the output layer last; then each used GPU gets the full graph if everything
 * fit, else the partial one. On Metal the partial graph is the full one; over several GPUs always the partial.
 * `scale` applies a measured correction to the weights and cache (1 = the estimate as is).
 */
function placeLayers(est: MemoryEstimate, gpus: GpuInfo[], gpuOverheadBytes = 0, scale = 1): Placement {
  const blocks = est.layers - 1;
  const layer = est.layerBytes * scale;
  const buffer = est.layerBufferBytes * scale;
  const output = est.outputLayerBytes * scale;
  const projector = est.projectorBytes;
  let full = est.graphBytes;
  let partial = est.graphPartialBytes;
  if (gpus[0]?.backend === 'metal') partial = full;
  else if (gpus.length > 1) full = partial;
  const graph = Math.max(full, partial);
  const minimum = (g: GpuInfo): number => GPU_MINIMUM_BYTES[g.backend];
  const first = gpus[0];
  const fullNeedBytes = first
    ? minimum(first) + gpuOverheadBytes + buffer + projector + blocks * layer + output + graph
    : 0;

  const alloc = gpus.map(() => 0);
  const counts = gpus.map(() => 0);
  let withSpace: number[] = [];
  for (const [i, g] of gpus.entries()) {
    const zero = withSpace.length === 0 ? projector : 0;
    if (gpuFreeBytes(g) < gpuOverheadBytes + zero + graph + minimum(g) + 2 * buffer) continue;
    withSpace.push(i);
    alloc[i] = minimum(g) + buffer;
  }
  let overflow = 0;
  if (withSpace.length > 0) alloc[withSpace[0]!]! += projector;
  else overflow += projector;
  const fits = (i: number, bytes: number): boolean =>
    gpuFreeBytes(gpus[i]!) > gpuOverheadBytes + alloc[i]! + graph + bytes;

  let placed = 0;
  for (let l = 0; l < blocks; l++) {
    for (let j = withSpace.length; j > 0; j--) {
      const i = withSpace[l % j]!;
      if (fits(i, layer)) {
        alloc[i]! += layer;
        counts[i]!++;
        placed++;
        break;
      }
      withSpace = withSpace.filter((x) => x !== i);
    }
    if (withSpace.length === 0) overflow += layer;
  }
  let fullyLoaded = placed >= blocks;
  if (output > 0) {
    for (let j = withSpace.length; j > 0; j--) {
      const i = withSpace[placed % j]!;
      if (fits(i, output)) {
        alloc[i]! += output;
        counts[i]!++;
        placed++;
        break;
      }
    }
    if (placed < blocks + 1) {
      fullyLoaded = false;
      overflow += output;
    }
  }
  for (const i of counts.keys()) if (counts[i]! > 0) alloc[i]! += fullyLoaded ? full : partial;
  const used = counts.filter((c) => c > 0).length;
  const vramBytes = used > 0 ? alloc.reduce((a, b, i) => a + (counts[i]! > 0 ? b : 0), 0) : 0;
  return {
    layers: used > 0 ? placed : 0,
    fullyLoaded: used > 0 && fullyLoaded,
    vramBytes,
    totalBytes: vramBytes + overflow,
    fullNeedBytes,
    gpusUsed: used,
  };
}

/** A figure measured on this machine (`/api/ps` after a load) that stands in for the estimate. */
export interface MeasuredFigure {
  /** What Ollama reported as the model's size at this context. */
  sizeBytes: number;
  /** What this estimator said for the same load, to scale the weights and cache by. */
  estimateBytes: number;
}

/**
 * Places the estimate on this machine the way Ollama v0.12.10 would: the whole model on the GPU with the most free
 * memory if every layer fits there, else layer by layer over all GPUs, the rest in RAM; else RAM only. A measured
 * figure from an earlier load scales the weights and cache by actual / estimate.
 */
export function fitModel(
  est: MemoryEstimate,
  hw: Pick<HardwareReport, 'gpus' | 'ram'>,
  gpuOverheadBytes = 0,
  measured?: MeasuredFigure | null,
): Fit {
  const gpus = usableGpus(hw).sort((a, b) => gpuFreeBytes(b) - gpuFreeBytes(a));
  const ctx = `at ${formatContext(est.numCtx)} context`;
  const ramFree = hw.ram.freeBytes;
  const layers = est.layers;
  const scale = measured && measured.estimateBytes > 0 ? measured.sizeBytes / measured.estimateBytes : 1;
  const modelBytes = est.modelBytes * scale;

  if (gpus.length > 0) {
    const best = gpus[0]!;
    const totalVram = gpus.reduce((s, g) => s + g.vramTotalBytes, 0);
    const freeVram = gpus.reduce((s, g) => s + gpuFreeBytes(g), 0);
    const vram = { vramBytes: totalVram, vramFreeBytes: freeVram };
    const vramWords = `your ${formatGb(totalVram)} VRAM${freeVram < totalVram * 0.95 ? ` (${formatGb(freeVram)} free)` : ''}`;
    const single = placeLayers(est, [best], gpuOverheadBytes, scale);
    const fullNeed = single.fullNeedBytes;
    if (single.fullyLoaded) {
      const tight = fullNeed > gpuFreeBytes(best) - tightMarginBytes(best);
      return {
        verdict: 'full-gpu',
        gpuFraction: 1,
        requiredBytes: fullNeed,
        gpuLayers: layers,
        totalLayers: layers,
        tight,
        reason: `needs ${formatGb(fullNeed)} of ${vramWords} ${ctx}${tight ? ' (tight: other GPU apps may push part of it to the CPU)' : ''}`,
        text: engineMessage(tight ? 'fit.fullGpuTight' : 'fit.fullGpu', {
          needBytes: fullNeed,
          ...vram,
          ctx: est.numCtx,
        }),
      };
    }
    const multi = gpus.length > 1 ? placeLayers(est, gpus, gpuOverheadBytes, scale) : single;
    const spread = multi.layers > single.layers ? multi : single;
    if (spread.fullyLoaded) {
      return {
        verdict: 'full-gpu',
        gpuFraction: 1,
        requiredBytes: spread.vramBytes,
        gpuLayers: layers,
        totalLayers: layers,
        tight: false,
        reason: `needs ${formatGb(spread.vramBytes)} of ${vramWords} over ${spread.gpusUsed} GPUs ${ctx}`,
        text: engineMessage('fit.fullGpuSpread', {
          needBytes: spread.vramBytes,
          ...vram,
          gpus: spread.gpusUsed,
          ctx: est.numCtx,
        }),
      };
    }
    const placed = spread.layers;
    const inRam = Math.max(0, spread.totalBytes - spread.vramBytes);
    if (placed > 0 && inRam <= ramFree) {
      const fraction = Math.round((placed / layers) * 100) / 100;
      const where = placed === layers - 1 ? ' (the output layer on the CPU)' : '';
      return {
        verdict: 'partial',
        gpuFraction: fraction,
        requiredBytes: fullNeed,
        gpuLayers: placed,
        totalLayers: layers,
        tight: false,
        reason: `needs ${formatGb(fullNeed)} for all ${layers} layers, more than ${vramWords}: ${placed}/${layers} layers on the GPU${where}, ${formatGb(inRam)} in RAM (slower) ${ctx}`,
        text: engineMessage(where ? 'fit.partialOutputOnCpu' : 'fit.partial', {
          needBytes: fullNeed,
          layers,
          ...vram,
          placed,
          ramBytes: inRam,
          ctx: est.numCtx,
        }),
      };
    }
    if (modelBytes <= ramFree) {
      return {
        verdict: 'cpu',
        gpuFraction: 0,
        requiredBytes: modelBytes,
        gpuLayers: 0,
        totalLayers: layers,
        tight: false,
        reason: `needs ${formatGb(modelBytes)}: no layer fits ${vramWords}, runs on the CPU in ${formatGb(ramFree)} free RAM (slow) ${ctx}`,
        text: engineMessage('fit.cpuNoLayerFits', {
          needBytes: modelBytes,
          ...vram,
          ramFreeBytes: ramFree,
          ctx: est.numCtx,
        }),
      };
    }
    return {
      verdict: 'too-large',
      gpuFraction: 0,
      requiredBytes: fullNeed,
      gpuLayers: placed,
      totalLayers: layers,
      tight: false,
      reason: `needs ${formatGb(fullNeed)}: more than ${vramWords} plus ${formatGb(ramFree)} free RAM ${ctx}`,
      text: engineMessage('fit.tooLarge', { needBytes: fullNeed, ...vram, ramFreeBytes: ramFree, ctx: est.numCtx }),
    };
  }

  if (modelBytes <= ramFree) {
    return {
      verdict: 'cpu',
      gpuFraction: 0,
      requiredBytes: modelBytes,
      gpuLayers: 0,
      totalLayers: layers,
      tight: false,
      reason: `no GPU Ollama can use: runs on the CPU, needs ${formatGb(modelBytes)} of ${formatGb(ramFree)} free RAM ${ctx}`,
      text: engineMessage('fit.cpuNoGpu', { needBytes: modelBytes, ramFreeBytes: ramFree, ctx: est.numCtx }),
    };
  }
  return {
    verdict: 'too-large',
    gpuFraction: 0,
    requiredBytes: modelBytes,
    gpuLayers: 0,
    totalLayers: layers,
    tight: false,
    reason: `needs ${formatGb(modelBytes)}: more than the ${formatGb(ramFree)} free RAM, and no GPU Ollama can use ${ctx}`,
    text: engineMessage('fit.tooLargeNoGpu', { needBytes: modelBytes, ramFreeBytes: ramFree, ctx: est.numCtx }),
  };
}
