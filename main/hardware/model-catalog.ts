import { z } from 'zod';
import catalogJson from '../../resources/models/catalog.json';
import type { ModelSpec, WeightLayout } from './model-spec';
import { lazy } from '../../preload/shared/lazy';

const positiveInt = lazy(() => z.number().int().positive());

const catalogEntrySchema = lazy(() =>
  z.object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*:[a-z0-9][a-z0-9._-]*$/, 'name:tag'),
    family: z.string().min(1),
    architecture: z.string().min(1),
    parameterCount: positiveInt(),
    quantization: z.string().regex(/^(Q\d(_K)?(_[SMLK0-9]+)?|F16|BF16|F32)$/i),
    sizeBytes: positiveInt(),
    blockCount: positiveInt(),
    embeddingLength: positiveInt(),
    headCount: positiveInt(),
    headCountKv: positiveInt(),
    keyLength: positiveInt().optional(),
    valueLength: positiveInt().optional(),
    contextLength: positiveInt(),
    vocabSize: positiveInt(),
    tiedEmbedding: z.boolean(),
    outputBytes: positiveInt(),
    inputEmbeddingBytes: z.number().int().nonnegative(),
    block0Bytes: positiveInt(),
    projectorBytes: positiveInt().optional(),
    capabilities: z.array(z.enum(['completion', 'tools', 'insert', 'vision', 'embedding', 'thinking'])).min(1),
    license: z.string().min(1),
    note: z.string().optional(),
  }),
);

export const catalogSchema = lazy(() =>
  z
    .object({
      $comment: z.string().optional(),
      version: z.literal(1),
      models: z.array(catalogEntrySchema()).min(1),
    })
    .superRefine((c, ctx) => {
      const seen = new Set<string>();
      for (const [i, m] of c.models.entries()) {
        if (seen.has(m.name))
          ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `duplicate ${m.name}` });
        seen.add(m.name);
        if (m.headCount % m.headCountKv !== 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', i],
            message: `${m.name}: head_count not a multiple of head_count_kv`,
          });
        }
      }
    }),
);

export type CatalogEntry = z.infer<ReturnType<typeof catalogEntrySchema>>;
type ModelCatalog = CatalogEntry[];

export function specFromCatalog(e: CatalogEntry): ModelSpec {
  return {
    name: e.name,
    family: e.family,
    architecture: e.architecture,
    parameterCount: e.parameterCount,
    quantization: e.quantization,
    sizeBytes: e.sizeBytes,
    shape: {
      blockCount: e.blockCount,
      embeddingLength: e.embeddingLength,
      headCount: e.headCount,
      headCountKv: e.headCountKv,
      keyLength: e.keyLength ?? Math.floor(e.embeddingLength / e.headCount),
      valueLength: e.valueLength ?? e.keyLength ?? Math.floor(e.embeddingLength / e.headCount),
      contextLength: e.contextLength,
      vocabSize: e.vocabSize,
    },
    layout: layoutFromCatalog(e),
    capabilities: e.capabilities,
    license: e.license,
    source: 'catalog',
  };
}

export function layoutFromCatalog(e: CatalogEntry): WeightLayout {
  return {
    tiedEmbedding: e.tiedEmbedding,
    outputBytes: e.outputBytes,
    inputEmbeddingBytes: e.tiedEmbedding ? 0 : e.inputEmbeddingBytes,
    block0Bytes: e.block0Bytes,
    projectorBytes: e.projectorBytes ?? 0,
  };
}

/** Validates a catalog document; throws with every problem listed. */
export function parseCatalog(data: unknown): ModelCatalog {
  const r = catalogSchema().safeParse(data);
  if (!r.success) {
    throw new Error(
      `invalid model catalog: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return r.data.models;
}

let bundled: ModelCatalog | null = null;

/** The catalog shipped in resources/models/catalog.json (bundled into the build by esbuild). */
export function loadModelCatalog(): ModelCatalog {
  return (bundled ??= parseCatalog(catalogJson));
}
