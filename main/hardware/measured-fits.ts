import fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-file';
import type { Clock } from '../core/clock';
import { lazy } from '../../preload/shared/lazy';

/**
 * What Ollama really used for a model on this machine (`/api/ps` size and size_vram after a load) beside what the
 * estimator said for the same load. Later verdicts for the same model, quantization and context use it instead of
 * the estimate alone. Kept as a small JSON file in the data folder: one entry per model + quantization + context.
 */
interface MeasuredFit {
  model: string;
  quantization: string;
  contextLength: number;
  sizeBytes: number;
  sizeVramBytes: number;
  estimateBytes: number;
  measuredAt: string;
}

const entrySchema = lazy(() =>
  z.object({
    model: z.string().min(1),
    quantization: z.string(),
    contextLength: z.number().int().positive(),
    sizeBytes: z.number().positive(),
    sizeVramBytes: z.number().nonnegative(),
    estimateBytes: z.number().positive(),
    measuredAt: z.string(),
  }),
);
const fileSchema = lazy(() => z.object({ version: z.literal(1), fits: z.array(entrySchema()) }));

const keyOf = (m: Pick<MeasuredFit, 'model' | 'quantization' | 'contextLength'>): string =>
  `${m.model.replace(/:latest$/, '')}|${m.quantization.toUpperCase()}|${m.contextLength}`;

export class MeasuredFitStore {
  private cache: Map<string, MeasuredFit> | null = null;

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
  ) {}

  /** All entries; a missing or unreadable file reads as none (the figures are a cache of what Ollama said). */
  list(): MeasuredFit[] {
    return [...this.load().values()];
  }

  get(model: string, quantization: string, contextLength: number): MeasuredFit | null {
    return this.load().get(keyOf({ model, quantization, contextLength })) ?? null;
  }

  /** Keeps the newest figure for each model + quantization + context; writes only when something changed. */
  record(entries: Array<Omit<MeasuredFit, 'measuredAt'>>): void {
    const map = this.load();
    let changed = false;
    for (const e of entries) {
      if (!(e.sizeBytes > 0) || !(e.estimateBytes > 0)) continue;
      const key = keyOf(e);
      const old = map.get(key);
      if (old && old.sizeBytes === e.sizeBytes && old.sizeVramBytes === e.sizeVramBytes) continue;
      map.set(key, { ...e, measuredAt: new Date(this.clock.now()).toISOString() });
      changed = true;
    }
    if (changed) {
      writeFileAtomic(this.file, JSON.stringify({ version: 1, fits: [...map.values()] }, null, 2), 0o644);
    }
  }

  private load(): Map<string, MeasuredFit> {
    if (this.cache) return this.cache;
    const map = new Map<string, MeasuredFit>();
    try {
      const parsed = fileSchema().safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) for (const f of parsed.data.fits) map.set(keyOf(f), f);
    } catch {
      // No file yet, or a damaged one: start empty; the next load rewrites it.
    }
    this.cache = map;
    return map;
  }
}
