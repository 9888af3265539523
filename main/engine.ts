import path from 'node:path';
import { EventBus } from './core/event-bus';
import { systemClock, type Clock } from './core/clock';
import { dataPaths, ensureDataDirs, type DataPaths } from './core/paths';
import { ChatService } from './chat/chat-service';
import type { ChatEvent } from './chat/chat-events';
import { sessionLimitFromEnv } from './chat/session-limits';
import { FileLogger, type Logger } from './ops/logger';
import { HealthService } from './ops/health';
import { createMetrics, type MetricsService } from './ops/metrics';
import type { BackupProgressDto } from '../preload/contract/ops';
import { createHardwareService, type HardwareService } from './hardware/hardware-service';
import { AirQualityService } from './airquality/air-quality-service';
import { ImportsService, type ImportProgress } from './imports/imports-service';
import type { SavedSourceSettings } from './airquality/sources/source-config';
import { createAirQualityTools, type ToolRegistry } from './agent/tools';
import { DEFAULT_OLLAMA_HOST, normalizeOllamaHost } from './ollama/host';
import { OllamaSupervisor, type EngineStatus } from './ollama/ollama-supervisor';
import { createModelServices, type ModelServices } from './ollama/model-services';
import { defaultModelsDir } from './ollama/disk-space';
import type { PullSnapshot } from './ollama/pull-manager';
import { loadModelCatalog } from './hardware/model-catalog';
import { OllamaGateway } from './ollama/ollama-gateway';
import { SettingsService } from './settings/settings-service';
import { FileSecretStore, type SecretStore } from './settings/secret-store';
import { SourceSettingsService } from './settings/source-settings';
import { openStore, type Store } from './store/store';
import { StoreHost } from './ops/backup/store-host';
import { BackupService } from './ops/backup/backup-service';
import { BackupScheduler } from './ops/backup/backup-scheduler';
import { LogRotator, rotationFromEnv } from './ops/log-rotator';
import { MaintenanceService, cleanupDaysFromEnv } from './ops/maintenance-service';
import { SettingsPatchSchema } from './settings/settings-service';

export interface EngineEvents {
  'chat.event': ChatEvent;
  'settings.changed': { ollamaHost: string };
  'ollama.engine': EngineStatus;
  'models.pull': PullSnapshot;
  'imports.progress': ImportProgress;
  'backups.progress': BackupProgressDto;
}

export interface EngineOptions {
  dataDir: string;
  /** `--ollama-host`; beats OLLAMA_HOST, which beats the saved setting. */
  ollamaHost?: string;
  clock?: Clock;
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Data-source URLs and keys as saved by the shell (Electron decrypts keys with safeStorage). */
  sourceSettings?: () => SavedSourceSettings;
  /** Where the data-source URLs and keys are saved: safeStorage in Electron, else `secrets.json` (0600). */
  secretStore?: SecretStore;
  /** Electron's process.resourcesPath, where a bundled Ollama lives. */
  resourcesPath?: string | null;
}

export interface Engine {
  readonly paths: DataPaths;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  /** Owns the open store so a restore can swap the file under the running engine. */
  readonly storeHost: StoreHost;
  readonly backups: BackupService;
  readonly backupScheduler: BackupScheduler;
  readonly logRotator: LogRotator;
  readonly maintenance: MaintenanceService;
  readonly settings: SettingsService;
  readonly ollama: OllamaGateway;
  readonly chat: ChatService;
  readonly health: HealthService;
  /** Requests, tool calls, tokens/s, conversation lengths: hourly buckets in the store, `/metrics`. */
  readonly metrics: MetricsService;
  readonly hardware: HardwareService;
  readonly airQuality: AirQualityService;
  /** Imported sensor files (PurpleAir, AirQo, CSV) and queries over them. */
  readonly imports: ImportsService;
  /** Data-source URLs and keys saved from the UI (never in config.json, never sent back to the UI). */
  readonly sourceSettings: SourceSettingsService;
  /** Attach to or run Ollama. Electron and serve call `supervisor.start()`; the CLI never does. */
  readonly supervisor: OllamaSupervisor;
  readonly models: ModelServices;
  readonly tools: ToolRegistry;
  readonly events: EventBus<EngineEvents>;
  /** Where the host came from, so Settings can say when an env var or flag overrides it. */
  readonly ollamaHostSource: 'flag' | 'env' | 'settings' | 'default';
  /** Daily backups, log rotation, session cleanup: for the long-running shells (Electron, serve), not one-shot CLI commands. */
  startBackgroundTasks(): void;
  close(): Promise<void>;
}

/** The one wiring function: Electron, serve mode, the CLI and the tests all build the engine here. */
export function createEngine(opts: EngineOptions): Engine {
  const env = opts.env ?? process.env;
  const clock = opts.clock ?? systemClock;
  const paths = dataPaths(opts.dataDir);
  ensureDataDirs(paths);
  const logger =
    opts.logger ?? new FileLogger(paths.logsDir, clock, env.AERIS_LOG_LEVEL === 'debug' ? 'debug' : 'info');
  const settings = new SettingsService(paths.configFile);
  const saved = settings.get();
  const [host, source]: [string, Engine['ollamaHostSource']] = opts.ollamaHost
    ? [opts.ollamaHost, 'flag']
    : env.OLLAMA_HOST
      ? [env.OLLAMA_HOST, 'env']
      : saved.ollamaHost
        ? [saved.ollamaHost, 'settings']
        : [DEFAULT_OLLAMA_HOST, 'default'];
  const storeHost = new StoreHost(() => openStore(paths.dbFile, clock));
  const store = storeHost.store;
  settings.settleOnboarding(() => store.sessions.list(1).total > 0);
  const ollama = new OllamaGateway(host, clock, opts.fetch ?? fetch);
  const events = new EventBus<EngineEvents>();
  const sourceSettings = new SourceSettingsService(
    opts.secretStore ?? new FileSecretStore(path.join(paths.root, 'secrets.json')),
  );
  const airQuality = new AirQualityService({
    db: store.db,
    clock,
    fetch: opts.fetch ?? fetch,
    env,
    settings: () => opts.sourceSettings?.() ?? sourceSettings.get(),
    logger: logger.child('airquality'),
  });
  const imports = new ImportsService({
    db: () => store.db,
    clock,
    logger: logger.child('imports'),
    emit: (p) => events.emit('imports.progress', p),
    uploadDir: path.join(paths.root, 'imports-tmp'),
  });
  const tools = createAirQualityTools(airQuality, logger.child('tools'), imports);
  const chat = new ChatService({
    store,
    ollama,
    clock,
    logger: logger.child('chat'),
    limits: sessionLimitFromEnv(env),
    defaults: () => {
      const s = settings.get();
      // AERIS_DEFAULT_MODEL (or the seed's AI_MODEL) is explicit configuration: it beats the saved choice.
      return { model: env.AERIS_DEFAULT_MODEL || s.defaultModel, style: s.defaultStyle, location: s.location };
    },
    emit: (e) => events.emit('chat.event', e),
    tools,
    gazetteer: airQuality.gazetteer,
  });
  const supervisor = new OllamaSupervisor({
    host: ollama.host,
    modelsDir: env.OLLAMA_MODELS || null,
    pidFile: path.join(paths.root, 'ollama.pid'),
    logFile: path.join(paths.logsDir, 'ollama.log'),
    clock,
    env,
    resourcesPath: opts.resourcesPath ?? null,
    logger: logger.child('ollama-engine'),
    watchIntervalMs: 5000,
  });
  supervisor.onChange((s) => {
    // The supervisor may have moved Ollama to a free port when the configured one was taken.
    if (s.host !== ollama.host) ollama.setHost(s.host);
    events.emit('ollama.engine', s);
  });
  const catalogSizes = new Map(loadModelCatalog().map((m) => [m.name, m.sizeBytes]));
  const models = createModelServices({
    gateway: ollama,
    settings,
    paths,
    clock,
    env,
    logger,
    sizeOf: (name) => catalogSizes.get(name.includes(':') ? name : `${name}:latest`),
    modelsDir: () => defaultModelsDir(env),
  });
  models.pulls.onUpdate((s) => events.emit('models.pull', s));
  settings.onChange((s) => {
    if (s.ollamaHost && normalizeOllamaHost(s.ollamaHost) !== supervisor.configured) {
      void supervisor.setHost(s.ollamaHost).then(() => events.emit('settings.changed', { ollamaHost: ollama.host }));
    }
  });
  const isBusy = (): boolean => chat.activeCount > 0;
  const backups = new BackupService({
    host: storeHost,
    paths,
    clock,
    logger: logger.child('backup'),
    isBusy,
    retentionDays: Number(env.AERIS_BACKUP_RETENTION_DAYS) || 30,
    applySettings: (s) => {
      const p = SettingsPatchSchema.safeParse(s);
      if (p.success) settings.update(p.data);
    },
  });
  const backupScheduler = new BackupScheduler({ backups, clock, logger: logger.child('backup'), isBusy });
  const logRotator = new LogRotator({
    logsDir: paths.logsDir,
    clock,
    policy: rotationFromEnv(env),
    logger: logger.child('logs'),
  });
  const maintenance = new MaintenanceService({
    store,
    clock,
    logger: logger.child('maintenance'),
    isBusy,
    isStreaming: (id) => chat.isStreaming(id),
    // Automatic deletion of old conversations is opt-in (AERIS_SESSION_CLEANUP_DAYS=N): on a field laptop
    // history is evidence, and the seed's 30-day server default would silently destroy it. The dashboard's
    // button still offers the seed's 30 days.
    cleanupDays: cleanupDaysFromEnv(env, 0),
  });
  const metrics = createMetrics({ db: () => store.db, clock, logger: logger.child('metrics') });
  events.on('chat.event', (e) => metrics.observeChat(e));
  const health = new HealthService({
    store,
    ollama,
    clock,
    supervisor: () => supervisor.status(),
    sources: () => airQuality.sourceStatus(),
    dataDir: paths.root,
    lastBackup: () => backups.lastBackup(),
    alerts: () => metrics.alerts(),
  });
  const hardware = createHardwareService({ env, clock, ollama });
  storeHost.onReopen((s) => airQuality.rebindDb(s.db));
  logger.log('info', 'engine', 'engine started', { dataDir: paths.root, ollamaHost: ollama.host, source });

  return {
    paths,
    clock,
    logger,
    store,
    settings,
    ollama,
    chat,
    health,
    metrics,
    hardware,
    airQuality,
    imports,
    sourceSettings,
    tools,
    supervisor,
    models,
    events,
    ollamaHostSource: source,
    storeHost,
    backups,
    backupScheduler,
    logRotator,
    maintenance,
    startBackgroundTasks() {
      logRotator.start();
      backupScheduler.start();
      maintenance.startDailyCleanup();
      metrics.start();
    },
    async close() {
      chat.stopAll();
      await models.pulls.shutdown();
      await supervisor.stop();
      logRotator.stop();
      backupScheduler.stop();
      maintenance.stop();
      // Give aborted streams a moment to record `stopped` before the store closes.
      for (let i = 0; i < 50 && chat.activeCount > 0; i++) await new Promise((r) => setTimeout(r, 10));
      metrics.close();
      store.close();
    },
  };
}
