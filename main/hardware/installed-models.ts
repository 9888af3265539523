import type { OllamaGateway } from '../ollama/ollama-gateway';
import { errorMessage } from '../core/errors';
import { layoutFromCatalog, type CatalogEntry } from './model-catalog';
import type { ModelShape, ModelSpec, WeightLayout } from './model-spec';
import { layoutFromTensors, type ShowTensor } from './tensor-layout';

/** The parts of an `/api/show` answer the estimator reads. */
interface ShowLike {
  model_info?: Record<string, unknown> | Map<string, unknown>;
  capabilities?: string[];
  details?: { family?: string; parameter_size?: string; quantization_level?: string };
  license?: string;
  /** A vision model's projector metadata (llava's CLIP); its parameter count sizes it. */
  projector_info?: Record<string, unknown> | Map<string, unknown>;
  /** Only with `verbose: true`: every tensor's type and shape, what Ollama's estimator reads. */
  tensors?: ShowTensor[];
}

/** ollama-js types model_info as a Map, but the JSON it hands back is a plain object: accept both. */
function infoGetter(info: ShowLike['model_info']): (key: string) => unknown {
  if (!info) return () => undefined;
  if (info instanceof Map) return (k) => info.get(k);
  return (k) => info[k];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

/** "7.6B" → 7.6e9, "751.63M" → 751.63e6. */
export function parseParameterSize(text: string | undefined): number | null {
  const m = /^([\d.]+)\s*([KMBT])?$/i.exec((text ?? '').trim());
  if (!m) return null;
  const mult = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[(m[2] ?? '').toUpperCase() as 'K'] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

/** Reads the GGUF shape from `/api/show` model_info; null when the model lacks one (embedding, odd architectures). */
function shapeFromModelInfo(
  info: ShowLike['model_info'],
  vocabFallback: number | null,
): { architecture: string; shape: ModelShape | null; parameterCount: number | null } {
  const get = infoGetter(info);
  const architecture =
    typeof get('general.architecture') === 'string' ? (get('general.architecture') as string) : 'unknown';
  const a = (k: string) => num(get(`${architecture}.${k}`));
  // Some architectures list per-layer head counts as arrays; the largest is what the cache is sized by.
  const maxOf = (k: string): number | null => {
    const v = get(`${architecture}.${k}`);
    return Array.isArray(v) ? num(Math.max(...v.filter((x): x is number => typeof x === 'number'))) : num(v);
  };
  const blockCount = a('block_count');
  const embeddingLength = a('embedding_length');
  const headCount = maxOf('attention.head_count');
  const headCountKv = maxOf('attention.head_count_kv') ?? headCount;
  const contextLength = a('context_length');
  const parameterCount = num(get('general.parameter_count'));
  if (!blockCount || !embeddingLength || !headCount || !headCountKv || !contextLength) {
    return { architecture, shape: null, parameterCount };
  }
  const keyLength = a('attention.key_length') ?? Math.floor(embeddingLength / headCount);
  return {
    architecture,
    parameterCount,
    shape: {
      blockCount,
      embeddingLength,
      headCount,
      headCountKv,
      keyLength,
      valueLength: a('attention.value_length') ?? keyLength,
      contextLength,
      vocabSize: a('vocab_size') ?? vocabFallback,
    },
  };
}

/** Same model as the catalog entry: same quantization and a download within 2% (tags can be re-pushed). */
function sameBuild(sizeBytes: number, quantization: string | undefined, c: CatalogEntry): boolean {
  if (quantization && quantization.toUpperCase() !== c.quantization.toUpperCase()) return false;
  return Math.abs(sizeBytes - c.sizeBytes) <= 0.02 * c.sizeBytes;
}

/**
 * The tensor sizes for an installed model: the catalog's when it is the same build; else the model's own tensor
 * list from a verbose `/api/show`; else only a projector from projector_info (f16, 2 bytes a parameter), the rest
 * spread evenly by the estimator.
 */
function layoutForInstalled(
  sizeBytes: number,
  shape: ModelShape | null,
  show: ShowLike,
  catalog?: CatalogEntry,
): WeightLayout | null {
  if (catalog && sameBuild(sizeBytes, show.details?.quantization_level, catalog)) return layoutFromCatalog(catalog);
  const projParams = num(infoGetter(show.projector_info)('general.parameter_count'));
  const projectorBytes = projParams ? Math.min(sizeBytes / 2, projParams * 2) : 0;
  const fromTensors = layoutFromTensors(show.tensors, projectorBytes);
  if (fromTensors) return fromTensors;
  if (!shape || !projParams) return null;
  const each = (sizeBytes - projectorBytes) / (shape.blockCount + 1);
  return { tiedEmbedding: false, outputBytes: each, inputEmbeddingBytes: 0, block0Bytes: each, projectorBytes };
}

/** An installed model's spec from `/api/show`; the catalog fills what show leaves out (vocab size, a short license). */
export function specFromShow(name: string, sizeBytes: number, show: ShowLike, catalog?: CatalogEntry): ModelSpec {
  const { architecture, shape, parameterCount } = shapeFromModelInfo(show.model_info, catalog?.vocabSize ?? null);
  const licenseLine =
    (show.license ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  return {
    name,
    family: show.details?.family ?? catalog?.family ?? architecture,
    architecture,
    parameterCount: parameterCount ?? parseParameterSize(show.details?.parameter_size) ?? catalog?.parameterCount ?? 0,
    quantization: show.details?.quantization_level ?? catalog?.quantization ?? '',
    sizeBytes,
    shape,
    layout: layoutForInstalled(sizeBytes, shape, show, catalog),
    capabilities: show.capabilities ?? catalog?.capabilities ?? ['completion'],
    license: catalog?.license ?? licenseLine.slice(0, 80),
    source: 'installed',
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface InstalledSpecs {
  reachable: boolean;
  specs: ModelSpec[];
  /** Why the list is empty or short: Ollama unreachable, a model whose show failed. */
  notes: string[];
  /** The running Ollama's version (`/api/version`); absent when unreachable. */
  version?: string;
}

/** Installed models with their shapes from `/api/show`; never throws (Ollama may be down). */
export async function loadInstalledSpecs(
  ollama: OllamaGateway,
  catalog: CatalogEntry[],
  timeoutMs = 4000,
): Promise<InstalledSpecs> {
  let list;
  let version: string | undefined;
  try {
    version = await ollama.version(Math.min(timeoutMs, 2000));
    list = await withTimeout(ollama.listInstalled({ fresh: true }), timeoutMs, 'Ollama /api/tags');
  } catch (err) {
    return { reachable: false, specs: [], notes: [`Ollama not reachable at ${ollama.host}: ${errorMessage(err)}`] };
  }
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const notes: string[] = [];
  const specs = await Promise.all(
    list.map(async (m) => {
      try {
        const entry = byName.get(m.name);
        // A model the catalog does not size (another build, or not listed): ask for its tensor list too, so the
        // estimate uses the sizes Ollama itself reads. The catalog's figures are enough otherwise.
        const verbose = !entry || !sameBuild(m.sizeBytes, m.quantization, entry);
        const show = await withTimeout(
          ollama.client().show({ model: m.name, ...(verbose ? { verbose: true } : {}) }),
          timeoutMs,
          `Ollama /api/show ${m.name}`,
        );
        return specFromShow(m.name, m.sizeBytes, show, entry);
      } catch (err) {
        notes.push(`${m.name}: /api/show failed (${errorMessage(err)}); sized from its download only`);
        return specFromShow(
          m.name,
          m.sizeBytes,
          { details: { family: m.family, parameter_size: m.parameterSize, quantization_level: m.quantization } },
          byName.get(m.name),
        );
      }
    }),
  );
  return { reachable: true, specs, notes, version };
}
