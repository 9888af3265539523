import { formatContext, formatGb } from './format-units';
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
}

/** Where the free figure is unknown (Windows registry), keep a tenth back for the desktop, as Jan does. */
const UNKNOWN_FREE_SHARE = 0.9;

/** Headroom below which a full fit is called tight: the estimate is ±10%, and browsers take VRAM too. */
export function tightMarginBytes(g: GpuInfo): number {
  return Math.max(256 * 1024 * 1024, 0.05 * g.vramTotalBytes);
}

export function usableGpus(hw: Pick<HardwareReport, 'gpus'>): GpuInfo[] {
  return hw.gpus.filter((g) => g.backend !== 'none' && g.vramTotalBytes > 0);
}

export function gpuFreeBytes(g: GpuInfo): number {
  return g.vramFreeBytes ?? Math.floor(g.vramTotalBytes * UNKNOWN_FREE_SHARE);
}

/**
 * Places the estimate on this machine the way Ollama's scheduler would: the whole model on one GPU if it fits
 * beside the GPU minimum and the graph; else layer by layer over the GPUs, the rest in RAM; else RAM only.
 */
export function fitModel(est: MemoryEstimate, hw: Pick<HardwareReport, 'gpus' | 'ram'>, gpuOverheadBytes = 0): Fit {
  const gpus = usableGpus(hw).sort((a, b) => gpuFreeBytes(b) - gpuFreeBytes(a));
  const ctx = `at ${formatContext(est.numCtx)} context`;
  const ramFree = hw.ram.freeBytes;
  const fixed = (g: GpuInfo): number => GPU_MINIMUM_BYTES[g.backend] + gpuOverheadBytes + est.graphBytes;
  const layers = est.layers;

  if (gpus.length > 0) {
    const best = gpus[0]!;
    const fullNeed = est.modelBytes + GPU_MINIMUM_BYTES[best.backend] + gpuOverheadBytes;
    const totalVram = gpus.reduce((s, g) => s + g.vramTotalBytes, 0);
    const freeVram = gpus.reduce((s, g) => s + gpuFreeBytes(g), 0);
    const vramWords = `your ${formatGb(totalVram)} VRAM${freeVram < totalVram * 0.95 ? ` (${formatGb(freeVram)} free)` : ''}`;
    if (fullNeed <= gpuFreeBytes(best)) {
      const tight = fullNeed > gpuFreeBytes(best) - tightMarginBytes(best);
      return {
        verdict: 'full-gpu',
        gpuFraction: 1,
        requiredBytes: fullNeed,
        gpuLayers: layers,
        totalLayers: layers,
        tight,
        reason: `needs ${formatGb(fullNeed)} of ${vramWords} ${ctx}${tight ? ' (tight: other GPU apps may push part of it to the CPU)' : ''}`,
      };
    }
    let placed = 0;
    let usedGpus = 0;
    for (const g of gpus) {
      const room = gpuFreeBytes(g) - fixed(g);
      const n = Math.max(0, Math.min(layers - placed, Math.floor(room / est.layerBytes)));
      if (n > 0) {
        placed += n;
        usedGpus++;
      }
      if (placed === layers) break;
    }
    if (placed === layers) {
      // Split over several GPUs: each one pays its minimum and holds a graph.
      const need = est.modelBytes + gpus.slice(0, usedGpus).reduce((s, g) => s + fixed(g), 0) - est.graphBytes;
      return {
        verdict: 'full-gpu',
        gpuFraction: 1,
        requiredBytes: need,
        gpuLayers: layers,
        totalLayers: layers,
        tight: false,
        reason: `needs ${formatGb(need)} of ${vramWords} over ${usedGpus} GPUs ${ctx}`,
      };
    }
    const inRam = Math.max(0, est.modelBytes - placed * est.layerBytes);
    if (placed > 0 && inRam <= ramFree) {
      const fraction = Math.round((placed / layers) * 100) / 100;
      return {
        verdict: 'partial',
        gpuFraction: fraction,
        requiredBytes: fullNeed,
        gpuLayers: placed,
        totalLayers: layers,
        tight: false,
        reason: `needs ${formatGb(fullNeed)}, more than ${vramWords}: ≈ ${Math.round(fraction * 100)}% on the GPU, ${formatGb(inRam)} in RAM (slower) ${ctx}`,
      };
    }
    if (est.modelBytes <= ramFree) {
      return {
        verdict: 'cpu',
        gpuFraction: 0,
        requiredBytes: est.modelBytes,
        gpuLayers: 0,
        totalLayers: layers,
        tight: false,
        reason: `needs ${formatGb(est.modelBytes)}: no layer fits ${vramWords}, runs on the CPU in ${formatGb(ramFree)} free RAM (slow) ${ctx}`,
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
    };
  }

  if (est.modelBytes <= ramFree) {
    return {
      verdict: 'cpu',
      gpuFraction: 0,
      requiredBytes: est.modelBytes,
      gpuLayers: 0,
      totalLayers: layers,
      tight: false,
      reason: `no GPU Ollama can use: runs on the CPU, needs ${formatGb(est.modelBytes)} of ${formatGb(ramFree)} free RAM ${ctx}`,
    };
  }
  return {
    verdict: 'too-large',
    gpuFraction: 0,
    requiredBytes: est.modelBytes,
    gpuLayers: 0,
    totalLayers: layers,
    tight: false,
    reason: `needs ${formatGb(est.modelBytes)}: more than the ${formatGb(ramFree)} free RAM, and no GPU Ollama can use ${ctx}`,
  };
}
