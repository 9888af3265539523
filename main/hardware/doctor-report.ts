import type { RecommendationReport } from './hardware-service';
import type { Verdict } from './fit-verdict';
import type { GpuVendor } from './hardware-types';
import { toGpuDto } from './gpu-dto';
import { OLLAMA_ESTIMATOR_VERSION } from './memory-estimator';

/**
 * `aeris doctor --json`: a contract for scripts. Fields may be added, never renamed or removed:
 * `{ gpus: [{ name, vendor, vramTotalBytes, vramFreeBytes, driver }], ram: { totalBytes, freeBytes },
 *    cpu: { model, cores, flags }, disk: { modelsDir, freeBytes }, recommended,
 *    recommendations: [{ model, verdict, requiredBytes, gpuFraction, tools, reason, gpuLayers, totalLayers, basis }],
 *    estimator: { follows } }`.
 */
export interface DoctorReport {
  gpus: Array<{
    name: string;
    vendor: GpuVendor;
    vramTotalBytes: number;
    vramFreeBytes: number | null;
    driver: string | null;
    sharesSystemRam: boolean;
    usedByOllama: boolean;
  }>;
  ram: { totalBytes: number; freeBytes: number };
  cpu: { model: string; cores: number; flags: string[] };
  disk: { modelsDir: string; freeBytes: number | null };
  recommended: string | null;
  recommendations: Array<{
    model: string;
    verdict: Verdict;
    requiredBytes: number;
    gpuFraction: number;
    tools: boolean;
    reason: string;
    installed: boolean;
    downloadBytes: number;
    /** Layers on the GPU out of block_count + 1, as Ollama would place them. */
    gpuLayers: number;
    totalLayers: number;
    /** "measured" when an earlier load on this machine set the figure, else "estimated". */
    basis: 'measured' | 'estimated';
  }>;
  /** The Ollama release whose estimator the verdicts follow. */
  estimator: { follows: string };
  context: { numCtx: number; kvCacheType: string; numParallel: number };
  ollama: { host: string | null; reachable: boolean; installed: number };
  notes: string[];
}

export function toDoctorReport(r: RecommendationReport): DoctorReport {
  const hw = r.hardware;
  return {
    gpus: hw.gpus.map((g) => ({ ...toGpuDto(g), usedByOllama: g.backend !== 'none' })),
    ram: { totalBytes: hw.ram.totalBytes, freeBytes: hw.ram.freeBytes },
    cpu: { model: hw.cpu.model, cores: hw.cpu.cores, flags: hw.cpu.flags },
    disk: { modelsDir: hw.disk.modelsDir, freeBytes: hw.disk.freeBytes },
    recommended: r.recommended,
    recommendations: r.recommendations.map((x) => ({
      model: x.model,
      verdict: x.verdict,
      requiredBytes: x.requiredBytes,
      gpuFraction: x.gpuFraction,
      tools: x.tools,
      reason: x.reason,
      installed: x.installed,
      downloadBytes: x.downloadBytes,
      gpuLayers: x.gpuLayers,
      totalLayers: x.totalLayers,
      basis: x.basis,
    })),
    estimator: { follows: `ollama ${OLLAMA_ESTIMATOR_VERSION}` },
    context: { numCtx: r.numCtx, kvCacheType: r.kvCacheType, numParallel: r.numParallel },
    ollama: r.ollama,
    notes: r.notes,
  };
}
