import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { OllamaGateway } from '../ollama/ollama-gateway';
import { execFileRunner, type CommandRunner } from './command-runner';
import { detectHardware, systemDeps, type DetectDeps } from './detect-hardware';
import type { HardwareReport } from './hardware-types';
import { loadInstalledSpecs, withTimeout } from './installed-models';
import { compareWithLoaded, type LoadedComparison, type PsEntry } from './loaded-comparison';
import { estimatorVersionNote, ollamaSettingsFromEnv, type OllamaServerSettings } from './memory-estimator';
import { loadModelCatalog, specFromCatalog, type CatalogEntry } from './model-catalog';
import type { MeasuredFitStore } from './measured-fits';
import type { ModelSpec } from './model-spec';
import { recommendModels, type RecommendationSet } from './recommendations';

export interface RecommendationReport extends RecommendationSet {
  hardware: HardwareReport;
  ollama: { host: string | null; reachable: boolean; installed: number };
  /** Detection notes plus Ollama's (unreachable, a show that failed). */
  notes: string[];
}

interface HardwareServiceDeps {
  detect: () => Promise<HardwareReport>;
  /** Null where no Ollama is configured: recommendations come from the catalog alone. */
  ollama: OllamaGateway | null;
  catalog: CatalogEntry[];
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** A detection older than this is redone on the next `get()`; free VRAM moves as apps start and stop. */
  maxAgeMs?: number;
  ollamaTimeoutMs?: number;
  /** What Ollama really used on this machine after earlier loads; null keeps verdicts estimate-only. */
  measured?: MeasuredFitStore | null;
}

/** Detects the machine once, keeps the answer, and turns it into ranked model advice. */
export class HardwareService {
  private last: { report: HardwareReport; at: number } | null = null;
  private inFlight: Promise<HardwareReport> | null = null;
  private lastSpecs = new Map<string, ModelSpec>();

  constructor(private readonly deps: HardwareServiceDeps) {}

  /** The cached detection, without probing; null before the first one. */
  current(): HardwareReport | null {
    return this.last?.report ?? null;
  }

  async get(): Promise<HardwareReport> {
    const maxAge = this.deps.maxAgeMs ?? 5 * 60_000;
    if (this.last && this.deps.clock.now() - this.last.at < maxAge) return this.last.report;
    return this.refresh();
  }

  /** Probes again; concurrent callers share one detection. */
  refresh(): Promise<HardwareReport> {
    this.inFlight ??= this.deps
      .detect()
      .then((report) => {
        this.last = { report, at: this.deps.clock.now() };
        return report;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  settings(): OllamaServerSettings {
    return ollamaSettingsFromEnv(this.deps.env);
  }

  /** One recommendation per catalog or installed model (installed figures win), ranked for this machine. */
  async recommend(opts: { numCtx?: number; refresh?: boolean } = {}): Promise<RecommendationReport> {
    const [hardware, installed] = await Promise.all([
      opts.refresh ? this.refresh() : this.get(),
      this.deps.ollama
        ? loadInstalledSpecs(this.deps.ollama, this.deps.catalog, this.deps.ollamaTimeoutMs)
        : Promise.resolve({ reachable: false, specs: [], notes: ['No Ollama host configured'] }),
    ]);
    const specs = new Map<string, ModelSpec>();
    for (const c of this.deps.catalog) specs.set(c.name, specFromCatalog(c));
    for (const s of installed.specs) specs.set(s.name, s);
    this.lastSpecs = specs;
    const set = recommendModels([...specs.values()], hardware, this.settings(), {
      installed: new Set(installed.specs.map((s) => s.name)),
      numCtx: opts.numCtx,
      measured: (spec, numCtx) => {
        const m = this.deps.measured?.get(spec.name, spec.quantization, numCtx);
        return m ? { sizeBytes: m.sizeBytes, estimateBytes: m.estimateBytes } : null;
      },
    });
    return {
      ...set,
      hardware,
      ollama: {
        host: this.deps.ollama?.host ?? null,
        reachable: installed.reachable,
        installed: installed.specs.length,
      },
      notes: [
        ...hardware.notes,
        ...installed.notes,
        ...[estimatorVersionNote('version' in installed ? installed.version : undefined)].filter(
          (n): n is string => n !== null,
        ),
      ],
    };
  }

  /** After a model loads: `/api/ps` size and size_vram beside the estimate for each loaded model. */
  async compareLoaded(): Promise<LoadedComparison[]> {
    const ollama = this.deps.ollama;
    if (!ollama) return [];
    const [hardware, ps] = await Promise.all([
      this.get(),
      withTimeout(ollama.client().ps(), this.deps.ollamaTimeoutMs ?? 4000, 'Ollama /api/ps').catch((err: unknown) => {
        throw new Error(`could not read /api/ps: ${errorMessage(err)}`);
      }),
    ]);
    const missing = ps.models.filter((m) => !this.lastSpecs.has(m.name));
    if (missing.length) {
      const loaded = await loadInstalledSpecs(ollama, this.deps.catalog, this.deps.ollamaTimeoutMs);
      for (const s of loaded.specs) this.lastSpecs.set(s.name, s);
    }
    // The ollama-js type omits context_length, which newer servers send.
    const entries = ps.models as unknown as PsEntry[];
    const rows = compareWithLoaded(entries, (n) => this.lastSpecs.get(n), hardware, this.settings());
    // Learn from the truth: later verdicts for the same model, quantization and context use these figures.
    this.deps.measured?.record(
      rows.map((r) => ({
        model: r.model,
        quantization: r.quantization,
        contextLength: r.contextLength,
        sizeBytes: r.sizeBytes,
        sizeVramBytes: r.sizeVramBytes,
        estimateBytes: r.estimateBytes,
      })),
    );
    return rows;
  }
}

interface CreateHardwareServiceOptions {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  ollama: OllamaGateway | null;
  runner?: CommandRunner;
  detect?: Partial<Omit<DetectDeps, 'runner' | 'env' | 'clock'>>;
  catalog?: CatalogEntry[];
  maxAgeMs?: number;
  measured?: MeasuredFitStore | null;
}

/** The production wiring: real binaries (looked up on env.PATH), the real /proc and /sys, the bundled catalog. */
export function createHardwareService(opts: CreateHardwareServiceOptions): HardwareService {
  const runner = opts.runner ?? execFileRunner(opts.env);
  const detectDeps: DetectDeps = { ...systemDeps(), ...opts.detect, runner, env: opts.env, clock: opts.clock };
  return new HardwareService({
    detect: () => detectHardware(detectDeps),
    ollama: opts.ollama,
    // Read when advice is asked for, not at start: parsing the bundled catalog is a few ms of every start-up.
    get catalog() {
      return opts.catalog ?? loadModelCatalog();
    },
    env: opts.env,
    clock: opts.clock,
    maxAgeMs: opts.maxAgeMs,
    measured: opts.measured ?? null,
  });
}
