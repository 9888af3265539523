import { fitModel, usableGpus, type Fit, type MeasuredFigure, type Verdict } from './fit-verdict';
import { formatGb } from '../../preload/shared/units';
import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import type { HardwareReport } from './hardware-types';
import {
  defaultContextForVram,
  estimateMemory,
  type KvCacheType,
  type MemoryEstimate,
  type OllamaServerSettings,
} from './memory-estimator';
import { supportsTools, type ModelSpec } from './model-spec';

export interface Recommendation {
  model: string;
  verdict: Verdict;
  requiredBytes: number;
  gpuFraction: number;
  tools: boolean;
  reason: string;
  /** The reason's parts as message ids (joined with "; "), for the UI's language. */
  reasonText: EngineText[];
  installed: boolean;
  /** Download size for a model not yet pulled; its size on disk when installed. */
  downloadBytes: number;
  parameterCount: number;
  /** A full-GPU fit with little headroom: ranked after the comfortable ones. */
  tight: boolean;
  /** Layers Ollama would put on the GPU, of block_count + 1. */
  gpuLayers: number;
  totalLayers: number;
  estimate: MemoryEstimate;
  /** "measured": an earlier load on this machine (/api/ps) set the figure; "estimated": the estimator alone. */
  basis: 'measured' | 'estimated';
}

export interface RecommendationSet {
  numCtx: number;
  numParallel: number;
  kvCacheType: KvCacheType;
  /** The first pick: a chat model, ideally with tools, that fits best. Null when nothing can run. */
  recommended: string | null;
  recommendations: Recommendation[];
}

/** On the CPU alone, models up to about this size stay usable for chat (the seed's low-end tier is 3B). */
const CPU_COMFORT_PARAMS = 3.5e9;
/** A pull needs its size plus some room for the manifest and partial blobs. */
const DISK_MARGIN = 1.1;

const VERDICT_ORDER: Record<Verdict, number> = { 'full-gpu': 0, partial: 1, cpu: 2, 'too-large': 3 };

const isChatModel = (spec: ModelSpec): boolean => spec.capabilities.includes('completion');

/**
 * Ranks for this machine: chat models that fit fully on the GPU with tools first, strongest first (the agent
 * needs tools); then the smaller, faster ones; tight fits after comfortable ones; then partial offload, CPU and
 * too large. On the CPU alone a model near 3B comes before a bigger one that would crawl.
 */
function compareRecommendations(a: Recommendation & { chat: boolean }, b: Recommendation & { chat: boolean }): number {
  if (a.chat !== b.chat) return a.chat ? -1 : 1;
  const byVerdict = VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict];
  if (byVerdict) return byVerdict;
  if (a.tools !== b.tools) return a.tools ? -1 : 1;
  switch (a.verdict) {
    case 'full-gpu':
      if (a.tight !== b.tight) return a.tight ? 1 : -1;
      return b.parameterCount - a.parameterCount || a.requiredBytes - b.requiredBytes;
    case 'partial':
      return b.gpuFraction - a.gpuFraction || b.parameterCount - a.parameterCount;
    case 'cpu': {
      const ca = a.parameterCount <= CPU_COMFORT_PARAMS;
      const cb = b.parameterCount <= CPU_COMFORT_PARAMS;
      if (ca !== cb) return ca ? -1 : 1;
      return ca ? b.parameterCount - a.parameterCount : a.parameterCount - b.parameterCount;
    }
    default:
      return a.requiredBytes - b.requiredBytes;
  }
}

export function contextFor(hw: Pick<HardwareReport, 'gpus'>, settings: OllamaServerSettings, numCtx?: number): number {
  if (numCtx && numCtx > 0) return numCtx;
  if (settings.contextLength) return settings.contextLength;
  return defaultContextForVram(usableGpus(hw).reduce((s, g) => s + g.vramTotalBytes, 0));
}

export function recommendModels(
  specs: ModelSpec[],
  hw: HardwareReport,
  settings: OllamaServerSettings,
  opts: {
    installed?: ReadonlySet<string>;
    numCtx?: number;
    /** A figure Ollama reported for this model at this context on this machine, if any. */
    measured?: (spec: ModelSpec, numCtx: number) => MeasuredFigure | null;
  } = {},
): RecommendationSet {
  const numCtx = contextFor(hw, settings, opts.numCtx);
  const installed = opts.installed ?? new Set<string>();
  const rows = specs.map((spec) => {
    const estimate = estimateMemory(spec, {
      numCtx,
      numParallel: settings.numParallel,
      kvCacheType: settings.kvCacheType,
      flashAttention: settings.flashAttention,
    });
    const measured = opts.measured?.(spec, estimate.numCtx) ?? null;
    const fit: Fit = fitModel(estimate, hw, settings.gpuOverheadBytes, measured);
    const isInstalled = installed.has(spec.name);
    const tools = supportsTools(spec);
    const notes: string[] = [];
    // The same notes as message ids, for the UI's language (the English stays for the CLI and the logs).
    const texts: EngineText[] = [fit.text];
    if (!isChatModel(spec)) {
      notes.push('not a chat model');
      texts.push(engineMessage('fit.notChat', {}));
    } else if (!tools) {
      notes.push('no tool calling: answers without live data');
      texts.push(engineMessage('fit.noTools', {}));
    }
    if (!spec.shape) {
      notes.push('no shape in its metadata: weights-only estimate');
      texts.push(engineMessage('fit.noShape', {}));
    }
    if (measured) {
      notes.push(`measured on this machine: Ollama used ${formatGb(measured.sizeBytes)} when it last loaded`);
      texts.push(engineMessage('fit.measured', { usedBytes: measured.sizeBytes }));
    }
    if (!isInstalled && hw.disk.freeBytes !== null && spec.sizeBytes * DISK_MARGIN > hw.disk.freeBytes) {
      notes.push(
        `the ${formatGb(spec.sizeBytes)} download needs more than the ${formatGb(hw.disk.freeBytes)} free at ${hw.disk.modelsDir}`,
      );
      texts.push(
        engineMessage('fit.diskShort', {
          downloadBytes: spec.sizeBytes,
          diskFreeBytes: hw.disk.freeBytes,
          dir: hw.disk.modelsDir,
        }),
      );
    }
    return {
      chat: isChatModel(spec),
      model: spec.name,
      verdict: fit.verdict,
      requiredBytes: Math.round(fit.requiredBytes),
      gpuFraction: fit.gpuFraction,
      tools,
      reason: [fit.reason, ...notes].join('; '),
      reasonText: texts,
      installed: isInstalled,
      downloadBytes: spec.sizeBytes,
      parameterCount: spec.parameterCount,
      tight: fit.tight,
      gpuLayers: fit.gpuLayers,
      totalLayers: fit.totalLayers,
      estimate,
      basis: measured ? ('measured' as const) : ('estimated' as const),
    };
  });
  rows.sort(compareRecommendations);
  const first = rows.find((r) => r.chat && r.verdict !== 'too-large');
  return {
    numCtx,
    numParallel: settings.numParallel,
    kvCacheType: settings.kvCacheType,
    recommended: first?.model ?? null,
    recommendations: rows.map(({ chat: _chat, ...r }) => r),
  };
}
