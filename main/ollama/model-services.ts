import path from 'node:path';
import type { Clock } from '../core/clock';
import type { DataPaths } from '../core/paths';
import type { Logger } from '../core/logger';
import type { SettingsService } from '../settings/settings-service';
import { defaultModelsDir, freeBytes } from './disk-space';
import { ModelTransfer } from './model-transfer';
import { ModelsService } from './models-service';
import type { OllamaGateway } from './ollama-gateway';
import { PullManager } from './pull-manager';
import { PullStore } from './pull-store';
import { isLoopbackHost } from './port-probe';

export interface ModelServices {
  models: ModelsService;
  pulls: PullManager;
  transfer: ModelTransfer;
}

interface ModelServicesDeps {
  gateway: OllamaGateway;
  settings: SettingsService;
  paths: DataPaths;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Download size of a model from the catalog, when it is listed there. */
  sizeOf?: (name: string) => number | undefined;
  /** Overrides OLLAMA_MODELS / ~/.ollama/models (the engine we start, or `--models-dir`). */
  modelsDir?: () => string;
}

/** Builds the model services from engine pieces; the engine and the CLI share this wiring. */
export function createModelServices(deps: ModelServicesDeps): ModelServices {
  const localModelsDir = deps.modelsDir ?? (() => defaultModelsDir(deps.env));
  const models = new ModelsService({
    gateway: deps.gateway,
    logger: deps.logger.child('models'),
    defaults: {
      get: () => deps.settings.get().defaultModel,
      set: (name) => void deps.settings.update({ defaultModel: name }),
    },
  });
  const pulls = new PullManager({
    host: () => deps.gateway.host,
    store: new PullStore(path.join(path.dirname(deps.paths.dbFile), 'pulls.json')),
    clock: deps.clock,
    logger: deps.logger.child('pull'),
    sizeOf: deps.sizeOf,
    // Only a local Ollama writes to our disk; a LAN server checks its own.
    modelsDir: () => (isLoopbackHost(deps.gateway.host) ? localModelsDir() : null),
    freeBytes,
    onInstalled: () => deps.gateway.invalidate(),
  });
  const transfer = new ModelTransfer({ modelsDir: localModelsDir, freeBytes, logger: deps.logger.child('transfer') });
  return { models, pulls, transfer };
}
