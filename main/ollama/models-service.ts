import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError, errorMessage } from '../core/errors';
import type { ComponentLogger } from '../core/logger';
import { requireModelName } from './model-name';
import { sameModel } from '../../preload/shared/model-name';
import { explainOllamaError } from './ollama-errors';
import type { InstalledModel, OllamaGateway } from './ollama-gateway';

interface ModelSummary extends InstalledModel {
  /** From `/api/show`: completion, tools, vision, embedding, thinking, insert. */
  capabilities: string[];
  loaded: boolean;
  /** `size_vram / size` from `/api/ps` (1 = "100% GPU"); null when not loaded. */
  gpuShare: number | null;
  /** Memory the loaded model takes (`/api/ps` size); null when not loaded. */
  loadedBytes: number | null;
  expiresAt: string | null;
  contextLength: number | null;
}

interface ModelList {
  models: ModelSummary[];
  /** Sum of model sizes (models sharing layers count them twice; Ollama reports no better figure). */
  totalBytes: number;
  defaultModel: string | null;
}

interface ModelDetails {
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  format: string;
  capabilities: string[];
  contextLength: number | null;
  parameterCount: number | null;
  license: string;
  parameters: string;
  template: string;
  modifiedAt: string;
  modelInfo: Record<string, unknown>;
}

/** Where the default model lives (settings); injected so the service does not own settings. */
interface DefaultModelStore {
  get(): string | null;
  set(name: string | null): void;
}

/**
 * Errors from model operations keep the server's own words ("model 'x' not found"), which is what the CLI
 * prints and what a person can search for; an unreachable Ollama keeps the usual "not answering" advice.
 */
function explainModelError(err: unknown, ctx: { host: string; model?: string }): AppError {
  const base = explainOllamaError(err, ctx);
  if (base.code === 'ollama_unavailable' || err instanceof AppError) return base;
  const e = err as { error?: string; status_code?: number };
  const server = e?.error ?? errorMessage(err);
  const notFound = e?.status_code === 404;
  return new AppError(
    notFound ? 'model_not_found' : 'ollama_error',
    server,
    { model: ctx.model, status: e?.status_code, server },
    notFound
      ? engineMessage('error.modelNotFound', { model: ctx.model ?? '' })
      : engineMessage('error.ollamaError', { error: server }),
  );
}

interface PsEntry {
  name: string;
  model?: string;
  size?: number;
  size_vram?: number;
  expires_at?: string | Date;
  context_length?: number;
}

/** Installed models with what `/api/show` and `/api/ps` add; delete, preload/unload, default model. */
export class ModelsService {
  /** Capabilities per digest: they cannot change without the digest changing. */
  private readonly showCache = new Map<string, ModelDetails>();

  constructor(
    private readonly deps: {
      gateway: OllamaGateway;
      defaults: DefaultModelStore;
      logger?: ComponentLogger;
    },
  ) {}

  private get host(): string {
    return this.deps.gateway.host;
  }

  async list(): Promise<ModelList> {
    const [installed, ps] = await Promise.all([this.deps.gateway.listInstalled({ fresh: true }), this.ps()]);
    const models = await Promise.all(
      installed.map(async (m): Promise<ModelSummary> => {
        const details = await this.showCached(m.name, m.digest).catch((err: unknown) => {
          this.deps.logger?.warn('show failed', { model: m.name, error: errorMessage(err) });
          return null;
        });
        const run = ps.find((p) => sameModel(p.name, m.name));
        const size = run?.size ?? 0;
        return {
          ...m,
          capabilities: details?.capabilities ?? [],
          loaded: run !== undefined,
          gpuShare: run ? (size > 0 ? Math.min(1, (run.size_vram ?? 0) / size) : 0) : null,
          loadedBytes: run ? size : null,
          expiresAt: run?.expires_at ? new Date(run.expires_at).toISOString() : null,
          contextLength: run?.context_length ?? details?.contextLength ?? null,
        };
      }),
    );
    return {
      models,
      totalBytes: models.reduce((n, m) => n + m.sizeBytes, 0),
      defaultModel: this.deps.defaults.get(),
    };
  }

  /** `/api/ps`: what is loaded now. */
  async ps(): Promise<PsEntry[]> {
    try {
      const res = await this.deps.gateway.client().ps();
      return res.models;
    } catch (err) {
      throw explainModelError(err, { host: this.host });
    }
  }

  private async showCached(name: string, digest: string): Promise<ModelDetails> {
    const key = `${name}@${digest}`;
    const hit = this.showCache.get(key);
    if (hit) return hit;
    const details = await this.show(name);
    this.showCache.set(key, details);
    return details;
  }

  async show(rawName: string): Promise<ModelDetails> {
    const name = requireModelName(rawName);
    try {
      const res = await this.deps.gateway.client().show({ model: name });
      // JSON gives a plain object although the client's type says Map.
      const info = (res.model_info ?? {}) as unknown as Record<string, unknown>;
      const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : '';
      const ctx = info[`${arch}.context_length`];
      const count = info['general.parameter_count'];
      return {
        name,
        family: res.details?.family ?? '',
        parameterSize: res.details?.parameter_size ?? '',
        quantization: res.details?.quantization_level ?? '',
        format: res.details?.format ?? '',
        capabilities: res.capabilities ?? [],
        contextLength: typeof ctx === 'number' ? ctx : null,
        parameterCount: typeof count === 'number' ? count : null,
        license: res.license ?? '',
        parameters: res.parameters ?? '',
        template: res.template ?? '',
        modifiedAt: res.modified_at ? new Date(res.modified_at).toISOString() : '',
        modelInfo: info,
      };
    } catch (err) {
      throw explainModelError(err, { host: this.host, model: name });
    }
  }

  /** Deletes the model; the server's 404 reason comes back as the error message. */
  async delete(rawName: string): Promise<void> {
    const name = requireModelName(rawName);
    try {
      await this.deps.gateway.client().delete({ model: name });
    } catch (err) {
      throw explainModelError(err, { host: this.host, model: name });
    } finally {
      this.deps.gateway.invalidate();
    }
    const current = this.deps.defaults.get();
    if (current && sameModel(current, name)) this.deps.defaults.set(null);
    this.deps.logger?.info('model deleted', { model: name });
  }

  /** Loads the model now (an empty chat) and keeps it for `keepAlive` (seconds, Go duration, negative = forever). */
  async preload(rawName: string, keepAlive: string | number = '30m'): Promise<void> {
    await this.emptyChat(requireModelName(rawName), keepAlive);
  }

  /** Frees the model's memory now (`keep_alive: 0`). */
  async unload(rawName: string): Promise<void> {
    await this.emptyChat(requireModelName(rawName), 0);
  }

  private async emptyChat(name: string, keepAlive: string | number): Promise<void> {
    try {
      await this.deps.gateway.client().chat({ model: name, messages: [], keep_alive: keepAlive, stream: false });
    } catch (err) {
      throw explainModelError(err, { host: this.host, model: name });
    }
  }

  getDefault(): string | null {
    return this.deps.defaults.get();
  }

  /** Only an installed model can be the default. */
  async setDefault(rawName: string | null): Promise<void> {
    if (rawName === null) return this.deps.defaults.set(null);
    const name = requireModelName(rawName);
    const installed = await this.deps.gateway.listInstalled({ fresh: true });
    const match = installed.find((m) => sameModel(m.name, name));
    if (!match)
      throw new AppError(
        'model_not_found',
        `model '${name}' not found`,
        { model: name },
        engineMessage('error.modelNotFound', { model: name }),
      );
    this.deps.defaults.set(match.name);
  }

  /**
   * The model a chat should use: the one asked for, else the default, else the first installed model that
   * can call tools, else the first installed. Null when nothing is installed.
   */
  async resolve(requested?: string | null): Promise<string | null> {
    if (requested) return requireModelName(requested);
    const installed = await this.list();
    const def = this.deps.defaults.get();
    if (def && installed.models.some((m) => sameModel(m.name, def))) return def;
    const tools = installed.models.find((m) => m.capabilities.includes('tools'));
    return tools?.name ?? installed.models[0]?.name ?? null;
  }
}
