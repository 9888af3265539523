import { engineMessage } from '../../../preload/shared/engine-messages';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  CatalogDto,
  CatalogModelDto,
  DiskUsageDto,
  InstalledModelsDto,
  MODELS_CALLS,
  ModelRowDto,
  TransferResultDto,
} from '../../../preload/contract';
import { AppError, errorMessage } from '../../core/errors';
import type { Engine } from '../../engine';
import type { LoadedComparison } from '../../hardware/loaded-comparison';
import { loadModelCatalog } from '../../hardware/model-catalog';
import { OLLAMA_ESTIMATOR_VERSION } from '../../hardware/memory-estimator';
import type { Recommendation } from '../../hardware/recommendations';
import { sameModel } from '../../../preload/shared/model-name';
import { isLoopbackHost } from '../../ollama/port-probe';
import type { HandlersOf } from '../handler-types';
import { confinePath, type Shell } from '../serve-paths';

/** Free and total bytes of the volume holding `dir`, measured at its nearest existing parent. */
async function volumeOf(dir: string): Promise<{ free: number; total: number } | null> {
  let p = path.resolve(dir);
  for (;;) {
    try {
      const s = await fs.promises.statfs(p);
      return { free: Number(s.bavail) * Number(s.bsize), total: Number(s.blocks) * Number(s.bsize) };
    } catch (err) {
      const up = path.dirname(p);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || up === p) return null;
      p = up;
    }
  }
}

/** A folder typed by a person: `~` expanded, and it must be absolute (a relative one would land in the app's cwd). */
function resolveFolder(raw: string): string {
  const t = raw.trim();
  const expanded = t === '~' ? os.homedir() : /^~[/\\]/.test(t) ? path.join(os.homedir(), t.slice(2)) : t;
  if (!path.isAbsolute(expanded)) {
    throw new AppError(
      'bad_request',
      `"${raw}" is not a full folder path. Type one like ${process.platform === 'win32' ? 'E:\\models' : '/media/usb/models'}.`,
      { dir: raw },
      engineMessage('error.notFullPath', { path: raw }),
    );
  }
  return path.normalize(expanded);
}

function toCatalogModel(
  r: Recommendation,
  meta: ReturnType<typeof loadModelCatalog>[number] | undefined,
): CatalogModelDto {
  const e = r.estimate;
  return {
    name: r.model,
    family: meta?.family ?? null,
    parameterCount: r.parameterCount,
    quantization: meta?.quantization ?? null,
    downloadBytes: r.downloadBytes,
    capabilities: meta?.capabilities ?? (r.tools ? ['completion', 'tools'] : []),
    tools: r.tools,
    license: meta?.license ?? null,
    note: meta?.note ?? null,
    installed: r.installed,
    inCatalog: meta !== undefined,
    verdict: r.verdict,
    gpuFraction: r.gpuFraction,
    tight: r.tight,
    reason: r.reason,
    reasonText: r.reasonText,
    breakdown: {
      // A vision model's projector counts with its weights here (projectorBytes says how much of them).
      weightsBytes: Math.round(e.weightsBytes + e.projectorBytes),
      kvCacheBytes: Math.round(e.kvCacheBytes),
      graphBytes: Math.round(e.graphBytes),
      // On the GPU the requirement adds the per-GPU minimum (and OLLAMA_GPU_OVERHEAD), the one-layer buffer and
      // the larger graph Ollama reserves while placing layers to the model itself.
      overheadBytes: Math.max(0, Math.round(r.requiredBytes - e.modelBytes)),
      requiredBytes: r.requiredBytes,
      numCtx: e.numCtx,
      numParallel: e.numParallel,
      kvCacheType: e.kvCacheType,
      graphPartialBytes: Math.round(e.graphPartialBytes),
      layerBufferBytes: Math.round(e.layerBufferBytes),
      projectorBytes: Math.round(e.projectorBytes),
    },
    gpuLayers: r.gpuLayers,
    totalLayers: r.totalLayers,
    basis: r.basis,
    estimatorVersion: OLLAMA_ESTIMATOR_VERSION,
  };
}

/** The Models page's calls: engine card, installed models, catalog with fit verdicts, pulls, transfer. */
export function modelsHandlers(engine: Engine, shell: Shell = 'electron'): HandlersOf<keyof typeof MODELS_CALLS> {
  const { models, pulls, transfer } = engine.models;

  /** Export and import work on this computer's models folder; a LAN Ollama keeps its models on its own disk. */
  const requireLocal = (what: string): void => {
    if (!isLoopbackHost(engine.ollama.host)) {
      throw new AppError(
        'conflict',
        `${what} works on this computer's models folder, but Ollama runs at ${engine.ollama.host}. Do it on that machine instead.`,
        { host: engine.ollama.host },
        engineMessage('error.modelsFolderRemote', { host: engine.ollama.host }),
      );
    }
  };

  const diskUsage = async (): Promise<DiskUsageDto> => {
    if (!isLoopbackHost(engine.ollama.host)) return { modelsDir: null, freeBytes: null, volumeBytes: null };
    const modelsDir = (await engine.hardware.get()).disk.modelsDir;
    const vol = await volumeOf(modelsDir);
    return { modelsDir, freeBytes: vol?.free ?? null, volumeBytes: vol?.total ?? null };
  };

  const comparisons = async (): Promise<LoadedComparison[]> => {
    try {
      return await engine.hardware.compareLoaded();
    } catch (err) {
      // The table still shows Ollama's own GPU share without the estimate beside it.
      engine.logger.log('warn', 'models', 'estimate vs loaded failed', { error: errorMessage(err) });
      return [];
    }
  };

  const transferResult = (
    r: { models: string[]; bytesCopied: number; blobs: number },
    dir: string,
  ): TransferResultDto => ({
    models: r.models,
    bytesCopied: r.bytesCopied,
    blobs: r.blobs,
    dir,
  });

  return {
    'engine.status': () => engine.supervisor.status(),
    'engine.restart': () => engine.supervisor.restart(),
    'engine.logTail': ({ lines }) => ({
      file: engine.supervisor.status().logFile,
      lines: engine.supervisor.logTail(lines ?? 200),
    }),

    'models.installed': async (): Promise<InstalledModelsDto> => {
      const [list, disk] = await Promise.all([models.list(), diskUsage()]);
      const cmp = list.models.some((m) => m.loaded) ? await comparisons() : [];
      const rows = list.models.map((m): ModelRowDto => {
        const c = cmp.find((x) => sameModel(x.model, m.name));
        return {
          name: m.name,
          family: m.family,
          parameterSize: m.parameterSize,
          quantization: m.quantization,
          sizeBytes: m.sizeBytes,
          modifiedAt: m.modifiedAt,
          digest: m.digest,
          capabilities: m.capabilities,
          loaded: m.loaded,
          gpuShare: m.gpuShare,
          loadedBytes: m.loadedBytes,
          expiresAt: m.expiresAt,
          contextLength: m.contextLength,
          estimate: c
            ? {
                contextLength: c.contextLength,
                estimateBytes: c.estimateBytes,
                sizeBytes: c.sizeBytes,
                sizeVramBytes: c.sizeVramBytes,
                gpuFraction: c.gpuFraction,
                differencePct: c.differencePct,
              }
            : null,
        };
      });
      return { models: rows, totalBytes: list.totalBytes, defaultModel: list.defaultModel, disk };
    },

    'models.catalog': async ({ numCtx, refresh }): Promise<CatalogDto> => {
      const report = await engine.hardware.recommend({ numCtx, refresh });
      const meta = new Map(loadModelCatalog().map((c) => [c.name, c]));
      const hw = report.hardware;
      return {
        models: report.recommendations.map((r) => toCatalogModel(r, meta.get(r.model))),
        recommended: report.recommended,
        numCtx: report.numCtx,
        machine: {
          gpus: hw.gpus.map((g) => ({
            name: g.name,
            vramTotalBytes: g.vramTotalBytes,
            vramFreeBytes: g.vramFreeBytes,
            sharesSystemRam: g.sharesSystemRam,
          })),
          ramTotalBytes: hw.ram.totalBytes,
          ramFreeBytes: hw.ram.freeBytes,
          notes: report.notes,
        },
      };
    },

    'models.compareLoaded': async () => {
      try {
        const loaded = await engine.hardware.compareLoaded();
        return { loaded: loaded.map(({ model, ...c }) => ({ model, ...c })) };
      } catch (err) {
        throw new AppError(
          'ollama_unavailable',
          `Could not compare with what Ollama loaded: ${errorMessage(err)}`,
          {},
          engineMessage('error.compareFailed', { error: errorMessage(err) }),
        );
      }
    },

    'models.pullStart': ({ name }) => pulls.pull(name),
    'models.pullCancel': ({ name }) => ({ cancelled: pulls.cancel(name) }),
    'models.pullResume': ({ name }) => pulls.resume(name),
    'models.pullDiscard': ({ name }) => {
      pulls.discard(name);
      return { discarded: true };
    },
    'models.pulls': () => ({ pulls: pulls.list(), resumable: pulls.resumable() }),

    'models.delete': async ({ name }) => {
      await models.delete(name);
      return { deleted: true };
    },
    'models.setDefault': async ({ name }) => {
      await models.setDefault(name);
      return { defaultModel: models.getDefault() };
    },
    'models.preload': async ({ name }) => {
      await models.preload(name);
      return { loaded: true };
    },
    'models.unload': async ({ name }) => {
      await models.unload(name);
      return { unloaded: true };
    },

    'models.export': async ({ name, dir }) => {
      requireLocal('Export');
      const dest = confinePath(engine, shell, resolveFolder(dir), 'exports', 'exporting models');
      return transferResult(await transfer.exportModel(name, dest), dest);
    },
    'models.import': async ({ dir, overwrite }) => {
      requireLocal('Import');
      const src = confinePath(engine, shell, resolveFolder(dir), 'exports', 'importing models');
      if (!fs.existsSync(src))
        throw new AppError(
          'not_found',
          `The folder ${src} does not exist.`,
          { dir: src },
          engineMessage('error.folderNotFound', { dir: src }),
        );
      const result = await transfer.importDir(src, { overwrite });
      engine.ollama.invalidate();
      return transferResult(result, src);
    },

    // Electron replaces this with a native dialog (main/electron/dialogs.ts); a browser has none.
    'dialog.pickFolder': () => ({
      available: false,
      path: null,
      reason: 'A browser cannot open a folder picker here: type the full folder path instead.',
    }),
  };
}
