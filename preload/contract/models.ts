/**
 * The Models page: the Ollama engine (state, restart, log tail), installed models, the catalog with fit
 * verdicts for this machine, pulls with progress, delete / default / preload / unload, disk usage, offline
 * transfer to and from a folder, and a native folder picker (Electron only).
 * DTOs are declared here, not imported from main/, so the renderer depends on the contract alone.
 */
import { z } from 'zod';
import { call, EMPTY, MODEL } from './define';
import type { EngineTextDto } from '../shared/engine-messages';
import { lazy } from '../shared/lazy';

// ---- Engine ---------------------------------------------------------------------------------------

/**
 * external: an Ollama someone else runs answers at the host (also a LAN GPU box); we never stop it.
 * starting / running / crashed / stopped: the one the app runs. not-installed: no binary to start.
 */
export type EngineStateDto = 'external' | 'starting' | 'running' | 'crashed' | 'stopped' | 'not-installed';

export interface EngineStatusDto {
  state: EngineStateDto;
  /** The host the app talks to (may differ from the configured one when its port was taken). */
  host: string;
  /** Why this state and what to do, in words; null when there is nothing to say. */
  message: string | null;
  /** `message` as a message id, for the UI's language (issue 15). */
  messageText?: EngineTextDto | null;
  version: string | null;
  pid: number | null;
  binary: string | null;
  /** Restarts since the last stable run. */
  restarts: number;
  logFile: string;
}

interface EngineLogDto {
  file: string;
  lines: string[];
}

// ---- Installed models -----------------------------------------------------------------------------

/** A loaded model's memory as Ollama reports it (`/api/ps`) beside the app's estimate. */
interface LoadedEstimateDto {
  contextLength: number;
  estimateBytes: number;
  sizeBytes: number;
  sizeVramBytes: number;
  /** size_vram / size: 1 is "100% GPU". */
  gpuFraction: number;
  /** (estimate − actual) / actual, in percent; positive when the estimate is high. */
  differencePct: number;
}

export interface ModelRowDto {
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  sizeBytes: number;
  modifiedAt: string;
  digest: string;
  /** From `/api/show`: completion, tools, vision, embedding, thinking, insert. */
  capabilities: string[];
  loaded: boolean;
  /** size_vram / size from `/api/ps`; null when not loaded. */
  gpuShare: number | null;
  loadedBytes: number | null;
  expiresAt: string | null;
  contextLength: number | null;
  /** Present for a loaded model whose estimate could be worked out. */
  estimate: LoadedEstimateDto | null;
}

export interface DiskUsageDto {
  /** The models folder on this computer; null when Ollama runs on another machine. */
  modelsDir: string | null;
  /** Free space and size of the volume holding the models folder; null when unknown (remote Ollama). */
  freeBytes: number | null;
  volumeBytes: number | null;
}

export interface InstalledModelsDto {
  models: ModelRowDto[];
  /** Sum of model sizes (models sharing layers count them twice; Ollama reports no better figure). */
  totalBytes: number;
  defaultModel: string | null;
  disk: DiskUsageDto;
}

// ---- Catalog and fit ------------------------------------------------------------------------------

export type FitVerdictDto = 'full-gpu' | 'partial' | 'cpu' | 'too-large';

/** The numbers behind a verdict, in bytes. */
interface FitBreakdownDto {
  weightsBytes: number;
  kvCacheBytes: number;
  graphBytes: number;
  /** The GPU's own minimum plus OLLAMA_GPU_OVERHEAD; 0 on the CPU. */
  overheadBytes: number;
  /** weights + KV cache + graph + overhead: what the verdict compares with the free memory. */
  requiredBytes: number;
  numCtx: number;
  numParallel: number;
  kvCacheType: string;
  /** Partial-offload graph; while placing layers Ollama reserves the larger of the two graphs. */
  graphPartialBytes?: number;
  /** One layer (blk.0 + its KV cache) Ollama keeps free as a buffer. */
  layerBufferBytes?: number;
  /** A vision model's projector, on the first GPU; included in weightsBytes. */
  projectorBytes?: number;
}

export interface CatalogModelDto {
  name: string;
  family: string | null;
  parameterCount: number;
  quantization: string | null;
  /** Download size for a model not yet pulled; its size on disk when installed. */
  downloadBytes: number;
  capabilities: string[];
  tools: boolean;
  license: string | null;
  note: string | null;
  installed: boolean;
  /** Listed in the bundled catalog (installed models outside it also get a verdict). */
  inCatalog: boolean;
  verdict: FitVerdictDto;
  /** Share of the layers on the GPU: 1 full, 0 none. */
  gpuFraction: number;
  /** Fits the GPU with little headroom. */
  tight: boolean;
  /** In words: "needs 5.4 GB of your 12 GB VRAM at 4k context". */
  reason: string;
  /** The reason's parts as message ids (joined with "; "), for the UI's language. */
  reasonText?: EngineTextDto[];
  breakdown: FitBreakdownDto;
  /** Layers on the GPU out of block_count + 1 (the output layer counts as one), as Ollama would place them. */
  gpuLayers?: number;
  totalLayers?: number;
  /** "measured": Ollama's own figure from an earlier load on this machine; "estimated": the estimator alone. */
  basis?: 'measured' | 'estimated';
  /** The Ollama release whose estimator the verdict follows, e.g. "0.12.10". */
  estimatorVersion?: string;
}

interface MachineSummaryDto {
  gpus: Array<{ name: string; vramTotalBytes: number; vramFreeBytes: number | null; sharesSystemRam: boolean }>;
  ramTotalBytes: number;
  ramFreeBytes: number;
  /** Why a probe found nothing ("nvidia-smi not found on PATH"). */
  notes: string[];
}

export interface CatalogDto {
  /** Ranked for this machine: the best pick first. */
  models: CatalogModelDto[];
  recommended: string | null;
  numCtx: number;
  machine: MachineSummaryDto;
}

// ---- Pulls ----------------------------------------------------------------------------------------

/** queued → pulling → success | failed | cancelled; interrupted: the app stopped mid-pull. */
export type PullStateDto = 'queued' | 'pulling' | 'success' | 'failed' | 'cancelled' | 'interrupted';

interface PullLayerDto {
  digest: string;
  total: number;
  completed: number;
}

export interface PullSnapshotDto {
  name: string;
  state: PullStateDto;
  /** Ollama's last status line ("pulling 6a0746a1ec1a", "verifying sha256 digest"…). */
  status: string;
  layers: PullLayerDto[];
  completedBytes: number;
  totalBytes: number;
  /** 0–100, null until the sizes are known. */
  percent: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  /** The server's own reason, or what happened to the connection. */
  error: string | null;
  /** Pulling again continues from the partial blobs Ollama kept. */
  resumable: boolean;
  queuePosition: number | null;
  startedAt: number;
  updatedAt: number;
}

interface PullListDto {
  /** This session's pulls and unfinished ones from earlier runs. */
  pulls: PullSnapshotDto[];
  /** Unfinished and not running: offered for resume (also after an app restart). */
  resumable: PullSnapshotDto[];
}

// ---- Transfer and folder picker -------------------------------------------------------------------

export interface TransferResultDto {
  models: string[];
  bytesCopied: number;
  blobs: number;
  dir: string;
}

export interface PickFolderDto {
  /** False in serve mode (a browser cannot show a native folder picker): type the path instead. */
  available: boolean;
  /** Null when the person cancelled. */
  path: string | null;
  reason: string | null;
}

/** A folder typed by the person or returned by the picker. */
const FOLDER = lazy(() => z.string().trim().min(1, 'a folder is required').max(4096));
const NAME = lazy(() => z.object({ name: MODEL() }).strict());

export const MODELS_CALLS = {
  'engine.status': call<EngineStatusDto>()(() => EMPTY()),
  'engine.restart': call<EngineStatusDto>()(() => EMPTY()),
  'engine.logTail': call<EngineLogDto>()(() =>
    z.object({ lines: z.number().int().min(1).max(2000).optional() }).strict(),
  ),

  'models.installed': call<InstalledModelsDto>()(() => EMPTY()),
  'models.catalog': call<CatalogDto>()(() =>
    z.object({ numCtx: z.number().int().min(256).max(1_048_576).optional(), refresh: z.boolean().optional() }).strict(),
  ),
  'models.compareLoaded': call<{ loaded: Array<LoadedEstimateDto & { model: string }> }>()(() => EMPTY()),

  'models.pullStart': call<PullSnapshotDto>()(() => NAME()),
  'models.pullCancel': call<{ cancelled: boolean }>()(() => NAME()),
  'models.pullResume': call<PullSnapshotDto>()(() => NAME()),
  'models.pullDiscard': call<{ discarded: boolean }>()(() => NAME()),
  'models.pulls': call<PullListDto>()(() => EMPTY()),

  'models.delete': call<{ deleted: boolean }>()(() => NAME()),
  'models.setDefault': call<{ defaultModel: string | null }>()(() => z.object({ name: MODEL().nullable() }).strict()),
  'models.preload': call<{ loaded: boolean }>()(() => NAME()),
  'models.unload': call<{ unloaded: boolean }>()(() => NAME()),

  'models.export': call<TransferResultDto>()(() => z.object({ name: MODEL(), dir: FOLDER() }).strict()),
  'models.import': call<TransferResultDto>()(() =>
    z.object({ dir: FOLDER(), overwrite: z.boolean().optional() }).strict(),
  ),

  'dialog.pickFolder': call<PickFolderDto>()(() =>
    z.object({ title: z.string().max(200).optional(), purpose: z.enum(['export', 'import']).optional() }).strict(),
  ),
} as const;
